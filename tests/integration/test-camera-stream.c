/* test-camera-stream.c: real pipelines against a real nigran-camsim process
 *
 * Frames arrive in every stream and carry their capture time; when the simulator is
 * killed every stream reports offline within 2 s, and when it comes back every
 * stream is live again within its back-off plus 2 s, twenty times over, without
 * leaking file descriptors or threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <sched.h>
#include <string.h>

#include "camsim-process.h"
#include "test-utils.h"
#include "media/nigran-camera-stream-private.h"

#define N_STREAMS 16
#define N_CYCLES  20

typedef struct
{
  CamsimProcess *camsim;
  NigranClock   *clock;
  GPtrArray     *cameras;
  GPtrArray     *streams;
} Fixture;

static NigranCamera *
make_camera (const char *id,
             const char *uris)
{
  g_auto(GStrv) parts = g_strsplit (uris, " ", 2);

  return g_object_new (NIGRAN_TYPE_CAMERA,
                       "id", id, "name", id, "site-id", "test",
                       "main-uri", parts[0], "sub-uri", parts[1],
                       NULL);
}

static guint
count_in_state (Fixture            *fixture,
                NigranCameraStatus  status)
{
  guint n = 0;

  for (guint i = 0; i < fixture->streams->len; i++)
    n += nigran_reconnector_get_state (nigran_camera_stream_get_reconnector (fixture->streams->pdata[i])) == status;
  return n;
}

/* Runs the main loop until every stream is in the state, or the time is up. */
static gboolean
wait_for_all (Fixture            *fixture,
              NigranCameraStatus  status,
              gint64              timeout_us,
              gint64             *took_us)
{
  gint64 start = g_get_monotonic_time ();

  while (count_in_state (fixture, status) < fixture->streams->len)
    {
      if (g_get_monotonic_time () - start > timeout_us)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  if (took_us != NULL)
    *took_us = g_get_monotonic_time () - start;
  return TRUE;
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint
count_threads (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nThreads:");
  return line ? (guint)atoi (line + strlen ("\nThreads:")) : 0;
}

/* The scheduling policy of each of this process's threads, from /proc. */
static guint
count_threads_with_policy (int policy)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
        continue;
      /* After the name come fields 3 onwards; the policy is field 41. */
      fields = g_strsplit (after_name + 2, " ", -1);
      if (g_strv_length (fields) > 38 && atoi (fields[38]) == policy)
        count++;
    }
  return count;
}

static int
main_thread_policy (void)
{
  return sched_getscheduler (0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *args[] = { "--count=16", NULL };
  g_autoptr(GError) error = NULL;

  fixture->camsim = camsim_process_start (args, 0, &error);
  g_assert_no_error (error);
  fixture->clock = nigran_clock_new_system ();
  fixture->cameras = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->streams = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 1; i <= N_STREAMS; i++)
    {
      g_autofree char *id = g_strdup_printf ("sim-%02u", i);
      const char *uris = g_hash_table_lookup (camsim_process_get_uris (fixture->camsim), id);
      NigranCamera *camera;
      NigranCameraStream *stream;

      g_assert_nonnull (uris);
      camera = make_camera (id, uris);
      stream = nigran_camera_stream_new (camera, NIGRAN_STREAM_SUB, fixture->clock, NULL);
      nigran_camera_stream_set_size (stream, 320, 180);
      g_ptr_array_add (fixture->cameras, camera);
      g_ptr_array_add (fixture->streams, stream);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < fixture->streams->len; i++)
    nigran_camera_stream_stop (fixture->streams->pdata[i]);
  g_ptr_array_unref (fixture->streams);
  g_ptr_array_unref (fixture->cameras);
  g_clear_object (&fixture->clock);
  camsim_process_free (fixture->camsim);
}

static void
start_all (Fixture *fixture)
{
  for (guint i = 0; i < fixture->streams->len; i++)
    nigran_camera_stream_start (fixture->streams->pdata[i]);
}

static void
test_frames_arrive (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 took;

  start_all (fixture);
  g_assert_true (wait_for_all (fixture, NIGRAN_CAMERA_STATUS_LIVE, 20 * G_USEC_PER_SEC, &took));
  g_test_message ("all %u streams live after %" G_GINT64_FORMAT " ms", N_STREAMS, took / 1000);

  /* Two more seconds: about 50 frames each at 25 fps. */
  for (gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  for (guint i = 0; i < fixture->streams->len; i++)
    {
      NigranCameraStream *stream = fixture->streams->pdata[i];
      NigranCamera *camera = nigran_camera_stream_get_camera (stream);

      g_assert_cmpuint (nigran_camera_stream_get_n_frames (stream), >=, 40);
      g_assert_cmpuint (nigran_camera_stream_get_n_stamped (stream), >=, 40);
      g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_LIVE);
    }

  /* Decoding yields the CPU to the main thread: each stream decodes in a thread of
   * idle priority, and the main thread keeps its own. */
  g_assert_cmpuint (count_threads_with_policy (SCHED_IDLE), >=, N_STREAMS);
  g_assert_cmpint (main_thread_policy (), ==, SCHED_OTHER);
}

static void
on_presented (gint64   age_us,
              gpointer data)
{
  GArray *ages = data;

  g_array_append_val (ages, age_us);
}

/* A stream into a paintable: frames become textures of the asked size, young. */
static void
test_paintable_frame_age (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(NigranVideoPaintable) paintable = nigran_video_paintable_new ();
  g_autoptr(NigranCameraStream) stream = NULL;
  g_autoptr(GArray) ages = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 p50;
  guint n_unknown;

  stream = nigran_camera_stream_new (fixture->cameras->pdata[0], NIGRAN_STREAM_SUB, fixture->clock, paintable);
  nigran_camera_stream_set_size (stream, 480, 270);
  nigran_video_paintable_set_presented_func (paintable, on_presented, ages);
  nigran_camera_stream_start (stream);

  for (gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       ages->len < 75 && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (ages->len, >=, 75);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 480);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 270);

  g_array_sort (ages, test_compare_gint64);
  for (n_unknown = 0; n_unknown < ages->len && g_array_index (ages, gint64, n_unknown) < 0; n_unknown++)
    ;
  p50 = g_array_index (ages, gint64, n_unknown + (ages->len - n_unknown) / 2);
  g_test_message ("frame age p50 %" G_GINT64_FORMAT " ms over %u frames, %u without a capture time",
                  p50 / 1000, ages->len, n_unknown);
  g_assert_cmpuint (n_unknown, <=, 2);
  g_assert_cmpint (p50, <, 200 * 1000);

  nigran_camera_stream_stop (stream);
}

typedef struct
{
  gint64  since_us;     /* ages of frames presented after this */
  gint64  oldest_us;
  guint   n_presented;
} Recent;

static void
on_presented_recent (gint64   age_us,
                     gpointer data)
{
  Recent *recent = data;

  if (g_get_monotonic_time () < recent->since_us)
    return;
  recent->n_presented++;
  recent->oldest_us = MAX (recent->oldest_us, age_us);
}

/* A decoder slower than the stream (each frame 50 ms, for 40 ms of video) must not
 * drift seconds behind: it skips what is late and starts again at a key frame.
 * Without that, after 10 s the picture would be 2.5 s old and getting older. */
static void
test_catches_up (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(NigranVideoPaintable) paintable = nigran_video_paintable_new ();
  g_autoptr(NigranCameraStream) stream = NULL;
  Recent recent = { G_MAXINT64, 0, 0 };
  gint64 start;

  stream = nigran_camera_stream_new (fixture->cameras->pdata[0], NIGRAN_STREAM_SUB, fixture->clock, paintable);
  nigran_camera_stream_set_size (stream, 320, 180);
  nigran_video_paintable_set_presented_func (paintable, on_presented_recent, &recent);
  nigran_camera_stream_start (stream);
  while (nigran_camera_stream_get_n_frames (stream) < 10)
    g_main_context_iteration (NULL, TRUE);

  _nigran_camera_stream_slow_down (stream, 50 * 1000);
  start = g_get_monotonic_time ();
  recent.since_us = start + 7 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < start + 10 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  g_test_message ("slowed down: %" G_GUINT64_FORMAT " frames skipped; oldest picture in the last 3 s: %"
                  G_GINT64_FORMAT " ms over %u frames", nigran_camera_stream_get_n_skipped (stream),
                  recent.oldest_us / 1000, recent.n_presented);
  g_assert_cmpuint (nigran_camera_stream_get_n_skipped (stream), >, 0);
  g_assert_cmpuint (recent.n_presented, >=, 20);
  g_assert_cmpint (recent.oldest_us, <, 1200 * 1000);
  nigran_camera_stream_stop (stream);
}

static void
on_slow_analysis (const char *camera_id,
                  gint64      capture_us,
                  GstSample  *sample,
                  gpointer    data)
{
  GstCaps *caps = gst_sample_get_caps (sample);

  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (caps, 0), "format"), ==, "RGB");
  g_usleep (300 * 1000);
}

/* An analysis far slower than the video loses analysis frames, never shown ones;
 * turned off, it gets none. */
static void
test_slow_analysis (Fixture       *fixture,
                    gconstpointer  data)
{
  NigranCameraStream *stream = fixture->streams->pdata[0];
  guint64 frames_before, analysed_before, analysed_off;

  nigran_camera_stream_set_analysis (stream, 5, on_slow_analysis, NULL, NULL);
  nigran_camera_stream_start (stream);
  while (nigran_camera_stream_get_n_analysed (stream) == 0)
    g_main_context_iteration (NULL, TRUE);

  frames_before = nigran_camera_stream_get_n_frames (stream);
  analysed_before = nigran_camera_stream_get_n_analysed (stream);
  for (gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_test_message ("in 3 s: %" G_GUINT64_FORMAT " frames shown, %" G_GUINT64_FORMAT " analysed",
                  nigran_camera_stream_get_n_frames (stream) - frames_before,
                  nigran_camera_stream_get_n_analysed (stream) - analysed_before);
  /* 25 fps shown; at most one analysis each 300 ms. */
  g_assert_cmpuint (nigran_camera_stream_get_n_frames (stream) - frames_before, >=, 65);
  g_assert_cmpuint (nigran_camera_stream_get_n_analysed (stream) - analysed_before, <=, 11);

  nigran_camera_stream_set_analysis_enabled (stream, FALSE);
  g_usleep (400 * 1000);
  analysed_off = nigran_camera_stream_get_n_analysed (stream);
  frames_before = nigran_camera_stream_get_n_frames (stream);
  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpuint (nigran_camera_stream_get_n_analysed (stream), ==, analysed_off);
  g_assert_cmpuint (nigran_camera_stream_get_n_frames (stream), >, frames_before + 15);
  nigran_camera_stream_stop (stream);
}

static void
test_kill_and_restart (Fixture       *fixture,
                       gconstpointer  data)
{
  guint fds_baseline = 0, threads_baseline = 0;
  gint64 worst_offline = 0, worst_live_over_backoff = G_MININT64;

  start_all (fixture);
  g_assert_true (wait_for_all (fixture, NIGRAN_CAMERA_STATUS_LIVE, 20 * G_USEC_PER_SEC, NULL));

  for (guint cycle = 1; cycle <= N_CYCLES; cycle++)
    {
      g_autoptr(GError) error = NULL;
      gint64 took, longest_retry_us = 0;

      camsim_process_kill (fixture->camsim);
      if (!wait_for_all (fixture, NIGRAN_CAMERA_STATUS_OFFLINE, 2 * G_USEC_PER_SEC, &took))
        g_error ("cycle %u: only %u of %u streams offline 2 s after the simulator died",
                 cycle, count_in_state (fixture, NIGRAN_CAMERA_STATUS_OFFLINE), N_STREAMS);
      worst_offline = MAX (worst_offline, took);

      g_assert_true (camsim_process_restart (fixture->camsim, &error));
      g_assert_no_error (error);

      for (guint i = 0; i < fixture->streams->len; i++)
        longest_retry_us = MAX (longest_retry_us,
                                nigran_reconnector_get_retry_in_us (nigran_camera_stream_get_reconnector (fixture->streams->pdata[i])));

      if (!wait_for_all (fixture, NIGRAN_CAMERA_STATUS_LIVE, longest_retry_us + 2 * G_USEC_PER_SEC, &took))
        g_error ("cycle %u: only %u of %u streams live again within back-off %" G_GINT64_FORMAT " ms + 2 s",
                 cycle, count_in_state (fixture, NIGRAN_CAMERA_STATUS_LIVE), N_STREAMS, longest_retry_us / 1000);
      worst_live_over_backoff = MAX (worst_live_over_backoff, took - longest_retry_us);

      /* Teardowns finish on worker threads; let them before counting. */
      g_usleep (300 * 1000);
      if (cycle == 2)
        {
          fds_baseline = count_open_fds ();
          threads_baseline = count_threads ();
        }
      else if (cycle > 2)
        {
          g_assert_cmpuint (count_open_fds (), <=, fds_baseline + 4);
          g_assert_cmpuint (count_threads (), <=, threads_baseline + 8);
        }
    }

  g_test_message ("offline detected within %" G_GINT64_FORMAT " ms at worst; live again "
                  "%" G_GINT64_FORMAT " ms after the back-off at worst; fds %u → %u, threads %u → %u",
                  worst_offline / 1000, worst_live_over_backoff / 1000,
                  fds_baseline, count_open_fds (), threads_baseline, count_threads ());
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  test_tolerate_known_gstreamer_criticals ();

  g_test_add ("/camera-stream/frames-arrive", Fixture, NULL, fixture_set_up, test_frames_arrive, fixture_tear_down);
  g_test_add ("/camera-stream/paintable-frame-age", Fixture, NULL, fixture_set_up, test_paintable_frame_age, fixture_tear_down);
  g_test_add ("/camera-stream/catches-up", Fixture, NULL, fixture_set_up, test_catches_up, fixture_tear_down);
  g_test_add ("/camera-stream/slow-analysis", Fixture, NULL, fixture_set_up, test_slow_analysis, fixture_tear_down);
  g_test_add ("/camera-stream/kill-and-restart", Fixture, NULL, fixture_set_up, test_kill_and_restart, fixture_tear_down);

  return g_test_run ();
}
