/* nigran-tile.h: one camera's picture on the wall, honest about its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-camera.h"
#include "core/nigran-clock.h"
#include "media/nigran-camera-stream.h"
#include "media/nigran-video-paintable.h"
#include "nigran-face-watch.h"
#include "nigran-plate-watch.h"

G_BEGIN_DECLS

/* A picture older than this is shown greyed out. */
#define NIGRAN_TILE_STALE_US (1 * G_USEC_PER_SEC)

#define NIGRAN_TYPE_TILE (nigran_tile_get_type ())
G_DECLARE_FINAL_TYPE (NigranTile, nigran_tile, NIGRAN, TILE, GtkWidget)

NigranTile           *nigran_tile_new            (NigranClock         *clock);
NigranCamera         *nigran_tile_get_camera     (NigranTile          *self);
void                  nigran_tile_set_camera     (NigranTile          *self,
                                                  NigranCamera        *camera);
void                  nigran_tile_set_variant    (NigranTile          *self,
                                                  NigranStreamVariant  variant);
void                  nigran_tile_set_active     (NigranTile          *self,
                                                  gboolean             active);
void                  nigran_tile_set_focused    (NigranTile          *self,
                                                  gboolean             focused);
void                  nigran_tile_update_status  (NigranTile          *self);
NigranVideoPaintable *nigran_tile_get_paintable  (NigranTile          *self);
NigranCameraStream   *nigran_tile_get_stream     (NigranTile          *self);
void                  nigran_tile_set_face_watch (NigranTile          *self,
                                                  NigranFaceWatch     *watch);
void                  nigran_tile_set_plate_watch (NigranTile         *self,
                                                  NigranPlateWatch    *watch);
char                 *nigran_tile_dup_status_text (NigranTile         *self);

G_END_DECLS
