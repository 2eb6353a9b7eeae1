/* test-alert-checkpoint.c: a queue restored from its checkpoint plus the later events
 * equals the queue replayed from every event; an edited checkpoint is not used
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-utils.h"
#include "core/nigran-alert-queue.h"
#include "store/nigran-alert-checkpoint.h"
#include "store/nigran-event-log.h"

typedef struct
{
  char             *directory;
  char             *path;
  NigranClock      *clock;
  NigranEventBus   *bus;
  NigranEventLog   *log;
  NigranAlertQueue *queue;
} Fixture;

static void
open_log (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gboolean from_checkpoint;

  fixture->log = nigran_event_log_open (fixture->path, fixture->clock, fixture->bus, "ws-test", &error);
  g_assert_no_error (error);
  fixture->queue = nigran_alert_queue_rebuild (fixture->log, &from_checkpoint, &error);
  g_assert_no_error (error);
}

static void
close_log (Fixture *fixture)
{
  nigran_event_log_close (fixture->log);
  g_clear_object (&fixture->log);
  g_clear_object (&fixture->queue);
}

static void
on_event (NigranEventBus *bus,
          NigranEvent    *event,
          Fixture        *fixture)
{
  /* The last events (a checkpoint's record) may arrive after the queue was closed. */
  if (fixture->queue != NULL)
    nigran_alert_queue_apply (fixture->queue, event);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("nigran-checkpoint-XXXXXX", &error);
  fixture->path = g_build_filename (fixture->directory, "events.sqlite", NULL);
  fixture->clock = nigran_clock_new_virtual (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  fixture->bus = nigran_event_bus_new ();
  g_signal_connect (fixture->bus, "event", G_CALLBACK (on_event), fixture);
  open_log (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_log (fixture);
  g_signal_handlers_disconnect_by_data (fixture->bus, fixture);
  g_object_unref (fixture->bus);
  g_object_unref (fixture->clock);
  test_remove_directory (fixture->directory);
  g_free (fixture->path);
  g_free (fixture->directory);
}

static void
on_appended (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error), >, 0);
  (*pending)--;
}

static void
record (Fixture     *fixture,
        NigranEvent *event,
        const char  *actor)
{
  guint pending = 1;

  nigran_clock_advance (fixture->clock, 3 * G_USEC_PER_SEC);
  nigran_event_log_append_async (fixture->log, event, actor, NULL, on_appended, &pending);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (event);
}

static NigranAlert *
raise_alert (Fixture *fixture,
       guint    index)
{
  g_autofree char *camera = g_strdup_printf ("cam-%u", index % 3);
  NigranEvent *event = nigran_alert_raised_event_new (&(NigranAlertSpec) {
    .source = index % 2 ? "face" : "camera-health",
    .kind = index % 2 ? "face.match" : "camera.offline",
    .priority = index % 2 ? NIGRAN_ALERT_PRIORITY_HIGH : NIGRAN_ALERT_PRIORITY_MEDIUM,
    .title = "Checkpointed alert, with a title in Urdu: کیمرہ",
    .detail = index % 4 == 1 ? "A detail" : NULL,
    .camera_id = camera,
    .site_id = "red-zone",
    .matched = index % 2 ? "Entry 17" : NULL,
    .score = index % 2 ? 0.5 + index / 100.0 : -1,
    .frame_age_ms = 30 + index,
    .verifiers_required = index % 2 ? 2 : 0,
  });
  g_autofree char *id = g_strdup (nigran_event_find_subject (event, "alert"));

  record (fixture, event, NIGRAN_ACTOR_SYSTEM);
  return nigran_alert_queue_lookup (fixture->queue, id);
}

static void
act (Fixture           *fixture,
     NigranAlert       *alert,
     NigranAlertAction  action,
     const char        *actor)
{
  record (fixture, nigran_alert_action_event_new (alert, action,
                                                  action == NIGRAN_ALERT_ACTION_NOTE ? "Seen on the clip" : NULL,
                                                  NIGRAN_REJECT_REASON_TWIN_OR_RELATIVE), actor);
}

/* Every alert of @a is in @b, alike in everything an operator sees. */
static void
assert_same_queue (NigranAlertQueue *a,
                   NigranAlertQueue *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (a)), ==, g_list_model_get_n_items (G_LIST_MODEL (b)));
  g_assert_cmpuint (nigran_alert_queue_get_n_open (a), ==, nigran_alert_queue_get_n_open (b));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (a)); i++)
    {
      g_autoptr(NigranAlert) x = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(NigranAlert) y = g_list_model_get_item (G_LIST_MODEL (b), i);

      g_assert_cmpstr (nigran_alert_get_id (x), ==, nigran_alert_get_id (y));
      g_assert_cmpint (nigran_alert_get_sequence (x), ==, nigran_alert_get_sequence (y));
      g_assert_cmpstr (nigran_alert_get_title (x), ==, nigran_alert_get_title (y));
      g_assert_cmpstr (nigran_alert_get_detail (x), ==, nigran_alert_get_detail (y));
      g_assert_cmpstr (nigran_alert_get_matched (x), ==, nigran_alert_get_matched (y));
      g_assert_cmpstr (nigran_alert_get_camera_id (x), ==, nigran_alert_get_camera_id (y));
      g_assert_cmpfloat (nigran_alert_get_score (x), ==, nigran_alert_get_score (y));
      g_assert_cmpint (nigran_alert_get_frame_age_ms (x), ==, nigran_alert_get_frame_age_ms (y));
      g_assert_cmpint (nigran_alert_get_state (x), ==, nigran_alert_get_state (y));
      g_assert_cmpstr (nigran_alert_get_acknowledged_by (x), ==, nigran_alert_get_acknowledged_by (y));
      g_assert_cmpint (nigran_alert_get_acknowledged_us (x), ==, nigran_alert_get_acknowledged_us (y));
      g_assert_cmpint (nigran_alert_get_decided_us (x), ==, nigran_alert_get_decided_us (y));
      g_assert_cmpstr (nigran_alert_get_escalation_reason (x), ==, nigran_alert_get_escalation_reason (y));
      g_assert_cmpuint (nigran_alert_get_n_decisions (x), ==, nigran_alert_get_n_decisions (y));
      for (guint d = 0; d < nigran_alert_get_n_decisions (x); d++)
        {
          g_assert_cmpstr (nigran_alert_get_decision (x, d)->actor, ==, nigran_alert_get_decision (y, d)->actor);
          g_assert_cmpint (nigran_alert_get_decision (x, d)->verified, ==, nigran_alert_get_decision (y, d)->verified);
          g_assert_cmpint (nigran_alert_get_decision (x, d)->reason, ==, nigran_alert_get_decision (y, d)->reason);
        }
      g_assert_cmpuint (nigran_alert_get_n_notes (x), ==, nigran_alert_get_n_notes (y));
      for (guint n = 0; n < nigran_alert_get_n_notes (x); n++)
        g_assert_cmpstr (nigran_alert_get_note (x, n)->text, ==, nigran_alert_get_note (y, n)->text);
    }
}

static gboolean
apply_each (NigranEvent *event,
            gpointer     queue)
{
  nigran_alert_queue_apply (queue, event);
  return TRUE;
}

static NigranAlertQueue *
replay_everything (Fixture *fixture)
{
  NigranAlertQueue *queue = nigran_alert_queue_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (nigran_event_log_foreach (fixture->log, 0, apply_each, queue, &error));
  g_assert_no_error (error);
  return queue;
}

static void
write_history (Fixture *fixture)
{
  NigranAlert *alerts[8];

  for (guint i = 0; i < G_N_ELEMENTS (alerts); i++)
    alerts[i] = raise_alert (fixture, i);
  act (fixture, alerts[0], NIGRAN_ALERT_ACTION_ACKNOWLEDGE, "alice");
  act (fixture, alerts[1], NIGRAN_ALERT_ACTION_VERIFY, "alice");
  act (fixture, alerts[1], NIGRAN_ALERT_ACTION_NOTE, "alice");
  act (fixture, alerts[3], NIGRAN_ALERT_ACTION_VERIFY, "alice");
  act (fixture, alerts[3], NIGRAN_ALERT_ACTION_REJECT, "bob");
  act (fixture, alerts[4], NIGRAN_ALERT_ACTION_CLOSE, "bob");
  act (fixture, alerts[5], NIGRAN_ALERT_ACTION_REJECT, "alice");
}

static void
test_restore_then_replay_rest (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranAlertQueue) everything = NULL;
  NigranAlert *first, *later;
  gboolean from_checkpoint;

  write_history (fixture);
  g_assert_true (nigran_alert_checkpoint_save (fixture->log, fixture->queue, &error));
  g_assert_no_error (error);
  close_log (fixture);

  /* Reopened: from the checkpoint, which matches everything replayed. */
  fixture->log = nigran_event_log_open (fixture->path, fixture->clock, fixture->bus, "ws-test", &error);
  fixture->queue = nigran_alert_queue_rebuild (fixture->log, &from_checkpoint, &error);
  g_assert_no_error (error);
  g_assert_true (from_checkpoint);
  everything = replay_everything (fixture);
  assert_same_queue (everything, fixture->queue);
  g_clear_object (&everything);

  /* Events after the checkpoint: a decision on an old alert, a new alert. */
  first = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 1);
  act (fixture, first, NIGRAN_ALERT_ACTION_VERIFY, "bob");
  g_object_unref (first);
  later = raise_alert (fixture, 9);
  act (fixture, later, NIGRAN_ALERT_ACTION_ESCALATE, "sam");
  close_log (fixture);

  open_log (fixture);
  everything = replay_everything (fixture);
  assert_same_queue (everything, fixture->queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->queue)), ==, 9);
  {
    g_autoptr(NigranAlert) confirmed = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 1);
    g_assert_cmpint (nigran_alert_get_state (confirmed), ==, NIGRAN_ALERT_STATE_CONFIRMED);
  }
}

static void
test_edited_checkpoint_is_not_used (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranAlertQueue) everything = NULL;
  const char *argv[] = { "sqlite3", fixture->path, "UPDATE alert_checkpoint SET state = 6 WHERE position = 0", NULL };
  int status;
  gboolean from_checkpoint;

  write_history (fixture);
  g_assert_true (nigran_alert_checkpoint_save (fixture->log, fixture->queue, &error));
  close_log (fixture);

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  fixture->log = nigran_event_log_open (fixture->path, fixture->clock, fixture->bus, "ws-test", &error);
  fixture->queue = nigran_alert_queue_rebuild (fixture->log, &from_checkpoint, &error);
  g_assert_no_error (error);
  g_assert_false (from_checkpoint);
  everything = replay_everything (fixture);
  assert_same_queue (everything, fixture->queue);
  {
    g_autoptr(NigranAlert) acknowledged = g_list_model_get_item (G_LIST_MODEL (fixture->queue), 0);
    g_assert_cmpint (nigran_alert_get_state (acknowledged), ==, NIGRAN_ALERT_STATE_ACKNOWLEDGED);
  }
}

static void
test_no_checkpoint (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(NigranAlertQueue) queue = NULL;

  write_history (fixture);
  queue = nigran_alert_checkpoint_load (fixture->log, NULL);
  g_assert_null (queue);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/alert-checkpoint/restore-then-replay-the-rest", Fixture, NULL,
              fixture_set_up, test_restore_then_replay_rest, fixture_tear_down);
  g_test_add ("/alert-checkpoint/edited-is-not-used", Fixture, NULL,
              fixture_set_up, test_edited_checkpoint_is_not_used, fixture_tear_down);
  g_test_add ("/alert-checkpoint/none", Fixture, NULL, fixture_set_up, test_no_checkpoint, fixture_tear_down);

  return g_test_run ();
}
