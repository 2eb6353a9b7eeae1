/* nigran-camera-graph.h: which cameras a subject can reach next, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-geo-layer.h"

G_BEGIN_DECLS

#define NIGRAN_CAMERA_GRAPH_DEFAULT_FASTEST_KMH  90.0  /* a car on an open arterial road */
#define NIGRAN_CAMERA_GRAPH_DEFAULT_SLOWEST_KMH   5.0  /* a person on foot */
#define NIGRAN_CAMERA_GRAPH_DEFAULT_REACH_M    5000.0

/* One camera a subject can reach from where it was last seen. */
typedef struct
{
  char     *camera_id;
  double    distance_m;   /* along the roads, or in a straight line when !by_road */
  gboolean  by_road;
  gint64    earliest_us;  /* the window in which the subject can arrive */
  gint64    latest_us;
} NigranHandoff;

#define NIGRAN_TYPE_CAMERA_GRAPH (nigran_camera_graph_get_type ())
G_DECLARE_FINAL_TYPE (NigranCameraGraph, nigran_camera_graph, NIGRAN, CAMERA_GRAPH, GObject)

NigranCameraGraph *nigran_camera_graph_new         (GListModel        *cameras,
                                                    NigranGeoLayer    *roads);
void               nigran_camera_graph_set_speeds  (NigranCameraGraph *self,
                                                    double             slowest_kmh,
                                                    double             fastest_kmh);
void               nigran_camera_graph_set_reach   (NigranCameraGraph *self,
                                                    double             metres);
GPtrArray         *nigran_camera_graph_next        (NigranCameraGraph *self,
                                                    const char        *camera_id,
                                                    gint64             seen_us);
gboolean           nigran_camera_graph_is_on_road  (NigranCameraGraph *self,
                                                    const char        *camera_id);
guint              nigran_camera_graph_get_n_road_points (NigranCameraGraph *self);

void               nigran_handoff_free             (NigranHandoff     *handoff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranHandoff, nigran_handoff_free)

G_END_DECLS
