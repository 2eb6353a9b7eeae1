/* bench-faces.c: how fast the face engine and the gallery search are on this machine
 *
 * 1. Analysis on one core: the dlib photos (43 marked faces in 9 photos, 320–500 px)
 *    and ORL mugshots, each analysed repeatedly; frames per second and faces per
 *    second of one thread's CPU time.
 * 2. 1:N search over 10 k, 100 k and 1 M random unit embeddings: time per query of
 *    the gallery's search (a pass over 8-bit copies, then exact similarity for the
 *    closest few) against the exhaustive float search in the same run, and how often
 *    both name the same face, for probes that are new photos of enrolled people and
 *    for strangers.
 *
 * 3. Alert latency, from the frame's capture in the simulator to the alert committed
 *    in the event log, p50/p95, with recognition at 5 frames a second on 16 cameras
 *    that all show an enrolled person (nigran-camsim looping an Intel sample clip),
 *    against the same with one camera in the same run.
 *
 * Targets: search ≤ 2 ms at 10 k, ≤ 10 ms at 100 k, ≤ 50 ms at 1 M per query; alert
 * latency p95 ≤ 500 ms at 16 cameras.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <sys/resource.h>

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "camsim-process.h"
#include "test-utils.h"
#include "engine/nigran-engine.h"
#include "engine/nigran-face-gallery.h"
#include "gui/nigran-face-watch.h"

static double
thread_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static GPtrArray *
load_photos (void)
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  g_autofree char *dlib = g_build_filename (shared ? shared : "../shared/data", "faces", "dlib", "faces", NULL);
  g_autofree char *orl = g_build_filename (shared ? shared : "../shared/data", "faces", "orl", NULL);
  g_autoptr(GDir) dir = g_dir_open (dlib, 0, NULL);
  GPtrArray *photos = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dlib, name, NULL);
      GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, NULL);

      if (pixbuf != NULL)
        g_ptr_array_add (photos, pixbuf);
    }
  for (guint person = 1; person <= 10; person++)
    {
      g_autofree char *path = g_strdup_printf ("%s/s%u/1.pgm", orl, person);
      GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, NULL);

      if (pixbuf != NULL)
        g_ptr_array_add (photos, pixbuf);
    }
  return photos;
}

static void
bench_analysis (NigranEngine *engine)
{
  g_autoptr(GPtrArray) photos = load_photos ();
  guint64 frames = 0, faces = 0;
  double cpu_start, cpu;

  if (photos->len == 0)
    {
      g_print ("analysis: skipped, ../shared/data/faces is absent\n");
      return;
    }
  cpu_start = thread_cpu_seconds ();
  for (guint round = 0; round < 5; round++)
    for (guint i = 0; i < photos->len; i++)
      {
        GdkPixbuf *photo = photos->pdata[i];
        g_autoptr(NigranFaceResult) result =
          nigran_engine_analyse (engine,
                                 gdk_pixbuf_get_has_alpha (photo) ? NIGRAN_PIXEL_FORMAT_RGBA : NIGRAN_PIXEL_FORMAT_RGB,
                                 gdk_pixbuf_read_pixels (photo), gdk_pixbuf_get_width (photo),
                                 gdk_pixbuf_get_height (photo), gdk_pixbuf_get_rowstride (photo), NULL);

        frames++;
        faces += result ? result->n_faces : 0;
      }
  cpu = thread_cpu_seconds () - cpu_start;
  g_print ("analysis on one core: %" G_GUINT64_FORMAT " photos with %" G_GUINT64_FORMAT " faces in %.2f s CPU: "
           "%.1f photos/s, %.1f faces/s, %.1f ms per photo\n",
           frames, faces, cpu, frames / cpu, faces / cpu, 1000 * cpu / frames);
}

static void
random_unit_vector (GRand *rand,
                    float *vector)
{
  double norm = 0;

  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    {
      vector[i] = (float)g_rand_double_range (rand, -1, 1);
      norm += vector[i] * vector[i];
    }
  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    vector[i] /= (float)sqrt (norm);
}

/* A probe close to enrolled face @index, as a new photo of an enrolled person is:
 * similarity about 0.7. */
static void
noisy_copy (GRand       *rand,
            const float *enrolled,
            float       *probe)
{
  float noise[NIGRAN_FACE_EMBEDDING_SIZE];
  double norm = 0;

  random_unit_vector (rand, noise);
  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    {
      probe[i] = 0.7f * enrolled[i] + 0.71f * noise[i];
      norm += probe[i] * probe[i];
    }
  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    probe[i] /= (float)sqrt (norm);
}

static void
bench_search (GRand *rand,
              guint  size)
{
  g_autoptr(NigranFaceGallery) gallery = nigran_face_gallery_new ();
  g_autofree float *all = g_new (float, (gsize)size * NIGRAN_FACE_EMBEDDING_SIZE);
  guint n_queries = size >= 1000000 ? 10 : size >= 100000 ? 30 : 200;
  g_autofree float *probes = g_new (float, (gsize)2 * n_queries * NIGRAN_FACE_EMBEDDING_SIZE);
  guint agree_enrolled = 0, agree_stranger = 0;
  volatile float sink = 0;
  gint64 start;
  double fast_ms, exhaustive_ms, read_ms;

  for (guint i = 0; i < size; i++)
    {
      g_autofree char *identity = g_strdup_printf ("person-%u", i);
      float *vector = all + (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE;

      random_unit_vector (rand, vector);
      nigran_face_gallery_add (gallery, identity, vector);
    }
  /* Half the probes are new photos of enrolled people, half are strangers. */
  for (guint q = 0; q < n_queries; q++)
    {
      noisy_copy (rand, all + (gsize)g_rand_int_range (rand, 0, size) * NIGRAN_FACE_EMBEDDING_SIZE,
                  probes + (gsize)(2 * q) * NIGRAN_FACE_EMBEDDING_SIZE);
      random_unit_vector (rand, probes + (gsize)(2 * q + 1) * NIGRAN_FACE_EMBEDDING_SIZE);
    }

  start = g_get_monotonic_time ();
  for (guint q = 0; q < 2 * n_queries; q++)
    nigran_face_gallery_search (gallery, probes + (gsize)q * NIGRAN_FACE_EMBEDDING_SIZE, NULL);
  fast_ms = (g_get_monotonic_time () - start) / 1000.0 / (2 * n_queries);

  start = g_get_monotonic_time ();
  for (guint q = 0; q < 2 * n_queries; q++)
    nigran_face_gallery_search_exhaustive (gallery, probes + (gsize)q * NIGRAN_FACE_EMBEDDING_SIZE, NULL);
  exhaustive_ms = (g_get_monotonic_time () - start) / 1000.0 / (2 * n_queries);

  for (guint q = 0; q < 2 * n_queries; q++)
    {
      const float *probe = probes + (gsize)q * NIGRAN_FACE_EMBEDDING_SIZE;
      float fast_score, exact_score;
      const char *fast = nigran_face_gallery_search (gallery, probe, &fast_score);
      const char *exact = nigran_face_gallery_search_exhaustive (gallery, probe, &exact_score);

      if (g_strcmp0 (fast, exact) == 0)
        {
          if (q % 2 == 0)
            agree_enrolled++;
          else
            agree_stranger++;
        }
    }

  /* The floor for reading the float copy: touching every number once. */
  start = g_get_monotonic_time ();
  for (guint q = 0; q < n_queries; q++)
    {
      float sums[8] = { 0 };

      for (gsize i = 0; i < (gsize)size * NIGRAN_FACE_EMBEDDING_SIZE; i += 8)
        for (guint lane = 0; lane < 8; lane++)
          sums[lane] += all[i + lane];
      for (guint lane = 0; lane < 8; lane++)
        sink += sums[lane];
    }
  read_ms = (g_get_monotonic_time () - start) / 1000.0 / n_queries;

  g_print ("search %7u faces: %.2f ms per query; exhaustive float %.2f ms (ratio %.2f), "
           "reading the floats once %.2f ms; same top-1 as exhaustive: enrolled %u/%u, strangers %u/%u\n",
           size, fast_ms, exhaustive_ms, fast_ms / exhaustive_ms, read_ms,
           agree_enrolled, n_queries, agree_stranger, n_queries);
}

static void
on_committed (NigranEventBus *bus,
              NigranEvent    *event,
              GArray         *latencies)
{
  JsonObject *payload;
  gint64 captured_us;

  if (!g_str_equal (nigran_event_get_event_type (event), "alert.raised"))
    return;
  payload = nigran_event_get_payload (event);
  captured_us = json_object_get_int_member_with_default (payload, "captured_us", 0);
  if (captured_us > 0)
    {
      gint64 latency = g_get_real_time () - captured_us;
      g_array_append_val (latencies, latency);
    }
}

/* The woman of the clip, enrolled from frame 5 of it. */
static gboolean
enrol_from_clip (NigranFaceWatch *watch,
                 const char      *clip)
{
  g_autofree char *uri = gst_filename_to_uri (clip, NULL);
  g_autofree char *description = g_strdup_printf ("uridecodebin uri=\"%s\" ! videoconvert ! "
                                                  "video/x-raw,format=RGB ! appsink name=sink sync=false", uri);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, NULL);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(NigranFaceResult) result = NULL;
  GstVideoInfo info;
  GstVideoFrame frame;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (guint i = 0; i <= 5; i++)
    {
      g_clear_pointer (&sample, gst_sample_unref);
      if ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) == NULL)
        break;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (sample == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return FALSE;
  result = nigran_engine_analyse (nigran_face_watch_get_engine (watch), NIGRAN_PIXEL_FORMAT_RGB,
                                  GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), GST_VIDEO_FRAME_WIDTH (&frame),
                                  GST_VIDEO_FRAME_HEIGHT (&frame), GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), NULL);
  gst_video_frame_unmap (&frame);
  if (result == NULL || result->n_faces == 0)
    return FALSE;
  nigran_face_watch_enrol (watch, "Benchmark person", "Benchmark", NIGRAN_ALERT_PRIORITY_HIGH, 2, &result->faces[0]);
  return TRUE;
}

/* The woman stays in view, and a track raises one alert a pass: each camera looks
 * away for 2.5 s of every 4 (ending her track), one after another 250 ms apart, so
 * that she comes back on a new pass every 4 s. */
#define PASS_US       (4 * G_USEC_PER_SEC)
#define LOOK_AWAY_US  (2500 * 1000)

static void
run_passes (NigranFaceWatch *watch,
            guint            n_cameras,
            gint64           duration_us)
{
  gint64 start = g_get_monotonic_time (), elapsed;

  while ((elapsed = g_get_monotonic_time () - start) < duration_us)
    {
      for (guint i = 1; i <= n_cameras; i++)
        {
          g_autofree char *id = g_strdup_printf ("sim-%02u", i);
          gboolean looking = (elapsed + i * PASS_US / 16) % PASS_US >= LOOK_AWAY_US;

          if (looking != nigran_face_watch_get_camera_enabled (watch, id))
            nigran_face_watch_set_camera_enabled (watch, id, looking, "bench");
        }
      test_iterate_for (50 * 1000);
    }
}

/* p95 alert latency in ms over @n_cameras, or -1. */
static double
bench_alert_latency (const char *clip,
                     guint       n_cameras)
{
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *count_arg = g_strdup_printf ("--count=%u", n_cameras);
  const char *args[] = { count_arg, "--idle-priority", clip, NULL };
  g_autofree char *work = g_dir_make_tmp ("nigran-bench-faces-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (work, "events.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CamsimProcess) camsim = camsim_process_start (args, 0, &error);
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranEventLog) log = NULL;
  g_autoptr(NigranFaceWatch) watch = NULL;
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  double p50, p95;

  if (camsim == NULL)
    {
      g_print ("alert latency: skipped, %s\n", error->message);
      return -1;
    }
  log = nigran_event_log_open (log_path, clock, bus, "ws-bench", &error);
  if (log == NULL || (watch = nigran_face_watch_new (log, models_dir, &error)) == NULL)
    {
      g_print ("alert latency: skipped, %s\n", error->message);
      return -1;
    }
  if (!enrol_from_clip (watch, clip))
    {
      g_print ("alert latency: skipped, no face to enrol in %s\n", clip);
      return -1;
    }
  /* Shorter than a pass, to have many alerts to measure. */
  nigran_face_watch_set_cooldown (watch, G_USEC_PER_SEC);
  g_signal_connect (bus, "event", G_CALLBACK (on_committed), latencies);

  for (guint i = 1; i <= n_cameras; i++)
    {
      g_autofree char *id = g_strdup_printf ("sim-%02u", i);
      g_auto(GStrv) uris = g_strsplit (g_hash_table_lookup (camsim_process_get_uris (camsim), id), " ", 2);
      g_autoptr(NigranCamera) camera = g_object_new (NIGRAN_TYPE_CAMERA, "id", id, "name", id,
                                                     "site-id", "bench", "main-uri", uris[0],
                                                     "sub-uri", uris[1], NULL);
      NigranCameraStream *stream = nigran_camera_stream_new (camera, NIGRAN_STREAM_SUB, clock, NULL);

      nigran_camera_stream_set_size (stream, 320, 180);
      nigran_face_watch_attach (watch, stream);
      g_ptr_array_add (streams, stream);
    }
  nigran_face_watch_set_running (watch, TRUE, "bench");
  for (guint i = 0; i < streams->len; i++)
    nigran_camera_stream_start (streams->pdata[i]);

  test_iterate_for (5 * G_USEC_PER_SEC);
  g_array_set_size (latencies, 0);
  run_passes (watch, n_cameras, 30 * G_USEC_PER_SEC);

  p50 = test_percentile_ms (latencies, 0.50);
  p95 = test_percentile_ms (latencies, 0.95);
  g_print ("alert latency, %2u cameras at %d fps: %u alerts in 30 s, capture to committed p50 %.0f ms, p95 %.0f ms\n",
           n_cameras, NIGRAN_FACE_WATCH_DEFAULT_FPS, latencies->len, p50, p95);

  for (guint i = 0; i < streams->len; i++)
    nigran_camera_stream_stop (streams->pdata[i]);
  g_clear_object (&watch);
  nigran_event_log_close (log);
  test_remove_directory (work);
  return p95;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  NigranEngineConfig config = { .models_dir = models_dir };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  NigranEngine *engine;

  gst_init (&argc, &argv);
  engine = nigran_engine_new (&config, NULL, NULL, &error);

  if (engine == NULL)
    g_print ("analysis: skipped, %s\n", error->message);
  else
    {
      bench_analysis (engine);
      nigran_engine_free (engine);
    }

  bench_search (rand, 10000);
  bench_search (rand, 100000);
  bench_search (rand, 1000000);

  {
    const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
    g_autofree char *clip = g_build_filename (shared ? shared : "../shared/data", "video", "intel",
                                              "from-preview-gifs", "head-pose-face-detection-female.mp4", NULL);
    double one, sixteen;

    if (!g_file_test (clip, G_FILE_TEST_EXISTS))
      g_print ("alert latency: skipped, ../shared/data/video is absent\n");
    else if ((one = bench_alert_latency (clip, 1)) > 0 && (sixteen = bench_alert_latency (clip, 16)) > 0)
      g_print ("alert latency p95, 16 cameras / 1 camera: %.2f\n", sixteen / one);
  }
  return 0;
}
