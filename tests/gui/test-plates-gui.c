/* test-plates-gui.c: number plates in the console, as a supervisor uses them
 *
 * nigran-camsim's drawn street is the site's number-plate camera, on the wall. The
 * car with AC-4903, on a stolen-vehicles hotlist, passes: its hit reaches the alert
 * rail with the plate's crop. Plate search finds the read, with its crop, and the
 * search is audited. The Hotlists window imports a CSV with a bad row and shows
 * every entry. Screenshots of the three are written to the build directory.
 *
 * Needs Tesseract's English model; skips, saying why, without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "camsim-process.h"
#include "gui-test-utils.h"
#include "test-utils.h"
#include "core/nigran-alert-queue.h"
#include "engine/nigran-engine.h"
#include "gui/nigran-alert-card.h"
#include "gui/nigran-alert-rail.h"
#include "gui/nigran-application.h"
#include "gui/nigran-hotlist-window.h"
#include "gui/nigran-plate-search-window.h"
#include "gui/nigran-plate-watch.h"
#include "gui/nigran-window.h"

#define HOTLIST "Stolen vehicles (test)"

static NigranAlert *
find_hit (NigranAlertQueue *queue,
          const char       *matched)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (g_strcmp0 (nigran_alert_get_kind (alert), "plate.hit") == 0 &&
          g_strcmp0 (nigran_alert_get_matched (alert), matched) == 0)
        return g_steal_pointer (&alert);
    }
  return NULL;
}

static void
test_hotlist_hit_search_and_import (void)
{
  g_autofree char *site_path = g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "plate-site.json", NULL);
  g_autofree char *site_arg = g_strdup_printf ("--site=%s", site_path);
  g_autofree char *work = g_dir_make_tmp ("nigran-plates-gui-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (work, "events.sqlite", NULL);
  g_autofree char *evidence = g_build_filename (work, "evidence", NULL);
  g_autofree char *csv_path = g_build_filename (work, "wanted.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CamsimProcess) camsim = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autoptr(NigranAlertQueue) queue = nigran_alert_queue_new ();
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranEventLog) log = NULL;
  g_autoptr(NigranPlateWatch) watch = NULL;
  g_autoptr(NigranAlert) hit = NULL;
  g_autoptr(GString) csv = g_string_new ("plate,reason,source\n");
  NigranPlateSearchWindow *search;
  NigranHotlistWindow *hotlists;
  NigranWindow *window;
  NigranAlertRail *rail;
  GListModel *cameras;
  gint64 deadline;

  log = nigran_event_log_open (log_path, clock, bus, "ws-test", &error);
  g_assert_no_error (error);
  watch = nigran_plate_watch_new (log, NULL, &error);
  if (g_error_matches (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS))
    {
      g_test_skip (error->message);
      nigran_event_log_close (log);
      test_remove_directory (work);
      return;
    }
  g_assert_no_error (error);
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_alert_queue_apply), queue);

  {
    const char *args[] = { site_arg, NULL };

    camsim = camsim_process_start (args, 0, &error);
    g_assert_no_error (error);
  }
  site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);
  cameras = nigran_site_file_get_cameras (site_file);
  camsim_process_point_cameras (camsim, cameras);
  nigran_plate_watch_set_site (watch, cameras, nigran_site_file_get_zones (site_file));
  nigran_plate_watch_set_evidence_directory (watch, evidence);
  {
    g_autoptr(NigranWatchlist) hotlist = nigran_watchlist_new (HOTLIST, "stolen-vehicles");
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_hotlist_entry_free);

    nigran_watchlist_set_tone (hotlist, NIGRAN_ALERT_TONE_SIREN);
    nigran_plate_watch_define_hotlist (watch, hotlist, "alice");
    g_ptr_array_add (entries, nigran_hotlist_entry_new (NULL, "AC-4903", "stolen from Clifton", "CPLC"));
    g_assert_true (nigran_plate_watch_add_entries (watch, HOTLIST, entries, NULL, "alice", &error));
  }

  settings = g_settings_new (APP_ID);
  nigran_application_install_style ();
  window = nigran_window_new (NULL, clock, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  nigran_wall_set_plate_watch (nigran_window_get_wall (window), watch);
  nigran_window_set_site_file (window, site_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.layout", "s", "2x2"));
  nigran_window_set_alerts (window, queue, log, "alice");
  rail = nigran_window_get_alert_rail (window);
  nigran_plate_watch_set_running (watch, TRUE, "alice");

  /* The scene loops every 21.6 s. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((hit = find_hit (queue, "AC-4903")) == NULL && g_get_monotonic_time () < deadline)
    test_iterate_for (100 * 1000);
  g_assert_nonnull (hit);
  g_assert_cmpstr (nigran_alert_get_watchlist (hit), ==, HOTLIST);
  g_assert_nonnull (nigran_alert_get_snapshot (hit));
  g_assert_cmpuint (nigran_alert_get_verifiers_required (hit), ==, 1);
  g_assert_cmpuint (nigran_alert_rail_get_n_shown (rail), >=, 1);
  /* The operator clicks the hit in the rail. */
  for (guint i = 0; i < nigran_alert_rail_get_n_shown (rail) &&
                    nigran_alert_card_get_alert (nigran_alert_rail_get_card (rail)) != hit; i++)
    {
      nigran_alert_rail_select (rail, i);
      test_iterate_for (100 * 1000);
    }
  g_assert_true (nigran_alert_card_get_alert (nigran_alert_rail_get_card (rail)) == hit);
  test_iterate_for (G_USEC_PER_SEC);
  gui_test_save_screenshot (GTK_WIDGET (window), "plates.png");

  /* Plate search finds the read, with its crop, and is recorded. */
  search = nigran_plate_search_window_new (GTK_WINDOW (window), log, cameras, "alice", NIGRAN_ROLE_SUPERVISOR);
  gtk_window_set_default_size (GTK_WINDOW (search), 720, 640);
  gtk_window_present (GTK_WINDOW (search));
  nigran_plate_search_window_search (search, "ac 49*");
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (nigran_plate_search_window_is_searching (search) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_cmpuint (nigran_plate_search_window_get_n_results (search), >=, 1);
  test_iterate_for (500 * 1000);
  gui_test_save_screenshot (GTK_WIDGET (search), "plate-search.png");
  nigran_event_bus_flush (bus);
  test_iterate_for (500 * 1000);
  g_assert_cmpuint (test_count_events (log_path, "plate.searched"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (search));

  /* The Hotlists window imports 1,000 rows and one bad one, and shows them all. */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (csv, "K%c%c-%03u,wanted,CTD\n", 'A' + i % 26, 'A' + i / 26 % 26, i);
  g_string_append (csv, "AC*12,bad\n");
  g_assert_true (g_file_set_contents (csv_path, csv->str, csv->len, NULL));
  hotlists = nigran_hotlist_window_new (GTK_WINDOW (window), watch, "alice");
  gtk_window_set_default_size (GTK_WINDOW (hotlists), 1180, 680);
  gtk_window_present (GTK_WINDOW (hotlists));
  {
    g_autoptr(GFile) file = g_file_new_for_path (csv_path);

    nigran_hotlist_window_import_file (hotlists, file);
  }
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (nigran_hotlist_window_is_busy (hotlists) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_false (nigran_hotlist_window_is_busy (hotlists));
  g_assert_cmpuint (nigran_plate_watch_count_entries (watch, HOTLIST), ==, 1001);
  g_assert_cmpuint (nigran_hotlist_window_get_n_shown (hotlists), ==, 1001);
  test_iterate_for (500 * 1000);
  gui_test_save_screenshot (GTK_WIDGET (hotlists), "hotlists.png");
  gtk_window_destroy (GTK_WINDOW (hotlists));

  nigran_plate_watch_set_running (watch, FALSE, "alice");
  nigran_wall_set_plate_watch (nigran_window_get_wall (window), NULL);
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  test_iterate_for (200 * 1000);
  g_assert_finalize_object (window);
  g_clear_object (&watch);
  nigran_event_log_close (log);
  test_remove_directory (work);
}

int
main (int   argc,
      char *argv[])
{
  if (!gui_test_init (&argc, &argv))
    return g_test_run ();
  g_test_add_func ("/plates-gui/hit-search-import", test_hotlist_hit_search_and_import);
  return g_test_run ();
}
