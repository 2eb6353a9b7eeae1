/* test-event-log.c: the SQLite event log: commit before display, the hash chain,
 * tampering, schema versions, and a disk that fills up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

#include "core/nigran-event-private.h"
#include "test-utils.h"
#include "store/nigran-event-log-private.h"

typedef struct
{
  char           *directory;
  char           *path;
  NigranClock    *clock;
  NigranEventBus *bus;
  NigranEventLog *log;
  GPtrArray      *delivered;  /* events the bus emitted */
} Fixture;

typedef struct
{
  gint64  sequence;
  GError *error;
  gboolean done;
} AppendResult;

static void
on_event (NigranEventBus *bus,
          NigranEvent    *event,
          Fixture        *fixture)
{
  g_ptr_array_add (fixture->delivered, g_object_ref (event));
}

static void
fixture_open (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->log = nigran_event_log_open (fixture->path, fixture->clock, fixture->bus, "ws-test", &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("nigran-event-log-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->directory, "events.sqlite", NULL);
  fixture->clock = nigran_clock_new_virtual (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  fixture->bus = nigran_event_bus_new ();
  fixture->delivered = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->bus, "event", G_CALLBACK (on_event), fixture);
  fixture_open (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->log != NULL)
    g_assert_finalize_object (fixture->log);
  g_assert_finalize_object (fixture->bus);
  g_object_unref (fixture->clock);
  g_ptr_array_unref (fixture->delivered);
  test_remove_directory (fixture->directory);
  g_free (fixture->path);
  g_free (fixture->directory);
}

static void
on_appended (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AppendResult *append = user_data;

  append->sequence = nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &append->error);
  append->done = TRUE;
}

static NigranEvent *
make_event (guint index)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *camera = g_strdup_printf ("camera:cam-%02u", index % 7);
  const char * const subjects[] = { camera, NULL };

  json_object_set_int_member (payload, "index", index);
  json_object_set_string_member (payload, "note", "Karachi: Shahrah-e-Faisal / شاہراہ فیصل");
  return nigran_event_new ("test.happened", subjects, payload);
}

/* Appends @n events and waits for all of them. */
static void
append_events (Fixture *fixture,
               guint    n,
               GError **first_error)
{
  g_autofree AppendResult *results = g_new0 (AppendResult, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NigranEvent) event = make_event (i);
      nigran_event_log_append_async (fixture->log, event, "tester", NULL, on_appended, &results[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      while (!results[i].done)
        g_main_context_iteration (NULL, TRUE);
      if (results[i].error != NULL && first_error != NULL && *first_error == NULL)
        *first_error = g_steal_pointer (&results[i].error);
      g_clear_error (&results[i].error);
    }
}

static void
drain_bus (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_verifies (const char *path,
                 gint64      expected_events)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  gint64 n_events, broken;

  g_assert_true (nigran_event_log_verify (path, &n_events, &broken, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
  g_assert_cmpint (broken, ==, 0);
  g_assert_cmpint (n_events, ==, expected_events);
}

static gint64
verify_broken_at (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  gint64 n_events, broken;

  g_assert_true (nigran_event_log_verify (path, &n_events, &broken, &problem, &error));
  g_assert_no_error (error);
  g_assert_nonnull (problem);
  g_test_message ("verifier: %s", problem);
  return broken;
}

static void
run_sqlite (const char *path,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sqlite3", path, sql, NULL };
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_append_commit_before_display (Fixture       *fixture,
                                   gconstpointer  data)
{
  AppendResult first = { 0 };
  g_autoptr(NigranEvent) event = make_event (0);
  g_autoptr(GError) error = NULL;

  nigran_event_log_append_async (fixture->log, event, "tester", NULL, on_appended, &first);
  g_assert_cmpint (nigran_event_get_time_us (event), ==, G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  g_assert_cmpstr (nigran_event_get_actor (event), ==, "tester");
  g_assert_cmpstr (nigran_event_get_workstation (event), ==, "ws-test");
  while (!first.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (first.error);
  g_assert_cmpint (first.sequence, ==, 1);
  {
    GStatBuf info;

    g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
    g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  }

  append_events (fixture, 299, &error);
  g_assert_no_error (error);
  drain_bus ();

  /* Every event reached the bus once, in order, with its chain filled in. */
  g_assert_cmpuint (fixture->delivered->len, ==, 300);
  for (guint i = 0; i < fixture->delivered->len; i++)
    {
      NigranEvent *delivered = fixture->delivered->pdata[i];

      g_assert_cmpint (nigran_event_get_sequence (delivered), ==, i + 1);
      g_assert_cmpuint (strlen (nigran_event_get_hash (delivered)), ==, NIGRAN_EVENT_HASH_LENGTH);
      if (i > 0)
        g_assert_cmpstr (nigran_event_get_previous_hash (delivered), ==,
                         nigran_event_get_hash (fixture->delivered->pdata[i - 1]));
    }
  g_assert_cmpstr (nigran_event_find_subject (fixture->delivered->pdata[4], "camera"), ==, "cam-03");
  g_assert_null (nigran_event_find_subject (fixture->delivered->pdata[3], "alert"));
  g_assert_cmpint (json_object_get_int_member (nigran_event_get_payload (fixture->delivered->pdata[5]), "index"), ==, 4);

  /* Reopened, the chain goes on where it ended. */
  g_clear_object (&fixture->log);
  fixture_open (fixture);
  append_events (fixture, 1, &error);
  g_assert_no_error (error);
  assert_verifies (fixture->path, 301);
}

static gboolean
collect (NigranEvent *event,
         gpointer     user_data)
{
  g_ptr_array_add (user_data, g_object_ref (event));
  return TRUE;
}

static void
test_read_back (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  append_events (fixture, 20, &error);
  g_assert_no_error (error);
  drain_bus ();
  g_assert_true (nigran_event_log_foreach (fixture->log, 15, collect, events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      NigranEvent *read = events->pdata[i];
      NigranEvent *delivered = fixture->delivered->pdata[15 + i];

      g_assert_cmpint (nigran_event_get_sequence (read), ==, 16 + i);
      g_assert_cmpstr (nigran_event_get_uuid (read), ==, nigran_event_get_uuid (delivered));
      g_assert_cmpstr (nigran_event_get_hash (read), ==, nigran_event_get_hash (delivered));
      g_assert_cmpstr (nigran_event_get_payload_json (read), ==, nigran_event_get_payload_json (delivered));
      g_assert_cmpstrv (nigran_event_get_subjects (read), nigran_event_get_subjects (delivered));
      g_assert_cmpint (nigran_event_get_time_us (read), ==, nigran_event_get_time_us (delivered));
    }
}

/* Two batches an hour apart: a span of time reads only its own, by type too. */
static void
test_read_between (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const types[] = { "test.happened", NULL };
  static const char * const other_types[] = { "test.other", NULL };
  g_autoptr(GPtrArray) early = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 middle;

  append_events (fixture, 10, &error);
  g_assert_no_error (error);
  nigran_clock_advance (fixture->clock, G_TIME_SPAN_HOUR);
  middle = nigran_clock_get_now_us (fixture->clock) - G_TIME_SPAN_MINUTE;
  append_events (fixture, 7, &error);
  g_assert_no_error (error);
  drain_bus ();

  g_assert_true (nigran_event_log_foreach_of_types_between (fixture->log, types, 0, middle, collect, early, &error));
  g_assert_true (nigran_event_log_foreach_of_types_between (fixture->log, types, middle, 0, collect, late, &error));
  g_assert_true (nigran_event_log_foreach_of_types_between (fixture->log, other_types, middle, 0, collect, other, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (early->len, ==, 10);
  g_assert_cmpuint (late->len, ==, 7);
  g_assert_cmpuint (other->len, ==, 0);
  g_assert_cmpint (nigran_event_get_sequence (late->pdata[0]), ==, 11);
}

static void
fill_and_close (Fixture *fixture,
                guint    n)
{
  g_autoptr(GError) error = NULL;

  append_events (fixture, n, &error);
  g_assert_no_error (error);
  drain_bus ();
  g_clear_object (&fixture->log);
  assert_verifies (fixture->path, n);
}

static void
test_tamper_edit (Fixture       *fixture,
                  gconstpointer  data)
{
  fill_and_close (fixture, 60);
  run_sqlite (fixture->path, "UPDATE events SET actor = 'mallory' WHERE seq = 37");
  g_assert_cmpint (verify_broken_at (fixture->path), ==, 37);
}

static void
test_tamper_edit_payload (Fixture       *fixture,
                          gconstpointer  data)
{
  fill_and_close (fixture, 60);
  run_sqlite (fixture->path, "UPDATE events SET payload = replace(payload, 'Karachi', 'Lahore') WHERE seq = 12");
  g_assert_cmpint (verify_broken_at (fixture->path), ==, 12);
}

static void
test_tamper_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  fill_and_close (fixture, 60);
  run_sqlite (fixture->path, "DELETE FROM events WHERE seq = 50");
  g_assert_cmpint (verify_broken_at (fixture->path), ==, 50);
}

static void
test_tamper_delete_renumbered (Fixture       *fixture,
                               gconstpointer  data)
{
  /* An attacker who closes the gap still breaks the chain where the row was. */
  fill_and_close (fixture, 60);
  run_sqlite (fixture->path, "DELETE FROM events WHERE seq = 41; UPDATE events SET seq = seq - 1 WHERE seq > 41");
  g_assert_cmpint (verify_broken_at (fixture->path), ==, 41);
}

static void
test_tamper_swap (Fixture       *fixture,
                  gconstpointer  data)
{
  fill_and_close (fixture, 60);
  run_sqlite (fixture->path,
              "UPDATE events SET seq = -seq WHERE seq IN (20, 30);"
              "UPDATE events SET seq = CASE seq WHEN -20 THEN 30 ELSE 20 END WHERE seq < 0");
  g_assert_cmpint (verify_broken_at (fixture->path), ==, 20);
}

static void
test_retention_erases_payload (Fixture       *fixture,
                               gconstpointer  data)
{
  fill_and_close (fixture, 30);
  run_sqlite (fixture->path, "UPDATE events SET payload = NULL WHERE seq <= 10");
  assert_verifies (fixture->path, 30);
}

static void
test_verify_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  gint64 n_events, broken;

  g_assert_false (nigran_event_log_verify ("/nonexistent/events.sqlite", &n_events, &broken, &problem, &error));
  g_assert_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "/nonexistent/events.sqlite"));
}

static void
test_newer_schema_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fill_and_close (fixture, 3);
  run_sqlite (fixture->path, "PRAGMA user_version = 99");
  fixture->log = nigran_event_log_open (fixture->path, fixture->clock, fixture->bus, "ws-test", &error);
  g_assert_null (fixture->log);
  g_assert_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer version of Nigran"));
}

static void
test_not_a_log (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->directory, "photo.jpg", NULL);
  g_autoptr(NigranEventLog) log = NULL;

  g_assert_true (g_file_set_contents (path, "\xff\xd8\xff\xe0 not a database at all, padded out to look like one", -1, NULL));
  log = nigran_event_log_open (path, fixture->clock, fixture->bus, "ws-test", &error);
  g_assert_null (log);
  g_assert_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_network_file_systems (void)
{
  g_assert_true (_nigran_event_log_is_network_fs_type (0x6969));        /* NFS */
  g_assert_true (_nigran_event_log_is_network_fs_type (0xFF534D42));    /* CIFS */
  g_assert_true (_nigran_event_log_is_network_fs_type (0xFE534D42));    /* SMB2 */
  g_assert_false (_nigran_event_log_is_network_fs_type (0xEF53));       /* ext4 */
  g_assert_false (_nigran_event_log_is_network_fs_type (0x01021994));   /* tmpfs */
  g_assert_false (_nigran_event_log_is_network_fs_type (0x58465342));   /* XFS */
}

static void
on_writable_changed (GObject    *object,
                     GParamSpec *pspec,
                     guint      *n_changes)
{
  (*n_changes)++;
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refused = NULL;
  guint n_changes = 0;
  gint64 n_before;

  append_events (fixture, 10, &error);
  g_assert_no_error (error);
  drain_bus ();
  g_signal_connect (fixture->log, "notify::writable", G_CALLBACK (on_writable_changed), &n_changes);

  /* The "disk" holds what the log has now; append one by one until it is full, so
   * that too little room is left for the failure to be recorded either. */
  _nigran_event_log_limit_pages (fixture->log, 8);
  for (guint round = 0; round < 10000 && error == NULL; round++)
    append_events (fixture, 1, &error);
  g_assert_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "full"));
  g_assert_false (nigran_event_log_get_writable (fixture->log));
  g_assert_nonnull (nigran_event_log_get_write_error (fixture->log));
  g_assert_cmpuint (n_changes, ==, 1);
  drain_bus ();
  n_before = fixture->delivered->len;

  /* Refused at once, with a sentence, and nothing reaches the bus. */
  {
    AppendResult result = { 0 };
    g_autoptr(NigranEvent) event = make_event (0);

    nigran_event_log_append_async (fixture->log, event, "tester", NULL, on_appended, &result);
    while (!result.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (result.sequence, ==, 0);
    refused = result.error;
  }
  g_assert_error (refused, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_UNWRITABLE);
  g_assert_nonnull (strstr (refused->message, "could not be recorded"));
  drain_bus ();
  g_assert_cmpuint (fixture->delivered->len, ==, n_before);

  /* Still full at the first retry; space is freed; the next retry records both. */
  nigran_clock_advance (fixture->clock, 2 * G_USEC_PER_SEC);
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_false (nigran_event_log_get_writable (fixture->log));
  _nigran_event_log_limit_pages (fixture->log, 1000000);
  nigran_clock_advance (fixture->clock, 2 * G_USEC_PER_SEC);
  while (!nigran_event_log_get_writable (fixture->log))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_changes, ==, 2);

  g_clear_error (&error);
  append_events (fixture, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->log);
  g_assert_true (test_count_events (fixture->path, "log.write-failed") == 1);
  g_assert_true (test_count_events (fixture->path, "log.write-recovered") == 1);
  {
    g_autofree char *problem = NULL;
    gint64 n_events, broken;

    g_assert_true (nigran_event_log_verify (fixture->path, &n_events, &broken, &problem, NULL));
    g_assert_null (problem);
  }
}

static int
run_verify_log (const char  *path,
                char       **output)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("NIGRAN_BIN"), "--verify-log", path, NULL };
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, output, NULL, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* nigran --verify-log, as an auditor runs it: exit 0 and a sentence for a whole log,
 * 1 and the first broken sequence number for a tampered one, 2 for no log at all. */
static void
test_verify_log_command (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *output = NULL;
  g_autofree char *missing = g_build_filename (fixture->directory, "missing.sqlite", NULL);

  if (g_getenv ("NIGRAN_BIN") == NULL)
    {
      g_test_skip ("NIGRAN_BIN is not set: run under meson test");
      return;
    }
  fill_and_close (fixture, 40);
  g_assert_cmpint (run_verify_log (fixture->path, &output), ==, 0);
  g_assert_nonnull (strstr (output, "the chain holds: 40 events"));
  g_clear_pointer (&output, g_free);

  run_sqlite (fixture->path, "UPDATE events SET type = 'alert.closed' WHERE seq = 23");
  g_assert_cmpint (run_verify_log (fixture->path, &output), ==, 1);
  g_assert_nonnull (strstr (output, "broken at sequence number 23"));
  g_clear_pointer (&output, g_free);

  g_assert_cmpint (run_verify_log (missing, &output), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/event-log/append/commit-before-display", Fixture, NULL,
              fixture_set_up, test_append_commit_before_display, fixture_tear_down);
  g_test_add ("/event-log/read-back", Fixture, NULL, fixture_set_up, test_read_back, fixture_tear_down);
  g_test_add ("/event-log/read-between", Fixture, NULL, fixture_set_up, test_read_between, fixture_tear_down);
  g_test_add ("/event-log/tamper/edit", Fixture, NULL, fixture_set_up, test_tamper_edit, fixture_tear_down);
  g_test_add ("/event-log/tamper/edit-payload", Fixture, NULL, fixture_set_up, test_tamper_edit_payload, fixture_tear_down);
  g_test_add ("/event-log/tamper/delete", Fixture, NULL, fixture_set_up, test_tamper_delete, fixture_tear_down);
  g_test_add ("/event-log/tamper/delete-renumbered", Fixture, NULL, fixture_set_up, test_tamper_delete_renumbered, fixture_tear_down);
  g_test_add ("/event-log/tamper/swap", Fixture, NULL, fixture_set_up, test_tamper_swap, fixture_tear_down);
  g_test_add ("/event-log/retention-erases-payload", Fixture, NULL, fixture_set_up, test_retention_erases_payload, fixture_tear_down);
  g_test_add_func ("/event-log/verify/missing-file", test_verify_missing_file);
  g_test_add ("/event-log/open/newer-schema", Fixture, NULL, fixture_set_up, test_newer_schema_refused, fixture_tear_down);
  g_test_add ("/event-log/open/not-a-log", Fixture, NULL, fixture_set_up, test_not_a_log, fixture_tear_down);
  g_test_add_func ("/event-log/open/network-file-systems", test_network_file_systems);
  g_test_add ("/event-log/disk-full", Fixture, NULL, fixture_set_up, test_disk_full, fixture_tear_down);
  g_test_add ("/event-log/verify/command", Fixture, NULL, fixture_set_up, test_verify_log_command, fixture_tear_down);

  return g_test_run ();
}
