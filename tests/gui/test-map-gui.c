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
#include "core/nigran-incidents.h"
#include "core/nigran-units.h"
#include "gui/nigran-application.h"
#include "gui/nigran-dispatcher.h"
#include "gui/nigran-incident-dialog.h"
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

/* A stolen car read at the west camera, then at the middle one, where it raises an alert. */
static void
stolen_car_seen (NigranEventLog *log,
                 gint64          now_us)
{
  NigranAlertSpec spec = {
    .source = "plate", .kind = "plate.hit", .priority = NIGRAN_ALERT_PRIORITY_HIGH,
    .title = "Stolen vehicle: BKR-417", .camera_id = "landhi-2", .site_id = "landhi",
    .matched = "BKR-417", .score = 1, .frame_age_ms = -1, .verifiers_required = 1,
  };
  g_autoptr(NigranEvent) raised = nigran_alert_raised_event_new (&spec);

  read_plate (log, "landhi-1", now_us - 6 * G_TIME_SPAN_MINUTE);
  read_plate (log, "landhi-2", now_us - 3 * G_TIME_SPAN_MINUTE);
  nigran_event_log_append_async (log, raised, "system", NULL, NULL, NULL);
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

  stolen_car_seen (log, now_us);
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

static void
record_in_log (NigranEvent *event,
               const char  *actor,
               gpointer     log)
{
  nigran_event_log_append_async (log, event, actor, NULL, NULL, NULL);
}

static gboolean
collect_event (NigranEvent *event,
               gpointer     events)
{
  g_ptr_array_add (events, g_object_ref (event));
  return TRUE;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action_name)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The colour the map shows at the middle of @widget, as drawn. */
static void
centre_pixel (GtkWidget *widget,
              guint8     rgba[4])
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autofree guint8 *pixels = g_malloc (width * height * 4);
  const guint8 *pixel;

  /* A widget waiting for its allocation draws nothing: give it a few frames. */
  for (guint attempt = 0; attempt < 20 && node == NULL; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        test_iterate_for (50 * 1000);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, pixels, width * 4);
  /* Cairo's order on a little-endian machine: blue, green, red, alpha. */
  pixel = pixels + (height / 2) * width * 4 + (width / 2) * 4;
  rgba[0] = pixel[2];
  rgba[1] = pixel[1];
  rgba[2] = pixel[0];
  rgba[3] = pixel[3];
}

static gboolean
wait_for_state (NigranIncident      *incident,
                NigranIncidentState  state)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (nigran_incident_get_state (incident) != state && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  return nigran_incident_get_state (incident) == state;
}

/* A plate alert at the middle Landhi camera: one click on its card sends the patrol
 * car nearest by road, with the evidence; the board and the map show it at once. */
static void
test_dispatch_alert (void)
{
  g_autofree char *site_path = g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "map-site.json", NULL);
  g_autofree char *work = g_dir_make_tmp ("nigran-dispatch-gui-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (work, "events.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autoptr(NigranAlertQueue) queue = nigran_alert_queue_new ();
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  g_autoptr(NigranIncidents) incidents = nigran_incidents_new ();
  g_autoptr(NigranUnits) units = NULL;
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranEventLog) log = NULL;
  g_autoptr(NigranGeoLayer) roads_layer = test_load_east_karachi_roads ();
  g_autoptr(NigranRoadGraph) roads = NULL;
  g_autoptr(NigranDispatcher) dispatcher = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  static const char * const dispatch_types[] = { "incident.opened", "incident.dispatched", NULL };
  NigranWindow *window;
  NigranAlertRail *rail;
  NigranAlertCard *card;
  NigranDispatchBoard *board;
  NigranMapView *view;
  NigranIncident *incident;
  NigranUnit *near;
  GtkWidget *button;
  JsonObject *packet;
  gint64 now_us = g_get_real_time (), deadline;
  guint8 rgba[4];

  if (roads_layer == NULL)
    return;
  roads = nigran_road_graph_new (roads_layer);
  log = nigran_event_log_open (log_path, clock, bus, "ws-test", &error);
  g_assert_no_error (error);
  site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);
  units = nigran_units_new (nigran_site_file_get_units (site_file));
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_alert_queue_apply), queue);
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_tracks_apply), tracks);
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_units_apply), units);
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_incidents_apply), incidents);

  settings = g_settings_new (APP_ID);
  nigran_application_install_style ();
  window = nigran_window_new (NULL, clock, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  nigran_window_set_site_file (window, site_file);
  nigran_window_set_alerts (window, queue, log, "alice");
  nigran_window_set_tracks (window, tracks);
  board = nigran_window_get_dispatch_board (window);
  view = nigran_window_get_map_view (window);
  nigran_dispatch_board_set_projections (board, units, incidents, roads, clock);
  nigran_map_overlay_set_dispatch (nigran_map_view_get_overlay (view), G_LIST_MODEL (units), G_LIST_MODEL (incidents));
  dispatcher = nigran_dispatcher_new (site_file, record_in_log, log);
  nigran_dispatcher_set_operator (dispatcher, "alice");
  nigran_dispatcher_set_alerts (dispatcher, queue, tracks);
  nigran_dispatcher_set_projections (dispatcher, units, incidents, roads);
  nigran_dispatcher_set_window (dispatcher, window);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "dispatch", nigran_dispatcher_get_actions (dispatcher));

  stolen_car_seen (log, now_us);
  rail = nigran_window_get_alert_rail (window);
  card = nigran_alert_rail_get_card (rail);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((nigran_alert_queue_get_n_open (queue) == 0 ||
          nigran_tracks_get_n_sightings (tracks) < 2) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_cmpuint (nigran_alert_queue_get_n_open (queue), ==, 1);
  nigran_alert_rail_select (rail, 0);
  test_iterate_for (200 * 1000);
  g_assert_nonnull (nigran_alert_card_get_alert (card));

  /* One click on the card. */
  button = find_button (GTK_WIDGET (card), "dispatch.alert");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((g_list_model_get_n_items (G_LIST_MODEL (incidents)) == 0 ||
          nigran_incident_get_unit (g_list_model_get_item (G_LIST_MODEL (incidents), 0)) == NULL) &&
         g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (incidents)), ==, 1);
  incident = g_list_model_get_item (G_LIST_MODEL (incidents), 0);
  g_object_unref (incident);  /* the projection keeps it */
  g_assert_true (wait_for_state (incident, NIGRAN_INCIDENT_DISPATCHED));
  g_assert_cmpstr (nigran_incident_get_type_code (incident), ==, "VEHSTLN");
  {
    g_autoptr(NigranTrack) car = g_list_model_get_item (G_LIST_MODEL (tracks), 0);

    g_assert_cmpstr (nigran_incident_get_track_id (incident), ==, nigran_track_get_id (car));
  }
  g_assert_cmpstr (nigran_incident_get_unit (incident), ==, "PC-1");
  near = nigran_units_lookup (units, "PC-1");
  g_assert_cmpint (nigran_unit_get_status (near), ==, NIGRAN_UNIT_DISPATCHED);
  g_assert_cmpint (nigran_unit_get_status (nigran_units_lookup (units, "PC-2")), ==, NIGRAN_UNIT_AVAILABLE);

  /* A second click sends no second unit. */
  g_assert_true (gtk_widget_activate (button));
  test_iterate_for (500 * 1000);
  g_assert_true (nigran_event_log_foreach_of_types (log, dispatch_types, collect_event, events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (nigran_event_get_actor (events->pdata[0]), ==, "alice");
  g_assert_cmpstr (nigran_event_get_event_type (events->pdata[1]), ==, "incident.dispatched");
  g_assert_cmpstr (nigran_event_get_actor (events->pdata[1]), ==, "alice");

  /* The evidence: where and which way; who, only once verified. */
  packet = json_object_get_object_member (nigran_event_get_payload (events->pdata[1]), "packet");
  g_assert_nonnull (packet);
  g_assert_cmpstr (json_object_get_string_member (packet, "last_seen_camera"), ==, "landhi-2");
  g_assert_cmpstr (json_object_get_string_member (packet, "seen_before_camera"), ==, "landhi-1");
  g_assert_cmpstr (json_object_get_string_member (packet, "direction"), ==, "east");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (packet, "identity"), "withheld"));

  /* The board. */
  nigran_dispatch_board_refresh (board);
  g_assert_nonnull (strstr (nigran_dispatch_board_get_response_text (board), "Dispatched within 60 s: 1 of 1"));
  g_assert_nonnull (strstr (nigran_dispatch_board_get_breakdown_text (board), "Patrol car: 1, to dispatch median"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dispatch", NULL));
  g_assert_true (nigran_dispatch_board_select_incident (board, nigran_incident_get_id (incident)));
  test_iterate_for (500 * 1000);
  gui_test_save_screenshot (GTK_WIDGET (window), "dispatch-board.png");

  /* The map: the unit, in the dispatched colour, where it stands; the incident's
   * diamond, orange for priority 2, at the camera. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-map", NULL));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!nigran_map_view_is_loaded (view) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  nigran_map_view_center_on (view, nigran_unit_get_latitude (near), nigran_unit_get_longitude (near));
  test_iterate_for (500 * 1000);
  centre_pixel (GTK_WIDGET (nigran_map_view_get_overlay (view)), rgba);
  g_test_message ("unit: %u %u %u", rgba[0], rgba[1], rgba[2]);
  g_assert_cmpint (abs (rgba[0] - 224) + abs (rgba[1] - 28) + abs (rgba[2] - 36), <, 30);
  /* Show on map, from the board: the map comes to the front, centred on the incident. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dispatch", NULL));
  test_iterate_for (200 * 1000);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "dispatch.show", "s", nigran_incident_get_id (incident)));
  test_iterate_for (500 * 1000);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  centre_pixel (GTK_WIDGET (nigran_map_view_get_overlay (view)), rgba);
  g_test_message ("incident: %u %u %u", rgba[0], rgba[1], rgba[2]);
  g_assert_cmpint (abs (rgba[0] - 245) + abs (rgba[1] - 153) + abs (rgba[2] - 18), <, 30);
  gui_test_save_screenshot (GTK_WIDGET (window), "dispatch-map.png");

  /* Cleared from the board: the unit is free to go back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dispatch", NULL));
  button = find_button (GTK_WIDGET (board), "dispatch.clear");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (wait_for_state (incident, NIGRAN_INCIDENT_CLEARED));
  g_assert_cmpint (nigran_unit_get_status (near), ==, NIGRAN_UNIT_RETURNING);

  /* A caller reports a robbery at Landhi Road: an incident opened by hand, typed from
   * the APCO codes, linked to the nearest cameras. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "dispatch.new-incident", NULL));
  test_iterate_for (200 * 1000);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    NigranIncidentDialog *dialog = NULL;
    NigranIncident *robbery;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (NIGRAN_IS_INCIDENT_DIALOG (toplevel))
          dialog = NIGRAN_INCIDENT_DIALOG (toplevel);
      }
    g_assert_nonnull (dialog);
    g_assert_false (nigran_incident_dialog_select_type (dialog, "NOSUCHCODE"));
    g_assert_true (nigran_incident_dialog_select_type (dialog, "ROBBERY"));
    g_assert_true (nigran_incident_dialog_select_place (dialog, "landhi"));
    nigran_incident_dialog_set_report (dialog, "Shop robbed at gunpoint", "Two men on a motorcycle, heading east");
    gui_test_save_screenshot (GTK_WIDGET (dialog), "incident-dialog.png");
    nigran_incident_dialog_open_incident (dialog);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (g_list_model_get_n_items (G_LIST_MODEL (incidents)) < 2 && g_get_monotonic_time () < deadline)
      test_iterate_for (50 * 1000);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (incidents)), ==, 2);
    robbery = g_list_model_get_item (G_LIST_MODEL (incidents), 1);
    g_object_unref (robbery);
    g_assert_cmpstr (nigran_incident_get_type_code (robbery), ==, "ROBBERY");
    g_assert_cmpstr (nigran_incident_get_source (robbery), ==, "manual");
    g_assert_cmpstr (nigran_incident_get_title (robbery), ==, "Shop robbed at gunpoint");
    g_assert_cmpstr (nigran_incident_get_notes (robbery), ==, "Two men on a motorcycle, heading east");
    g_assert_cmpint (nigran_incident_get_priority (robbery), ==, 1);  /* the table's default for ROBBERY */
    g_assert_cmpstr (nigran_incident_get_camera_ids (robbery)[0], ==, "landhi-2");

    /* The board ranks the free units for it: PC-1, cleared and driving back, takes calls
     * again and is the nearest; the operator sends PC-2, second, from its row. */
    g_assert_true (nigran_dispatch_board_select_incident (board, nigran_incident_get_id (robbery)));
    test_iterate_for (200 * 1000);
    button = find_button (GTK_WIDGET (board), "dispatch.unit");
    g_assert_nonnull (button);
    g_assert_cmpstr (g_variant_get_type_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button))), ==,
                     "(ss)");
    {
      const char *first = NULL;

      g_variant_get (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), "(&s&s)", NULL, &first);
      g_assert_cmpstr (first, ==, "PC-1");
    }
    button = gtk_widget_get_next_sibling (gtk_widget_get_parent (gtk_widget_get_parent (button)));
    g_assert_nonnull (button);
    button = find_button (button, "dispatch.unit");
    g_assert_true (gtk_widget_activate (button));
    g_assert_true (wait_for_state (robbery, NIGRAN_INCIDENT_DISPATCHED));
    g_assert_cmpstr (nigran_incident_get_unit (robbery), ==, "PC-2");
  }

  /* Another alert, and two clicks on it before the log has answered the first: one
   * incident, one unit. */
  {
    NigranAlertSpec spec = {
      .source = "plate", .kind = "plate.non-standard", .priority = NIGRAN_ALERT_PRIORITY_MEDIUM,
      .title = "Non-standard plate: BOSS 1", .camera_id = "landhi-3", .site_id = "landhi",
      .matched = "BOSS1", .score = 0.5, .frame_age_ms = -1, .verifiers_required = 1,
    };
    g_autoptr(NigranEvent) raised = nigran_alert_raised_event_new (&spec);
    const char *alert_id = nigran_event_find_subject (raised, "alert");

    nigran_event_log_append_async (log, raised, "system", NULL, NULL, NULL);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (nigran_alert_queue_get_n_open (queue) < 2 && g_get_monotonic_time () < deadline)
      test_iterate_for (50 * 1000);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (card), "dispatch.alert", "s", alert_id));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (card), "dispatch.alert", "s", alert_id));
    test_iterate_for (1000 * 1000);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (incidents)), ==, 3);
    {
      g_autoptr(NigranIncident) suspicious = g_list_model_get_item (G_LIST_MODEL (incidents), 2);

      g_assert_cmpstr (nigran_incident_get_type_code (suspicious), ==, "VEHSUSP");
    }
    g_ptr_array_set_size (events, 0);
    g_assert_true (nigran_event_log_foreach_of_types (log, dispatch_types, collect_event, events, &error));
    /* Opened and dispatched: for the car, the robbery and this one. */
    g_assert_cmpuint (events->len, ==, 6);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  nigran_event_log_close (log);
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
  g_test_add_func ("/map-gui/dispatch-alert", test_dispatch_alert);
  return g_test_run ();
}
