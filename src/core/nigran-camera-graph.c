/* nigran-camera-graph.c: which cameras a subject can reach next, and when
 *
 * The roads become a graph (NigranRoadGraph).  Each camera is placed at the road
 * point nearest to it.  From the camera a subject was seen at, a shortest-path
 * search spreads along the roads and stops at every other camera it reaches: a subject
 * who drives past camera B on the way to C is seen at B first, so only B is "next".
 * A camera away from every road falls back to straight-line distances.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-camera-graph.h"

#include <math.h>

#include "nigran-camera.h"
#include "nigran-plate-sightings.h"
#include "nigran-road-graph.h"

/* A camera farther than this from every road point is off the road network. */
#define SNAP_DISTANCE_M 250.0
/* Cameras listed for an off-road camera, nearest first. */
#define MAX_STRAIGHT_LINE_NEIGHBOURS 6

typedef struct
{
  char   *id;
  double  latitude;
  double  longitude;
  int     road_point;  /* -1: off the roads */
} GraphCamera;

struct _NigranCameraGraph
{
  GObject         parent_instance;

  GArray         *cameras;          /* GraphCamera */
  GHashTable     *camera_index;     /* id → index + 1 */
  GHashTable     *cameras_at_point; /* road point + 1 → GArray of camera indices */

  NigranRoadGraph *roads;           /* nullable */

  double          slowest_m_per_s;
  double          fastest_m_per_s;
  double          reach_m;
};

G_DEFINE_TYPE (NigranCameraGraph, nigran_camera_graph, G_TYPE_OBJECT)

static void
clear_camera (gpointer data)
{
  g_free (((GraphCamera *) data)->id);
}

static void
nigran_camera_graph_finalize (GObject *object)
{
  NigranCameraGraph *self = NIGRAN_CAMERA_GRAPH (object);

  g_array_unref (self->cameras);
  g_hash_table_unref (self->camera_index);
  g_hash_table_unref (self->cameras_at_point);
  g_clear_object (&self->roads);
  G_OBJECT_CLASS (nigran_camera_graph_parent_class)->finalize (object);
}

static void
nigran_camera_graph_class_init (NigranCameraGraphClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_camera_graph_finalize;
}

static void
nigran_camera_graph_init (NigranCameraGraph *self)
{
  self->cameras = g_array_new (FALSE, TRUE, sizeof (GraphCamera));
  g_array_set_clear_func (self->cameras, clear_camera);
  self->camera_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->cameras_at_point = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  self->slowest_m_per_s = NIGRAN_CAMERA_GRAPH_DEFAULT_SLOWEST_KMH / 3.6;
  self->fastest_m_per_s = NIGRAN_CAMERA_GRAPH_DEFAULT_FASTEST_KMH / 3.6;
  self->reach_m = NIGRAN_CAMERA_GRAPH_DEFAULT_REACH_M;
}

static void
place_cameras_on_roads (NigranCameraGraph *self)
{
  for (guint c = 0; c < self->cameras->len; c++)
    {
      GraphCamera *camera = &g_array_index (self->cameras, GraphCamera, c);
      GArray *here;

      camera->road_point = nigran_road_graph_nearest_point (self->roads, camera->latitude, camera->longitude,
                                                            SNAP_DISTANCE_M, NULL);
      if (camera->road_point < 0)
        continue;
      here = g_hash_table_lookup (self->cameras_at_point, GINT_TO_POINTER (camera->road_point + 1));
      if (here == NULL)
        g_hash_table_insert (self->cameras_at_point, GINT_TO_POINTER (camera->road_point + 1),
                             here = g_array_new (FALSE, FALSE, sizeof (guint)));
      g_array_append_val (here, c);
    }
}

/**
 * nigran_camera_graph_new:
 * @cameras: #NigranCamera items; their ids and positions are copied
 * @roads: (nullable): road lines; without them every distance is a straight line
 *
 * Building it from a city's roads takes a fraction of a second: do it on a worker.
 */
NigranCameraGraph *
nigran_camera_graph_new (GListModel     *cameras,
                         NigranGeoLayer *roads)
{
  NigranCameraGraph *self = g_object_new (NIGRAN_TYPE_CAMERA_GRAPH, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
      GraphCamera copy = {
        g_strdup (nigran_camera_get_id (camera)),
        nigran_camera_get_latitude (camera),
        nigran_camera_get_longitude (camera),
        -1,
      };

      g_array_append_val (self->cameras, copy);
    }
  for (guint i = 0; i < self->cameras->len; i++)
    g_hash_table_insert (self->camera_index, g_array_index (self->cameras, GraphCamera, i).id,
                         GUINT_TO_POINTER (i + 1));
  if (roads != NULL)
    {
      self->roads = nigran_road_graph_for_layer (roads);
      place_cameras_on_roads (self);
    }
  return self;
}

void
nigran_camera_graph_set_speeds (NigranCameraGraph *self,
                                double             slowest_kmh,
                                double             fastest_kmh)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_GRAPH (self));
  g_return_if_fail (slowest_kmh > 0 && fastest_kmh >= slowest_kmh);
  self->slowest_m_per_s = slowest_kmh / 3.6;
  self->fastest_m_per_s = fastest_kmh / 3.6;
}

/* Cameras farther than @metres along the roads (or in a straight line) are not "next". */
void
nigran_camera_graph_set_reach (NigranCameraGraph *self,
                               double             metres)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_GRAPH (self));
  g_return_if_fail (metres > 0);
  self->reach_m = metres;
}

static const GraphCamera *
find_camera (NigranCameraGraph *self,
             const char        *camera_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->camera_index, camera_id));

  return index > 0 ? &g_array_index (self->cameras, GraphCamera, index - 1) : NULL;
}

gboolean
nigran_camera_graph_is_on_road (NigranCameraGraph *self,
                                const char        *camera_id)
{
  const GraphCamera *camera;

  g_return_val_if_fail (NIGRAN_IS_CAMERA_GRAPH (self), FALSE);
  camera = find_camera (self, camera_id);
  return camera != NULL && camera->road_point >= 0;
}

guint
nigran_camera_graph_get_n_road_points (NigranCameraGraph *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA_GRAPH (self), 0);
  return self->roads != NULL ? nigran_road_graph_get_n_points (self->roads) : 0;
}

void
nigran_handoff_free (NigranHandoff *handoff)
{
  g_free (handoff->camera_id);
  g_free (handoff);
}

static void
add_handoff (NigranCameraGraph *self,
             GPtrArray         *handoffs,
             const GraphCamera *camera,
             double             distance_m,
             gboolean           by_road,
             gint64             seen_us)
{
  NigranHandoff *handoff = g_new0 (NigranHandoff, 1);

  handoff->camera_id = g_strdup (camera->id);
  handoff->distance_m = distance_m;
  handoff->by_road = by_road;
  handoff->earliest_us = seen_us + (gint64) (distance_m / self->fastest_m_per_s * G_USEC_PER_SEC);
  handoff->latest_us = seen_us + (gint64) (distance_m / self->slowest_m_per_s * G_USEC_PER_SEC);
  g_ptr_array_add (handoffs, handoff);
}

typedef struct
{
  NigranCameraGraph *self;
  const GraphCamera *from;
  gint64             seen_us;
  GPtrArray         *handoffs;
} RoadSearch;

static NigranRoadSearchStep
visit_road_point (guint    point,
                  double   distance_m,
                  gpointer user_data)
{
  RoadSearch *search = user_data;
  NigranCameraGraph *self = search->self;
  GArray *cameras_here;

  if ((int) point == search->from->road_point)
    return NIGRAN_ROAD_SEARCH_CONTINUE;
  cameras_here = g_hash_table_lookup (self->cameras_at_point, GUINT_TO_POINTER (point + 1));
  if (cameras_here == NULL)
    return NIGRAN_ROAD_SEARCH_CONTINUE;
  for (guint i = 0; i < cameras_here->len; i++)
    add_handoff (self, search->handoffs,
                 &g_array_index (self->cameras, GraphCamera, g_array_index (cameras_here, guint, i)),
                 distance_m, TRUE, search->seen_us);
  return NIGRAN_ROAD_SEARCH_SKIP;  /* the subject is seen here before going further */
}

static void
search_roads (NigranCameraGraph *self,
              const GraphCamera *from,
              gint64             seen_us,
              GPtrArray         *handoffs)
{
  RoadSearch search = { self, from, seen_us, handoffs };

  nigran_road_graph_search (self->roads, from->road_point, self->reach_m, visit_road_point, &search);
}

static int
compare_handoffs (gconstpointer a,
                  gconstpointer b)
{
  const NigranHandoff *handoff_a = *(NigranHandoff * const *) a;
  const NigranHandoff *handoff_b = *(NigranHandoff * const *) b;

  return (handoff_a->distance_m > handoff_b->distance_m) - (handoff_a->distance_m < handoff_b->distance_m);
}

/* Off the roads: the nearest cameras in a straight line (only those off the roads
 * too, unless @from itself is off them, since the roads answer for the others). */
static void
search_straight_lines (NigranCameraGraph *self,
                       const GraphCamera *from,
                       gint64             seen_us,
                       GPtrArray         *handoffs)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) nigran_handoff_free);

  for (guint i = 0; i < self->cameras->len; i++)
    {
      const GraphCamera *camera = &g_array_index (self->cameras, GraphCamera, i);
      double metres;

      if (camera == from || (from->road_point >= 0 && camera->road_point >= 0))
        continue;
      metres = nigran_geo_distance_m (from->latitude, from->longitude, camera->latitude, camera->longitude);
      if (metres <= self->reach_m)
        add_handoff (self, candidates, camera, metres, FALSE, seen_us);
    }
  g_ptr_array_sort (candidates, compare_handoffs);
  for (guint taken = 0; candidates->len > 0 && taken < MAX_STRAIGHT_LINE_NEIGHBOURS; taken++)
    g_ptr_array_add (handoffs, g_ptr_array_steal_index (candidates, 0));
}

/**
 * nigran_camera_graph_next:
 * @seen_us: when the subject was seen at @camera_id
 *
 * Returns: (transfer container) (element-type NigranHandoff): the cameras the subject
 * can reach next from @camera_id, nearest first; empty for an unknown camera
 */
GPtrArray *
nigran_camera_graph_next (NigranCameraGraph *self,
                          const char        *camera_id,
                          gint64             seen_us)
{
  GPtrArray *handoffs = g_ptr_array_new_with_free_func ((GDestroyNotify) nigran_handoff_free);
  const GraphCamera *from;

  g_return_val_if_fail (NIGRAN_IS_CAMERA_GRAPH (self), handoffs);
  from = find_camera (self, camera_id);
  if (from == NULL)
    return handoffs;
  if (from->road_point >= 0)
    {
      GArray *same_point = g_hash_table_lookup (self->cameras_at_point, GINT_TO_POINTER (from->road_point + 1));

      /* Cameras at the same junction see the subject too. */
      for (guint i = 0; i < same_point->len; i++)
        {
          const GraphCamera *camera = &g_array_index (self->cameras, GraphCamera, g_array_index (same_point, guint, i));

          if (camera != from)
            add_handoff (self, handoffs, camera, 0, TRUE, seen_us);
        }
      search_roads (self, from, seen_us, handoffs);
    }
  search_straight_lines (self, from, seen_us, handoffs);
  g_ptr_array_sort (handoffs, compare_handoffs);
  return handoffs;
}
