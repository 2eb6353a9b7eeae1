/* nigran-road-graph.c: road lines as a graph, for distances along the roads
 *
 * The nodes are the points of the road lines (OpenStreetMap ways share the coordinates
 * of the nodes where they meet), the edges the segments between them, both ways: a
 * suspect does not keep to one-way streets and a police car on a call need not either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-road-graph.h"

#include <math.h>

#include "nigran-plate-sightings.h"

/* Grid cells for finding the nearest road point: about 330 m of latitude. */
#define CELL_DEGREES 0.003
#define CELL_METRES  300.0

struct _NigranRoadGraph
{
  GObject         parent_instance;

  /* In compressed rows: the neighbours of point p are neighbour[first_edge[p] .. first_edge[p + 1]). */
  guint           n_points;
  NigranGeoPoint *points;
  guint          *first_edge;
  guint          *neighbour;
  float          *edge_length_m;
  GHashTable     *cells;  /* cell key → GArray of points */
};

G_DEFINE_FINAL_TYPE (NigranRoadGraph, nigran_road_graph, G_TYPE_OBJECT)

static void
nigran_road_graph_finalize (GObject *object)
{
  NigranRoadGraph *self = NIGRAN_ROAD_GRAPH (object);

  g_free (self->points);
  g_free (self->first_edge);
  g_free (self->neighbour);
  g_free (self->edge_length_m);
  g_hash_table_unref (self->cells);
  G_OBJECT_CLASS (nigran_road_graph_parent_class)->finalize (object);
}

static void
nigran_road_graph_class_init (NigranRoadGraphClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_road_graph_finalize;
}

static void
nigran_road_graph_init (NigranRoadGraph *self)
{
  self->cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
}

static gint64
point_key (const NigranGeoPoint *point)
{
  return (gint64) llround (point->latitude * 1e7) * 4000000000LL + llround (point->longitude * 1e7);
}

static gint64
cell_key (double latitude,
          double longitude)
{
  return (gint64) (((guint64) (guint32) (gint32) floor (latitude / CELL_DEGREES) << 32) |
                   (guint32) (gint32) floor (longitude / CELL_DEGREES));
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
add_line (GHashTable           *point_ids,
          GArray               *points,
          GArray               *edges,
          const NigranGeoPoint *line,
          guint                 length)
{
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
          float length_m = nigran_geo_distance_m (line[i - 1].latitude, line[i - 1].longitude,
                                                  line[i].latitude, line[i].longitude);
          Edge forward = { previous, id, length_m }, backward = { id, previous, length_m };

          g_array_append_val (edges, forward);
          g_array_append_val (edges, backward);
        }
      previous = id;
    }
}

/**
 * nigran_road_graph_new:
 * @roads: road lines; other shapes are ignored
 *
 * A city's roads take a fraction of a second: build it on a worker.
 */
NigranRoadGraph *
nigran_road_graph_new (NigranGeoLayer *roads)
{
  NigranRoadGraph *self = g_object_new (NIGRAN_TYPE_ROAD_GRAPH, NULL);
  g_autoptr(GHashTable) point_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NigranGeoPoint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));

  for (guint f = 0; f < nigran_geo_layer_get_n_features (roads); f++)
    {
      const NigranGeoFeature *feature = nigran_geo_layer_get_feature (roads, f);

      if (feature->shape != NIGRAN_GEO_LINE)
        continue;
      for (guint part = 0; part < feature->n_parts; part++)
        add_line (point_ids, points, edges, feature->points + feature->part_starts[part],
                  nigran_geo_feature_get_part_length (feature, part));
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

  for (guint p = 0; p < self->n_points; p++)
    {
      gint64 key = cell_key (self->points[p].latitude, self->points[p].longitude);
      GArray *cell = g_hash_table_lookup (self->cells, &key);

      if (cell == NULL)
        g_hash_table_insert (self->cells, g_memdup2 (&key, sizeof key), cell = g_array_new (FALSE, FALSE, sizeof (guint)));
      g_array_append_val (cell, p);
    }
  return self;
}

guint
nigran_road_graph_get_n_points (NigranRoadGraph *self)
{
  g_return_val_if_fail (NIGRAN_IS_ROAD_GRAPH (self), 0);
  return self->n_points;
}

const NigranGeoPoint *
nigran_road_graph_get_point (NigranRoadGraph *self,
                             guint            point)
{
  g_return_val_if_fail (NIGRAN_IS_ROAD_GRAPH (self), NULL);
  g_return_val_if_fail (point < self->n_points, NULL);
  return &self->points[point];
}

/**
 * nigran_road_graph_nearest_point:
 * @distance_m: (out) (optional): how far the point is
 *
 * Returns: the road point nearest to the position, or -1 if none is within @within_m
 */
int
nigran_road_graph_nearest_point (NigranRoadGraph *self,
                                 double           latitude,
                                 double           longitude,
                                 double           within_m,
                                 double          *distance_m)
{
  int rings = 1 + (int) (within_m / CELL_METRES);
  /* Compared on a local flat projection, which keeps the order of such short distances;
   * the one found is then measured properly. */
  double x_scale = cos (latitude * G_PI / 180);
  double nearest_squared = G_MAXDOUBLE;
  double nearest_m;
  int nearest = -1;

  g_return_val_if_fail (NIGRAN_IS_ROAD_GRAPH (self), -1);

  for (int dy = -rings; dy <= rings; dy++)
    for (int dx = -rings; dx <= rings; dx++)
      {
        gint64 key = cell_key (latitude + dy * CELL_DEGREES, longitude + dx * CELL_DEGREES);
        GArray *cell = g_hash_table_lookup (self->cells, &key);

        for (guint i = 0; cell != NULL && i < cell->len; i++)
          {
            guint p = g_array_index (cell, guint, i);
            double east = (self->points[p].longitude - longitude) * x_scale;
            double north = self->points[p].latitude - latitude;

            if (east * east + north * north < nearest_squared)
              {
                nearest_squared = east * east + north * north;
                nearest = p;
              }
          }
      }
  if (nearest < 0)
    return -1;
  nearest_m = nigran_geo_distance_m (latitude, longitude, self->points[nearest].latitude,
                                     self->points[nearest].longitude);
  if (nearest_m > within_m)
    return -1;
  if (distance_m != NULL)
    *distance_m = nearest_m;
  return nearest;
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

/**
 * nigran_road_graph_search:
 * @from: the point to start from
 * @reach_m: points farther than this along the roads are not reached
 * @visit: called for each point reached, nearest first, @from included
 *
 * A shortest-path (Dijkstra) search along the roads.
 */
/* @previous: (nullable): filled with the point each reached point was reached from */
static void
search (NigranRoadGraph     *self,
        guint                from,
        double               reach_m,
        NigranRoadVisitFunc  visit,
        gpointer             user_data,
        guint               *previous)
{
  g_autofree float *best_m = NULL;
  g_autofree guint8 *settled = NULL;
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (Queued));

  best_m = g_new (float, self->n_points);
  for (guint p = 0; p < self->n_points; p++)
    best_m[p] = INFINITY;
  settled = g_new0 (guint8, self->n_points);

  heap_push (heap, (Queued) { 0, from });
  best_m[from] = 0;
  while (heap->len > 0)
    {
      Queued here = heap_pop (heap);

      if (settled[here.point])
        continue;
      settled[here.point] = TRUE;

      switch (visit (here.point, here.distance_m, user_data))
        {
        case NIGRAN_ROAD_SEARCH_STOP:
          return;
        case NIGRAN_ROAD_SEARCH_SKIP:
          continue;
        case NIGRAN_ROAD_SEARCH_CONTINUE:
        default:
          break;
        }

      for (guint e = self->first_edge[here.point]; e < self->first_edge[here.point + 1]; e++)
        {
          double distance_m = here.distance_m + self->edge_length_m[e];
          guint next = self->neighbour[e];

          if (distance_m > reach_m || best_m[next] <= distance_m)
            continue;
          best_m[next] = distance_m;
          if (previous != NULL)
            previous[next] = here.point;
          heap_push (heap, (Queued) { distance_m, next });
        }
    }
}

void
nigran_road_graph_search (NigranRoadGraph     *self,
                          guint                from,
                          double               reach_m,
                          NigranRoadVisitFunc  visit,
                          gpointer             user_data)
{
  g_return_if_fail (NIGRAN_IS_ROAD_GRAPH (self));
  g_return_if_fail (from < self->n_points);
  search (self, from, reach_m, visit, user_data, NULL);
}

static NigranRoadSearchStep
stop_at_destination (guint    point,
                     double   distance_m,
                     gpointer user_data)
{
  guint *destination = user_data;

  return point == *destination ? NIGRAN_ROAD_SEARCH_STOP : NIGRAN_ROAD_SEARCH_CONTINUE;
}

/**
 * nigran_road_graph_find_path:
 * @reach_m: give up beyond this distance along the roads
 *
 * Returns: (transfer full) (nullable) (element-type guint): the road points of the
 * shortest way from @from to @to, both included, or %NULL if the roads do not join
 * them within @reach_m
 */
GArray *
nigran_road_graph_find_path (NigranRoadGraph *self,
                             guint            from,
                             guint            to,
                             double           reach_m)
{
  g_autofree guint *previous = NULL;
  GArray *path;

  g_return_val_if_fail (NIGRAN_IS_ROAD_GRAPH (self), NULL);
  g_return_val_if_fail (from < self->n_points && to < self->n_points, NULL);

  previous = g_new (guint, self->n_points);
  for (guint p = 0; p < self->n_points; p++)
    previous[p] = G_MAXUINT;
  search (self, from, reach_m, stop_at_destination, &to, previous);
  if (to != from && previous[to] == G_MAXUINT)
    return NULL;

  path = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint p = to; p != from; p = previous[p])
    g_array_prepend_val (path, p);
  g_array_prepend_val (path, from);
  return path;
}

G_LOCK_DEFINE_STATIC (graph_of_layer);

/**
 * nigran_road_graph_for_layer:
 *
 * The graph of @roads, built once for all who ask while the layer lives.
 *
 * Returns: (transfer full): the graph
 */
NigranRoadGraph *
nigran_road_graph_for_layer (NigranGeoLayer *roads)
{
  NigranRoadGraph *graph;

  G_LOCK (graph_of_layer);
  graph = g_object_get_data (G_OBJECT (roads), "nigran-road-graph");
  if (graph == NULL)
    {
      graph = nigran_road_graph_new (roads);
      g_object_set_data_full (G_OBJECT (roads), "nigran-road-graph", graph, g_object_unref);
    }
  g_object_ref (graph);
  G_UNLOCK (graph_of_layer);
  return graph;
}
