/* test-alerts-gui.c: the alert rail and card on a live wall, under Xvfb, with a real
 * event log and real streams from nigran-camsim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "camsim-process.h"
#include "test-utils.h"
#include "core/nigran-alert-queue.h"
#include "gui/gui-test-utils.h"
#include "gui/nigran-application.h"
#include "gui/nigran-camera-health.h"
#include "gui/nigran-demo-injector.h"
#include "gui/nigran-evidence.h"
#include "gui/nigran-login-window.h"
#include "gui/nigran-window.h"
#include "store/nigran-event-log-private.h"

typedef struct
{
  char               *directory;
  char               *log_path;
  CamsimProcess      *camsim;
  NigranSiteFile     *site_file;
  NigranClock        *clock;
  NigranEventBus     *bus;
  NigranEventLog     *log;
  NigranAlertQueue   *queue;
  NigranDemoInjector *injector;
  NigranWindow       *window;
  NigranAlertRail    *rail;
  NigranAlertCard    *card;
  char               *evidence_directory;
} Console;

static GdkTexture *
grab_frame (const char *camera_id,
            gint64     *frame_age_ms,
            gpointer    user_data)
{
  Console *console = user_data;

  return nigran_wall_dup_camera_frame (nigran_window_get_wall (console->window), camera_id, frame_age_ms);
}

static gboolean
wait_until (gboolean (*condition) (Console *), Console *console, gint64 timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;

  while (!condition (console) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  return condition (console);
}

static void
console_open (Console *console)
{
  g_autofree char *site_path = nigran_application_find_demo_site ();
  g_autofree char *site_arg = g_strdup_printf ("--site=%s", site_path);
  const char *args[] = { site_arg, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GListModel *cameras;

  console->directory = g_dir_make_tmp ("nigran-alerts-gui-XXXXXX", &error);
  g_assert_no_error (error);
  console->log_path = g_build_filename (console->directory, "events.sqlite", NULL);
  console->camsim = camsim_process_start (args, 0, &error);
  g_assert_no_error (error);
  console->site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);
  cameras = nigran_site_file_get_cameras (console->site_file);
  camsim_process_point_cameras (console->camsim, cameras);

  console->clock = nigran_clock_new_system ();
  console->bus = nigran_event_bus_new ();
  console->log = nigran_event_log_open (console->log_path, console->clock, console->bus, "ws-test", &error);
  g_assert_no_error (error);
  console->queue = nigran_alert_queue_new ();
  g_signal_connect_swapped (console->bus, "event", G_CALLBACK (nigran_alert_queue_apply), console->queue);
  console->injector = nigran_demo_injector_new (console->log, console->site_file);
  console->evidence_directory = g_build_filename (console->directory, "evidence", NULL);

  nigran_application_install_style ();
  console->window = nigran_window_new (NULL, console->clock, settings);
  gtk_window_set_default_size (GTK_WINDOW (console->window), 1600, 900);
  gtk_window_present (GTK_WINDOW (console->window));
  nigran_window_set_site_file (console->window, console->site_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console->window), "win.layout", "s", "2x2"));
  nigran_window_set_alerts (console->window, console->queue, console->log, "alice");
  console->rail = nigran_window_get_alert_rail (console->window);
  nigran_demo_injector_set_evidence (console->injector, grab_frame, console, console->evidence_directory);
  console->card = nigran_alert_rail_get_card (console->rail);
}

static void
console_close (Console *console)
{
  g_object_ref (console->window);
  gtk_window_destroy (GTK_WINDOW (console->window));
  test_iterate_for (100 * 1000);
  g_assert_finalize_object (console->window);
  g_assert_finalize_object (console->injector);
  g_object_unref (console->queue);
  nigran_event_log_close (console->log);
  g_assert_finalize_object (console->log);
  g_object_unref (console->bus);
  g_object_unref (console->clock);
  g_object_unref (console->site_file);
  camsim_process_free (console->camsim);
  test_remove_directory (console->directory);
  g_free (console->log_path);
  g_free (console->evidence_directory);
  g_free (console->directory);
}

static gboolean
one_alert_shown (Console *console)
{
  return nigran_alert_rail_get_n_shown (console->rail) == 1;
}

static gboolean
card_shows_evidence (Console *console)
{
  return nigran_alert_card_shows_evidence (console->card);
}

static gboolean
card_shows_alert (Console *console)
{
  return nigran_alert_card_get_alert (console->card) != NULL;
}

static NigranAlertState expected_state;

static gboolean
card_alert_in_expected_state (Console *console)
{
  NigranAlert *alert = nigran_alert_card_get_alert (console->card);

  return alert != NULL && nigran_alert_get_state (alert) == expected_state;
}

static gboolean
card_has_error (Console *console)
{
  return nigran_alert_card_get_error (console->card) != NULL;
}

static gboolean
log_unwritable (Console *console)
{
  return !nigran_event_log_get_writable (console->log);
}

static gboolean
log_writable (Console *console)
{
  return nigran_event_log_get_writable (console->log);
}

static gboolean
rail_empty (Console *console)
{
  return nigran_alert_rail_get_n_shown (console->rail) == 0;
}

/* Presses @keyval on the rail: finds the rail's binding for the key, as GTK does for
 * a key event, and runs it. */
static void
press_rail_key (Console *console,
                guint    keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (console->rail));
  gboolean pressed = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !pressed; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !pressed; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            pressed = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (console->rail),
                                                    gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_object_unref (controllers);
  g_assert_true (pressed);
}

static guint64
frames_presented (Console *console)
{
  NigranWall *wall = nigran_window_get_wall (console->window);
  guint64 total = 0;

  for (guint i = 0; i < nigran_wall_get_n_tiles (wall); i++)
    total += nigran_video_paintable_get_n_presented (nigran_tile_get_paintable (nigran_wall_get_tile (wall, i)));
  return total;
}

static void
test_review_on_the_rail (void)
{
  Console console = { 0 };
  NigranAlert *alert, *confirmed;
  gint64 start;

  console_open (&console);
  test_iterate_for (2 * G_USEC_PER_SEC);

  /* An injected alert is on the rail within a second, selected, on the card. */
  start = g_get_monotonic_time ();
  nigran_demo_injector_inject (console.injector, NIGRAN_DEMO_ALERT_FACE);
  g_assert_true (wait_until (one_alert_shown, &console, G_USEC_PER_SEC));
  g_test_message ("injected alert on the rail after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (wait_until (card_shows_alert, &console, G_USEC_PER_SEC));
  alert = nigran_alert_card_get_alert (console.card);
  g_assert_true (nigran_alert_get_demo (alert));
  g_assert_cmpuint (nigran_alert_get_verifiers_required (alert), ==, 2);
  /* The camera's picture at that moment is kept with it, and shown on the card. */
  g_assert_nonnull (nigran_alert_get_snapshot (alert));
  g_assert_true (g_str_has_prefix (nigran_alert_get_snapshot (alert), console.evidence_directory));
  g_assert_true (nigran_evidence_check_file (nigran_alert_get_snapshot (alert), nigran_alert_get_snapshot_sha256 (alert), NULL));
  g_assert_true (wait_until (card_shows_evidence, &console, G_USEC_PER_SEC));
  /* …and heard: a high priority's two beeps play to the end. */
  start = g_get_monotonic_time ();
  while (nigran_alert_rail_get_n_sounds (console.rail) < 1 && g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (nigran_alert_rail_get_n_sounds (console.rail), ==, 1);

  /* Keyboard: A acknowledges. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console.window), "win.focus-alerts", NULL));
  press_rail_key (&console, GDK_KEY_a);
  expected_state = NIGRAN_ALERT_STATE_ACKNOWLEDGED;
  g_assert_true (wait_until (card_alert_in_expected_state, &console, G_USEC_PER_SEC));
  g_assert_cmpstr (nigran_alert_get_acknowledged_by (alert), ==, "alice");
  /* T takes it; and her seeing the match's evidence is on record. */
  press_rail_key (&console, GDK_KEY_t);
  while (nigran_alert_get_assignee (alert) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (nigran_alert_get_assignee (alert), ==, "alice");
  g_assert_true (test_count_events (console.log_path, "audit.view") >= 1);

  /* V verifies once for alice; her second try is refused with a sentence. */
  press_rail_key (&console, GDK_KEY_v);
  g_assert_true (wait_until (card_shows_alert, &console, G_USEC_PER_SEC));
  while (nigran_alert_get_n_decisions (alert) < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_ACKNOWLEDGED);
  /* Her second "verify" records nothing. */
  gtk_widget_activate_action (GTK_WIDGET (console.card), "alert.verify", NULL);
  test_iterate_for (200 * 1000);
  g_assert_cmpuint (nigran_alert_get_n_decisions (alert), ==, 1);
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (console.window), "alerts-card-screenshot.png"));

  /* Bob, the second pair of eyes, verifies from the card's button: confirmed, and it
   * leaves the rail of open alerts. */
  nigran_alert_card_set_context (console.card, console.log, "bob", console.site_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console.card), "alert.verify", NULL));
  g_assert_true (wait_until (rail_empty, &console, G_USEC_PER_SEC));
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_CONFIRMED);
  confirmed = g_object_ref (alert);

  /* A plate match rejected with a reason from the card's menu. */
  nigran_demo_injector_inject (console.injector, NIGRAN_DEMO_ALERT_PLATE);
  g_assert_true (wait_until (one_alert_shown, &console, G_USEC_PER_SEC));
  g_assert_true (wait_until (card_shows_alert, &console, G_USEC_PER_SEC));
  alert = g_object_ref (nigran_alert_card_get_alert (console.card));
  /* R opens the reasons; choosing one rejects. */
  press_rail_key (&console, GDK_KEY_r);
  g_assert_true (nigran_alert_card_reject_menu_is_open (console.card));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console.card), "alert.reject", "s", "poor-image"));
  g_assert_true (wait_until (rail_empty, &console, G_USEC_PER_SEC));
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_REJECTED);
  g_assert_cmpint (nigran_alert_get_decision (alert, 0)->reason, ==, NIGRAN_REJECT_REASON_POOR_IMAGE);

  /* A picture changed after the fact is not shown, and the card says why. */
  {
    FILE *file = fopen (nigran_alert_get_snapshot (confirmed), "ab");

    g_assert_nonnull (file);
    fputs ("edited", file);
    fclose (file);
    nigran_alert_card_set_alert (console.card, confirmed);
    g_assert_true (wait_until (card_has_error, &console, G_USEC_PER_SEC));
    g_assert_nonnull (strstr (nigran_alert_card_get_error (console.card), "changed after the alert was recorded"));
    g_assert_false (nigran_alert_card_shows_evidence (console.card));
    nigran_alert_card_set_alert (console.card, NULL);
  }
  g_object_unref (confirmed);
  g_object_unref (alert);

  /* Several alerts at once, for the rail's picture: an SOS, a face match, a plate. */
  nigran_demo_injector_inject (console.injector, NIGRAN_DEMO_ALERT_PLATE);
  nigran_demo_injector_inject (console.injector, NIGRAN_DEMO_ALERT_FACE);
  nigran_demo_injector_inject (console.injector, NIGRAN_DEMO_ALERT_SOS);
  while (nigran_alert_rail_get_n_shown (console.rail) < 3)
    g_main_context_iteration (NULL, TRUE);
  nigran_alert_rail_select (console.rail, 0);
  test_iterate_for (300 * 1000);
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (console.window), "alerts-rail-screenshot.png"));

  console_close (&console);
}

static void
test_disk_full (void)
{
  Console console = { 0 };
  guint64 frames_before;
  const char *banner_text;

  console_open (&console);
  _nigran_event_log_set_retry_interval (console.log, 500);
  nigran_demo_injector_inject (console.injector, NIGRAN_DEMO_ALERT_SOS);
  g_assert_true (wait_until (card_shows_alert, &console, 2 * G_USEC_PER_SEC));
  test_iterate_for (2 * G_USEC_PER_SEC);

  /* The disk is full: acknowledging is refused on the card, and the banner says why. */
  _nigran_event_log_limit_pages (console.log, 1);
  for (guint i = 0; i < 50 && nigran_event_log_get_writable (console.log); i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(NigranEvent) filler = NULL;

      json_object_set_string_member (payload, "text", "Filling the last page so that the disk is full");
      filler = nigran_event_new ("test.filler", NULL, payload);
      nigran_event_log_append_async (console.log, filler, "tester", NULL, NULL, NULL);
      test_iterate_for (20 * 1000);
    }
  g_assert_true (wait_until (log_unwritable, &console, 2 * G_USEC_PER_SEC));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console.card), "alert.acknowledge", NULL));
  g_assert_true (wait_until (card_has_error, &console, G_USEC_PER_SEC));
  g_assert_nonnull (strstr (nigran_alert_card_get_error (console.card), "could not be recorded"));
  g_assert_cmpint (nigran_alert_get_state (nigran_alert_card_get_alert (console.card)), ==, NIGRAN_ALERT_STATE_NEW);

  /* Video goes on meanwhile. */
  frames_before = frames_presented (&console);
  test_iterate_for (2 * G_USEC_PER_SEC);
  g_assert_cmpuint (frames_presented (&console) - frames_before, >=, 4 * 25);
  banner_text = NULL;
  {
    GtkWidget *child;

    /* The banner is the window's first row: find its label. */
    for (child = gtk_widget_get_first_child (gtk_window_get_child (GTK_WINDOW (console.window)));
         child != NULL && !GTK_IS_REVEALER (child); child = gtk_widget_get_next_sibling (child))
      ;
    g_assert_nonnull (child);
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child)));
    banner_text = gtk_label_get_label (GTK_LABEL (gtk_revealer_get_child (GTK_REVEALER (child))));
  }
  g_assert_nonnull (strstr (banner_text, "Video goes on"));
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (console.window), "alerts-disk-full-screenshot.png"));

  /* Space comes back: the log records its failure and recovery, and takes actions again. */
  _nigran_event_log_limit_pages (console.log, 1000000);
  g_assert_true (wait_until (log_writable, &console, 5 * G_USEC_PER_SEC));
  gtk_widget_activate_action (GTK_WIDGET (console.card), "alert.acknowledge", NULL);
  expected_state = NIGRAN_ALERT_STATE_ACKNOWLEDGED;
  g_assert_true (wait_until (card_alert_in_expected_state, &console, 2 * G_USEC_PER_SEC));
  g_assert_true (test_count_events (console.log_path, "log.write-failed") >= 1);
  g_assert_true (test_count_events (console.log_path, "log.write-recovered") >= 1);

  console_close (&console);
}

static gboolean
queue_has_six (Console *console)
{
  return g_list_model_get_n_items (G_LIST_MODEL (console->queue)) == 6;
}

typedef struct
{
  gboolean done;
  guint    n_rows;
  GError  *error;
} Export;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;

  export->n_rows = nigran_supervisor_window_export_finish (NIGRAN_SUPERVISOR_WINDOW (source), result, &export->error);
  export->done = TRUE;
}

static void
test_supervisor_view (void)
{
  Console console = { 0 };
  NigranSupervisorWindow *supervisor;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  Export export = { 0 };

  console_open (&console);
  for (guint i = 0; i < 6; i++)
    nigran_demo_injector_inject (console.injector, i % NIGRAN_DEMO_N_ALERTS);
  g_assert_true (wait_until (queue_has_six, &console, 2 * G_USEC_PER_SEC));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console.window), "win.supervisor", NULL));
  supervisor = nigran_window_get_supervisor_window (console.window);
  g_assert_nonnull (supervisor);
  g_assert_cmpuint (nigran_supervisor_window_get_n_shown (supervisor), ==, 6);

  /* New face matches only: two of the six. */
  nigran_supervisor_window_set_filter (supervisor, "state", 2);
  nigran_supervisor_window_set_filter (supervisor, "type", 2);
  g_assert_cmpuint (nigran_supervisor_window_get_n_shown (supervisor), ==, 2);

  /* Acknowledge both at once; they are no longer new. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (supervisor), "supervisor.select-all", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (supervisor), "supervisor.acknowledge-selected", NULL));
  test_iterate_for (300 * 1000);
  nigran_supervisor_window_refresh (supervisor);
  g_assert_cmpuint (nigran_supervisor_window_get_n_shown (supervisor), ==, 0);
  nigran_supervisor_window_set_filter (supervisor, "state", 3);
  g_assert_cmpuint (nigran_supervisor_window_get_n_shown (supervisor), ==, 2);

  /* Assign both to bob. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (supervisor), "supervisor.select-all", NULL));
  nigran_supervisor_window_set_assignee (supervisor, "bob");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (supervisor), "supervisor.assign-selected", NULL));
  test_iterate_for (300 * 1000);
  {
    g_autoptr(NigranAlert) first = g_list_model_get_item (G_LIST_MODEL (console.queue), 0);
    g_assert_cmpstr (nigran_alert_get_assignee (first), ==, "bob");
  }

  /* Export asks for a reason, and is recorded before the file is written. */
  csv_path = g_build_filename (console.directory, "alerts.csv", NULL);
  nigran_supervisor_window_export_async (supervisor, csv_path, NULL, on_exported, &export);
  while (!export.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (export.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (csv_path, G_FILE_TEST_EXISTS));
  g_clear_error (&export.error);
  export.done = FALSE;
  nigran_supervisor_window_export_async (supervisor, csv_path, "Weekly review of face matches", on_exported, &export);
  while (!export.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (export.error);
  g_assert_cmpuint (export.n_rows, ==, 2);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, two rows, and the end */
  g_assert_true (g_str_has_prefix (lines[0], "alert,raised_utc,priority"));
  g_assert_nonnull (strstr (lines[1], "\"face.match\""));
  g_assert_nonnull (strstr (lines[1], "\"alice\""));
  g_assert_true (test_count_events (console.log_path, "audit.export") >= 1);
  g_assert_true (test_count_events (console.log_path, "audit.view") >= 1);

  /* Everything of the day, for the picture. */
  nigran_supervisor_window_set_filter (supervisor, "state", 0);
  nigran_supervisor_window_set_filter (supervisor, "type", 0);
  g_assert_cmpuint (nigran_supervisor_window_get_n_shown (supervisor), ==, 6);
  gtk_window_set_default_size (GTK_WINDOW (supervisor), 1300, 820);
  test_iterate_for (G_USEC_PER_SEC);
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (supervisor), "supervisor-screenshot.png"));
  test_iterate_for (2 * G_USEC_PER_SEC);
  g_assert_true (test_count_events (console.log_path, "audit.search") >= 1);

  console_close (&console);
}

static guint
count_open_of_kind (Console    *console,
                    const char *kind)
{
  GListModel *open = nigran_alert_queue_get_open_alerts (console->queue);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (open); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (open, i);
      count += g_str_equal (nigran_alert_get_kind (alert), kind);
    }
  return count;
}

static gboolean
four_offline (Console *console)
{
  return count_open_of_kind (console, "camera.offline") == 4;
}

static gboolean
four_back_online (Console *console)
{
  return count_open_of_kind (console, "camera.online") == 4;
}

/* The wall's own streams raise camera-health alerts: the simulator dies, each of the
 * four cameras on the wall raises one "offline" alert with its last picture; it comes
 * back, and each raises one "back online". */
static void
test_camera_health (void)
{
  Console console = { 0 };
  g_autoptr(NigranCameraHealth) health = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *open;

  console_open (&console);
  health = nigran_camera_health_new (console.log, nigran_site_file_get_cameras (console.site_file));
  nigran_camera_health_set_evidence (health, grab_frame, &console, console.evidence_directory);
  test_iterate_for (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (console.queue)), ==, 0);

  camsim_process_kill (console.camsim);
  g_assert_true (wait_until (four_offline, &console, 5 * G_USEC_PER_SEC));
  test_iterate_for (500 * 1000);
  g_assert_cmpuint (count_open_of_kind (&console, "camera.offline"), ==, 4);
  open = nigran_alert_queue_get_open_alerts (console.queue);
  for (guint i = 0; i < g_list_model_get_n_items (open); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (open, i);

      g_assert_cmpint (nigran_alert_get_priority (alert), ==, NIGRAN_ALERT_PRIORITY_MEDIUM);
      g_assert_cmpstr (nigran_alert_get_source (alert), ==, "camera-health");
      g_assert_nonnull (nigran_alert_get_snapshot (alert));
    }
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (console.window), "alerts-camera-offline-screenshot.png"));

  g_assert_true (camsim_process_restart (console.camsim, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (four_back_online, &console, 10 * G_USEC_PER_SEC));
  g_assert_cmpuint (count_open_of_kind (&console, "camera.offline"), ==, 4);

  g_clear_object (&health);
  console_close (&console);
}

static void
test_csv_fields (void)
{
  static const struct { const char *text, *field; } cases[] = {
    { "plain", "\"plain\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
    { "-1", "\"'-1\"" },
    { "a,b\nc", "\"a,b\nc\"" },
    { "", "\"\"" },
    { NULL, "\"\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = nigran_csv_field (cases[i].text);
      g_assert_cmpstr (field, ==, cases[i].field);
    }
}

typedef struct
{
  char *name;
  int   role;
  guint n_refused;
  gboolean locked;
} SignIn;

static void
on_signed_in (NigranLoginWindow *login,
              const char        *name,
              int                role,
              SignIn            *sign_in)
{
  g_free (sign_in->name);
  sign_in->name = g_strdup (name);
  sign_in->role = role;
}

static void
on_refused (NigranLoginWindow *login,
            const char        *name,
            gboolean           locked,
            SignIn            *sign_in)
{
  sign_in->n_refused++;
  sign_in->locked = locked;
}

static void
submit_and_wait (NigranLoginWindow *login,
                 SignIn            *sign_in,
                 const char        *name,
                 const char        *password,
                 const char        *repeat)
{
  guint refused = sign_in->n_refused;

  g_clear_pointer (&sign_in->name, g_free);
  nigran_login_window_submit (login, name, password, repeat);
  while (sign_in->name == NULL && sign_in->n_refused == refused &&
         (repeat == NULL || g_strcmp0 (password, repeat) == 0))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_sign_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("nigran-login-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "accounts.sqlite", NULL);
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  g_autoptr(NigranAccountStore) accounts = nigran_account_store_open (path, &error);
  NigranLoginWindow *login;
  SignIn sign_in = { 0 };

  g_assert_no_error (error);
  nigran_application_install_style ();

  /* No account yet: the first is the administrator's. */
  login = nigran_login_window_new (NULL, accounts, clock, NULL);
  g_signal_connect (login, "signed-in", G_CALLBACK (on_signed_in), &sign_in);
  g_signal_connect (login, "refused", G_CALLBACK (on_refused), &sign_in);
  gtk_window_present (GTK_WINDOW (login));
  g_assert_true (nigran_login_window_is_setup (login));
  submit_and_wait (login, &sign_in, "root", "administrator-1", "administrator-2");
  g_assert_nonnull (strstr (nigran_login_window_get_message (login), "differ"));
  submit_and_wait (login, &sign_in, "root", "administrator-1", "administrator-1");
  g_assert_cmpstr (sign_in.name, ==, "root");
  g_assert_cmpint (sign_in.role, ==, NIGRAN_ROLE_ADMINISTRATOR);
  g_assert_false (nigran_login_window_is_setup (login));
  g_object_ref (login);
  gtk_window_destroy (GTK_WINDOW (login));
  g_assert_finalize_object (login);

  /* Wrong passwords: a sentence each time; the fifth locks the account. */
  g_assert_true (nigran_account_store_add (accounts, "sam", NIGRAN_ROLE_SUPERVISOR, "battery staple", 0, &error));
  login = nigran_login_window_new (NULL, accounts, clock, _("Demo hint"));
  g_signal_connect (login, "signed-in", G_CALLBACK (on_signed_in), &sign_in);
  g_signal_connect (login, "refused", G_CALLBACK (on_refused), &sign_in);
  gtk_window_present (GTK_WINDOW (login));
  for (guint i = 0; i < 5; i++)
    submit_and_wait (login, &sign_in, "sam", "guess", NULL);
  g_assert_cmpuint (sign_in.n_refused, ==, 5);
  g_assert_true (sign_in.locked);
  g_assert_nonnull (strstr (nigran_login_window_get_message (login), "locked"));
  test_iterate_for (200 * 1000);
  g_assert_true (gui_test_save_screenshot (GTK_WIDGET (login), "login-locked-screenshot.png"));

  /* Fifteen minutes on, the right password works. */
  nigran_clock_advance (clock, 15 * 60 * G_USEC_PER_SEC + 1);
  submit_and_wait (login, &sign_in, "sam", "battery staple", NULL);
  g_assert_cmpstr (sign_in.name, ==, "sam");
  g_assert_cmpint (sign_in.role, ==, NIGRAN_ROLE_SUPERVISOR);

  g_object_ref (login);
  gtk_window_destroy (GTK_WINDOW (login));
  g_assert_finalize_object (login);
  g_free (sign_in.name);
  test_remove_directory (directory);
}

int
main (int    argc,
      char **argv)
{
  if (!gui_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/gui/alerts/review-on-the-rail", test_review_on_the_rail);
  g_test_add_func ("/gui/alerts/disk-full", test_disk_full);
  g_test_add_func ("/gui/alerts/camera-health", test_camera_health);
  g_test_add_func ("/gui/alerts/supervisor-view", test_supervisor_view);
  g_test_add_func ("/gui/alerts/csv-fields", test_csv_fields);
  g_test_add_func ("/gui/sign-in", test_sign_in);

  return g_test_run ();
}
