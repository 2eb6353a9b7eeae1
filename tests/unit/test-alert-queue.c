/* test-alert-queue.c: alert states, the four-eyes rule and review figures, on a
 * scripted scenario under a virtual clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-alert-queue.h"
#include "core/nigran-clock.h"
#include "core/nigran-event-private.h"

#define T0 (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC)

typedef struct
{
  NigranClock      *clock;
  NigranAlertQueue *queue;
  GPtrArray        *log;        /* every event, as a log would hold them */
  char             *last_hash;
} Scenario;

static void
scenario_init (Scenario *scenario)
{
  scenario->clock = nigran_clock_new_virtual (T0);
  scenario->queue = nigran_alert_queue_new ();
  scenario->log = g_ptr_array_new_with_free_func (g_object_unref);
  scenario->last_hash = g_strdup (NIGRAN_EVENT_GENESIS_HASH);
}

static void
scenario_clear (Scenario *scenario)
{
  g_assert_finalize_object (scenario->queue);
  g_object_unref (scenario->clock);
  g_ptr_array_unref (scenario->log);
  g_free (scenario->last_hash);
}

/* At T0 + @at_s, @actor records @event: stamped and chained as the log would. */
static gboolean
record (Scenario    *scenario,
        double       at_s,
        const char  *actor,
        NigranEvent *event)
{
  gint64 now = nigran_clock_get_now_us (scenario->clock);
  gint64 at = T0 + (gint64)(at_s * G_USEC_PER_SEC);
  gboolean changed;

  g_assert_cmpint (at, >=, now);
  nigran_clock_advance (scenario->clock, at - now);
  _nigran_event_stamp (event, nigran_clock_get_now_us (scenario->clock), "ws-1", actor);
  _nigran_event_chain (event, scenario->log->len + 1, scenario->last_hash);
  g_free (scenario->last_hash);
  scenario->last_hash = g_strdup (nigran_event_get_hash (event));
  g_ptr_array_add (scenario->log, event);
  changed = nigran_alert_queue_apply (scenario->queue, event);
  return changed;
}

static NigranAlert *
raise_alert (Scenario   *scenario,
             double      at_s,
             const char *source,
             const char *camera_id,
             guint       verifiers_required)
{
  NigranAlertSpec spec = {
    .source = source,
    .kind = verifiers_required ? "face.match" : "camera.offline",
    .priority = verifiers_required ? NIGRAN_ALERT_PRIORITY_HIGH : NIGRAN_ALERT_PRIORITY_MEDIUM,
    .title = verifiers_required ? "Face match: Watchlist A, entry 17" : "Camera offline",
    .camera_id = camera_id,
    .site_id = "red-zone",
    .score = verifiers_required ? 0.71 : -1,
    .frame_age_ms = 40,
    .verifiers_required = verifiers_required,
    .demo = g_str_equal (source, "demo"),
  };
  NigranEvent *event = nigran_alert_raised_event_new (&spec);
  const char *id = nigran_event_find_subject (event, "alert");

  g_assert_true (record (scenario, at_s, "system", event));
  return nigran_alert_queue_lookup (scenario->queue, id);
}

static gboolean
act (Scenario          *scenario,
     double             at_s,
     const char        *actor,
     NigranAlert       *alert,
     NigranAlertAction  action)
{
  return record (scenario, at_s, actor,
                 nigran_alert_action_event_new (alert, action,
                                                action == NIGRAN_ALERT_ACTION_NOTE ? "Checked the clip" : NULL,
                                                NIGRAN_REJECT_REASON_WRONG_PERSON));
}

static void
test_camera_health_lifecycle (void)
{
  Scenario scenario;
  NigranAlert *alert;
  g_autoptr(GError) error = NULL;

  scenario_init (&scenario);
  alert = raise_alert (&scenario, 0, "camera-health", "cam-1", 0);
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_NEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (scenario.queue)), ==, 1);
  g_assert_cmpuint (nigran_alert_queue_get_n_open (scenario.queue), ==, 1);
  g_assert_cmpstr (nigran_alert_get_camera_id (alert), ==, "cam-1");
  g_assert_cmpstr (nigran_alert_get_site_id (alert), ==, "red-zone");
  g_assert_cmpint (nigran_alert_get_frame_age_ms (alert), ==, 40);

  /* Nothing to verify on a camera alert. */
  g_assert_false (nigran_alert_can (alert, NIGRAN_ALERT_ACTION_VERIFY, "alice", &error));
  g_assert_error (error, NIGRAN_ALERT_ERROR, NIGRAN_ALERT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (act (&scenario, 1, "alice", alert, NIGRAN_ALERT_ACTION_VERIFY));

  g_assert_true (act (&scenario, 4, "alice", alert, NIGRAN_ALERT_ACTION_ACKNOWLEDGE));
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_ACKNOWLEDGED);
  g_assert_cmpstr (nigran_alert_get_acknowledged_by (alert), ==, "alice");
  g_assert_false (nigran_alert_can (alert, NIGRAN_ALERT_ACTION_ACKNOWLEDGE, "bob", &error));
  g_assert_nonnull (strstr (error->message, "alice acknowledged"));
  g_clear_error (&error);

  g_assert_true (act (&scenario, 6, "alice", alert, NIGRAN_ALERT_ACTION_NOTE));
  g_assert_cmpuint (nigran_alert_get_n_notes (alert), ==, 1);
  g_assert_cmpstr (nigran_alert_get_note (alert, 0)->text, ==, "Checked the clip");
  g_assert_true (act (&scenario, 30, "alice", alert, NIGRAN_ALERT_ACTION_CLOSE));
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_CLOSED);
  g_assert_cmpuint (nigran_alert_queue_get_n_open (scenario.queue), ==, 0);
  g_assert_false (act (&scenario, 31, "bob", alert, NIGRAN_ALERT_ACTION_ESCALATE));

  scenario_clear (&scenario);
}

static void
test_four_eyes (void)
{
  Scenario scenario;
  NigranAlert *confirmed, *disputed, *rejected;
  g_autoptr(GError) error = NULL;

  scenario_init (&scenario);

  confirmed = raise_alert (&scenario, 0, "face", "cam-2", 2);
  g_assert_true (act (&scenario, 5, "alice", confirmed, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_cmpint (nigran_alert_get_state (confirmed), ==, NIGRAN_ALERT_STATE_ACKNOWLEDGED);
  g_assert_cmpuint (nigran_alert_get_n_decisions (confirmed), ==, 1);
  /* Blind: bob sees that one decision was made, not which. */
  g_assert_null (nigran_alert_find_decision (confirmed, "bob"));
  g_assert_true (nigran_alert_find_decision (confirmed, "alice")->verified);

  /* The same person cannot be both pairs of eyes, neither by the rules nor by the log. */
  g_assert_false (nigran_alert_can (confirmed, NIGRAN_ALERT_ACTION_VERIFY, "alice", &error));
  g_assert_nonnull (strstr (error->message, "someone else"));
  g_clear_error (&error);
  g_assert_false (act (&scenario, 6, "alice", confirmed, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_cmpint (nigran_alert_get_state (confirmed), ==, NIGRAN_ALERT_STATE_ACKNOWLEDGED);

  g_assert_true (act (&scenario, 40, "bob", confirmed, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_cmpint (nigran_alert_get_state (confirmed), ==, NIGRAN_ALERT_STATE_CONFIRMED);
  g_assert_cmpint (nigran_alert_get_decided_us (confirmed), ==, T0 + 40 * G_USEC_PER_SEC);
  g_assert_false (nigran_alert_can (confirmed, NIGRAN_ALERT_ACTION_REJECT, "carol", NULL));

  /* One says match, one says not: a supervisor settles it. */
  disputed = raise_alert (&scenario, 60, "face", "cam-3", 2);
  g_assert_true (act (&scenario, 70, "alice", disputed, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_true (act (&scenario, 75, "bob", disputed, NIGRAN_ALERT_ACTION_REJECT));
  g_assert_cmpint (nigran_alert_get_state (disputed), ==, NIGRAN_ALERT_STATE_ESCALATED);
  g_assert_cmpstr (nigran_alert_get_escalation_reason (disputed), ==, "The two verifiers disagree");
  g_assert_false (nigran_alert_can (disputed, NIGRAN_ALERT_ACTION_VERIFY, "bob", NULL));
  g_assert_true (act (&scenario, 160, "carol", disputed, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_cmpint (nigran_alert_get_state (disputed), ==, NIGRAN_ALERT_STATE_CONFIRMED);

  /* Two "no match": rejected, with the reason kept. */
  rejected = raise_alert (&scenario, 200, "face", "cam-3", 2);
  g_assert_true (act (&scenario, 210, "alice", rejected, NIGRAN_ALERT_ACTION_REJECT));
  g_assert_true (act (&scenario, 215, "bob", rejected, NIGRAN_ALERT_ACTION_REJECT));
  g_assert_cmpint (nigran_alert_get_state (rejected), ==, NIGRAN_ALERT_STATE_REJECTED);
  g_assert_cmpint (nigran_alert_get_decision (rejected, 1)->reason, ==, NIGRAN_REJECT_REASON_WRONG_PERSON);

  scenario_clear (&scenario);
}

static void
test_single_verifier (void)
{
  Scenario scenario;
  NigranAlert *alert;

  scenario_init (&scenario);
  alert = raise_alert (&scenario, 0, "plate", "cam-4", 1);
  /* Verifying without acknowledging first acknowledges too. */
  g_assert_true (act (&scenario, 12, "bob", alert, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_VERIFIED);
  g_assert_cmpint (nigran_alert_get_acknowledged_us (alert), ==, T0 + 12 * G_USEC_PER_SEC);
  /* A settled match is nobody's to take; an escalated one is the supervisor's. */
  g_assert_false (nigran_alert_can (alert, NIGRAN_ALERT_ACTION_ASSIGN, "bob", NULL));
  g_assert_true (act (&scenario, 20, "carol", alert, NIGRAN_ALERT_ACTION_ESCALATE));
  g_assert_cmpint (nigran_alert_get_state (alert), ==, NIGRAN_ALERT_STATE_ESCALATED);
  g_assert_true (record (&scenario, 21, "carol",
                         nigran_alert_action_event_new (alert, NIGRAN_ALERT_ACTION_ASSIGN, "sam", 0)));
  g_assert_cmpstr (nigran_alert_get_assignee (alert), ==, "sam");
  scenario_clear (&scenario);
}

static void
test_kpis (void)
{
  Scenario scenario;
  NigranAlert *a1, *a2, *a3, *a4;
  NigranAlertKpis kpis;
  NigranRejectionCount *count;

  scenario_init (&scenario);
  a1 = raise_alert (&scenario, 0, "camera-health", "cam-1", 0);
  a2 = raise_alert (&scenario, 60, "face", "cam-2", 1);
  a3 = raise_alert (&scenario, 120, "face", "cam-2", 2);
  a4 = raise_alert (&scenario, 180, "face", "cam-3", 2);
  raise_alert (&scenario, 240, "demo", "cam-3", 1);

  g_assert_true (act (&scenario, 250, "alice", a1, NIGRAN_ALERT_ACTION_ACKNOWLEDGE));
  g_assert_true (act (&scenario, 300, "alice", a1, NIGRAN_ALERT_ACTION_CLOSE));
  g_assert_true (act (&scenario, 301, "bob", a2, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_true (act (&scenario, 302, "alice", a3, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_true (act (&scenario, 303, "bob", a3, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_true (act (&scenario, 304, "alice", a4, NIGRAN_ALERT_ACTION_VERIFY));
  g_assert_true (act (&scenario, 305, "bob", a4, NIGRAN_ALERT_ACTION_REJECT));
  g_assert_true (act (&scenario, 400, "carol", a4, NIGRAN_ALERT_ACTION_REJECT));
  raise_alert (&scenario, 4000, "face", "cam-2", 1);   /* outside the hour */

  nigran_alert_queue_compute_kpis (scenario.queue, T0, T0 + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, &kpis);
  g_assert_cmpuint (kpis.n_raised, ==, 5);
  g_assert_cmpfloat_with_epsilon (kpis.alerts_per_hour, 5.0, 1e-9);
  /* Acknowledged after 250, 241, 182 and 124 s (a decision acknowledges too):
   * nearest-rank median 182, p90 250. */
  g_assert_cmpuint (kpis.n_acknowledged, ==, 4);
  g_assert_cmpfloat_with_epsilon (kpis.acknowledge_median_s, 182, 1e-9);
  g_assert_cmpfloat_with_epsilon (kpis.acknowledge_p90_s, 250, 1e-9);
  /* Decided after 241, 183 and 220 s: median 220, p90 241. */
  g_assert_cmpuint (kpis.n_decided, ==, 3);
  g_assert_cmpfloat_with_epsilon (kpis.decide_median_s, 220, 1e-9);
  g_assert_cmpfloat_with_epsilon (kpis.decide_p90_s, 241, 1e-9);
  count = g_hash_table_lookup (kpis.rejections_by_source, "face");
  g_assert_cmpuint (count->decided, ==, 3);
  g_assert_cmpuint (count->rejected, ==, 1);
  count = g_hash_table_lookup (kpis.rejections_by_camera, "cam-3");
  g_assert_cmpuint (count->decided, ==, 1);
  g_assert_cmpuint (count->rejected, ==, 1);
  count = g_hash_table_lookup (kpis.rejections_by_camera, "cam-2");
  g_assert_cmpuint (count->rejected, ==, 0);
  g_assert_null (g_hash_table_lookup (kpis.rejections_by_source, "camera-health"));
  /* One hour, one bucket, five alerts. */
  g_assert_cmpuint (kpis.raised_per_bucket->len, ==, 1);
  g_assert_cmpuint (g_array_index (kpis.raised_per_bucket, guint, 0), ==, 5);
  nigran_alert_kpis_clear (&kpis);

  /* Two hours: the sixth alert (at 4000 s) in the second bucket. */
  nigran_alert_queue_compute_kpis (scenario.queue, T0, T0 + G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC, &kpis);
  g_assert_cmpuint (kpis.raised_per_bucket->len, ==, 2);
  g_assert_cmpuint (g_array_index (kpis.raised_per_bucket, guint, 1), ==, 1);
  nigran_alert_kpis_clear (&kpis);

  /* Empty range: nothing measured, said as -1. */
  nigran_alert_queue_compute_kpis (scenario.queue, T0 - 100, T0, &kpis);
  g_assert_cmpuint (kpis.n_raised, ==, 0);
  g_assert_cmpfloat (kpis.acknowledge_median_s, ==, -1);
  nigran_alert_kpis_clear (&kpis);

  g_assert_cmpuint (nigran_alert_queue_get_n_open (scenario.queue), ==, 2);
  {
    GListModel *open = nigran_alert_queue_get_open_alerts (scenario.queue);
    g_autoptr(NigranAlert) newest = NULL;

    /* The demo alert and the one outside the hour, newest first; kept up to date. */
    g_assert_cmpuint (g_list_model_get_n_items (open), ==, 2);
    newest = g_list_model_get_item (open, 0);
    g_assert_cmpint (nigran_alert_get_raised_us (newest), ==, T0 + G_GINT64_CONSTANT (4000) * G_USEC_PER_SEC);
    g_assert_true (act (&scenario, 4001, "alice", newest, NIGRAN_ALERT_ACTION_CLOSE));
    g_assert_cmpuint (g_list_model_get_n_items (open), ==, 1);
    raise_alert (&scenario, 4002, "camera-health", "cam-9", 0);
    g_assert_cmpuint (g_list_model_get_n_items (open), ==, 2);
  }
  scenario_clear (&scenario);
}

static void
test_rebuild_matches (void)
{
  Scenario scenario;
  g_autoptr(NigranAlertQueue) rebuilt = nigran_alert_queue_new ();
  NigranAlert *alert;

  scenario_init (&scenario);
  alert = raise_alert (&scenario, 0, "face", "cam-2", 2);
  act (&scenario, 1, "alice", alert, NIGRAN_ALERT_ACTION_VERIFY);
  act (&scenario, 2, "alice", alert, NIGRAN_ALERT_ACTION_VERIFY);  /* ignored both times */
  act (&scenario, 3, "bob", alert, NIGRAN_ALERT_ACTION_NOTE);
  raise_alert (&scenario, 4, "camera-health", "cam-1", 0);

  for (guint i = 0; i < scenario.log->len; i++)
    nigran_alert_queue_apply (rebuilt, scenario.log->pdata[i]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rebuilt)), ==, 2);
  g_assert_cmpint (nigran_alert_queue_get_last_sequence (rebuilt), ==, scenario.log->len);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(NigranAlert) live = g_list_model_get_item (G_LIST_MODEL (scenario.queue), i);
      g_autoptr(NigranAlert) again = g_list_model_get_item (G_LIST_MODEL (rebuilt), i);

      g_assert_cmpstr (nigran_alert_get_id (live), ==, nigran_alert_get_id (again));
      g_assert_cmpint (nigran_alert_get_state (live), ==, nigran_alert_get_state (again));
      g_assert_cmpuint (nigran_alert_get_n_decisions (live), ==, nigran_alert_get_n_decisions (again));
      g_assert_cmpuint (nigran_alert_get_n_notes (live), ==, nigran_alert_get_n_notes (again));
    }
  scenario_clear (&scenario);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alert-queue/camera-health-lifecycle", test_camera_health_lifecycle);
  g_test_add_func ("/alert-queue/four-eyes", test_four_eyes);
  g_test_add_func ("/alert-queue/single-verifier", test_single_verifier);
  g_test_add_func ("/alert-queue/kpis", test_kpis);
  g_test_add_func ("/alert-queue/rebuild-matches", test_rebuild_matches);

  return g_test_run ();
}
