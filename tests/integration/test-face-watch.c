/* test-face-watch.c: live recognition end to end
 *
 * A real nigran-camsim process plays two Intel sample clips as two cameras: a woman
 * on sim-01, a man on sim-02. The woman is enrolled from one frame of her clip;
 * recognition runs on both cameras through the camera streams' analysis branches,
 * the engine and the watch, into a real event log. An alert for her follows on
 * sim-01, none on sim-02; "stop recognition" ends all detection within a second
 * while video goes on, and starting and stopping are recorded.
 *
 * Needs the models and ../shared/data/video; skips, saying why, without them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>

#include "camsim-process.h"
#include "test-utils.h"
#include "core/nigran-alert.h"
#include "core/nigran-alert-queue.h"
#include "gui/nigran-face-watch.h"

typedef struct
{
  GPtrArray *alerts;   /* of NigranEvent: alert.raised of kind face.match */
  guint      n_started;
  guint      n_stopped;
} Seen;

static void
on_event (NigranEventBus *bus,
          NigranEvent    *event,
          Seen           *seen)
{
  const char *type = nigran_event_get_event_type (event);

  if (g_str_equal (type, "alert.raised") &&
      g_strcmp0 (json_object_get_string_member_with_default (nigran_event_get_payload (event), "kind", ""),
                 "face.match") == 0)
    g_ptr_array_add (seen->alerts, g_object_ref (event));
  else if (g_str_equal (type, "recognition.started"))
    seen->n_started++;
  else if (g_str_equal (type, "recognition.stopped"))
    seen->n_stopped++;
}

static char *
clip_path (const char *name)
{
  return g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "video", "intel", "from-preview-gifs", name, NULL);
}

/* Frame @index of @path, decoded to RGB, as an operator freezing a tile would get it. */
static GstSample *
decode_frame (const char *path,
              guint       index)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *description = g_strdup_printf ("uridecodebin uri=\"%s\" ! videoconvert ! "
                                                  "video/x-raw,format=RGB ! appsink name=sink sync=false", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  GstSample *sample = NULL;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (guint i = 0; i <= index; i++)
    {
      g_clear_pointer (&sample, gst_sample_unref);
      sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
      g_assert_nonnull (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return sample;
}

static void
enrol_from_frame (NigranFaceWatch *watch,
                  const char      *clip,
                  const char      *name)
{
  g_autoptr(GstSample) sample = decode_frame (clip, 5);
  g_autoptr(NigranFaceResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GstVideoInfo info;
  GstVideoFrame frame;

  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ));
  result = nigran_engine_analyse (nigran_face_watch_get_engine (watch), NIGRAN_PIXEL_FORMAT_RGB,
                                  GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), GST_VIDEO_FRAME_WIDTH (&frame),
                                  GST_VIDEO_FRAME_HEIGHT (&frame), GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                                  &error);
  gst_video_frame_unmap (&frame);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_faces, >=, 1);
  nigran_face_watch_enrol (watch, name, "Wanted (test)", NIGRAN_ALERT_PRIORITY_HIGH, 2, &result->faces[0]);
}

static guint
alerts_on (Seen       *seen,
           const char *camera_id)
{
  guint n = 0;

  for (guint i = 0; i < seen->alerts->len; i++)
    if (nigran_event_find_subject (seen->alerts->pdata[i], "camera") != NULL &&
        g_str_equal (nigran_event_find_subject (seen->alerts->pdata[i], "camera"), camera_id))
      n++;
  return n;
}

typedef struct
{
  char            *work;
  CamsimProcess   *camsim;
  NigranClock     *clock;
  NigranEventBus  *bus;
  NigranEventLog  *log;
  NigranAlertQueue *queue;
  NigranFaceWatch *watch;
  GPtrArray       *streams;
  Seen             seen;
} Scenario;

/* The woman enrolled; sim-01 shows her, sim-02 the man; recognition running. FALSE
 * after marking the test skipped. */
static gboolean
scenario_start (Scenario *scenario,
                gint64    cooldown_us)
{
  g_autofree char *woman = clip_path ("head-pose-face-detection-female.mp4");
  g_autofree char *man = clip_path ("head-pose-face-detection-male.mp4");
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *log_path = NULL, *evidence = NULL;
  g_autoptr(GError) error = NULL;

  scenario->seen.alerts = g_ptr_array_new_with_free_func (g_object_unref);
  scenario->streams = g_ptr_array_new_with_free_func (g_object_unref);
  if (!g_file_test (woman, G_FILE_TEST_EXISTS) || !g_file_test (man, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/video is absent");
      return FALSE;
    }

  scenario->work = g_dir_make_tmp ("nigran-face-watch-XXXXXX", NULL);
  log_path = g_build_filename (scenario->work, "events.sqlite", NULL);
  evidence = g_build_filename (scenario->work, "evidence", NULL);
  scenario->clock = nigran_clock_new_system ();
  scenario->bus = nigran_event_bus_new ();
  scenario->log = nigran_event_log_open (log_path, scenario->clock, scenario->bus, "ws-test", &error);
  g_assert_no_error (error);
  scenario->queue = nigran_alert_queue_new ();
  g_signal_connect_swapped (scenario->bus, "event", G_CALLBACK (nigran_alert_queue_apply), scenario->queue);
  g_signal_connect (scenario->bus, "event", G_CALLBACK (on_event), &scenario->seen);

  scenario->watch = nigran_face_watch_new (scenario->log, models_dir, &error);
  if (g_error_matches (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS))
    {
      g_test_skip (error->message);
      return FALSE;
    }
  g_assert_no_error (error);
  nigran_face_watch_set_evidence_directory (scenario->watch, evidence);
  nigran_face_watch_set_cooldown (scenario->watch, cooldown_us);
  {
    g_autoptr(NigranWatchlist) wanted = nigran_watchlist_new ("Wanted (test)", "wanted");

    nigran_watchlist_set_tone (wanted, NIGRAN_ALERT_TONE_SIREN);
    nigran_face_watch_define_watchlist (scenario->watch, wanted, "sam");
  }
  enrol_from_frame (scenario->watch, woman, "Test person A");

  {
    const char *args[] = { "--count=2", woman, man, NULL };

    scenario->camsim = camsim_process_start (args, 0, &error);
    g_assert_no_error (error);
  }
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("sim-%02u", i);
      g_auto(GStrv) uris = g_strsplit (g_hash_table_lookup (camsim_process_get_uris (scenario->camsim), id), " ", 2);
      g_autoptr(NigranCamera) camera = g_object_new (NIGRAN_TYPE_CAMERA, "id", id, "name", id,
                                                     "site-id", "test-site", "main-uri", uris[0],
                                                     "sub-uri", uris[1], NULL);
      NigranCameraStream *stream = nigran_camera_stream_new (camera, NIGRAN_STREAM_SUB, scenario->clock, NULL);

      nigran_camera_stream_set_size (stream, 320, 180);
      nigran_face_watch_attach (scenario->watch, stream);
      g_ptr_array_add (scenario->streams, stream);
    }
  nigran_face_watch_set_running (scenario->watch, TRUE, "tester");
  for (guint i = 0; i < scenario->streams->len; i++)
    nigran_camera_stream_start (scenario->streams->pdata[i]);
  return TRUE;
}

static void
scenario_stop (Scenario *scenario)
{
  for (guint i = 0; i < scenario->streams->len; i++)
    nigran_camera_stream_stop (scenario->streams->pdata[i]);
  g_clear_object (&scenario->watch);
  g_clear_object (&scenario->queue);
  if (scenario->log != NULL)
    nigran_event_log_close (scenario->log);
  g_clear_object (&scenario->log);
  g_clear_object (&scenario->bus);
  g_clear_object (&scenario->clock);
  g_clear_pointer (&scenario->camsim, camsim_process_free);
  g_ptr_array_unref (scenario->streams);
  g_ptr_array_unref (scenario->seen.alerts);
  if (scenario->work != NULL)
    test_remove_directory (scenario->work);
  g_free (scenario->work);
}

/* Waits up to 30 s (the clips loop every 2–4 s: many passes of each person). */
static void
wait_for_alert_on (Scenario   *scenario,
                   const char *camera_id,
                   guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (alerts_on (&scenario->seen, camera_id) < n && g_get_monotonic_time () < deadline)
    test_iterate_for (100 * 1000);
}

#define DAY_US (G_GINT64_CONSTANT (24 * 3600) * G_USEC_PER_SEC)

static void
on_retention_applied (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  *(GAsyncResult **)data = g_object_ref (result);
}

static gboolean
apply_retention (NigranFaceWatch *watch,
                 gint64           now_us,
                 guint           *n_matches)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean applied;

  nigran_face_watch_apply_retention_async (watch, now_us, NULL, on_retention_applied, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  applied = nigran_face_watch_apply_retention_finish (watch, result, n_matches, NULL, &error);
  g_assert_no_error (error);
  return applied;
}

static void
test_enrolled_person_alerts (void)
{
  Scenario scenario = { 0 };
  gint64 stopped_at;
  guint64 frames_at_stop[2];

  if (!scenario_start (&scenario, 60 * G_USEC_PER_SEC))
    {
      scenario_stop (&scenario);
      return;
    }
  wait_for_alert_on (&scenario, "sim-01", 1);
  test_iterate_for (5 * G_USEC_PER_SEC);

  g_test_message ("%" G_GUINT64_FORMAT " frames shown; %" G_GUINT64_FORMAT " results, %u alerts on sim-01, %u on sim-02; "
                  "frames analysed %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
                  nigran_camera_stream_get_n_frames (scenario.streams->pdata[0]),
                  nigran_face_watch_get_n_results (scenario.watch),
                  alerts_on (&scenario.seen, "sim-01"), alerts_on (&scenario.seen, "sim-02"),
                  nigran_camera_stream_get_n_analysed (scenario.streams->pdata[0]),
                  nigran_camera_stream_get_n_analysed (scenario.streams->pdata[1]));
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-01"), ==, 1);   /* one per pass, then the cooldown */
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-02"), ==, 0);
  {
    JsonObject *payload = nigran_event_get_payload (scenario.seen.alerts->pdata[0]);

    g_assert_cmpstr (json_object_get_string_member (payload, "matched"), ==, "Test person A");
    /* Raised as its watchlist says. */
    g_assert_cmpstr (json_object_get_string_member (payload, "watchlist"), ==, "Wanted (test)");
    g_assert_cmpstr (json_object_get_string_member (payload, "colour"), ==, "#c01c28");
    g_assert_cmpstr (json_object_get_string_member (payload, "tone"), ==, "siren");
    g_assert_cmpfloat (json_object_get_double_member (payload, "score"), >=, NIGRAN_FACE_WATCH_DEFAULT_THRESHOLD);
    g_assert_cmpint (json_object_get_int_member (payload, "verifiers_required"), ==, 2);
    /* The simulator's capture time came through: capture to alert, in ms. */
    g_assert_cmpint (json_object_get_int_member (payload, "frame_age_ms"), >=, 0);
    g_assert_cmpint (json_object_get_int_member (payload, "frame_age_ms"), <, 2000);
    g_test_message ("capture to alert: %" G_GINT64_FORMAT " ms",
                    json_object_get_int_member (payload, "frame_age_ms"));
    /* Evidence: a crop of the frame, kept beside the log. */
    g_assert_true (g_file_test (json_object_get_string_member (payload, "snapshot"), G_FILE_TEST_IS_REGULAR));
  }

  /* Stop: no result later than a second after, while the video goes on. */
  nigran_face_watch_set_running (scenario.watch, FALSE, "tester");
  stopped_at = g_get_monotonic_time ();
  for (guint i = 0; i < 2; i++)
    frames_at_stop[i] = nigran_camera_stream_get_n_frames (scenario.streams->pdata[i]);
  test_iterate_for (3 * G_USEC_PER_SEC);
  g_assert_cmpint (nigran_face_watch_get_last_result_us (scenario.watch), <=, stopped_at + G_USEC_PER_SEC);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (nigran_camera_stream_get_n_frames (scenario.streams->pdata[i]), >, frames_at_stop[i] + 25);

  nigran_event_bus_flush (scenario.bus);
  test_iterate_for (500 * 1000);
  g_assert_cmpuint (scenario.seen.n_started, ==, 1);
  g_assert_cmpuint (scenario.seen.n_stopped, ==, 1);

  /* Retention: kept for 180 days, the match's evidence goes after that; the alert
   * and the chain stay. */
  {
    JsonObject *payload = nigran_event_get_payload (scenario.seen.alerts->pdata[0]);
    g_autofree char *snapshot = g_strdup (json_object_get_string_member (payload, "snapshot"));
    g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (scenario.queue), 0);
    g_autofree char *problem = NULL;
    gint64 n_events = 0, first_broken = 0;
    g_autoptr(GError) error = NULL;
    guint n_matches = G_MAXUINT;

    g_assert_nonnull (nigran_alert_get_snapshot (alert));
    g_assert_true (apply_retention (scenario.watch, g_get_real_time () + 179 * DAY_US, &n_matches));
    g_assert_cmpuint (n_matches, ==, 0);
    g_assert_true (g_file_test (snapshot, G_FILE_TEST_EXISTS));
    g_assert_true (apply_retention (scenario.watch, g_get_real_time () + 181 * DAY_US, &n_matches));
    g_assert_cmpuint (n_matches, ==, 1);
    nigran_event_bus_flush (scenario.bus);
    test_iterate_for (200 * 1000);
    g_assert_false (g_file_test (snapshot, G_FILE_TEST_EXISTS));
    g_assert_null (nigran_alert_get_snapshot (alert));
    g_assert_cmpstr (nigran_alert_get_matched (alert), ==, "Test person A");
    g_assert_true (nigran_event_log_verify (nigran_event_log_get_path (scenario.log), &n_events, &first_broken,
                                            &problem, &error));
    g_assert_no_error (error);
    g_assert_null (problem);
    /* Erased once: nothing left to find. */
    g_assert_true (apply_retention (scenario.watch, g_get_real_time () + 181 * DAY_US, &n_matches));
    g_assert_cmpuint (n_matches, ==, 0);
  }
  scenario_stop (&scenario);
}

/* The camera looks away for longer than a track lasts: whoever it then sees is on a
 * new pass. */
static void
start_new_pass (Scenario *scenario)
{
  nigran_face_watch_set_camera_enabled (scenario->watch, "sim-01", FALSE, "tester");
  test_iterate_for (3 * G_USEC_PER_SEC);
  nigran_face_watch_set_camera_enabled (scenario->watch, "sim-01", TRUE, "tester");
}

/* With a short cooldown the woman raises an alert on each pass; once a reviewer
 * rejects one as the wrong person, her face is a negative of that entry and raises no
 * more. */
static void
test_wrong_person_learned (void)
{
  Scenario scenario = { 0 };
  guint before;

  if (!scenario_start (&scenario, G_USEC_PER_SEC))
    {
      scenario_stop (&scenario);
      return;
    }
  wait_for_alert_on (&scenario, "sim-01", 1);
  /* One alert a pass, however long she stays. */
  test_iterate_for (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-01"), ==, 1);
  start_new_pass (&scenario);
  wait_for_alert_on (&scenario, "sim-01", 2);
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-01"), ==, 2);

  /* The reviewer rejects the alerts so far as the wrong person. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (scenario.queue)); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (scenario.queue), i);
      g_autoptr(NigranEvent) rejection = nigran_alert_action_event_new (alert, NIGRAN_ALERT_ACTION_REJECT, NULL,
                                                                       NIGRAN_REJECT_REASON_WRONG_PERSON);

      nigran_event_log_append_async (scenario.log, rejection, "bob", NULL, NULL, NULL);
    }
  nigran_event_bus_flush (scenario.bus);
  test_iterate_for (G_USEC_PER_SEC);

  before = alerts_on (&scenario.seen, "sim-01");
  start_new_pass (&scenario);
  test_iterate_for (8 * G_USEC_PER_SEC);
  g_test_message ("after the rejection: %u more alerts, %u matches suppressed",
                  alerts_on (&scenario.seen, "sim-01") - before, nigran_face_watch_get_n_suppressed (scenario.watch));
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-01"), ==, before);
  g_assert_cmpuint (nigran_face_watch_get_n_suppressed (scenario.watch), >, 0);
  scenario_stop (&scenario);
}

/* Recognition off for one camera: its video goes on, its faces raise nothing; the
 * choice is recorded and read back at the next start; on again, the alert comes. */
static void
test_camera_off (void)
{
  Scenario scenario = { 0 };
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autoptr(NigranFaceWatch) restarted = NULL;
  g_autoptr(GError) error = NULL;
  guint64 frames_before;

  if (!scenario_start (&scenario, G_USEC_PER_SEC))
    {
      scenario_stop (&scenario);
      return;
    }
  nigran_face_watch_set_camera_enabled (scenario.watch, "sim-01", FALSE, "sam");
  g_assert_false (nigran_face_watch_is_analysing (scenario.watch, "sim-01"));
  g_assert_true (nigran_face_watch_is_analysing (scenario.watch, "sim-02"));
  frames_before = nigran_camera_stream_get_n_frames (scenario.streams->pdata[0]);
  test_iterate_for (8 * G_USEC_PER_SEC);
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-01"), ==, 0);
  g_assert_cmpuint (nigran_camera_stream_get_n_frames (scenario.streams->pdata[0]), >, frames_before + 100);
  g_assert_cmpuint (nigran_camera_stream_get_n_analysed (scenario.streams->pdata[0]), ==, 0);

  nigran_event_bus_flush (scenario.bus);
  restarted = nigran_face_watch_new (scenario.log, models_dir, &error);
  g_assert_no_error (error);
  g_assert_true (nigran_face_watch_restore (restarted, &error));
  g_assert_false (nigran_face_watch_get_camera_enabled (restarted, "sim-01"));
  g_assert_true (nigran_face_watch_get_camera_enabled (restarted, "sim-02"));

  nigran_face_watch_set_camera_enabled (scenario.watch, "sim-01", TRUE, "sam");
  wait_for_alert_on (&scenario, "sim-01", 1);
  g_assert_cmpuint (alerts_on (&scenario.seen, "sim-01"), >=, 1);
  scenario_stop (&scenario);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  test_tolerate_known_gstreamer_criticals ();

  g_test_add_func ("/face-watch/enrolled-person-alerts", test_enrolled_person_alerts);
  g_test_add_func ("/face-watch/wrong-person-learned", test_wrong_person_learned);
  g_test_add_func ("/face-watch/camera-off", test_camera_off);

  return g_test_run ();
}
