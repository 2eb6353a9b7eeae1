/* test-event-log-crash.c: kill -9 a process raising alerts at random moments; every
 * alert it was told had committed must be in the log and in the alert queue rebuilt
 * from it, once, and the log whole
 *
 * NIGRAN_CRASH_ITERATIONS sets how many kills (200 unless set).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-utils.h"
#include "store/nigran-alert-checkpoint.h"
#include "store/nigran-event-log.h"

#define KILLS_PER_FILE 20

typedef struct
{
  GString   *buffer;
  GPtrArray *committed;   /* alert ids */
  gboolean   ready;
} ChildOutput;

/* Reads what is there within @timeout_ms; FALSE at end of file. */
static gboolean
read_output (int          fd,
             ChildOutput *output,
             int          timeout_ms)
{
  struct pollfd poll_fd = { fd, POLLIN, 0 };
  char chunk[65536];
  char *newline;
  ssize_t n;

  if (poll (&poll_fd, 1, timeout_ms) <= 0)
    return TRUE;
  n = read (fd, chunk, sizeof chunk);
  if (n <= 0)
    return n < 0 && errno == EINTR;
  g_string_append_len (output->buffer, chunk, n);

  /* Only whole lines count: a line cut by the kill was never reported. */
  while ((newline = memchr (output->buffer->str, '\n', output->buffer->len)) != NULL)
    {
      gsize length = newline - output->buffer->str;
      g_autofree char *line = g_strndup (output->buffer->str, length);

      if (g_str_equal (line, "ready"))
        output->ready = TRUE;
      else if (g_str_has_prefix (line, "committed "))
        g_ptr_array_add (output->committed, g_strdup (line + strlen ("committed ")));
      g_string_erase (output->buffer, 0, length + 1);
    }
  return TRUE;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *statement = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (statement, 0);
  sqlite3_finalize (statement);
  return value;
}

static void
check_log (const char *path,
           GPtrArray  *committed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  sqlite3_stmt *integrity = NULL;
  gint64 n_events, broken;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &integrity, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (integrity), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (integrity, 0), ==, "ok");
  sqlite3_finalize (integrity);
  g_assert_cmpint (query_int (db, "SELECT count(*) - count(DISTINCT uuid) FROM events"), ==, 0);

  g_assert_cmpint (query_int (db, "SELECT count(*) - count(DISTINCT subjects) FROM events"), ==, 0);
  sqlite3_close (db);

  /* Every reported alert is in the queue rebuilt from the log, once. */
  {
    g_autoptr(NigranClock) clock = nigran_clock_new_system ();
    g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
    g_autoptr(NigranEventLog) log = nigran_event_log_open (path, clock, bus, "crash-check", &error);
    g_autoptr(NigranAlertQueue) queue = NULL;

    g_assert_no_error (error);
    queue = nigran_alert_queue_rebuild (log, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < committed->len; i++)
      if (nigran_alert_queue_lookup (queue, committed->pdata[i]) == NULL)
        g_error ("alert %s was reported committed but is not in the log", (char *)committed->pdata[i]);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), >=, committed->len);
    nigran_event_log_close (log);
  }

  g_assert_true (nigran_event_log_verify (path, &n_events, &broken, &problem, &error));
  g_assert_no_error (error);
  g_assert_null (problem);
  g_assert_cmpint (n_events, >=, committed->len);
}

static void
test_kill_while_appending (void)
{
  const char *appender = g_getenv ("NIGRAN_EVENTLOG_APPENDER");
  guint iterations = g_getenv ("NIGRAN_CRASH_ITERATIONS") ? atoi (g_getenv ("NIGRAN_CRASH_ITERATIONS")) : 200;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("nigran-crash-XXXXXX", &error);
  g_autoptr(GPtrArray) committed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  guint64 total_committed = 0;

  g_assert_no_error (error);
  g_assert_nonnull (appender);

  for (guint iteration = 0; iteration < iterations; iteration++)
    {
      ChildOutput output = { g_string_new (NULL), committed, FALSE };
      guint n_before;
      const char *argv[] = { appender, NULL, NULL };
      gint64 kill_at;
      GPid pid;
      int out_fd, status;

      if (iteration % KILLS_PER_FILE == 0)
        {
          g_free (path);
          path = g_strdup_printf ("%s/events-%u.sqlite", directory, iteration / KILLS_PER_FILE);
          g_ptr_array_set_size (committed, 0);
        }
      argv[1] = path;
      n_before = committed->len;
      g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      while (!output.ready)
        g_assert_true (read_output (out_fd, &output, 5000));
      /* Anywhere from the first transaction to well into group commits. */
      kill_at = g_get_monotonic_time () + g_test_rand_int_range (0, 60000);
      while (g_get_monotonic_time () < kill_at)
        read_output (out_fd, &output, 1);
      kill (pid, SIGKILL);
      while (read_output (out_fd, &output, 1000))
        ;
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      g_spawn_close_pid (pid);
      close (out_fd);
      g_string_free (output.buffer, TRUE);

      check_log (path, committed);
      total_committed += committed->len - n_before;
    }
  g_test_message ("%u kills; all %" G_GUINT64_FORMAT " alerts reported committed were found", iterations, total_committed);
  test_remove_directory (directory);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-log/crash/kill-while-appending", test_kill_while_appending);
  return g_test_run ();
}
