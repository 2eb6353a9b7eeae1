/* nigran-map-overlay.h: what Nigran draws over the base map: areas, roads, cameras,
 * open alerts, a track and the cameras it may reach next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "core/nigran-geo-layer.h"
#include "core/nigran-site-file.h"
#include "core/nigran-track.h"

G_BEGIN_DECLS

typedef enum
{
  NIGRAN_MAP_LAYER_DISTRICTS,  /* outlined areas, labelled */
  NIGRAN_MAP_LAYER_ROADS,      /* lines, wider for major roads */
  NIGRAN_MAP_LAYER_LANDMARKS,  /* points or areas of sensitive sites, labelled */
} NigranMapLayerStyle;

#define NIGRAN_TYPE_MAP_OVERLAY (nigran_map_overlay_get_type ())
G_DECLARE_FINAL_TYPE (NigranMapOverlay, nigran_map_overlay, NIGRAN, MAP_OVERLAY, ShumateLayer)

NigranMapOverlay *nigran_map_overlay_new             (ShumateViewport     *viewport);
void              nigran_map_overlay_set_site_file   (NigranMapOverlay    *self,
                                                      NigranSiteFile      *site_file);
void              nigran_map_overlay_add_layer       (NigranMapOverlay    *self,
                                                      NigranGeoLayer      *layer,
                                                      NigranMapLayerStyle  style);
void              nigran_map_overlay_set_open_alerts (NigranMapOverlay    *self,
                                                      GListModel          *alerts);
void              nigran_map_overlay_set_track       (NigranMapOverlay    *self,
                                                      NigranTrack         *track);
void              nigran_map_overlay_set_handoffs    (NigranMapOverlay    *self,
                                                      GPtrArray           *handoffs);
void              nigran_map_overlay_set_dispatch    (NigranMapOverlay    *self,
                                                      GListModel          *units,
                                                      GListModel          *incidents);
NigranCamera     *nigran_map_overlay_camera_at       (NigranMapOverlay    *self,
                                                      double               x,
                                                      double               y);

G_END_DECLS
