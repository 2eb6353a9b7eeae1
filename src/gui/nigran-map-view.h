/* nigran-map-view.h: the red-zone map beside the tracks of subjects across cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "core/nigran-camera-graph.h"
#include "core/nigran-site-file.h"
#include "core/nigran-tracks.h"
#include "store/nigran-event-log.h"
#include "nigran-map-overlay.h"
#include "nigran-wall.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_MAP_VIEW (nigran_map_view_get_type ())
G_DECLARE_FINAL_TYPE (NigranMapView, nigran_map_view, NIGRAN, MAP_VIEW, GtkWidget)

NigranMapView    *nigran_map_view_new                (void);
void              nigran_map_view_set_site_file      (NigranMapView *self,
                                                      NigranSiteFile *site_file);
void              nigran_map_view_set_wall           (NigranMapView *self,
                                                      NigranWall    *wall);
void              nigran_map_view_set_tracks         (NigranMapView *self,
                                                      NigranTracks  *tracks);
void              nigran_map_view_set_log            (NigranMapView  *self,
                                                      NigranEventLog *log,
                                                      const char     *operator_name);
void              nigran_map_view_set_open_alerts    (NigranMapView *self,
                                                      GListModel    *alerts);
gboolean          nigran_map_view_is_loaded          (NigranMapView *self);
NigranTrack      *nigran_map_view_get_track          (NigranMapView *self);
GPtrArray        *nigran_map_view_get_handoffs       (NigranMapView *self);
guint             nigran_map_view_open_next_cameras  (NigranMapView *self);
void              nigran_map_view_join_track         (NigranMapView *self,
                                                      NigranTrack   *other);
void              nigran_map_view_confirm_sighting   (NigranMapView *self,
                                                      const char    *event_id);
void              nigran_map_view_show_camera        (NigranMapView *self,
                                                      NigranCamera  *camera);
NigranMapOverlay *nigran_map_view_get_overlay        (NigranMapView *self);
ShumateViewport  *nigran_map_view_get_viewport       (NigranMapView *self);

void           nigran_map_view_center_on       (NigranMapView  *self,
                                                double          latitude,
                                                double          longitude);

G_END_DECLS
