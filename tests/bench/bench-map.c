/* bench-map.c: the map while panning, and the tracks projection at scale
 *
 * Frame time of the map view (target p95 < 16 ms) with 1,300 camera markers and the
 * 5,859 road polylines of east Karachi, panned a few pixels every frame under the
 * frame clock: each frame is timed from the clock's "update" phase to "after-paint"
 * (layout, drawing and rendering, all on the main thread). The baseline is the same
 * view, panned the same way, with Nigran's overlay hidden: libshumate's map and its
 * base tiles alone; the ratio is what the overlay costs. Zooming, which redraws the
 * overlay's ground on every frame, is timed too.
 *
 * Tracks projection update per sighting with 100,000 tracked sightings (target
 * < 1 ms): plate reads of 20,000 cars across the 1,300 cameras, applied after 100,000
 * earlier ones; the baseline is the same reads applied to an empty projection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "test-utils.h"
#include "core/nigran-event-private.h"
#include "core/nigran-tracks.h"
#include "gui/nigran-application.h"
#include "gui/nigran-map-view.h"

#define N_CAMERAS       1300
#define N_PAN_FRAMES    240
#define N_TRACKED       100000
#define N_TIMED         10000
#define N_CARS          20000

/* 1,300 cameras on east Karachi's road points, with the roads and the base tiles. */
static char *
write_site (const char *directory,
            const char *shared)
{
  g_autofree char *roads_path = g_build_filename (shared, "maps", "karachi-east-osm", "roads_east_karachi.geojson", NULL);
  g_autofree char *tiles = g_build_filename (shared, "maps", "world-raster", "countries_pakistan_z0-6.mbtiles", NULL);
  g_autoptr(NigranGeoLayer) roads = nigran_geo_layer_new_from_file (roads_path, NULL);
  g_autoptr(GString) json = g_string_new ("{\"version\":1,\"name\":\"Bench\",\"sites\":[{\"id\":\"s\",\"name\":\"S\","
                                          "\"kind\":\"other\",\"latitude\":24.85,\"longitude\":67.2}],\"cameras\":[");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1300);
  char *path = g_build_filename (directory, "bench-map.json", NULL);
  char latitude[G_ASCII_DTOSTR_BUF_SIZE], longitude[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_nonnull (roads);
  for (guint i = 0; i < N_CAMERAS; i++)
    {
      const NigranGeoFeature *road = nigran_geo_layer_get_feature (roads, g_rand_int_range (rand, 0, nigran_geo_layer_get_n_features (roads)));
      const NigranGeoPoint *point = &road->points[g_rand_int_range (rand, 0, road->n_points)];

      g_string_append_printf (json, "%s{\"id\":\"c%u\",\"name\":\"Camera %u\",\"site\":\"s\",\"latitude\":%s,"
                              "\"longitude\":%s,\"heading\":%d,\"field_of_view\":60,\"simulated\":{}}",
                              i ? "," : "", i, i, g_ascii_dtostr (latitude, sizeof latitude, point->latitude),
                              g_ascii_dtostr (longitude, sizeof longitude, point->longitude),
                              g_rand_int_range (rand, 0, 360));
    }
  g_string_append_printf (json, "],\"map\":{\"tiles\":\"%s\",\"layers\":[{\"file\":\"%s\",\"style\":\"roads\"}]}}",
                          tiles, roads_path);
  g_assert_true (g_file_set_contents (path, json->str, json->len, NULL));
  return path;
}

typedef struct
{
  ShumateViewport *viewport;
  GArray          *frame_us;
  gboolean         zooming;     /* each frame at a new zoom, as in a zoom animation */
  gint64           frame_start;
  guint            n_frames;
  double           start_latitude;
  double           start_longitude;
} Panning;

static void
on_update (GdkFrameClock *clock G_GNUC_UNUSED,
           Panning       *panning)
{
  panning->frame_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                Panning       *panning)
{
  gint64 elapsed = g_get_monotonic_time () - panning->frame_start;

  if (panning->frame_start > 0 && panning->n_frames > 10)  /* after the first layouts */
    g_array_append_val (panning->frame_us, elapsed);
  panning->frame_start = 0;
}

/* Moves the map a few pixels' worth each frame, round a circle. */
static gboolean
pan (GtkWidget     *widget G_GNUC_UNUSED,
     GdkFrameClock *clock G_GNUC_UNUSED,
     gpointer       user_data)
{
  Panning *panning = user_data;
  double angle = panning->n_frames++ * 2 * G_PI / 120;

  if (panning->zooming)
    {
      shumate_viewport_set_zoom_level (panning->viewport, 13 + 0.05 * (panning->n_frames % 20));
      return panning->n_frames < N_PAN_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
    }
  shumate_location_set_location (SHUMATE_LOCATION (panning->viewport),
                                 panning->start_latitude + 0.02 * sin (angle),
                                 panning->start_longitude + 0.03 * cos (angle));
  return panning->n_frames < N_PAN_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static GArray *
measure_panning (const char *site_path,
                 gboolean    with_overlay,
                 gboolean    zooming)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_file (site_path, &error);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  NigranMapView *view = nigran_map_view_new ();
  Panning panning = { 0 };
  GdkFrameClock *clock;
  gint64 deadline;

  g_assert_no_error (error);
  gtk_window_set_default_size (window, 1600, 900);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  nigran_map_view_set_site_file (view, site_file);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!nigran_map_view_is_loaded (view) && g_get_monotonic_time () < deadline)
    test_iterate_for (20 * 1000);
  g_assert_true (nigran_map_view_is_loaded (view));
  gtk_widget_set_visible (GTK_WIDGET (nigran_map_view_get_overlay (view)), with_overlay);

  panning.viewport = nigran_map_view_get_viewport (view);
  /* East Karachi at street level, where every road is drawn. */
  shumate_viewport_set_zoom_level (panning.viewport, 13);
  panning.start_latitude = 24.84;
  panning.start_longitude = 67.2;
  panning.frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  panning.zooming = zooming;
  if (zooming)
    panning.n_frames = N_PAN_FRAMES - 40;
  test_iterate_for (G_USEC_PER_SEC);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "update", G_CALLBACK (on_update), &panning);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &panning);
  gtk_widget_add_tick_callback (GTK_WIDGET (view), pan, &panning, NULL);
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (panning.n_frames < N_PAN_FRAMES && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (clock, &panning);
  gtk_window_destroy (window);
  return panning.frame_us;
}

static void
bench_panning (const char *shared)
{
  g_autofree char *work = g_dir_make_tmp ("nigran-bench-map-XXXXXX", NULL);
  g_autofree char *site = write_site (work, shared);
  g_autoptr(GArray) bare_us = measure_panning (site, FALSE, FALSE);
  g_autoptr(GArray) map_us = measure_panning (site, TRUE, FALSE);
  g_autoptr(GArray) zoom_us = measure_panning (site, TRUE, TRUE);

  g_print ("map panning, renderer %s, %u cameras and 5,859 road polylines: %u frames, p50 %.2f ms, p95 %.2f ms "
           "(target p95 < 16 ms); without the overlay p50 %.2f ms, p95 %.2f ms; ratio of p95s %.1f\n",
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "gl", N_CAMERAS, map_us->len, test_percentile_ms (map_us, 0.5), test_percentile_ms (map_us, 0.95),
           test_percentile_ms (bare_us, 0.5), test_percentile_ms (bare_us, 0.95),
           test_percentile_ms (map_us, 0.95) / MAX (test_percentile_ms (bare_us, 0.95), 0.001));
  g_print ("map zooming (a new zoom every frame: the ground is stretched, and drawn anew once the zoom rests): %u frames, p50 %.2f ms, p95 %.2f ms\n",
           zoom_us->len, test_percentile_ms (zoom_us, 0.5), test_percentile_ms (zoom_us, 0.95));
  test_remove_directory (work);
}

static GPtrArray *
make_reads (guint   n,
            gint64  start_us,
            GRand  *rand)
{
  GPtrArray *reads = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autofree char *registration = g_strdup_printf ("KHI%05d", g_rand_int_range (rand, 0, N_CARS));
      g_autofree char *camera = g_strdup_printf ("camera:c%d", g_rand_int_range (rand, 0, N_CAMERAS));
      gint64 time_us = start_us + (gint64) i * 200 * 1000;  /* five reads a second across the city */
      NigranEvent *event;

      json_object_set_string_member (payload, "text", registration);
      json_object_set_string_member (payload, "registration", registration);
      json_object_set_int_member (payload, "captured_us", time_us);
      event = nigran_event_new ("plate.read", (const char * const[]) { camera, NULL }, payload);
      _nigran_event_stamp (event, time_us, "bench", "system");
      nigran_event_get_payload (event);  /* parsed here, as the log's reader does, not in the timing */
      g_ptr_array_add (reads, event);
    }
  return reads;
}

static double
time_applying (NigranTracks *tracks,
               GPtrArray    *reads)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < reads->len; i++)
    nigran_tracks_apply (tracks, reads->pdata[i]);
  return (g_get_monotonic_time () - start) / (double) reads->len;
}

static void
bench_tracks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (100000);
  gint64 start_us = G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) earlier = make_reads (N_TRACKED, start_us, rand);
  g_autoptr(GPtrArray) timed = make_reads (N_TIMED, start_us + (gint64) N_TRACKED * 200 * 1000, rand);
  g_autoptr(GPtrArray) timed_again = make_reads (N_TIMED, start_us + (gint64) N_TRACKED * 200 * 1000, rand);
  g_autoptr(NigranTracks) loaded = nigran_tracks_new ();
  g_autoptr(NigranTracks) empty = nigran_tracks_new ();
  double empty_us, loaded_us;

  time_applying (loaded, earlier);
  empty_us = time_applying (empty, timed_again);
  loaded_us = time_applying (loaded, timed);
  g_print ("tracks projection: %u sightings in %u tracks; update per sighting %.4f ms (target < 1 ms); "
           "into an empty projection %.4f ms; ratio %.1f\n",
           nigran_tracks_get_n_sightings (loaded), g_list_model_get_n_items (G_LIST_MODEL (loaded)),
           loaded_us / 1000, empty_us / 1000, loaded_us / MAX (empty_us, 0.001));
}

int
main (int   argc,
      char *argv[])
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");

  bench_tracks ();
  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_print ("map panning: skipped, ../shared/data is absent (set NIGRAN_SHARED_DATA)\n");
      return 0;
    }
  nigran_application_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_print ("map panning: skipped, no display (run it under Xvfb, as make bench does)\n");
      return 0;
    }
  nigran_application_install_style ();
  bench_panning (shared);
  return 0;
}
