/* test-geo-layer.c: GeoJSON map layers, real ones and broken ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-geo-layer.h"
#include "core/nigran-road-graph.h"

static char *
shared_map (const char *relative)
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  char *path = shared != NULL ? g_build_filename (shared, "maps", relative, NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf ("../shared/data/maps/%s is absent", relative);

      g_test_skip (message);
      g_clear_pointer (&path, g_free);
    }
  return path;
}

static void
test_roads (void)
{
  g_autofree char *path = shared_map ("karachi-east-osm/roads_east_karachi.geojson");
  g_autoptr(NigranGeoLayer) roads = NULL;
  g_autoptr(GError) error = NULL;
  guint n_urdu = 0, n_primary = 0;

  if (path == NULL)
    return;
  roads = nigran_geo_layer_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_geo_layer_get_n_features (roads), ==, 5859);
  for (guint i = 0; i < nigran_geo_layer_get_n_features (roads); i++)
    {
      const NigranGeoFeature *road = nigran_geo_layer_get_feature (roads, i);

      g_assert_cmpint (road->shape, ==, NIGRAN_GEO_LINE);
      g_assert_cmpuint (road->n_parts, ==, 1);
      g_assert_cmpuint (road->n_points, >=, 2);
      /* East Karachi, as SOURCE.md gives its bounds */
      g_assert_cmpfloat (road->south_west.longitude, >=, 67.0);
      g_assert_cmpfloat (road->north_east.longitude, <=, 67.7);
      g_assert_cmpfloat (road->south_west.latitude, >=, 24.6);
      g_assert_cmpfloat (road->north_east.latitude, <=, 25.0);
      n_urdu += road->name_ur != NULL;
      n_primary += g_strcmp0 (road->kind, "primary") == 0;
    }
  g_assert_cmpuint (n_urdu, >, 50);
  g_assert_cmpuint (n_primary, >, 10);
}

static gpointer
load_shared_roads (gpointer path)
{
  return nigran_geo_layer_load_shared (path, NULL);
}

/* The map view and dispatch read the roads at once, on two workers: the file is read
 * once and both get the same layer and the same graph; once no one holds it, it is
 * read anew. */
static void
test_shared (void)
{
  g_autofree char *path = shared_map ("karachi-east-osm/roads_east_karachi.geojson");
  g_autoptr(NigranGeoLayer) first = NULL;
  g_autoptr(NigranGeoLayer) second = NULL;
  g_autoptr(NigranRoadGraph) graph = NULL;
  g_autoptr(NigranRoadGraph) same_graph = NULL;
  g_autoptr(GError) error = NULL;
  GThread *map_view, *dispatch;
  gpointer weak_first;

  if (path == NULL)
    return;
  map_view = g_thread_new ("map-view", load_shared_roads, path);
  dispatch = g_thread_new ("dispatch", load_shared_roads, path);
  first = g_thread_join (map_view);
  second = g_thread_join (dispatch);
  g_assert_nonnull (first);
  g_assert_true (first == second);
  graph = nigran_road_graph_for_layer (first);
  same_graph = nigran_road_graph_for_layer (second);
  g_assert_true (graph == same_graph);
  g_assert_cmpuint (nigran_road_graph_get_n_points (graph), >, 10000);

  weak_first = first;
  g_object_add_weak_pointer (G_OBJECT (first), &weak_first);
  g_clear_object (&first);
  g_clear_object (&second);
  g_assert_null (weak_first);
  first = nigran_geo_layer_load_shared (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_geo_layer_get_n_features (first), ==, 5859);
  g_assert_null (nigran_geo_layer_load_shared ("/nonexistent/roads.geojson", &error));
  g_assert_nonnull (error);
}

static void
test_towns (void)
{
  g_autofree char *path = shared_map ("karachi-towns/karachi_towns_adm3.geojson");
  g_autoptr(NigranGeoLayer) towns = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saddar = FALSE;

  if (path == NULL)
    return;
  towns = nigran_geo_layer_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_geo_layer_get_n_features (towns), ==, 18);
  for (guint i = 0; i < 18; i++)
    {
      const NigranGeoFeature *town = nigran_geo_layer_get_feature (towns, i);

      g_assert_cmpint (town->shape, ==, NIGRAN_GEO_POLYGON);
      g_assert_cmpuint (town->n_parts, >=, 1);
      for (guint part = 0; part < town->n_parts; part++)
        g_assert_cmpuint (nigran_geo_feature_get_part_length (town, part), >=, 4);
      if (g_strcmp0 (town->name, "Saddar Town") == 0)
        {
          /* The Sindh Assembly, in the red zone, lies in Saddar Town's bounds. */
          saddar = TRUE;
          g_assert_cmpfloat (town->south_west.latitude, <, 24.853);
          g_assert_cmpfloat (town->north_east.latitude, >, 24.853);
          g_assert_cmpfloat (town->south_west.longitude, <, 67.0106);
          g_assert_cmpfloat (town->north_east.longitude, >, 67.0106);
        }
    }
  g_assert_true (saddar);
}

static void
test_boundary (void)
{
  g_autofree char *path = shared_map ("karachi-east-osm/karachi_division_boundary.geojson");
  g_autoptr(NigranGeoLayer) boundary = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  boundary = nigran_geo_layer_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_geo_layer_get_n_features (boundary), ==, 1);
  g_assert_cmpstr (nigran_geo_layer_get_feature (boundary, 0)->name, ==, "Karachi Division");
}

/* Every shape the overlays draw, with names in both languages. */
static void
test_shapes (void)
{
  const char *data =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"JPMC\",\"name:ur\":\"جناح ہسپتال\",\"kind\":\"hospital\"},"
    " \"geometry\":{\"type\":\"Point\",\"coordinates\":[67.0444,24.8522]}},"
    "{\"type\":\"Feature\",\"properties\":null,\"geometry\":null},"
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"MultiLineString\","
    " \"coordinates\":[[[67.0,24.8],[67.1,24.9]],[[67.2,24.8],[67.3,24.8],[67.3,24.7]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name_ur\":\"ریڈ زون\"},\"geometry\":{\"type\":\"MultiPolygon\","
    " \"coordinates\":[[[[67.0,24.8],[67.1,24.8],[67.1,24.9],[67.0,24.8]]],[[[66,24],[66.5,24],[66.5,24.5],[66,24]]]]}}"
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranGeoLayer) layer = nigran_geo_layer_new_from_data (data, -1, "shapes.geojson", &error);
  const NigranGeoFeature *feature;

  g_assert_no_error (error);
  g_assert_cmpuint (nigran_geo_layer_get_n_features (layer), ==, 3);  /* the null geometry is left out */
  feature = nigran_geo_layer_get_feature (layer, 0);
  g_assert_cmpint (feature->shape, ==, NIGRAN_GEO_POINT);
  g_assert_cmpstr (feature->name_ur, ==, "جناح ہسپتال");
  g_assert_cmpstr (feature->kind, ==, "hospital");
  g_assert_cmpfloat (feature->points[0].latitude, ==, 24.8522);
  feature = nigran_geo_layer_get_feature (layer, 1);
  g_assert_cmpint (feature->shape, ==, NIGRAN_GEO_LINE);
  g_assert_cmpuint (feature->n_parts, ==, 2);
  g_assert_cmpuint (nigran_geo_feature_get_part_length (feature, 1), ==, 3);
  feature = nigran_geo_layer_get_feature (layer, 2);
  g_assert_cmpint (feature->shape, ==, NIGRAN_GEO_POLYGON);
  g_assert_cmpuint (feature->n_parts, ==, 2);
  g_assert_cmpstr (feature->name_ur, ==, "ریڈ زون");
  g_assert_cmpfloat (feature->south_west.longitude, ==, 66);
}

static void
test_broken (void)
{
  const struct {
    const char *data;
    int         code;
    const char *says;
  } cases[] = {
    { "", NIGRAN_GEO_LAYER_ERROR_SYNTAX, "empty" },
    { "{\"type\":\"FeatureCollection\",\"features\":[", NIGRAN_GEO_LAYER_ERROR_SYNTAX, "not JSON" },
    { "[1,2,3]", NIGRAN_GEO_LAYER_ERROR_INVALID, "$" },
    { "{\"type\":\"Topology\"}", NIGRAN_GEO_LAYER_ERROR_INVALID, "Topology" },
    { "{\"type\":\"FeatureCollection\"}", NIGRAN_GEO_LAYER_ERROR_INVALID, "$.features" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\"}}]}",
      NIGRAN_GEO_LAYER_ERROR_INVALID, "$.features[0].geometry.coordinates" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[\"67\",\"24\"]}}]}",
      NIGRAN_GEO_LAYER_ERROR_INVALID, "position" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[24.8,267.0]}}]}",
      NIGRAN_GEO_LAYER_ERROR_INVALID, "off the globe" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[67,24]]}}]}",
      NIGRAN_GEO_LAYER_ERROR_INVALID, "at least 2" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[67,24],[68,24],[67,24]]]}}]}",
      NIGRAN_GEO_LAYER_ERROR_INVALID, "coordinates[0]" },
    { "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"GeometryCollection\",\"geometries\":[]}}]}",
      NIGRAN_GEO_LAYER_ERROR_INVALID, "GeometryCollection" },
    { "{\"type\":\"FeatureCollection\",\"features\":[17]}", NIGRAN_GEO_LAYER_ERROR_INVALID, "$.features[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NigranGeoLayer) layer = nigran_geo_layer_new_from_data (cases[i].data, -1, "broken.geojson", &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (layer);
      g_assert_error (error, NIGRAN_GEO_LAYER_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "broken.geojson"));
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

/* A missing file and a truncated one. */
static void
test_missing_and_truncated (void)
{
  g_autofree char *roads = shared_map ("karachi-east-osm/roads_east_karachi.geojson");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranGeoLayer) layer = NULL;
  gsize length;

  layer = nigran_geo_layer_new_from_file ("/nonexistent/roads.geojson", &error);
  g_assert_null (layer);
  g_assert_error (error, NIGRAN_GEO_LAYER_ERROR, NIGRAN_GEO_LAYER_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/roads.geojson"));

  if (roads == NULL)
    return;
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (roads, &contents, &length, NULL));
  layer = nigran_geo_layer_new_from_data (contents, length / 2, "roads.geojson", &error);
  g_assert_null (layer);
  g_assert_error (error, NIGRAN_GEO_LAYER_ERROR, NIGRAN_GEO_LAYER_ERROR_SYNTAX);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geo-layer/roads", test_roads);
  g_test_add_func ("/geo-layer/shared", test_shared);
  g_test_add_func ("/geo-layer/towns", test_towns);
  g_test_add_func ("/geo-layer/boundary", test_boundary);
  g_test_add_func ("/geo-layer/shapes", test_shapes);
  g_test_add_func ("/geo-layer/broken", test_broken);
  g_test_add_func ("/geo-layer/missing-and-truncated", test_missing_and_truncated);
  return g_test_run ();
}
