/* nigran-road-graph.h: road lines as a graph, for distances along the roads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "nigran-geo-layer.h"

G_BEGIN_DECLS

/* What a search does after reaching a point. */
typedef enum
{
  NIGRAN_ROAD_SEARCH_CONTINUE,  /* spread on from this point */
  NIGRAN_ROAD_SEARCH_SKIP,      /* go no further this way */
  NIGRAN_ROAD_SEARCH_STOP,      /* the search is over */
} NigranRoadSearchStep;

/* Called once per point reached, nearest first. */
typedef NigranRoadSearchStep (*NigranRoadVisitFunc) (guint    point,
                                                     double   distance_m,
                                                     gpointer user_data);

#define NIGRAN_TYPE_ROAD_GRAPH (nigran_road_graph_get_type ())
G_DECLARE_FINAL_TYPE (NigranRoadGraph, nigran_road_graph, NIGRAN, ROAD_GRAPH, GObject)

NigranRoadGraph      *nigran_road_graph_new            (NigranGeoLayer      *roads);
NigranRoadGraph      *nigran_road_graph_for_layer      (NigranGeoLayer      *roads);
guint                 nigran_road_graph_get_n_points   (NigranRoadGraph     *self);
const NigranGeoPoint *nigran_road_graph_get_point      (NigranRoadGraph     *self,
                                                        guint                point);
int                   nigran_road_graph_nearest_point  (NigranRoadGraph     *self,
                                                        double               latitude,
                                                        double               longitude,
                                                        double               within_m,
                                                        double              *distance_m);
void                  nigran_road_graph_search         (NigranRoadGraph     *self,
                                                        guint                from,
                                                        double               reach_m,
                                                        NigranRoadVisitFunc  visit,
                                                        gpointer             user_data);

GArray               *nigran_road_graph_find_path      (NigranRoadGraph     *self,
                                                        guint                from,
                                                        guint                to,
                                                        double               reach_m);

G_END_DECLS
