/* test-face-import.c: enrolling a watchlist from a CSV of photos
 *
 * ORL photos (faces that fill the picture, as in jail-inmate records) with rows that
 * must fail: a missing photo, a photo of dogs, a short row, a row without a name.
 * Needs the models and ../shared/data/faces; skips, saying why, without them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "test-utils.h"
#include "gui/nigran-face-import.h"

typedef struct
{
  char           *directory;
  char           *csv_path;
  NigranClock    *clock;
  NigranEventBus *bus;
  NigranEventLog *log;
  NigranFaceWatch *watch;
} Fixture;

/* An ORL photo at an eighth of its resolution, blown up again. */
static char *
blurred_copy (const char *directory,
              const char *orl)
{
  char *path = g_build_filename (directory, "blurred.png", NULL);
  g_autofree char *sharp_path = g_build_filename (orl, "s4", "1.pgm", NULL);
  g_autoptr(GdkPixbuf) sharp = gdk_pixbuf_new_from_file (sharp_path, NULL);
  g_autoptr(GdkPixbuf) small = NULL, blurred = NULL;
  int width = gdk_pixbuf_get_width (sharp), height = gdk_pixbuf_get_height (sharp);

  small = gdk_pixbuf_scale_simple (sharp, width / 8, height / 8, GDK_INTERP_BILINEAR);
  blurred = gdk_pixbuf_scale_simple (small, width, height, GDK_INTERP_BILINEAR);
  g_assert_true (gdk_pixbuf_save (blurred, path, "png", NULL, NULL));
  return path;
}

static gboolean
fixture_open (Fixture *fixture)
{
  g_autofree char *orl = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "orl", NULL);
  g_autofree char *dogs = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "dlib", "faces", "dogs.jpg", NULL);
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *log_path = NULL;
  g_autofree char *blurred = NULL;
  g_autoptr(GString) csv = g_string_new ("record,name,photo\n");
  g_autoptr(GError) error = NULL;

  if (!g_file_test (orl, G_FILE_TEST_IS_DIR) || !g_file_test (dogs, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/faces is absent");
      return FALSE;
    }
  fixture->directory = g_dir_make_tmp ("nigran-face-import-XXXXXX", NULL);
  log_path = g_build_filename (fixture->directory, "events.sqlite", NULL);
  fixture->clock = nigran_clock_new_system ();
  fixture->bus = nigran_event_bus_new ();
  fixture->log = nigran_event_log_open (log_path, fixture->clock, fixture->bus, "ws-test", &error);
  g_assert_no_error (error);
  fixture->watch = nigran_face_watch_new (fixture->log, models_dir, &error);
  if (g_error_matches (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS))
    {
      g_test_skip (error->message);
      return FALSE;
    }
  g_assert_no_error (error);

  blurred = blurred_copy (fixture->directory, orl);
  for (guint person = 1; person <= 30; person++)
    g_string_append_printf (csv, "KHI-%04u,\"Inmate %u, test\",%s/s%u/1.pgm\n", person, person, orl, person);
  g_string_append (csv, "KHI-9001,Missing photo,no-such-photo.jpg\n");                 /* row 32 */
  g_string_append_printf (csv, "KHI-9002,Dogs,%s\n", dogs);                             /* row 33 */
  g_string_append (csv, "KHI-9003,Short row\n");                                        /* row 34 */
  g_string_append_printf (csv, "KHI-9004,,%s/s1/2.pgm\n", orl);                          /* row 35 */
  g_string_append_printf (csv, "KHI-9005,Blurred,%s\n", blurred);                        /* row 36 */
  fixture->csv_path = g_build_filename (fixture->directory, "inmates.csv", NULL);
  g_assert_true (g_file_set_contents (fixture->csv_path, csv->str, -1, NULL));
  return TRUE;
}

static void
fixture_close (Fixture *fixture)
{
  g_clear_object (&fixture->watch);
  if (fixture->log != NULL)
    nigran_event_log_close (fixture->log);
  g_clear_object (&fixture->log);
  g_clear_object (&fixture->bus);
  g_clear_object (&fixture->clock);
  if (fixture->directory != NULL)
    test_remove_directory (fixture->directory);
  g_free (fixture->directory);
  g_free (fixture->csv_path);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

static gboolean
run (NigranFaceImport  *import,
     const char        *csv_path,
     GCancellable      *cancellable,
     GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  nigran_face_import_run_async (import, csv_path, "sam", cancellable, on_done, &result);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return nigran_face_import_run_finish (import, result, error);
}

static void
test_import (void)
{
  Fixture fixture = { 0 };
  g_autoptr(NigranFaceImport) import = NULL;
  g_autoptr(NigranFaceWatch) restarted = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *problems;
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  gint64 started, took;

  if (!fixture_open (&fixture))
    {
      fixture_close (&fixture);
      return;
    }

  import = nigran_face_import_new (fixture.watch, "Jail inmates (test)", NIGRAN_ALERT_PRIORITY_HIGH, 2);
  started = g_get_monotonic_time ();
  g_assert_true (run (import, fixture.csv_path, NULL, &error));
  took = g_get_monotonic_time () - started;
  g_assert_no_error (error);

  problems = nigran_face_import_get_problems (import);
  for (guint i = 0; problems[i] != NULL; i++)
    g_test_message ("%s", problems[i]);
  g_test_message ("%u rows in %.1f s: %.1f ms a row", nigran_face_import_get_n_rows (import),
                  took / 1e6, took / 1000.0 / nigran_face_import_get_n_rows (import));
  g_assert_cmpuint (nigran_face_import_get_n_rows (import), ==, 35);
  g_assert_cmpuint (nigran_face_import_get_n_done (import), ==, 35);
  g_assert_cmpuint (nigran_face_import_get_n_enrolled (import), ==, 30);
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (fixture.watch), ==, 30);
  g_assert_cmpuint (g_strv_length ((char **)problems), ==, 5);
  g_assert_true (g_str_has_prefix (problems[0], "row 32: "));
  g_assert_true (g_str_has_prefix (problems[1], "row 33: "));
  g_assert_nonnull (strstr (problems[1], "No face"));
  g_assert_true (g_str_has_prefix (problems[2], "row 34: "));
  g_assert_true (g_str_has_prefix (problems[3], "row 35: "));
  g_assert_true (g_str_has_prefix (problems[4], "row 36: "));
  g_assert_nonnull (strstr (problems[4], "blurred"));

  /* Recorded: the next start enrols the same 30. */
  nigran_event_bus_flush (fixture.bus);
  restarted = nigran_face_watch_new (fixture.log, models_dir, &error);
  g_assert_no_error (error);
  g_assert_true (nigran_face_watch_restore (restarted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (restarted), ==, 30);
  g_assert_cmpuint (test_count_events (nigran_event_log_get_path (fixture.log), "watchlist.enrolled"), ==, 30);

  /* False matches a shift, from the 30 different people enrolled (435 pairs): fewer
   * as the threshold rises. */
  {
    double at_low = nigran_face_watch_estimate_false_hits (fixture.watch, 0.10, 1000, 1000, 8);
    double at_default = nigran_face_watch_estimate_false_hits (fixture.watch, 0.45, 1000, 1000, 8);
    double at_high = nigran_face_watch_estimate_false_hits (fixture.watch, 0.80, 1000, 1000, 8);

    g_test_message ("false matches an 8-hour shift, 1,000 enrolled, 1,000 faces an hour: "
                    "%.1f at 0.10, %.2f at 0.45, %.2f at 0.80", at_low, at_default, at_high);
    g_assert_cmpfloat (at_low, >, at_default);
    g_assert_cmpfloat (at_default, >, at_high);
    g_assert_cmpfloat (at_low, <=, 8000);   /* every face seen, at most */
  }

  /* A watchlist's threshold is its own, and survives a restart. */
  {
    g_autoptr(NigranWatchlist) inmates = nigran_watchlist_new ("Jail inmates (test)", "jail-inmates");

    nigran_watchlist_set_threshold (inmates, 0.55);
    nigran_face_watch_define_watchlist (fixture.watch, inmates, "sam");
  }
  g_assert_cmpfloat (nigran_face_watch_get_threshold (fixture.watch, "Jail inmates (test)"), ==, 0.55);
  g_assert_cmpfloat (nigran_face_watch_get_threshold (fixture.watch, "Another list"), ==, NIGRAN_FACE_WATCH_DEFAULT_THRESHOLD);
  nigran_event_bus_flush (fixture.bus);
  {
    g_autoptr(NigranFaceWatch) again = nigran_face_watch_new (fixture.log, models_dir, &error);

    g_assert_no_error (error);
    g_assert_true (nigran_face_watch_restore (again, &error));
    g_assert_cmpfloat_with_epsilon (nigran_face_watch_get_threshold (again, "Jail inmates (test)"), 0.55, 1e-9);
  }

  fixture_close (&fixture);
}

static gboolean
find_photo (NigranEvent *event,
            gpointer     data)
{
  char **photo = data;
  JsonObject *payload = nigran_event_get_payload (event);

  if (g_strcmp0 (json_object_get_string_member_with_default (payload, "entry", NULL), photo[0]) == 0)
    photo[1] = g_strdup (json_object_get_string_member_with_default (payload, "photo", NULL));
  return photo[1] == NULL;
}

/* The file of @entry's enrolled photo, as its event says. */
static char *
photo_of (Fixture    *fixture,
          const char *entry)
{
  static const char * const types[] = { "watchlist.enrolled", NULL };
  char *photo[2] = { (char *)entry, NULL };

  g_assert_true (nigran_event_log_foreach_of_types (fixture->log, types, find_photo, photo, NULL));
  g_assert_nonnull (photo[1]);
  return photo[1];
}

static void
count_change (guint *n_changes)
{
  (*n_changes)++;
}

typedef struct
{
  const char *type;
  gboolean    seen;
} Awaited;

static void
on_event (NigranEventBus *bus,
          NigranEvent    *event,
          Awaited        *awaited)
{
  awaited->seen |= g_str_equal (nigran_event_get_event_type (event), awaited->type);
}

/* Until the log committed an event of @type and the bus handed it on. */
static void
wait_for_event (Fixture    *fixture,
                const char *type)
{
  Awaited awaited = { type, FALSE };
  gulong handler = g_signal_connect (fixture->bus, "event", G_CALLBACK (on_event), &awaited);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!awaited.seen && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (fixture->bus, handler);
  g_assert_true (awaited.seen);
}

/* A supervisor edits a watchlist and its entries: each change is an event, and the
 * next start reads them back; a removed person's face matches no more. */
static void
test_edits (void)
{
  Fixture fixture = { 0 };
  g_autoptr(NigranFaceImport) import = NULL;
  g_autoptr(NigranFaceWatch) again = NULL;
  g_autoptr(NigranWatchlist) wanted = NULL, read_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_auto(GStrv) entries = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *removed_photo = NULL;
  g_autoptr(GAsyncResult) swept = NULL;
  const char *record = NULL, *notes = NULL;
  guint n_photos = 0, n_enrolments = 0;

  if (!fixture_open (&fixture))
    {
      fixture_close (&fixture);
      return;
    }
  evidence = g_build_filename (fixture.directory, "evidence", NULL);
  nigran_face_watch_set_evidence_directory (fixture.watch, evidence);
  /* Running, as in the console: it follows the events the log commits. */
  nigran_face_watch_set_running (fixture.watch, TRUE, "sam");
  wanted = nigran_watchlist_new ("Wanted (test)", "wanted");
  g_assert_cmpstr (nigran_watchlist_get_colour (wanted), ==, "#c01c28");   /* the category's */
  g_assert_false (nigran_watchlist_set_colour (wanted, "red"));
  g_assert_true (nigran_watchlist_set_colour (wanted, "#FF7800"));
  nigran_watchlist_set_tone (wanted, NIGRAN_ALERT_TONE_SIREN);
  nigran_watchlist_set_retention_days (wanted, 30);
  nigran_watchlist_set_priority (wanted, NIGRAN_ALERT_PRIORITY_CRITICAL);
  nigran_watchlist_set_verifiers_required (wanted, 1);
  nigran_face_watch_define_watchlist (fixture.watch, wanted, "sam");
  /* Its event, committed, changes nothing: the list's views are not rebuilt. */
  {
    guint n_changes = 0;
    gulong handler = g_signal_connect_swapped (nigran_face_watch_get_watchlists (fixture.watch), "items-changed",
                                               G_CALLBACK (count_change), &n_changes);

    wait_for_event (&fixture, "watchlist.defined");
    g_signal_handler_disconnect (nigran_face_watch_get_watchlists (fixture.watch), handler);
    g_assert_cmpuint (n_changes, ==, 0);
  }
  /* A later change to the caller's copy changes nothing. */
  nigran_watchlist_set_retention_days (wanted, 60);

  import = nigran_face_import_new (fixture.watch, "Wanted (test)", NIGRAN_ALERT_PRIORITY_HIGH, 2);
  g_assert_true (run (import, fixture.csv_path, NULL, &error));
  entries = nigran_face_watch_dup_entries (fixture.watch, "Wanted (test)");
  g_assert_cmpuint (g_strv_length (entries), ==, 30);
  g_assert_cmpstr (entries[0], ==, "Inmate 1, test (KHI-0001)");
  g_assert_true (nigran_face_watch_get_entry (fixture.watch, entries[0], &record, NULL, NULL, NULL));
  g_assert_cmpstr (record, ==, "KHI-0001");

  nigran_face_watch_update_entry (fixture.watch, entries[0], "KHI-0001/B", "Seen near Saddar, 3 Nov", "sam");
  nigran_face_watch_remove_entry (fixture.watch, "Inmate 2, test (KHI-0002)", "released", "sam");
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (fixture.watch), ==, 29);
  wait_for_event (&fixture, "watchlist.entry-removed");
  g_assert_cmpuint (test_count_events (nigran_event_log_get_path (fixture.log), "watchlist.entry-updated"), ==, 1);
  g_assert_cmpuint (test_count_events (nigran_event_log_get_path (fixture.log), "watchlist.entry-removed"), ==, 1);

  again = nigran_face_watch_new (fixture.log, models_dir, &error);
  g_assert_no_error (error);
  g_assert_true (nigran_face_watch_restore (again, &error));
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (again), ==, 29);
  g_assert_false (nigran_face_watch_get_entry (again, "Inmate 2, test (KHI-0002)", NULL, NULL, NULL, NULL));
  g_assert_true (nigran_face_watch_get_entry (again, entries[0], &record, &notes, &n_photos, NULL));
  g_assert_cmpstr (record, ==, "KHI-0001/B");
  g_assert_cmpstr (notes, ==, "Seen near Saddar, 3 Nov");
  g_assert_cmpuint (n_photos, ==, 1);
  read_back = nigran_face_watch_dup_watchlist (again, "Wanted (test)");
  g_assert_nonnull (read_back);
  g_assert_cmpstr (nigran_watchlist_get_colour (read_back), ==, "#ff7800");
  g_assert_cmpint (nigran_watchlist_get_tone (read_back), ==, NIGRAN_ALERT_TONE_SIREN);
  g_assert_cmpuint (nigran_watchlist_get_retention_days (read_back), ==, 30);
  g_assert_cmpint (nigran_watchlist_get_priority (read_back), ==, NIGRAN_ALERT_PRIORITY_CRITICAL);
  g_assert_cmpuint (nigran_watchlist_get_verifiers_required (read_back), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (nigran_face_watch_get_watchlists (again)), ==, 1);

  /* Retention: the removed person's photo and face are erased, no one else's. */
  removed_photo = photo_of (&fixture, "Inmate 2, test (KHI-0002)");
  g_assert_true (g_file_test (removed_photo, G_FILE_TEST_EXISTS));
  nigran_face_watch_apply_retention_async (again, g_get_real_time (), NULL, on_done, &swept);
  while (swept == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (nigran_face_watch_apply_retention_finish (again, swept, NULL, &n_enrolments, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_enrolments, ==, 1);
  g_assert_false (g_file_test (removed_photo, G_FILE_TEST_EXISTS));
  nigran_event_bus_flush (fixture.bus);
  g_assert_cmpuint (test_count_events (nigran_event_log_get_path (fixture.log), "retention.applied"), ==, 1);
  g_clear_object (&again);
  again = nigran_face_watch_new (fixture.log, models_dir, &error);
  g_assert_true (nigran_face_watch_restore (again, &error));
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (again), ==, 29);
  fixture_close (&fixture);
}

/* Cancelled, an import enrols no one. */
static void
test_cancel (void)
{
  Fixture fixture = { 0 };
  g_autoptr(NigranFaceImport) import = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  if (!fixture_open (&fixture))
    {
      fixture_close (&fixture);
      return;
    }
  import = nigran_face_import_new (fixture.watch, "Jail inmates (test)", NIGRAN_ALERT_PRIORITY_HIGH, 2);
  g_assert_false (run (import, fixture.csv_path, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (nigran_face_import_get_n_enrolled (import), ==, 0);
  g_assert_cmpuint (nigran_face_watch_get_n_enrolled (fixture.watch), ==, 0);
  nigran_event_bus_flush (fixture.bus);
  g_assert_cmpuint (test_count_events (nigran_event_log_get_path (fixture.log), "watchlist.enrolled"), ==, 0);
  fixture_close (&fixture);
}

/* A folder of photos: each a person named after its file; other files ignored; a
 * photo without a face listed by name. */
static void
test_folder (void)
{
  Fixture fixture = { 0 };
  g_autoptr(NigranFaceImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL, *dogs = NULL, *dogs_copy = NULL, *notes = NULL;
  const char * const *problems;

  if (!fixture_open (&fixture))
    {
      fixture_close (&fixture);
      return;
    }
  folder = g_build_filename (fixture.directory, "photos", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint person = 1; person <= 5; person++)
    {
      g_autofree char *orl = g_strdup_printf ("%s/faces/orl/s%u/1.pgm", g_getenv ("NIGRAN_SHARED_DATA"), person);
      g_autofree char *name = g_strdup_printf ("KHI-%04u.pgm", person);
      g_autofree char *copy = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (orl, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (copy, contents, (gssize)length, NULL));
    }
  {
    g_autofree char *contents = NULL;
    gsize length;

    dogs = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "dlib", "faces", "dogs.jpg", NULL);
    dogs_copy = g_build_filename (folder, "dogs.jpg", NULL);
    g_assert_true (g_file_get_contents (dogs, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (dogs_copy, contents, (gssize)length, NULL));
  }
  notes = g_build_filename (folder, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (notes, "not a photo", -1, NULL));

  import = nigran_face_import_new (fixture.watch, "Wanted (test)", NIGRAN_ALERT_PRIORITY_HIGH, 2);
  g_assert_true (run (import, folder, NULL, &error));
  g_assert_no_error (error);
  problems = nigran_face_import_get_problems (import);
  g_assert_cmpuint (nigran_face_import_get_n_rows (import), ==, 6);
  g_assert_cmpuint (nigran_face_import_get_n_enrolled (import), ==, 5);
  g_assert_cmpuint (g_strv_length ((char **)problems), ==, 1);
  g_assert_true (g_str_has_prefix (problems[0], "dogs.jpg: "));
  fixture_close (&fixture);
}

/* An unreadable CSV is an error that names it. */
static void
test_missing_csv (void)
{
  Fixture fixture = { 0 };
  g_autoptr(NigranFaceImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;

  if (!fixture_open (&fixture))
    {
      fixture_close (&fixture);
      return;
    }
  import = nigran_face_import_new (fixture.watch, "Wanted (test)", NIGRAN_ALERT_PRIORITY_HIGH, 1);
  missing = g_build_filename (fixture.directory, "missing.csv", NULL);
  g_assert_false (run (import, missing, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "missing.csv"));
  fixture_close (&fixture);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face-import/import", test_import);
  g_test_add_func ("/face-import/folder", test_folder);
  g_test_add_func ("/face-import/cancel", test_cancel);
  g_test_add_func ("/face-import/edits", test_edits);
  g_test_add_func ("/face-import/missing-csv", test_missing_csv);

  return g_test_run ();
}
