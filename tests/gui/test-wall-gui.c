/* test-wall-gui.c: the console on the demo site, under a real display (Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <gtk/gtk.h>

#include "camsim-process.h"
#include "test-utils.h"
#include "gui/gui-test-utils.h"
#include "core/nigran-site-file.h"
#include "gui/nigran-application.h"
#include "gui/nigran-tile.h"
#include "gui/nigran-wall.h"
#include "gui/nigran-window.h"

static void
test_templates_finalize (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  NigranTile *tile = g_object_ref_sink (nigran_tile_new (clock));
  NigranWall *wall = g_object_ref_sink (nigran_wall_new (clock));
  NigranWindow *window = nigran_window_new (NULL, clock, NULL);
  GtkWidget *shortcuts;
  g_autoptr(GtkBuilder) builder = NULL;

  g_assert_cmpuint (nigran_wall_get_n_tiles (wall), ==, 16);
  g_assert_nonnull (nigran_window_get_wall (window));

  builder = gtk_builder_new_from_resource ("/io/github/nigran/Nigran/gtk/help-overlay.ui");
  shortcuts = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (shortcuts));
  gtk_window_destroy (GTK_WINDOW (shortcuts));

  g_assert_finalize_object (tile);
  g_assert_finalize_object (wall);
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_layouts_and_focus (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  NigranWall *wall = g_object_ref_sink (nigran_wall_new (clock));
  const char * const *layouts = nigran_wall_list_layouts ();
  const guint expected[] = { 1, 4, 9, 16, 25, 36, 6, 8 };

  for (guint i = 0; layouts[i] != NULL; i++)
    {
      g_assert_true (nigran_wall_set_layout (wall, layouts[i]));
      g_assert_cmpuint (nigran_wall_get_n_tiles (wall), ==, expected[i]);
    }
  g_assert_false (nigran_wall_set_layout (wall, "7x7"));

  nigran_wall_set_layout (wall, "3x3");
  nigran_wall_set_focus (wall, 4);
  nigran_wall_move_focus (wall, GTK_DIR_RIGHT);
  g_assert_cmpuint (nigran_wall_get_focus (wall), ==, 5);
  nigran_wall_move_focus (wall, GTK_DIR_RIGHT);
  g_assert_cmpuint (nigran_wall_get_focus (wall), ==, 5);
  nigran_wall_move_focus (wall, GTK_DIR_DOWN);
  g_assert_cmpuint (nigran_wall_get_focus (wall), ==, 8);
  nigran_wall_move_focus (wall, GTK_DIR_LEFT);
  nigran_wall_move_focus (wall, GTK_DIR_UP);
  g_assert_cmpuint (nigran_wall_get_focus (wall), ==, 4);

  /* From the large tile of 1+7, right goes to the small column beside it. */
  nigran_wall_set_layout (wall, "1+7");
  nigran_wall_set_focus (wall, 0);
  nigran_wall_move_focus (wall, GTK_DIR_RIGHT);
  g_assert_cmpuint (nigran_wall_get_focus (wall), ==, 2);

  g_assert_finalize_object (wall);
}

/* Delivers a drop to the tile's own drop target, as GTK does at the end of a drag. */
static void
drop_camera_id (NigranTile *tile,
                const char *camera_id)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (tile));
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, camera_id);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &accepted);
    }
  g_assert_true (accepted);
}

static gboolean
all_tiles_have_frames (NigranWall *wall)
{
  for (guint i = 0; i < nigran_wall_get_n_tiles (wall); i++)
    if (nigran_video_paintable_get_n_presented (nigran_tile_get_paintable (nigran_wall_get_tile (wall, i))) == 0)
      return FALSE;
  return TRUE;
}

static void
test_demo_wall (void)
{
  g_autofree char *site_path = nigran_application_find_demo_site ();
  g_autofree char *site_arg = g_strdup_printf ("--site=%s", site_path);
  const char *args[] = { site_arg, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CamsimProcess) camsim = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GListModel *cameras;
  NigranWindow *window;
  NigranWall *wall;
  NigranTile *tile;
  gint64 start;

  camsim = camsim_process_start (args, 0, &error);
  g_assert_no_error (error);
  site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);

  cameras = nigran_site_file_get_cameras (site_file);
  camsim_process_point_cameras (camsim, cameras);

  nigran_application_install_style ();

  window = nigran_window_new (NULL, clock, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  nigran_window_set_site_file (window, site_file);
  wall = nigran_window_get_wall (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.layout", "s", "4x4"));
  g_assert_cmpuint (nigran_wall_get_n_tiles (wall), ==, 16);
  g_assert_cmpstr (g_settings_get_string (settings, "layout"), ==, "4x4");

  start = g_get_monotonic_time ();
  while (!all_tiles_have_frames (wall) && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    test_iterate_for (10 * 1000);
  g_assert_true (all_tiles_have_frames (wall));
  g_test_message ("16 tiles showed live frames after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);

  /* A second more so that every caption shows its state and frame age. */
  test_iterate_for (1200 * 1000);
  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *status = nigran_tile_dup_status_text (nigran_wall_get_tile (wall, i));
      NigranTile *each = nigran_wall_get_tile (wall, i);

      g_assert_cmpstr (status, ==, "live");
      g_assert_cmpint (nigran_video_paintable_get_frame_age_us (nigran_tile_get_paintable (each)), >=, 0);
      /* Frames are scaled to the tile in GStreamer, not by GTK. */
      g_assert_cmpint (ABS (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (nigran_tile_get_paintable (each))) -
                            gtk_widget_get_width (GTK_WIDGET (each))), <=, 1);
    }

  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (window), "wall-screenshot.png"));

  /* Maximise the focused tile: main stream, 1280×720 at most; Escape restores. */
  nigran_wall_set_focus (wall, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.maximize", NULL));
  g_assert_true (nigran_wall_is_maximized (wall));
  tile = nigran_wall_get_tile (wall, 5);
  g_assert_cmpint (nigran_camera_stream_get_variant (nigran_tile_get_stream (tile)), ==, NIGRAN_STREAM_MAIN);
  start = g_get_monotonic_time ();
  while (nigran_video_paintable_get_n_presented (nigran_tile_get_paintable (tile)) < 10 &&
         g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    test_iterate_for (10 * 1000);
  g_assert_cmpuint (nigran_video_paintable_get_n_presented (nigran_tile_get_paintable (tile)), >=, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restore", NULL));
  g_assert_false (nigran_wall_is_maximized (wall));
  g_assert_cmpint (nigran_camera_stream_get_variant (nigran_tile_get_stream (tile)), ==, NIGRAN_STREAM_SUB);

  /* A camera dropped on a tile (the tree's drag carries its id) goes there; an id the
   * site does not know changes nothing. */
  drop_camera_id (nigran_wall_get_tile (wall, 0), "ki-bilal-chowrangi");
  g_assert_cmpstr (nigran_camera_get_id (nigran_tile_get_camera (nigran_wall_get_tile (wall, 0))), ==,
                   "ki-bilal-chowrangi");
  drop_camera_id (nigran_wall_get_tile (wall, 0), "no-such-camera");
  g_assert_cmpstr (nigran_camera_get_id (nigran_tile_get_camera (nigran_wall_get_tile (wall, 0))), ==,
                   "ki-bilal-chowrangi");

  /* Assignments survive: a new wall on the same settings puts cameras where they were. */
  {
    g_auto(GStrv) saved = g_settings_get_strv (settings, "tiles");
    NigranWall *again = g_object_ref_sink (nigran_wall_new (clock));

    g_assert_cmpstr (saved[0], ==, "ki-bilal-chowrangi");
    nigran_wall_set_site_file (again, site_file, settings);
    g_assert_cmpstr (nigran_camera_get_id (nigran_tile_get_camera (nigran_wall_get_tile (again, 0))), ==,
                     "ki-bilal-chowrangi");
    g_assert_cmpstr (nigran_wall_get_layout (again), ==, "4x4");
    g_assert_finalize_object (again);
  }

  /* The simulator dies: within 2 s every tile says it is offline and when it retries,
   * and its picture is greyed out. */
  camsim_process_kill (camsim);
  start = g_get_monotonic_time ();
  test_iterate_for (2 * G_USEC_PER_SEC);
  for (guint i = 0; i < 16; i++)
    {
      NigranTile *each = nigran_wall_get_tile (wall, i);
      g_autofree char *status = NULL;

      nigran_tile_update_status (each);
      status = nigran_tile_dup_status_text (each);
      if (!g_str_has_prefix (status, "offline since "))
        g_error ("tile %u says “%s” 2 s after the simulator died", i, status);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (each), "stale"));
    }
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (window), "wall-offline-screenshot.png"));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  test_iterate_for (100 * 1000);
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  if (!gui_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/gui/templates-finalize", test_templates_finalize);
  g_test_add_func ("/gui/layouts-and-focus", test_layouts_and_focus);
  g_test_add_func ("/gui/demo-wall", test_demo_wall);

  return g_test_run ();
}
