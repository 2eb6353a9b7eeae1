/* nigran-wall.h: the video wall, a grid of camera tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-clock.h"
#include "core/nigran-site-file.h"
#include "nigran-tile.h"

G_BEGIN_DECLS

#define NIGRAN_WALL_MAX_TILES 36

#define NIGRAN_TYPE_WALL (nigran_wall_get_type ())
G_DECLARE_FINAL_TYPE (NigranWall, nigran_wall, NIGRAN, WALL, GtkWidget)

NigranWall         *nigran_wall_new               (NigranClock    *clock);
void                nigran_wall_set_site_file     (NigranWall     *self,
                                                   NigranSiteFile *site_file,
                                                   GSettings      *settings);
gboolean            nigran_wall_set_layout        (NigranWall     *self,
                                                   const char     *layout);
const char         *nigran_wall_get_layout        (NigranWall     *self);
const char * const *nigran_wall_list_layouts      (void);
guint               nigran_wall_get_n_tiles       (NigranWall     *self);
NigranTile         *nigran_wall_get_tile          (NigranWall     *self,
                                                   guint           index);
void                nigran_wall_assign            (NigranWall     *self,
                                                   guint           index,
                                                   NigranCamera   *camera);
guint               nigran_wall_get_focus         (NigranWall     *self);
void                nigran_wall_set_focus         (NigranWall     *self,
                                                   guint           index);
void                nigran_wall_move_focus        (NigranWall     *self,
                                                   GtkDirectionType direction);
void                nigran_wall_maximize          (NigranWall     *self,
                                                   guint           index);
void                nigran_wall_restore           (NigranWall     *self);
gboolean            nigran_wall_is_maximized      (NigranWall     *self);
void                nigran_wall_set_plate_watch   (NigranWall      *self,
                                                   NigranPlateWatch *watch);
void                nigran_wall_set_face_watch    (NigranWall      *self,
                                                   NigranFaceWatch *watch);
GdkTexture         *nigran_wall_dup_camera_frame  (NigranWall     *self,
                                                   const char     *camera_id,
                                                   gint64         *frame_age_ms);

G_END_DECLS
