/* test-camera-graph.c: the cameras a subject can reach next, on east Karachi's roads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-camera-graph.h"
#include "core/nigran-plate-sightings.h"
#include "core/nigran-site-file.h"
#include "test-utils.h"

#define SEEN_US (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)

/* Three cameras on Landhi Road (at points of its OpenStreetMap way, 1.1, 3.1 and
 * 5.0 km from its western end), one on no road at all, in the sea off Port Qasim,
 * and one near it. */
static const char site_json[] =
  "{\"version\":1,\"name\":\"Landhi\","
  " \"sites\":[{\"id\":\"landhi\",\"name\":\"Landhi\",\"kind\":\"industrial-estate\",\"latitude\":24.82,\"longitude\":67.15}],"
  " \"cameras\":["
  "  {\"id\":\"landhi-1\",\"name\":\"Landhi Road 1\",\"site\":\"landhi\",\"latitude\":24.8213892,\"longitude\":67.1294607,\"simulated\":{}},"
  "  {\"id\":\"landhi-2\",\"name\":\"Landhi Road 2\",\"site\":\"landhi\",\"latitude\":24.825103,\"longitude\":67.1482448,\"simulated\":{}},"
  "  {\"id\":\"landhi-3\",\"name\":\"Landhi Road 3\",\"site\":\"landhi\",\"latitude\":24.829319,\"longitude\":67.1670643,\"simulated\":{}},"
  "  {\"id\":\"buoy\",\"name\":\"Channel buoy\",\"site\":\"landhi\",\"latitude\":24.70,\"longitude\":67.30,\"simulated\":{}},"
  "  {\"id\":\"jetty\",\"name\":\"Jetty\",\"site\":\"landhi\",\"latitude\":24.705,\"longitude\":67.31,\"simulated\":{}}"
  " ]}";

static NigranSiteFile *
load_site (void)
{
  g_autoptr(GError) error = NULL;
  NigranSiteFile *site_file = nigran_site_file_new_from_data (site_json, -1, "landhi.json", NULL, &error);

  g_assert_no_error (error);
  return site_file;
}

static const NigranHandoff *
find (GPtrArray  *handoffs,
      const char *camera_id)
{
  for (guint i = 0; i < handoffs->len; i++)
    if (g_str_equal (((NigranHandoff *) handoffs->pdata[i])->camera_id, camera_id))
      return handoffs->pdata[i];
  return NULL;
}

static void
test_along_the_road (void)
{
  g_autoptr(NigranSiteFile) site = load_site ();
  g_autoptr(NigranGeoLayer) roads = test_load_east_karachi_roads ();
  g_autoptr(NigranCameraGraph) graph = NULL;
  g_autoptr(GPtrArray) from_first = NULL, from_middle = NULL;
  const NigranHandoff *second, *third;
  double straight_m;

  if (roads == NULL)
    return;
  graph = nigran_camera_graph_new (nigran_site_file_get_cameras (site), roads);
  g_assert_cmpuint (nigran_camera_graph_get_n_road_points (graph), >, 20000);
  g_assert_true (nigran_camera_graph_is_on_road (graph, "landhi-1"));
  g_assert_false (nigran_camera_graph_is_on_road (graph, "buoy"));

  /* From the first camera the subject reaches the second; the third lies beyond it. */
  from_first = nigran_camera_graph_next (graph, "landhi-1", SEEN_US);
  second = find (from_first, "landhi-2");
  g_assert_nonnull (second);
  g_assert_null (find (from_first, "landhi-3"));
  g_assert_null (find (from_first, "buoy"));
  g_assert_true (second->by_road);
  straight_m = nigran_geo_distance_m (24.8213892, 67.1294607, 24.825103, 67.1482448);
  g_assert_cmpfloat (second->distance_m, >=, straight_m - 1);
  g_assert_cmpfloat (second->distance_m, <, 2100);
  /* 1.94 km: at 90 km/h in 78 s, on foot (5 km/h) in 23 minutes */
  g_assert_cmpint (second->earliest_us - SEEN_US, >, 70 * G_USEC_PER_SEC);
  g_assert_cmpint (second->earliest_us - SEEN_US, <, 85 * G_USEC_PER_SEC);
  g_assert_cmpint (second->latest_us - SEEN_US, >, 22 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (second->latest_us - SEEN_US, <, 26 * G_TIME_SPAN_MINUTE);

  /* From the middle camera, both ends. */
  from_middle = nigran_camera_graph_next (graph, "landhi-2", SEEN_US);
  g_assert_nonnull (find (from_middle, "landhi-1"));
  third = find (from_middle, "landhi-3");
  g_assert_nonnull (third);
  g_assert_cmpfloat (third->distance_m, >, 1900);
  g_assert_cmpfloat (third->distance_m, <, 2100);
}

static void
test_off_the_road (void)
{
  g_autoptr(NigranSiteFile) site = load_site ();
  g_autoptr(NigranGeoLayer) roads = test_load_east_karachi_roads ();
  g_autoptr(NigranCameraGraph) graph = NULL;
  g_autoptr(GPtrArray) from_buoy = NULL, unknown = NULL;
  const NigranHandoff *jetty;

  if (roads == NULL)
    return;
  graph = nigran_camera_graph_new (nigran_site_file_get_cameras (site), roads);
  from_buoy = nigran_camera_graph_next (graph, "buoy", SEEN_US);
  jetty = find (from_buoy, "jetty");
  g_assert_nonnull (jetty);
  g_assert_false (jetty->by_road);
  g_assert_cmpfloat (jetty->distance_m, ==, nigran_geo_distance_m (24.70, 67.30, 24.705, 67.31));
  unknown = nigran_camera_graph_next (graph, "no-such-camera", SEEN_US);
  g_assert_cmpuint (unknown->len, ==, 0);
}

/* Without roads every distance is a straight line, limited by the reach. */
static void
test_straight_lines (void)
{
  g_autoptr(NigranSiteFile) site = load_site ();
  g_autoptr(NigranCameraGraph) graph = nigran_camera_graph_new (nigran_site_file_get_cameras (site), NULL);
  g_autoptr(GPtrArray) handoffs = NULL;

  nigran_camera_graph_set_reach (graph, 2500);
  nigran_camera_graph_set_speeds (graph, 4, 60);
  handoffs = nigran_camera_graph_next (graph, "landhi-2", SEEN_US);
  g_assert_cmpuint (handoffs->len, ==, 2);
  for (guint i = 0; i < handoffs->len; i++)
    {
      const NigranHandoff *handoff = handoffs->pdata[i];

      g_assert_false (handoff->by_road);
      g_assert_cmpint (handoff->earliest_us, ==, SEEN_US + (gint64) (handoff->distance_m / (60 / 3.6) * G_USEC_PER_SEC));
      g_assert_cmpint (handoff->latest_us, ==, SEEN_US + (gint64) (handoff->distance_m / (4 / 3.6) * G_USEC_PER_SEC));
    }
  g_assert_cmpfloat (((NigranHandoff *) handoffs->pdata[0])->distance_m, <=,
                     ((NigranHandoff *) handoffs->pdata[1])->distance_m);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera-graph/along-the-road", test_along_the_road);
  g_test_add_func ("/camera-graph/off-the-road", test_off_the_road);
  g_test_add_func ("/camera-graph/straight-lines", test_straight_lines);
  return g_test_run ();
}
