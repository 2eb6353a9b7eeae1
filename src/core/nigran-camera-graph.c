/* nigran-camera-graph.c: which cameras a subject can reach next, and when
 *
 * The roads become a graph whose nodes are the points of the road lines (OpenStreetMap
 * ways share the coordinates of the nodes where they meet).  Each camera is placed at
 * the road point nearest to it.  From the camera a subject was seen at, a shortest-path
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

/* A camera farther than this from every road point is off the road network. */
#define SNAP_DISTANCE_M 250.0
/* Grid cells for finding the nearest road point: about 330 m of latitude. */
#define CELL_DEGREES    0.003
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

  /* The road graph, in compressed rows: the neighbours of point p are
   * neighbour[first_edge[p] .. first_edge[p + 1]). */
  guint           n_points;
  NigranGeoPoint *points;
  guint          *first_edge;
  guint          *neighbour;
  float          *edge_length_m;

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
  g_free (self->points);
  g_free (self->first_edge);
  g_free (self->neighbour);
  g_free (self->edge_length_m);
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

static gint64
point_key (const NigranGeoPoint *point)
{
  return (gint64) llround (point->latitude * 1e7) * 4000000000LL + llround (point->longitude * 1e7);
}

static guint64
cell_key (double latitude,
          double longitude)
{
  return ((guint64) (guint32) (gint32) floor (latitude / CELL_DEGREES) << 32) |
         (guint32) (gint32) floor (longitude / CELL_DEGREES);
}

typedef struct
{
  guint from;
  guint to;
  float length_m;
} Edge;

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const Edge *edge_a = a, *edge_b = b;

  return (edge_a->from > edge_b->from) - (edge_a->from < edge_b->from);
}

static void
build_road_graph (NigranCameraGraph *self,
                  NigranGeoLayer    *roads)
{
  g_autoptr(GHashTable) point_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NigranGeoPoint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));

  for (guint f = 0; f < nigran_geo_layer_get_n_features (roads); f++)
    {
      const NigranGeoFeature *feature = nigran_geo_layer_get_feature (roads, f);

      if (feature->shape != NIGRAN_GEO_LINE)
        continue;
      for (guint part = 0; part < feature->n_parts; part++)
        {
          const NigranGeoPoint *line = feature->points + feature->part_starts[part];
          guint length = nigran_geo_feature_get_part_length (feature, part);
          guint previous = 0;

          for (guint i = 0; i < length; i++)
            {
              gint64 key = point_key (&line[i]);
              gpointer found = g_hash_table_lookup (point_ids, &key);
              guint id;

              if (found != NULL)
                id = GPOINTER_TO_UINT (found) - 1;
              else
                {
                  id = points->len;
                  g_array_append_val (points, line[i]);
                  g_hash_table_insert (point_ids, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (id + 1));
                }
              if (i > 0 && id != previous)
                {
                  /* Both ways: a suspect does not keep to one-way streets. */
                  float length_m = nigran_geo_distance_m (line[i - 1].latitude, line[i - 1].longitude,
                                                          line[i].latitude, line[i].longitude);
                  Edge forward = { previous, id, length_m }, backward = { id, previous, length_m };

                  g_array_append_val (edges, forward);
                  g_array_append_val (edges, backward);
                }
              previous = id;
            }
        }
    }

  g_array_sort (edges, compare_edges);
  self->n_points = points->len;
  self->points = (NigranGeoPoint *) (void *) g_array_free (g_steal_pointer (&points), FALSE);
  self->first_edge = g_new0 (guint, self->n_points + 1);
  self->neighbour = g_new (guint, edges->len);
  self->edge_length_m = g_new (float, edges->len);
  for (guint i = 0; i < edges->len; i++)
    {
      const Edge *edge = &g_array_index (edges, Edge, i);

      self->first_edge[edge->from + 1]++;
      self->neighbour[i] = edge->to;
      self->edge_length_m[i] = edge->length_m;
    }
  for (guint p = 0; p < self->n_points; p++)
    self->first_edge[p + 1] += self->first_edge[p];
}

static void
place_cameras_on_roads (NigranCameraGraph *self)
{
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_array_unref);

  for (guint p = 0; p < self->n_points; p++)
    {
      guint64 key = cell_key (self->points[p].latitude, self->points[p].longitude);
      GArray *cell = g_hash_table_lookup (cells, &key);

      if (cell == NULL)
        g_hash_table_insert (cells, g_memdup2 (&key, sizeof key), cell = g_array_new (FALSE, FALSE, sizeof (guint)));
      g_array_append_val (cell, p);
    }

  for (guint c = 0; c < self->cameras->len; c++)
    {
      GraphCamera *camera = &g_array_index (self->cameras, GraphCamera, c);
      double nearest_m = SNAP_DISTANCE_M;
      GArray *here;

      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
          {
            guint64 key = cell_key (camera->latitude + dy * CELL_DEGREES, camera->longitude + dx * CELL_DEGREES);
            GArray *cell = g_hash_table_lookup (cells, &key);

            for (guint i = 0; cell != NULL && i < cell->len; i++)
              {
                guint p = g_array_index (cell, guint, i);
                double metres = nigran_geo_distance_m (camera->latitude, camera->longitude,
                                                       self->points[p].latitude, self->points[p].longitude);

                if (metres < nearest_m)
                  {
                    nearest_m = metres;
                    camera->road_point = p;
                  }
              }
          }
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
      build_road_graph (self, roads);
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
  return self->n_points;
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

/* A binary min-heap of (distance, point) for the shortest-path search. */
typedef struct
{
  double distance_m;
  guint  point;
} Queued;

static void
heap_push (GArray *heap,
           Queued  item)
{
  guint i = heap->len;

  g_array_append_val (heap, item);
  while (i > 0 && g_array_index (heap, Queued, (i - 1) / 2).distance_m > item.distance_m)
    {
      g_array_index (heap, Queued, i) = g_array_index (heap, Queued, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  g_array_index (heap, Queued, i) = item;
}

static Queued
heap_pop (GArray *heap)
{
  Queued top = g_array_index (heap, Queued, 0);
  Queued last = g_array_index (heap, Queued, heap->len - 1);
  guint i = 0;

  g_array_set_size (heap, heap->len - 1);
  while (heap->len > 0)
    {
      guint child = 2 * i + 1;

      if (child >= heap->len)
        break;
      if (child + 1 < heap->len &&
          g_array_index (heap, Queued, child + 1).distance_m < g_array_index (heap, Queued, child).distance_m)
        child++;
      if (g_array_index (heap, Queued, child).distance_m >= last.distance_m)
        break;
      g_array_index (heap, Queued, i) = g_array_index (heap, Queued, child);
      i = child;
    }
  if (heap->len > 0)
    g_array_index (heap, Queued, i) = last;
  return top;
}

static void
search_roads (NigranCameraGraph *self,
              const GraphCamera *from,
              gint64             seen_us,
              GPtrArray         *handoffs)
{
  g_autoptr(GHashTable) settled = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) best_m = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (Queued));

  heap_push (heap, (Queued) { 0, from->road_point });
  while (heap->len > 0)
    {
      Queued here = heap_pop (heap);
      GArray *cameras_here;

      if (g_hash_table_contains (settled, GUINT_TO_POINTER (here.point + 1)))
        continue;
      g_hash_table_add (settled, GUINT_TO_POINTER (here.point + 1));

      cameras_here = g_hash_table_lookup (self->cameras_at_point, GUINT_TO_POINTER (here.point + 1));
      if (cameras_here != NULL && (int) here.point != from->road_point)
        {
          for (guint i = 0; i < cameras_here->len; i++)
            add_handoff (self, handoffs, &g_array_index (self->cameras, GraphCamera, g_array_index (cameras_here, guint, i)),
                         here.distance_m, TRUE, seen_us);
          continue;  /* the subject is seen here before going further */
        }

      for (guint e = self->first_edge[here.point]; e < self->first_edge[here.point + 1]; e++)
        {
          double distance_m = here.distance_m + self->edge_length_m[e];
          guint next = self->neighbour[e];
          double *known = g_hash_table_lookup (best_m, GUINT_TO_POINTER (next + 1));

          if (distance_m > self->reach_m || (known != NULL && *known <= distance_m))
            continue;
          if (known == NULL)
            g_hash_table_insert (best_m, GUINT_TO_POINTER (next + 1), known = g_new (double, 1));
          *known = distance_m;
          heap_push (heap, (Queued) { distance_m, next });
        }
    }
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
