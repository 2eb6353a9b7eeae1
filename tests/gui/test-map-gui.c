/* test-map-gui.c: the map as a duty officer uses it
 *
 * The map of a site on Landhi Road, with the shared data's districts, roads and base
 * tiles. A car's plate is read at two cameras; its track is drawn, the camera it can
 * reach next along the road is highlighted, a click on a camera puts it on the wall,
 * and one action opens the next cameras there. The operator joins the driver's face
 * to the car's track and confirms a read, both in their name. A screenshot is
 * written to the build directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "camsim-process.h"
#include "gui-test-utils.h"
#include "test-utils.h"
#include "core/nigran-alert.h"
#include "core/nigran-alert-queue.h"
#include "core/nigran-tracks.h"
#include "gui/nigran-application.h"
#include "gui/nigran-map-view.h"
#include "gui/nigran-window.h"

static void
read_plate (NigranEventLog *log,
            const char     *camera_id,
            gint64          captured_us)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *camera = g_strconcat ("camera:", camera_id, NULL);
  g_autoptr(NigranEvent) event = NULL;

  json_object_set_string_member (payload, "text", "BKR-417");
  json_object_set_string_member (payload, "registration", "BKR417");
  json_object_set_int_member (payload, "captured_us", captured_us);
  event = nigran_event_new ("plate.read", (const char * const[]) { camera, "plate:BKR417", NULL }, payload);
  nigran_event_log_append_async (log, event, "system", NULL, NULL, NULL);
}

static const NigranHandoff *
find_handoff (GPtrArray  *handoffs,
              const char *camera_id)
{
  for (guint i = 0; handoffs != NULL && i < handoffs->len; i++)
    if (g_str_equal (((NigranHandoff *) handoffs->pdata[i])->camera_id, camera_id))
      return handoffs->pdata[i];
  return NULL;
}

static gboolean
on_wall (NigranWall *wall,
         const char *camera_id)
{
  for (guint i = 0; i < nigran_wall_get_n_tiles (wall); i++)
    {
      NigranCamera *camera = nigran_tile_get_camera (nigran_wall_get_tile (wall, i));

      if (camera != NULL && g_str_equal (nigran_camera_get_id (camera), camera_id))
        return TRUE;
    }
  return FALSE;
}

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  return NULL;
}

static void
test_track_handoff_and_click (void)
{
  g_autofree char *site_path = g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "map-site.json", NULL);
  g_autofree char *site_arg = g_strdup_printf ("--site=%s", site_path);
  g_autofree char *roads = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "maps", "karachi-east-osm",
                                             "roads_east_karachi.geojson", NULL);
  g_autofree char *work = g_dir_make_tmp ("nigran-map-gui-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (work, "events.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CamsimProcess) camsim = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autoptr(NigranAlertQueue) queue = nigran_alert_queue_new ();
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranEventLog) log = NULL;
  NigranWindow *window;
  NigranMapView *view;
  NigranMapOverlay *overlay;
  NigranWall *wall;
  NigranTrack *track;
  GtkWidget *map_widget;
  const NigranHandoff *east;
  gint64 now_us = g_get_real_time (), deadline;
  double x, y;

  if (!g_file_test (roads, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/maps is absent");
      return;
    }
  log = nigran_event_log_open (log_path, clock, bus, "ws-test", &error);
  g_assert_no_error (error);
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_alert_queue_apply), queue);
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_tracks_apply), tracks);
  {
    const char *args[] = { site_arg, NULL };

    camsim = camsim_process_start (args, 0, &error);
    g_assert_no_error (error);
  }
  site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);
  camsim_process_point_cameras (camsim, nigran_site_file_get_cameras (site_file));

  settings = g_settings_new (APP_ID);
  nigran_application_install_style ();
  window = nigran_window_new (NULL, clock, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  nigran_window_set_site_file (window, site_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.layout", "s", "2x2"));
  nigran_window_set_alerts (window, queue, log, "alice");
  nigran_window_set_tracks (window, tracks);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-map", NULL));
  wall = nigran_window_get_wall (window);
  view = nigran_window_get_map_view (window);
  overlay = nigran_map_view_get_overlay (view);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!nigran_map_view_is_loaded (view) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_true (nigran_map_view_is_loaded (view));

  /* A car read at the west camera, then the middle one. */
  read_plate (log, "landhi-1", now_us - 6 * G_TIME_SPAN_MINUTE);
  read_plate (log, "landhi-2", now_us - 3 * G_TIME_SPAN_MINUTE);
  {
    NigranAlertSpec spec = {
      .source = "plate", .kind = "plate.hit", .priority = NIGRAN_ALERT_PRIORITY_HIGH,
      .title = "Stolen vehicle: BKR-417", .camera_id = "landhi-2", .site_id = "landhi",
      .matched = "BKR-417", .score = 1, .frame_age_ms = -1, .verifiers_required = 1,
    };
    g_autoptr(NigranEvent) raised = nigran_alert_raised_event_new (&spec);

    nigran_event_log_append_async (log, raised, "system", NULL, NULL, NULL);
  }
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (((track = nigran_map_view_get_track (view)) == NULL || nigran_track_get_n_sightings (track) < 2) &&
         g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_nonnull (track);
  g_assert_cmpuint (nigran_track_get_n_sightings (track), ==, 2);
  g_assert_cmpstr (nigran_track_get_last_sighting (track)->camera_id, ==, "landhi-2");

  /* Next along the road: the east camera, 1.96 km on, within 78 s to 24 min. */
  east = find_handoff (nigran_map_view_get_handoffs (view), "landhi-3");
  g_assert_nonnull (east);
  g_assert_true (east->by_road);
  g_assert_cmpfloat (east->distance_m, >, 1900);
  g_assert_cmpfloat (east->distance_m, <, 2100);
  g_assert_nonnull (find_handoff (nigran_map_view_get_handoffs (view), "landhi-1"));

  /* A click on the east camera puts it in the focused tile. */
  test_iterate_for (500 * 1000);
  shumate_viewport_location_to_widget_coords (nigran_map_view_get_viewport (view), GTK_WIDGET (overlay),
                                              24.829319, 67.1670643, &x, &y);
  g_assert_true (nigran_camera_get_id (nigran_map_overlay_camera_at (overlay, x, y + 3)) != NULL);
  g_assert_cmpstr (nigran_camera_get_id (nigran_map_overlay_camera_at (overlay, x, y + 3)), ==, "landhi-3");
  map_widget = gtk_paned_get_start_child (GTK_PANED (gtk_widget_get_first_child (GTK_WIDGET (view))));
  {
    graphene_point_t point;

    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (overlay), map_widget, &GRAPHENE_POINT_INIT (x, y), &point));
    nigran_wall_set_focus (wall, 3);
    g_signal_emit_by_name (find_controller (map_widget, GTK_TYPE_GESTURE_CLICK), "released", 1,
                           (double) point.x, (double) point.y);
    g_assert_cmpstr (nigran_camera_get_id (nigran_tile_get_camera (nigran_wall_get_tile (wall, 3))), ==, "landhi-3");

    /* Three turns of the wheel over the camera zoom in a level and a half around it. */
    {
      ShumateViewport *viewport = nigran_map_view_get_viewport (view);
      double zoom = shumate_viewport_get_zoom_level (viewport), after_x, after_y;
      gboolean handled = FALSE;

      g_signal_emit_by_name (find_controller (map_widget, GTK_TYPE_EVENT_CONTROLLER_MOTION), "motion",
                             (double) point.x, (double) point.y);
      for (int turn = 0; turn < 3; turn++)
        g_signal_emit_by_name (find_controller (map_widget, GTK_TYPE_EVENT_CONTROLLER_SCROLL), "scroll", 0.0, -1.0,
                               &handled);
      g_assert_true (handled);
      g_assert_cmpfloat_with_epsilon (shumate_viewport_get_zoom_level (viewport), round ((zoom + 1.5) * 2) / 2, 0.01);
      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (overlay), 24.829319, 67.1670643,
                                                  &after_x, &after_y);
      g_assert_cmpfloat_with_epsilon (after_x, x, 1);
      g_assert_cmpfloat_with_epsilon (after_y, y, 1);
    }
  }

  /* One action opens every camera the car can reach next. */
  nigran_wall_set_focus (wall, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-next-cameras", NULL));
  g_assert_true (on_wall (wall, "landhi-1"));
  g_assert_true (on_wall (wall, "landhi-3"));

  /* The driver's face, seen at the middle camera, is a track of its own until the
   * operator joins it to the car's, in their name; then they confirm the plate read. */
  {
    float embedding[128] = { 0 };
    g_autoptr(NigranEvent) face = NULL;
    NigranTrack *driver;
    const NigranTrackSighting *joined;

    embedding[7] = 1;
    face = nigran_tracks_face_seen_event_new ("landhi-2", now_us - 3 * G_TIME_SPAN_MINUTE + 5 * G_USEC_PER_SEC,
                                              embedding, G_N_ELEMENTS (embedding), NULL);
    nigran_event_log_append_async (log, face, "system", NULL, NULL, NULL);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (g_list_model_get_n_items (G_LIST_MODEL (tracks)) < 2 && g_get_monotonic_time () < deadline)
      test_iterate_for (50 * 1000);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 2);
    driver = nigran_tracks_find_by_sighting (tracks, nigran_event_get_uuid (face));
    g_assert_true (driver != track);
    g_assert_true (nigran_map_view_get_track (view) == track);

    nigran_map_view_join_track (view, driver);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (nigran_track_get_n_sightings (track) < 3 && g_get_monotonic_time () < deadline)
      test_iterate_for (50 * 1000);
    g_assert_cmpuint (nigran_track_get_n_sightings (track), ==, 3);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 1);
    joined = nigran_track_get_last_sighting (track);
    g_assert_cmpint (joined->kind, ==, NIGRAN_SIGHTING_FACE);
    g_assert_cmpint (joined->link_source, ==, NIGRAN_TRACK_LINK_MANUAL);
    g_assert_cmpstr (joined->confirmed_by, ==, "alice");

    nigran_map_view_confirm_sighting (view, nigran_track_get_sighting (track, 1)->event_id);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (nigran_track_get_sighting (track, 1)->confirmed_by == NULL && g_get_monotonic_time () < deadline)
      test_iterate_for (50 * 1000);
    g_assert_cmpstr (nigran_track_get_sighting (track, 1)->confirmed_by, ==, "alice");
  }

  test_iterate_for (2 * G_USEC_PER_SEC);
  gui_test_save_screenshot (GTK_WIDGET (window), "map.png");

  gtk_window_destroy (GTK_WINDOW (window));
  nigran_event_log_close (log);
  test_remove_directory (work);
}

typedef struct
{
  char  *tiles;       /* world-raster's XYZ folder */
  guint  n_served;
  guint  n_missing;
} TileServer;

static void
serve_tile (SoupServer        *server G_GNUC_UNUSED,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query G_GNUC_UNUSED,
            gpointer           user_data)
{
  TileServer *tile_server = user_data;
  g_autofree char *file = g_build_filename (tile_server->tiles, path, NULL);
  char *contents = NULL;
  gsize length;

  if (strstr (path, "..") == NULL && g_file_get_contents (file, &contents, &length, NULL))
    {
      soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (message, "image/png", SOUP_MEMORY_TAKE, contents, length);
      tile_server->n_served++;
    }
  else
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      tile_server->n_missing++;
    }
}

/* A control room's own tile server, on the loopback: the map asks it for the tiles
 * it shows, by the site file's URL template. */
static void
test_tile_server (void)
{
  g_autofree char *tiles = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "maps", "world-raster", "tiles", NULL);
  g_autofree char *work = g_dir_make_tmp ("nigran-tile-server-XXXXXX", NULL);
  g_autofree char *site_path = g_build_filename (work, "site.json", NULL);
  g_autofree char *site_json = NULL;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autoptr(GSList) uris = NULL;
  TileServer tile_server = { 0 };
  NigranMapView *view;
  GtkWindow *window;
  gint64 deadline;

  if (!g_file_test (tiles, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/data/maps is absent");
      return;
    }
  tile_server.tiles = tiles;
  soup_server_add_handler (server, NULL, serve_tile, &tile_server, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  site_json = g_strdup_printf ("{\"version\":1,\"name\":\"Tiles\",\"sites\":[{\"id\":\"s\",\"name\":\"S\","
                               "\"kind\":\"other\",\"latitude\":30,\"longitude\":69}],\"cameras\":["
                               "{\"id\":\"c\",\"name\":\"C\",\"site\":\"s\",\"latitude\":30,\"longitude\":69,\"simulated\":{}},"
                               "{\"id\":\"d\",\"name\":\"D\",\"site\":\"s\",\"latitude\":25,\"longitude\":67,\"simulated\":{}}],"
                               "\"map\":{\"tile_url\":\"http://127.0.0.1:%d/{z}/{x}/{y}.png\"}}",
                               g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  g_assert_true (g_file_set_contents (site_path, site_json, -1, NULL));
  site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 700);
  view = nigran_map_view_new ();
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  nigran_map_view_set_site_file (view, site_file);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((!nigran_map_view_is_loaded (view) || tile_server.n_served < 4) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_test_message ("tiles served %u, not found %u", tile_server.n_served, tile_server.n_missing);
  g_assert_cmpuint (tile_server.n_served, >=, 4);
  /* The overlay is drawn over the tiles. */
  g_assert_null (gtk_widget_get_next_sibling (GTK_WIDGET (nigran_map_view_get_overlay (view))));
  gui_test_save_screenshot (GTK_WIDGET (window), "map-tile-server.png");
  gtk_window_destroy (window);
  test_remove_directory (work);
}

int
main (int   argc,
      char *argv[])
{
  if (!gui_test_init (&argc, &argv))
    return g_test_run ();
  g_test_add_func ("/map-gui/track-handoff-click", test_track_handoff_and_click);
  g_test_add_func ("/map-gui/tile-server", test_tile_server);
  return g_test_run ();
}
