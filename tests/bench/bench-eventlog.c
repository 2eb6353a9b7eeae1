/* bench-eventlog.c: how fast the event log takes and gives back events
 *
 * 1. Durable appends per second through the log's group commit, against a baseline
 *    measured in the same run on the same disk: plain SQLite, one durable transaction
 *    per event (WAL, synchronous=FULL), which is what an append costs without
 *    grouping. Target: >= 20,000 appends/s.
 * 2. Start-up rebuild of the alert queue from a log of 1 million events: replaying
 *    every event, then as the console starts, from the checkpoint it saved at
 *    shutdown plus the events after it. Target: < 3 s.
 * 3. A supervisor's filtered query over the 1 million alerts. Target: < 50 ms.
 *
 * Usage: bench-eventlog [N_EVENTS] (1000000 unless given). With NIGRAN_BENCH_KEEP set,
 * the log is left in place for profiling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "test-utils.h"
#include "core/nigran-alert-queue.h"
#include "store/nigran-alert-checkpoint.h"
#include "store/nigran-event-log.h"

#define BASELINE_EVENTS 2000
#define N_CAMERAS       1300

typedef struct
{
  guint   remaining;
  GError *error;
} Pending;

static void
on_appended (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;
  GError *error = NULL;

  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0 && pending->error == NULL)
    pending->error = error;
  else
    g_clear_error (&error);
  pending->remaining--;
}

/* Alerts as a busy control room raises them: a few sources, 1,300 cameras, and about
 * one action for every two alerts. */
static NigranEvent *
make_event (guint               index,
            NigranAlertQueue   *shadow)
{
  static const char * const sources[] = { "camera-health", "face", "plate", "sos" };
  g_autofree char *camera_id = g_strdup_printf ("cam-%04u", index % N_CAMERAS);
  guint source = index % G_N_ELEMENTS (sources);

  if (index % 3 == 2 && g_list_model_get_n_items (G_LIST_MODEL (shadow)) > 0)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (shadow),
                                                            g_list_model_get_n_items (G_LIST_MODEL (shadow)) - 1);
      return nigran_alert_action_event_new (alert, NIGRAN_ALERT_ACTION_ACKNOWLEDGE, NULL, 0);
    }
  return nigran_alert_raised_event_new (&(NigranAlertSpec) {
    .source = sources[source],
    .kind = source == 0 ? "camera.offline" : source == 1 ? "face.match" : source == 2 ? "plate.match" : "sos.call",
    .priority = source == 3 ? NIGRAN_ALERT_PRIORITY_CRITICAL : source == 0 ? NIGRAN_ALERT_PRIORITY_MEDIUM : NIGRAN_ALERT_PRIORITY_HIGH,
    .title = "Benchmark alert",
    .camera_id = camera_id,
    .site_id = "red-zone",
    .score = source == 1 ? 0.7 : -1,
    .frame_age_ms = 35,
    .verifiers_required = source == 1 ? 2 : 0,
  });
}

static double
append_through_log (const char *path,
                    guint       n_events)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranAlertQueue) shadow = nigran_alert_queue_new ();
  g_autoptr(NigranEventLog) log = NULL;
  g_autoptr(GError) error = NULL;
  Pending pending = { n_events, NULL };
  gint64 start;
  double seconds;

  log = nigran_event_log_open (path, clock, bus, "bench", &error);
  g_assert_no_error (error);
  /* Raised alerts become acknowledgeable through the bus, as in the console. */
  g_signal_connect_swapped (bus, "event", G_CALLBACK (nigran_alert_queue_apply), shadow);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_events; i++)
    {
      g_autoptr(NigranEvent) event = make_event (i, shadow);

      nigran_event_log_append_async (log, event, i % 3 == 2 ? "operator" : NIGRAN_ACTOR_SYSTEM,
                                     NULL, on_appended, &pending);
      /* Keep a realistic backlog, and let the bus run. */
      while (n_events - pending.remaining - i > 0 && i - (n_events - pending.remaining) > 4096)
        g_main_context_iteration (NULL, TRUE);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  while (pending.remaining > 0)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  g_assert_no_error (pending.error);
  nigran_event_log_close (log);
  return n_events / seconds;
}

static double
append_one_transaction_each (const char *path)
{
  sqlite3 *db;
  sqlite3_stmt *insert;
  gint64 start;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    "CREATE TABLE events (seq INTEGER PRIMARY KEY, uuid TEXT UNIQUE, payload TEXT)", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO events (uuid, payload) VALUES (?, ?)", -1, &insert, NULL);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < BASELINE_EVENTS; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, "{\"source\":\"face\",\"title\":\"Benchmark alert\"}", -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
  sqlite3_finalize (insert);
  sqlite3_close (db);
  return BASELINE_EVENTS / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
}

static gboolean
apply_to_queue (NigranEvent *event,
                gpointer     queue)
{
  nigran_alert_queue_apply (queue, event);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint n_events = argc > 1 ? (guint)atoi (argv[1]) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("nigran-bench-eventlog-XXXXXX", &error);
  g_autofree char *log_path = g_build_filename (directory, "events.sqlite", NULL);
  g_autofree char *baseline_path = g_build_filename (directory, "baseline.sqlite", NULL);
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranEventLog) log = NULL;
  g_autoptr(NigranAlertQueue) queue = nigran_alert_queue_new ();
  NigranAlertCriteria criteria = {
    .state_mask = 1u << NIGRAN_ALERT_STATE_NEW | 1u << NIGRAN_ALERT_STATE_ACKNOWLEDGED,
    .most_urgent = NIGRAN_ALERT_PRIORITY_CRITICAL,
    .least_urgent = NIGRAN_ALERT_PRIORITY_HIGH,
    .camera_id = "cam-0042",
  };
  double grouped, baseline, replay_s, rebuild_s, best_query_ms = G_MAXDOUBLE;
  gboolean from_checkpoint;
  guint matches = 0;
  gint64 start;

  g_assert_no_error (error);
  g_print ("# event log in %s; %u events\n", directory, n_events);

  baseline = append_one_transaction_each (baseline_path);
  grouped = append_through_log (log_path, n_events);
  g_print ("appends: %.0f/s durable with group commit; %.0f/s one transaction each; ratio %.1f (target >= 20000/s)\n",
           grouped, baseline, grouped / baseline);

  log = nigran_event_log_open (log_path, clock, bus, "bench", &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_true (nigran_event_log_foreach (log, 0, apply_to_queue, queue, &error));
  replay_s = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  g_print ("replay: %u alerts from all %" G_GINT64_FORMAT " events in %.2f s\n",
           g_list_model_get_n_items (G_LIST_MODEL (queue)), nigran_alert_queue_get_last_sequence (queue), replay_s);

  /* As the console does at shutdown; the next start reads the checkpoint and
   * replays only what came after it. */
  start = g_get_monotonic_time ();
  g_assert_true (nigran_alert_checkpoint_save (log, queue, &error));
  g_print ("checkpoint: saved in %.2f s\n", (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
  nigran_event_log_close (log);
  g_clear_object (&log);
  g_clear_object (&queue);
  log = nigran_event_log_open (log_path, clock, bus, "bench", &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  queue = nigran_alert_queue_rebuild (log, &from_checkpoint, &error);
  rebuild_s = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  g_assert_no_error (error);
  g_assert_true (from_checkpoint);
  g_print ("rebuild at start-up: %u alerts from a log of %" G_GINT64_FORMAT " events in %.2f s, "
           "from its checkpoint (target < 3 s; %.1f x faster than replaying every event)\n",
           g_list_model_get_n_items (G_LIST_MODEL (queue)), nigran_alert_queue_get_last_sequence (queue),
           rebuild_s, replay_s / rebuild_s);

  for (guint round = 0; round < 5; round++)
    {
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (queue));

      start = g_get_monotonic_time ();
      matches = 0;
      for (guint i = 0; i < n_items; i++)
        {
          NigranAlert *alert = g_list_model_get_item (G_LIST_MODEL (queue), i);

          matches += nigran_alert_criteria_match (&criteria, alert);
          g_object_unref (alert);
        }
      best_query_ms = MIN (best_query_ms, (g_get_monotonic_time () - start) / 1000.0);
    }
  g_print ("query: open high-or-critical alerts of one camera: %u of %u in %.1f ms (target < 50 ms)\n",
           matches, g_list_model_get_n_items (G_LIST_MODEL (queue)), best_query_ms);

  nigran_event_log_close (log);
  if (g_getenv ("NIGRAN_BENCH_KEEP") == NULL)
    test_remove_directory (directory);
  return 0;
}
