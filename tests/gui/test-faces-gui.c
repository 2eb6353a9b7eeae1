/* test-faces-gui.c: face recognition in the console, as an operator uses it
 *
 * Two simulated cameras (nigran-camsim playing two Intel sample clips: a woman at the
 * hospital entrance, a man in the lobby) on the wall; the operator enrols the woman
 * from the entrance tile's picture; her alert reaches the rail with the crop of her
 * face, the man raises none. A screenshot of the console is written to the build
 * directory.
 *
 * Needs the models and ../shared/data/video; skips, saying why, without them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "camsim-process.h"
#include "gui-test-utils.h"
#include "test-utils.h"
#include "core/nigran-alert-queue.h"
#include "gui/nigran-alert-card.h"
#include "gui/nigran-alert-rail.h"
#include "gui/nigran-application.h"
#include "gui/nigran-enrol-dialog.h"
#include "gui/nigran-face-import-dialog.h"
#include "gui/nigran-face-watch.h"
#include "gui/nigran-watchlist-window.h"
#include "gui/nigran-window.h"

typedef struct
{
  gboolean done;
  GError  *error;
} Enrolled;

static void
on_enrolled (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  Enrolled *enrolled = data;

  nigran_face_watch_enrol_from_frame_finish (NIGRAN_FACE_WATCH (object), result, &enrolled->error);
  enrolled->done = TRUE;
}

static char *
clip_path (const char *name)
{
  return g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "video", "intel", "from-preview-gifs", name, NULL);
}

static guint
count_alerts_from (NigranAlertQueue *queue,
                   const char       *camera_id)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (g_str_equal (nigran_alert_get_kind (alert), "face.match") &&
          g_strcmp0 (nigran_alert_get_camera_id (alert), camera_id) == 0)
        n++;
    }
  return n;
}

/* An event log and a face watch in a folder of their own. */
typedef struct
{
  char            *directory;
  NigranClock     *clock;
  NigranEventBus  *bus;
  NigranEventLog  *log;
  NigranFaceWatch *watch;
} Watch;

/* FALSE, with the test marked skipped, without the models. */
static gboolean
watch_open (Watch *watch)
{
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *log_path = NULL, *evidence = NULL;
  g_autoptr(GError) error = NULL;

  watch->directory = g_dir_make_tmp ("nigran-faces-gui-XXXXXX", NULL);
  log_path = g_build_filename (watch->directory, "events.sqlite", NULL);
  evidence = g_build_filename (watch->directory, "evidence", NULL);
  watch->clock = nigran_clock_new_system ();
  watch->bus = nigran_event_bus_new ();
  watch->log = nigran_event_log_open (log_path, watch->clock, watch->bus, "ws-test", &error);
  g_assert_no_error (error);
  watch->watch = nigran_face_watch_new (watch->log, models_dir, &error);
  if (g_error_matches (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS))
    {
      g_test_skip (error->message);
      return FALSE;
    }
  g_assert_no_error (error);
  nigran_face_watch_set_evidence_directory (watch->watch, evidence);
  return TRUE;
}

static void
watch_close (Watch *watch)
{
  g_clear_object (&watch->watch);
  nigran_event_log_close (watch->log);
  g_clear_object (&watch->log);
  g_clear_object (&watch->bus);
  g_clear_object (&watch->clock);
  test_remove_directory (watch->directory);
  g_free (watch->directory);
}

static void
test_enrol_from_tile (void)
{
  g_autofree char *woman = clip_path ("head-pose-face-detection-female.mp4");
  g_autofree char *man = clip_path ("head-pose-face-detection-male.mp4");
  g_autofree char *site_path = g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "face-site.json", NULL);
  g_autofree char *site_arg = g_strdup_printf ("--site=%s", site_path);
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CamsimProcess) camsim = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autoptr(NigranAlertQueue) queue = NULL;
  Watch recognition = { 0 };
  NigranFaceWatch *watch;
  NigranTile *entrance = NULL;
  guint attempts;
  NigranWindow *window;
  NigranWall *wall;
  NigranAlertRail *rail;
  GListModel *cameras;
  Enrolled enrolled = { 0 };
  gint64 deadline;

  if (!g_file_test (woman, G_FILE_TEST_EXISTS) || !g_file_test (man, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/video is absent");
      return;
    }

  if (!watch_open (&recognition))
    {
      watch_close (&recognition);
      return;
    }
  watch = recognition.watch;
  queue = nigran_alert_queue_new ();
  g_signal_connect_swapped (recognition.bus, "event", G_CALLBACK (nigran_alert_queue_apply), queue);

  {
    const char *args[] = { site_arg, woman, man, NULL };

    camsim = camsim_process_start (args, 0, &error);
    g_assert_no_error (error);
  }
  site_file = nigran_site_file_new_from_file (site_path, &error);
  g_assert_no_error (error);
  cameras = nigran_site_file_get_cameras (site_file);
  camsim_process_point_cameras (camsim, cameras);

  settings = g_settings_new (APP_ID);
  nigran_application_install_style ();
  window = nigran_window_new (NULL, recognition.clock, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  wall = nigran_window_get_wall (window);
  nigran_wall_set_face_watch (wall, watch);
  nigran_window_set_site_file (window, site_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.layout", "s", "2x2"));
  nigran_window_set_alerts (window, queue, recognition.log, "alice");
  rail = nigran_window_get_alert_rail (window);
  nigran_face_watch_set_running (watch, TRUE, "alice");

  /* The entrance tile shows the woman, turning her head: as an operator would, try
   * the picture again until the quality check takes it. */
  for (guint i = 0; i < nigran_wall_get_n_tiles (wall); i++)
    if (nigran_tile_get_camera (nigran_wall_get_tile (wall, i)) != NULL &&
        g_str_equal (nigran_camera_get_id (nigran_tile_get_camera (nigran_wall_get_tile (wall, i))), "entrance"))
      entrance = nigran_wall_get_tile (wall, i);
  g_assert_nonnull (entrance);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!nigran_video_paintable_has_frame (nigran_tile_get_paintable (entrance)) &&
         g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  for (attempts = 1; attempts <= 30; attempts++)
    {
      g_autoptr(GdkTexture) frame = nigran_video_paintable_dup_texture (nigran_tile_get_paintable (entrance));

      g_assert_nonnull (frame);
      enrolled.done = FALSE;
      g_clear_error (&enrolled.error);
      nigran_face_watch_enrol_from_frame_async (watch, frame, "entrance", "Test person A",
                                                "Enrolled on this console", "alice", NULL, on_enrolled, &enrolled);
      while (!enrolled.done)
        g_main_context_iteration (NULL, TRUE);
      if (enrolled.error == NULL)
        break;
      g_test_message ("attempt %u: %s", attempts, enrolled.error->message);
      test_iterate_for (300 * 1000);
    }
  g_assert_no_error (enrolled.error);
  g_test_message ("enrolled at attempt %u", attempts);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count_alerts_from (queue, "entrance") == 0 && g_get_monotonic_time () < deadline)
    test_iterate_for (100 * 1000);
  /* Let the card show the evidence, and the lobby have its chances. */
  test_iterate_for (4 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_alerts_from (queue, "entrance"), ==, 1);
  g_assert_cmpuint (count_alerts_from (queue, "lobby"), ==, 0);
  g_assert_cmpuint (nigran_alert_rail_get_n_shown (rail), ==, 1);
  {
    NigranAlertCard *card = nigran_alert_rail_get_card (rail);
    g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (queue), 0);

    g_assert_cmpstr (nigran_alert_get_matched (alert), ==, "Test person A");
    g_assert_cmpuint (nigran_alert_get_verifiers_required (alert), ==, 2);
    while (nigran_alert_card_get_alert (card) == NULL && g_get_monotonic_time () < deadline)
      test_iterate_for (50 * 1000);
    test_iterate_for (G_USEC_PER_SEC);
  }
  gui_test_save_screenshot (GTK_WIDGET (window), "faces.png");

  /* The next start enrols her again, from the event log. */
  nigran_event_bus_flush (recognition.bus);
  {
    g_autoptr(NigranFaceWatch) restarted = nigran_face_watch_new (recognition.log, models_dir, &error);

    g_assert_no_error (error);
    g_assert_true (nigran_face_watch_restore (restarted, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (nigran_face_watch_get_n_enrolled (restarted), ==, 1);
  }

  nigran_face_watch_set_running (watch, FALSE, "alice");
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  test_iterate_for (200 * 1000);
  g_assert_finalize_object (window);
  watch_close (&recognition);
}

/* A supervisor imports inmates' photos from a CSV: the progress bar fills, the bad
 * rows are listed by number, the good ones enrolled. */
static void
test_import_dialog (void)
{
  g_autofree char *orl = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "orl", NULL);
  g_autofree char *csv_path = NULL, *problems = NULL;
  g_autoptr(GString) csv = g_string_new ("record,name,photo\n");
  Watch recognition = { 0 };
  NigranFaceWatch *watch;
  g_autoptr(GFile) file = NULL;
  NigranFaceImportDialog *dialog;
  gint64 deadline;

  if (!g_file_test (orl, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/data/faces is absent");
      return;
    }
  if (!watch_open (&recognition))
    {
      watch_close (&recognition);
      return;
    }
  watch = recognition.watch;

  for (guint person = 1; person <= 20; person++)
    g_string_append_printf (csv, "KHI-%04u,Inmate %u,%s/s%u/1.pgm\n", person, person, orl, person);
  g_string_append (csv, "KHI-9001,Missing photo,no-such-photo.jpg\n");
  g_string_append (csv, "KHI-9002,Short row\n");
  csv_path = g_build_filename (recognition.directory, "inmates.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, csv->str, -1, NULL));

  nigran_application_install_style ();
  dialog = nigran_face_import_dialog_new (NULL, watch, "sam");
  gtk_window_present (GTK_WINDOW (dialog));
  file = g_file_new_for_path (csv_path);
  nigran_face_import_dialog_set_file (dialog, file);
  nigran_face_import_dialog_set_watchlist (dialog, "Jail inmates");
  /* With no one enrolled yet, the estimate says when it will have one. */
  g_assert_nonnull (strstr (nigran_face_import_dialog_get_estimate (dialog), "ten people"));
  nigran_face_import_dialog_start (dialog);
  g_assert_true (nigran_face_import_dialog_is_running (dialog));

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (nigran_face_import_dialog_is_running (dialog) && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  test_iterate_for (300 * 1000);

  problems = nigran_face_import_dialog_dup_problems (dialog);
  g_test_message ("%s\n%s", nigran_face_import_dialog_get_status (dialog), problems);
  g_assert_nonnull (strstr (nigran_face_import_dialog_get_status (dialog), "Enrolled 20 of 22 rows"));
  g_assert_nonnull (strstr (problems, "row 22: "));
  g_assert_nonnull (strstr (problems, "row 23: "));
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (watch), ==, 20);
  /* Now it has 20 people (190 pairs) to compare, and the threshold moves it. */
  g_test_message ("%s", nigran_face_import_dialog_get_estimate (dialog));
  g_assert_nonnull (strstr (nigran_face_import_dialog_get_estimate (dialog), "false matches an 8-hour shift"));
  nigran_face_import_dialog_set_threshold (dialog, 0.30);
  g_test_message ("%s", nigran_face_import_dialog_get_estimate (dialog));
  /* Not the same file twice. */
  nigran_face_import_dialog_start (dialog);
  g_assert_false (nigran_face_import_dialog_is_running (dialog));
  gui_test_save_screenshot (GTK_WIDGET (dialog), "import.png");

  g_object_ref (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  test_iterate_for (100 * 1000);
  g_assert_finalize_object (dialog);

  /* The supervisor then looks at the watchlist: its people, found by name; a person
   * taken off it leaves the list. */
  {
    NigranWatchlistWindow *window;
    g_autoptr(NigranWatchlist) inmates = nigran_face_watch_dup_watchlist (watch, "Jail inmates");
    g_autoptr(NigranWatchlist) wanted = nigran_watchlist_new ("Wanted", "wanted");

    nigran_watchlist_set_tone (wanted, NIGRAN_ALERT_TONE_SIREN);
    nigran_face_watch_define_watchlist (watch, wanted, "sam");
    /* Running, as in the console: it follows the events the log commits. */
    nigran_face_watch_set_running (watch, TRUE, "sam");
    window = nigran_watchlist_window_new (NULL, watch, "sam");
    gtk_window_present (GTK_WINDOW (window));
    g_assert_true (nigran_watchlist_window_select (window, "Jail inmates"));
    g_assert_false (nigran_watchlist_window_select (window, "No such list"));
    /* Another watchlist defined, and this one redefined, elsewhere: the one shown
     * stays shown. */
    {
      g_autoptr(NigranWatchlist) missing = nigran_watchlist_new ("Missing children", "missing-persons");
      g_autoptr(NigranWatchlist) louder = nigran_watchlist_copy (inmates);

      /* The supervisor is typing elsewhere: the list of watchlists has no focus to
       * choose a row by. */
      gtk_window_set_focus (GTK_WINDOW (window), NULL);
      nigran_face_watch_define_watchlist (watch, missing, "sam");
      nigran_watchlist_set_tone (louder, NIGRAN_ALERT_TONE_SIREN);
      nigran_face_watch_define_watchlist (watch, louder, "sam");
      nigran_event_bus_flush (recognition.bus);
      test_iterate_for (200 * 1000);
      g_assert_cmpstr (nigran_watchlist_window_get_watchlist (window), ==, "Jail inmates");
    }
    test_iterate_for (200 * 1000);
    g_assert_cmpuint (nigran_watchlist_window_get_n_shown (window), ==, 20);
    nigran_watchlist_window_search (window, "Inmate 1");
    g_assert_cmpuint (nigran_watchlist_window_get_n_shown (window), ==, 11);   /* 1, 10–19 */
    nigran_watchlist_window_search (window, "");
    nigran_face_watch_update_entry (watch, "Inmate 3 (KHI-0003)", "KHI-0003", "Transferred to Central Jail", "sam");
    g_assert_true (nigran_watchlist_window_select_entry (window, "Inmate 3 (KHI-0003)"));
    nigran_face_watch_remove_entry (watch, "Inmate 4 (KHI-0004)", "released on bail", "sam");
    test_iterate_for (500 * 1000);
    g_assert_cmpuint (nigran_watchlist_window_get_n_shown (window), ==, 19);
    g_assert_false (nigran_watchlist_window_select_entry (window, "Inmate 4 (KHI-0004)"));
    g_assert_nonnull (inmates);
    /* Another photo of Inmate 3: his entry has two. */
    {
      g_autofree char *second = g_build_filename (orl, "s3", "2.pgm", NULL);
      g_autoptr(GFile) photo_file = g_file_new_for_path (second);
      guint n_photos = 0;

      nigran_watchlist_window_add_photo (window, photo_file);
      deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      while (nigran_face_watch_get_n_enrolled (watch) < 20 && g_get_monotonic_time () < deadline)
        test_iterate_for (50 * 1000);
      test_iterate_for (500 * 1000);
      g_assert_true (nigran_face_watch_get_entry (watch, "Inmate 3 (KHI-0003)", NULL, NULL, &n_photos, NULL));
      g_assert_cmpuint (n_photos, ==, 2);
    }
    /* A new person from one photo file, named after it. */
    {
      g_autofree char *orl_photo = g_build_filename (orl, "s25", "1.pgm", NULL);
      g_autofree char *photo = g_build_filename (recognition.directory, "Nadeem Qureshi.pgm", NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
      gsize length;

      g_assert_true (g_file_get_contents (orl_photo, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (photo, contents, length, NULL));
      nigran_watchlist_window_add_person (window, photo_file);
      deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      while (!nigran_face_watch_get_entry (watch, "Nadeem Qureshi", NULL, NULL, NULL, NULL) &&
             g_get_monotonic_time () < deadline)
        test_iterate_for (50 * 1000);
      g_assert_true (nigran_face_watch_get_entry (watch, "Nadeem Qureshi", NULL, NULL, NULL, NULL));
    }
    test_iterate_for (500 * 1000);
    gui_test_save_screenshot (GTK_WIDGET (window), "watchlists.png");

    g_object_ref (window);
    gtk_window_destroy (GTK_WINDOW (window));
    test_iterate_for (100 * 1000);
    g_assert_finalize_object (window);
  }
  watch_close (&recognition);
}

static void
on_dialog_enrolled (NigranEnrolDialog *dialog,
                    const char        *name,
                    char             **enrolled)
{
  *enrolled = g_strdup (name);
}

/* A frozen picture of three people: the operator clicks the one to enrol. */
static void
test_enrol_dialog (void)
{
  g_autofree char *photo_path = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "dlib", "faces",
                                                  "2008_001322.jpg", NULL);
  g_autoptr(GdkTexture) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *enrolled = NULL;
  Watch recognition = { 0 };
  NigranEnrolDialog *dialog;
  gint64 deadline;
  int n_faces;

  if (!g_file_test (photo_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/faces is absent");
      return;
    }
  if (!watch_open (&recognition))
    {
      watch_close (&recognition);
      return;
    }
  frame = gdk_texture_new_from_filename (photo_path, &error);
  g_assert_no_error (error);

  nigran_application_install_style ();
  dialog = nigran_enrol_dialog_new (NULL, recognition.watch, frame, "entrance", "Hospital entrance", "alice");
  g_signal_connect (dialog, "enrolled", G_CALLBACK (on_dialog_enrolled), &enrolled);
  gtk_window_present (GTK_WINDOW (dialog));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (nigran_enrol_dialog_get_n_faces (dialog) < 0 && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  n_faces = nigran_enrol_dialog_get_n_faces (dialog);
  g_test_message ("%d faces; %s", n_faces, nigran_enrol_dialog_get_status (dialog));
  g_assert_cmpint (n_faces, ==, 3);
  /* The largest is chosen to begin with; the operator takes the second. */
  g_assert_true (nigran_enrol_dialog_pick (dialog, 1));
  g_assert_nonnull (strstr (nigran_enrol_dialog_get_status (dialog), "3 faces"));
  test_iterate_for (300 * 1000);
  gui_test_save_screenshot (GTK_WIDGET (dialog), "enrol.png");

  g_object_ref (dialog);
  nigran_enrol_dialog_enrol (dialog);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (enrolled == NULL && g_get_monotonic_time () < deadline)
    test_iterate_for (50 * 1000);
  g_assert_nonnull (strstr (enrolled, "Hospital entrance"));
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (recognition.watch), ==, 1);
  nigran_event_bus_flush (recognition.bus);
  g_assert_cmpuint (test_count_events (nigran_event_log_get_path (recognition.log), "watchlist.enrolled"), ==, 1);
  test_iterate_for (100 * 1000);
  g_assert_finalize_object (dialog);
  watch_close (&recognition);
}

int
main (int    argc,
      char **argv)
{
  if (!gui_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/faces-gui/enrol-from-tile", test_enrol_from_tile);
  g_test_add_func ("/faces-gui/import-dialog", test_import_dialog);
  g_test_add_func ("/faces-gui/enrol-dialog", test_enrol_dialog);

  return g_test_run ();
}
