/* nigran-camera-stream.c: one camera's pipeline, from RTSP to a tile-sized frame
 *
 * rtspsrc (TCP) → rtph264depay → h264parse → avdec_h264 (one thread: frame threads
 * add latency and no throughput) → videoscale to the tile's pixel size → videoconvert
 * to BGRA (BGR for the cairo renderer) → appsink, whose newest frame goes to the
 * tile's paintable. Scaling before converting converts fewer pixels; measured here, this pair takes 0.36 ms a frame
 * from 640×360 I420 to 320×180 BGRA, where GStreamer 1.22's single videoconvertscale
 * takes 0.92 ms. Without a paintable the pipeline ends in a fakesink, which measures
 * what decoding alone can sustain.
 *
 * The reconnector decides when to build and tear down the pipeline. Teardown runs on a
 * worker thread because rtspsrc may wait on a dead server when it goes to NULL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gst/app/gstappsink.h>
#include <gst/rtsp/gstrtsptransport.h>
#include <string.h>

#include "nigran-camera-stream-private.h"
#include "nigran-frame-stamp.h"

#define RTSP_LATENCY_MS   200
#define TCP_TIMEOUT_US    (5 * G_USEC_PER_SEC)
#define STAMP_RING_SIZE   32

/* What the streaming threads may touch. Shared by reference with the pipeline's
 * callbacks; "detached" tells them the stream has let go of this pipeline. */
#define CATCH_UP_AFTER_US (500 * 1000)

typedef struct
{
  gatomicrefcount       ref_count;
  GMutex                lock;
  gboolean              detached;
  NigranVideoPaintable *paintable;    /* under lock */
  NigranReconnector    *reconnector;  /* under lock */
  guint64               n_frames;     /* atomic via lock */
  guint64               n_stamped;
  struct { GstClockTime pts; gint64 capture_us; } stamps[STAMP_RING_SIZE];
  guint                 next_stamp;
  /* decoder input, streaming thread only: how far behind the stream it runs */
  GstClockTime          first_pts;
  gint64                first_arrival_us;
  gint64                least_behind_us;    /* the decoder's best, drifting with the camera's clock */
  gint64                last_check_us;
  gboolean              awaiting_key_frame;
  guint64               n_skipped;          /* atomic */
  gint                  slow_down_us;       /* atomic; tests: a decoder slower than the stream */
  /* the analysis branch */
  char                 *camera_id;
  GMutex                analysis_lock;      /* held while calling analysis_func; taken before lock */
  NigranAnalysisFunc    analysis_func;      /* under analysis_lock */
  gpointer              analysis_data;
  gint                  analysis_enabled;   /* atomic */
  guint64               n_analysed;         /* under lock */
  GstClockTime          analysis_interval;
  GstClockTime          next_analysis_pts;  /* decoder's streaming thread only */
} SinkContext;

struct _NigranCameraStream
{
  GObject              parent_instance;

  NigranCamera        *camera;
  NigranStreamVariant  variant;
  NigranClock         *clock;
  NigranVideoPaintable *paintable;
  NigranReconnector   *reconnector;
  int                  width;
  int                  height;
  char                *user;
  char                *password;

  GstElement          *pipeline;
  GstElement          *capsfilter;
  guint                bus_watch_id;
  SinkContext         *context;
  guint64              n_frames_before;   /* of earlier pipelines */
  guint64              n_stamped_before;
  guint64              n_analysed_before;

  int                  analysis_fps;      /* 0: no analysis branch */
  NigranAnalysisFunc   analysis_func;
  gpointer             analysis_data;
  GDestroyNotify       analysis_destroy;
  gboolean             analysis_enabled;
};

G_DEFINE_FINAL_TYPE (NigranCameraStream, nigran_camera_stream, G_TYPE_OBJECT)

static GThreadPool *teardown_pool;

static SinkContext *
sink_context_new (NigranCameraStream *stream)
{
  SinkContext *context = g_new0 (SinkContext, 1);

  g_atomic_ref_count_init (&context->ref_count);
  g_mutex_init (&context->lock);
  g_mutex_init (&context->analysis_lock);
  context->paintable = stream->paintable ? g_object_ref (stream->paintable) : NULL;
  context->reconnector = g_object_ref (stream->reconnector);
  context->camera_id = g_strdup (nigran_camera_get_id (stream->camera));
  context->analysis_func = stream->analysis_func;
  context->analysis_data = stream->analysis_data;
  context->analysis_enabled = stream->analysis_enabled;
  return context;
}

static SinkContext *
sink_context_ref (SinkContext *context)
{
  g_atomic_ref_count_inc (&context->ref_count);
  return context;
}

static void
sink_context_unref (gpointer data)
{
  SinkContext *context = data;

  if (!g_atomic_ref_count_dec (&context->ref_count))
    return;
  g_assert (context->detached);
  g_mutex_clear (&context->lock);
  g_mutex_clear (&context->analysis_lock);
  g_free (context->camera_id);
  g_free (context);
}

/* Main thread: after this the callbacks touch nothing of the stream's. */
static void
sink_context_detach (SinkContext *context)
{
  g_autoptr(NigranVideoPaintable) paintable = NULL;
  g_autoptr(NigranReconnector) reconnector = NULL;

  g_mutex_lock (&context->lock);
  context->detached = TRUE;
  paintable = g_steal_pointer (&context->paintable);
  reconnector = g_steal_pointer (&context->reconnector);
  g_mutex_unlock (&context->lock);

  /* Waits for an analysis under way to return. */
  g_mutex_lock (&context->analysis_lock);
  context->analysis_func = NULL;
  g_mutex_unlock (&context->analysis_lock);
}

/* Under the lock: the capture time the stream carried for the frame of @pts, or 0. */
static gint64
sink_context_capture_time (SinkContext  *context,
                           GstClockTime  pts)
{
  if (GST_CLOCK_TIME_IS_VALID (pts))
    for (guint i = 0; i < STAMP_RING_SIZE; i++)
      if (context->stamps[i].pts == pts)
        return context->stamps[i].capture_us;
  return 0;
}

static void
sink_context_frame (SinkContext *context,
                    GstSample   *sample,
                    GstClockTime pts)
{
  gint64 capture_us;
  gint slow_down_us = g_atomic_int_get (&context->slow_down_us);

  if (slow_down_us > 0)
    g_usleep (slow_down_us);
  g_mutex_lock (&context->lock);
  if (!context->detached)
    {
      capture_us = sink_context_capture_time (context, pts);
      context->n_frames++;
      nigran_reconnector_frame_arrived (context->reconnector);
      if (context->paintable != NULL && sample != NULL)
        nigran_video_paintable_push_sample (context->paintable, sample, capture_us);
    }
  g_mutex_unlock (&context->lock);
}

/* Whether the decoder, fed @buffer now, runs more than CATCH_UP_AFTER behind the
 * stream. "Behind" is wall time since the first buffer less stream time since it;
 * it is compared with the least it has been, which may creep up by the drift a
 * camera's clock can have (100 ppm) but not by a backlog, which grows far faster. */
static gboolean
running_late (SinkContext *context,
              GstBuffer   *buffer)
{
  gint64 now = g_get_monotonic_time ();
  gint64 behind;

  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return FALSE;
  if (context->first_arrival_us == 0 || GST_BUFFER_PTS (buffer) < context->first_pts)
    {
      context->first_pts = GST_BUFFER_PTS (buffer);
      context->first_arrival_us = context->last_check_us = now;
      context->least_behind_us = 0;
      return FALSE;
    }
  behind = (now - context->first_arrival_us) - (gint64)GST_TIME_AS_USECONDS (GST_BUFFER_PTS (buffer) - context->first_pts);
  context->least_behind_us = MIN (behind, context->least_behind_us + (now - context->last_check_us) / 10000);
  context->last_check_us = now;
  return behind - context->least_behind_us > CATCH_UP_AFTER_US;
}

/* When decoding falls behind (more streams than the CPU decodes in real time, or
 * the main thread taking the CPU), frames queue up before the decoder and the
 * picture drifts seconds behind. Instead, skip what is late without decoding it,
 * which is cheap, and start again at the next key frame once caught up. */
static GstPadProbeReturn
decoder_input_probe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         data)
{
  SinkContext *context = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint64 capture_us;

  if (buffer == NULL)
    return GST_PAD_PROBE_OK;
  if (running_late (context, buffer))
    {
      context->awaiting_key_frame = TRUE;
      g_atomic_pointer_add (&context->n_skipped, 1);
      return GST_PAD_PROBE_DROP;
    }
  if (context->awaiting_key_frame)
    {
      if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
        {
          g_atomic_pointer_add (&context->n_skipped, 1);
          return GST_PAD_PROBE_DROP;
        }
      context->awaiting_key_frame = FALSE;
    }

  if (GST_BUFFER_PTS_IS_VALID (buffer) &&
      nigran_frame_stamp_read (buffer, &capture_us))
    {
      g_mutex_lock (&context->lock);
      if (context->detached)
        {
          g_mutex_unlock (&context->lock);
          return GST_PAD_PROBE_OK;
        }
      context->stamps[context->next_stamp].pts = GST_BUFFER_PTS (buffer);
      context->stamps[context->next_stamp].capture_us = capture_us;
      context->next_stamp = (context->next_stamp + 1) % STAMP_RING_SIZE;
      context->n_stamped++;
      g_mutex_unlock (&context->lock);
    }
  return GST_PAD_PROBE_OK;
}

static GstFlowReturn
on_new_sample (GstAppSink *appsink,
               gpointer    data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstBuffer *buffer;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  sink_context_frame (data, sample, buffer ? GST_BUFFER_PTS (buffer) : GST_CLOCK_TIME_NONE);
  return GST_FLOW_OK;
}

/* The analysis branch's own thread: hands the frame on, under a lock of its own so
 * that it cannot race a detach, and that a slow analysis holds up no shown frame. */
static GstFlowReturn
on_new_analysis_sample (GstAppSink *appsink,
                        gpointer    data)
{
  SinkContext *context = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstBuffer *buffer;
  gint64 capture_us;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!g_atomic_int_get (&context->analysis_enabled))
    return GST_FLOW_OK;
  buffer = gst_sample_get_buffer (sample);

  g_mutex_lock (&context->lock);
  capture_us = sink_context_capture_time (context, buffer ? GST_BUFFER_PTS (buffer) : GST_CLOCK_TIME_NONE);
  g_mutex_unlock (&context->lock);

  g_mutex_lock (&context->analysis_lock);
  if (context->analysis_func != NULL)
    {
      context->analysis_func (context->camera_id, capture_us, sample, context->analysis_data);
      g_mutex_lock (&context->lock);
      context->n_analysed++;
      g_mutex_unlock (&context->lock);
    }
  g_mutex_unlock (&context->analysis_lock);
  return GST_FLOW_OK;
}

/* In the decoder's thread, before the analysis queue: lets through one frame per
 * analysis interval. (videorate would do it, but refuses the variable frame rate
 * that RTSP cameras announce.) */
static GstPadProbeReturn
analysis_rate_probe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         data)
{
  SinkContext *context = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  /* A timestamp that went back is a new stream: start again. */
  if (GST_BUFFER_PTS (buffer) < context->next_analysis_pts &&
      context->next_analysis_pts - GST_BUFFER_PTS (buffer) <= 2 * context->analysis_interval)
    return GST_PAD_PROBE_DROP;
  context->next_analysis_pts = GST_BUFFER_PTS (buffer) + context->analysis_interval;
  return GST_PAD_PROBE_OK;
}

/* With recognition off, frames stop before the colour conversion. */
static GstPadProbeReturn
analysis_gate_probe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         data)
{
  SinkContext *context = data;

  return g_atomic_int_get (&context->analysis_enabled) ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

static GstPadProbeReturn
count_fakesink_frame_probe (GstPad          *pad,
                            GstPadProbeInfo *info,
                            gpointer         data)
{
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  sink_context_frame (data, NULL, buffer ? GST_BUFFER_PTS (buffer) : GST_CLOCK_TIME_NONE);
  return GST_PAD_PROBE_OK;
}

static void
on_rtspsrc_pad_added (GstElement *rtspsrc,
                      GstPad     *pad,
                      gpointer    data)
{
  GstElement *depay = data;
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (depay, "sink");
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstStructure *structure = caps ? gst_caps_get_structure (caps, 0) : NULL;
  const char *media = structure ? gst_structure_get_string (structure, "media") : NULL;
  const char *encoding = structure ? gst_structure_get_string (structure, "encoding-name") : NULL;

  if (g_strcmp0 (media, "video") != 0 || gst_pad_is_linked (sink_pad))
    return;

  if (g_strcmp0 (encoding, "H264") != 0)
    {
      GST_ELEMENT_ERROR (rtspsrc, STREAM, CODEC_NOT_FOUND,
                         ("The camera sends %s video; the wall decodes H.264 only. "
                          "Set the camera's stream to H.264.", encoding ? encoding : "unknown"),
                         (NULL));
      return;
    }
  gst_pad_link (pad, sink_pad);
}

/* Overwrites a password before freeing it, so it does not linger in freed memory. */
static void
clear_password (char **password)
{
  if (*password != NULL)
    explicit_bzero (*password, strlen (*password));
  g_clear_pointer (password, g_free);
}

static void
teardown_pipeline_thread (gpointer data,
                          gpointer pool_data)
{
  g_autoptr(GstElement) pipeline = data;

  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
update_caps (NigranCameraStream *self)
{
  g_autoptr(GstCaps) caps = NULL;

  if (self->capsfilter == NULL)
    return;

  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, nigran_video_paintable_get_frame_format (),
                              NULL);
  if (self->width > 0 && self->height > 0)
    gst_caps_set_simple (caps,
                         "width", G_TYPE_INT, self->width,
                         "height", G_TYPE_INT, self->height,
                         "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                         NULL);
  g_object_set (self->capsfilter, "caps", caps, NULL);
}

static void
teardown (NigranCameraStream *self)
{
  if (self->pipeline == NULL)
    return;

  g_clear_handle_id (&self->bus_watch_id, g_source_remove);
  sink_context_detach (self->context);
  self->n_frames_before += self->context->n_frames;
  self->n_stamped_before += self->context->n_stamped;
  self->n_analysed_before += self->context->n_analysed;
  g_clear_pointer (&self->context, sink_context_unref);
  self->capsfilter = NULL;
  g_thread_pool_push (teardown_pool, g_steal_pointer (&self->pipeline), NULL);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    data)
{
  NigranCameraStream *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("%s: %s (%s)", nigran_camera_get_id (self->camera), error->message, debug);
        if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED))
          nigran_reconnector_failed (self->reconnector,
                                     nigran_camera_get_credential_ref (self->camera) != NULL
                                     ? "the camera refused the user name or password of its credential"
                                     : "the camera asks for a login; give it a credential in the site file");
        else
          nigran_reconnector_failed (self->reconnector, error->message);
        break;
      }
    case GST_MESSAGE_EOS:
      nigran_reconnector_failed (self->reconnector, "the camera ended the stream");
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* A streaming thread posts "enter" from itself as it starts. Decoding yields to the
 * main thread and the display server: with 36 streams on 2 cores, decoding threads
 * at the main thread's priority kept it waiting for the CPU for 100 ms and more and
 * the wall presented 55–92 % of frames. At nice 19 the main thread still waited half
 * the time it ran, as a hundred niced threads outweigh it; at SCHED_IDLE any thread of
 * normal priority takes the CPU from them at once, and the main thread's stalls fell
 * from p99 40–65 ms to 19–21 ms at 36 and 49 tiles (tests/bench/bench-wall). A
 * decoder that falls behind drops frames, which the tile's frame age shows; a main
 * thread that falls behind freezes every tile and the rest of the console. */
static void
lower_this_thread_priority (void)
{
  /* On Linux the policy and niceness of a thread id are that thread's alone. */
  if (sched_setscheduler (gettid (), SCHED_IDLE, &(struct sched_param) { 0 }) != 0 &&
      setpriority (PRIO_PROCESS, gettid (), 19) != 0)
    g_debug ("A streaming thread keeps its priority: %s", g_strerror (errno));
}

/* A lower priority cannot be taken back without privileges, and GStreamer reuses its
 * threads: so camera streams run their tasks in threads of their own pool, which
 * nothing else in the process (the demo's simulator, alert sounds) gets. GLib would
 * hand a pool's idle thread to any other pool, GTask's among them; with no unused
 * threads kept, an idle thread ends instead. */
static GstTaskPool *
get_camera_task_pool (void)
{
  static GstTaskPool *pool;

  if (g_once_init_enter (&pool))
    {
      GstTaskPool *new_pool = gst_task_pool_new ();
      g_autoptr(GError) error = NULL;

      g_thread_pool_set_max_unused_threads (0);
      gst_task_pool_prepare (new_pool, &error);
      if (error != NULL)
        g_warning ("The camera streams' thread pool could not start: %s", error->message);
      g_once_init_leave (&pool, new_pool);
    }
  return pool;
}

static GstBusSyncReply
on_sync_message (GstBus     *bus,
                 GstMessage *message,
                 gpointer    user_data)
{
  GstStreamStatusType type;
  GstElement *owner;
  const GValue *object;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_STREAM_STATUS)
    return GST_BUS_PASS;

  gst_message_parse_stream_status (message, &type, &owner);
  if (type == GST_STREAM_STATUS_TYPE_CREATE &&
      (object = gst_message_get_stream_status_object (message)) != NULL &&
      G_VALUE_HOLDS (object, GST_TYPE_TASK))
    gst_task_set_pool (GST_TASK (g_value_get_object (object)), get_camera_task_pool ());
  /* On Linux the niceness of a thread id is that thread's alone. */
  else if (type == GST_STREAM_STATUS_TYPE_ENTER)
    lower_this_thread_priority ();
  return GST_BUS_PASS;
}

/* decoder → tee → the display branch, first and in the decoder's thread, as without
 * analysis; and → (the analysis rate) → a leaky one-frame queue (its own thread: a
 * slow analysis loses frames, never holds the decoder) → RGB → appsink. */
static gboolean
add_analysis_branch (NigranCameraStream  *self,
                     GstElement          *pipeline,
                     GstElement          *decoder,
                     GstElement          *display,
                     GError             **error)
{
  GstElement *tee = gst_element_factory_make ("tee", NULL);
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  GstElement *convert = gst_element_factory_make ("videoconvert", NULL);
  GstElement *capsfilter = gst_element_factory_make ("capsfilter", NULL);
  GstElement *sink = gst_element_factory_make ("appsink", NULL);
  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB", NULL);
  g_autoptr(GstPad) queue_sink = NULL;
  g_autoptr(GstPad) queue_src = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_analysis_sample };

  if (!tee || !queue || !convert || !capsfilter || !sink)
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                   "A GStreamer plugin for the analysis branch is missing (coreelements, "
                   "videoconvert or app)");
      g_clear_object (&tee); g_clear_object (&queue);
      g_clear_object (&convert); g_clear_object (&capsfilter); g_clear_object (&sink);
      return FALSE;
    }

  g_object_set (queue, "leaky", 2 /* downstream: drop the older */, "max-size-buffers", 1,
                "max-size-bytes", 0, "max-size-time", (guint64)0, NULL);
  g_object_set (capsfilter, "caps", caps, NULL);
  /* Not asynchronous: the state changes wait for the display's sink alone. The tee
   * feeds the display first, and that sink holds the decoder's thread until the
   * pipeline plays, so this sink would never get the frame it waits for. */
  g_object_set (sink, "max-buffers", 1, "drop", TRUE, "sync", FALSE, "async", FALSE,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks,
                              sink_context_ref (self->context), sink_context_unref);

  gst_bin_add_many (GST_BIN (pipeline), tee, queue, convert, capsfilter, sink, NULL);
  if (!gst_element_link (decoder, tee) || !gst_element_link (tee, display) ||
      !gst_element_link_many (tee, queue, convert, capsfilter, sink, NULL))
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                   "Could not link the analysis branch for %s", nigran_camera_get_id (self->camera));
      return FALSE;
    }
  self->context->analysis_interval = GST_SECOND / self->analysis_fps;
  queue_sink = gst_element_get_static_pad (queue, "sink");
  gst_pad_add_probe (queue_sink, GST_PAD_PROBE_TYPE_BUFFER, analysis_rate_probe,
                     sink_context_ref (self->context), sink_context_unref);
  queue_src = gst_element_get_static_pad (queue, "src");
  gst_pad_add_probe (queue_src, GST_PAD_PROBE_TYPE_BUFFER, analysis_gate_probe,
                     sink_context_ref (self->context), sink_context_unref);
  return TRUE;
}

static gboolean
build_pipeline (NigranCameraStream  *self,
                GError             **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (nigran_camera_get_id (self->camera));
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) decoder_sink = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *source, *depay, *parse, *decoder, *scale, *convert, *capsfilter, *sink;

  source = gst_element_factory_make ("rtspsrc", NULL);
  depay = gst_element_factory_make ("rtph264depay", NULL);
  parse = gst_element_factory_make ("h264parse", NULL);
  decoder = gst_element_factory_make ("avdec_h264", NULL);
  scale = gst_element_factory_make ("videoscale", NULL);
  convert = gst_element_factory_make ("videoconvert", NULL);
  capsfilter = gst_element_factory_make ("capsfilter", NULL);
  sink = gst_element_factory_make (self->paintable ? "appsink" : "fakesink", NULL);

  if (!source || !depay || !parse || !decoder || !scale || !convert || !capsfilter || !sink)
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                   "A GStreamer plugin is missing (rtsp, rtp, videoparsersbad, libav, "
                   "videoscale, videoconvert or app); install the packages in "
                   "build-aux/debian-packages.txt");
      g_clear_object (&source); g_clear_object (&depay); g_clear_object (&parse);
      g_clear_object (&decoder); g_clear_object (&scale); g_clear_object (&convert);
      g_clear_object (&capsfilter); g_clear_object (&sink);
      return FALSE;
    }

  g_object_set (source,
                "location", nigran_camera_get_uri (self->camera, self->variant),
                "protocols", GST_RTSP_LOWER_TRANS_TCP,
                "latency", RTSP_LATENCY_MS,
                "tcp-timeout", (guint64)TCP_TIMEOUT_US,
                NULL);
  /* Credentials go to rtspsrc's properties only, never into a URI that a log or an
   * error message could echo. */
  if (self->user != NULL)
    g_object_set (source, "user-id", self->user, "user-pw", self->password, NULL);
  g_object_set (decoder, "max-threads", 1, NULL);

  gst_bin_add_many (GST_BIN (pipeline), source, depay, parse, decoder, scale, convert,
                    capsfilter, sink, NULL);
  if (!gst_element_link_many (depay, parse, decoder, NULL) ||
      !gst_element_link_many (scale, convert, capsfilter, sink, NULL))
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                   "Could not link the decoding pipeline for %s",
                   nigran_camera_get_id (self->camera));
      return FALSE;
    }
  g_signal_connect_object (source, "pad-added", G_CALLBACK (on_rtspsrc_pad_added), depay, 0);

  self->context = sink_context_new (self);

  if (self->analysis_fps > 0 ? !add_analysis_branch (self, pipeline, decoder, scale, error)
                             : !gst_element_link (decoder, scale))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                     "Could not link the decoding pipeline for %s",
                     nigran_camera_get_id (self->camera));
      sink_context_detach (self->context);
      g_clear_pointer (&self->context, sink_context_unref);
      return FALSE;
    }

  decoder_sink = gst_element_get_static_pad (decoder, "sink");
  gst_pad_add_probe (decoder_sink, GST_PAD_PROBE_TYPE_BUFFER, decoder_input_probe,
                     sink_context_ref (self->context), sink_context_unref);

  if (self->paintable != NULL)
    {
      GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };

      g_object_set (sink,
                    "max-buffers", 1,
                    "drop", TRUE,
                    "sync", FALSE,
                    "enable-last-sample", FALSE,
                    NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks,
                                  sink_context_ref (self->context), sink_context_unref);
    }
  else
    {
      g_object_set (sink, "sync", FALSE, "enable-last-sample", FALSE, NULL);
      sink_pad = gst_element_get_static_pad (sink, "sink");
      gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER, count_fakesink_frame_probe,
                         sink_context_ref (self->context), sink_context_unref);
    }

  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, on_sync_message, NULL, NULL);
  self->bus_watch_id = gst_bus_add_watch (bus, on_bus_message, self);
  self->capsfilter = capsfilter;
  self->pipeline = g_steal_pointer (&pipeline);
  update_caps (self);
  return TRUE;
}

static void
on_reconnector_connect (NigranReconnector  *reconnector,
                        NigranCameraStream *self)
{
  g_autoptr(GError) error = NULL;

  teardown (self);

  if (nigran_camera_get_uri (self->camera, self->variant) == NULL)
    {
      nigran_reconnector_failed (reconnector, "the camera has no stream address yet");
      return;
    }
  if (!build_pipeline (self, &error))
    {
      teardown (self);
      nigran_reconnector_failed (reconnector, error->message);
      return;
    }
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    nigran_reconnector_failed (reconnector, "the pipeline would not start");
}

static void
on_reconnector_disconnect (NigranReconnector  *reconnector,
                           NigranCameraStream *self)
{
  teardown (self);
}

static void
on_reconnector_state_changed (NigranReconnector  *reconnector,
                              GParamSpec         *pspec,
                              NigranCameraStream *self)
{
  nigran_camera_report_status (self->camera, self, nigran_reconnector_get_state (reconnector));
}

static void
nigran_camera_stream_dispose (GObject *object)
{
  NigranCameraStream *self = (NigranCameraStream *)object;

  if (self->reconnector != NULL)
    {
      nigran_reconnector_stop (self->reconnector);
      g_signal_handlers_disconnect_by_data (self->reconnector, self);
    }
  teardown (self);
  /* Detached by the teardown: no streaming thread calls it any more. */
  if (self->analysis_destroy != NULL)
    g_clear_pointer (&self->analysis_data, self->analysis_destroy);
  self->analysis_func = NULL;
  g_clear_object (&self->reconnector);
  g_clear_object (&self->paintable);
  g_clear_object (&self->clock);
  g_clear_object (&self->camera);
  g_clear_pointer (&self->user, g_free);
  clear_password (&self->password);

  G_OBJECT_CLASS (nigran_camera_stream_parent_class)->dispose (object);
}

static void
nigran_camera_stream_class_init (NigranCameraStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nigran_camera_stream_dispose;

  teardown_pool = g_thread_pool_new (teardown_pipeline_thread, NULL, 4, FALSE, NULL);
}

static void
nigran_camera_stream_init (NigranCameraStream *self)
{
}

/* paintable may be NULL: the stream then decodes and scales into a fakesink. */
NigranCameraStream *
nigran_camera_stream_new (NigranCamera         *camera,
                          NigranStreamVariant   variant,
                          NigranClock          *clock,
                          NigranVideoPaintable *paintable)
{
  NigranCameraStream *self;

  g_return_val_if_fail (NIGRAN_IS_CAMERA (camera), NULL);
  g_return_val_if_fail (NIGRAN_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (paintable == NULL || NIGRAN_IS_VIDEO_PAINTABLE (paintable), NULL);

  self = g_object_new (NIGRAN_TYPE_CAMERA_STREAM, NULL);
  self->camera = g_object_ref (camera);
  self->variant = variant;
  self->clock = g_object_ref (clock);
  self->paintable = paintable ? g_object_ref (paintable) : NULL;
  self->reconnector = nigran_reconnector_new (clock, g_str_hash (nigran_camera_get_id (camera)) ^ variant);

  g_signal_connect (self->reconnector, "connect", G_CALLBACK (on_reconnector_connect), self);
  g_signal_connect (self->reconnector, "disconnect", G_CALLBACK (on_reconnector_disconnect), self);
  g_signal_connect (self->reconnector, "notify::state", G_CALLBACK (on_reconnector_state_changed), self);
  return self;
}

NigranCamera *
nigran_camera_stream_get_camera (NigranCameraStream *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), NULL);
  return self->camera;
}

NigranStreamVariant
nigran_camera_stream_get_variant (NigranCameraStream *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), NIGRAN_STREAM_SUB);
  return self->variant;
}

NigranReconnector *
nigran_camera_stream_get_reconnector (NigranCameraStream *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), NULL);
  return self->reconnector;
}

/* The camera's user name and password, resolved from its credential reference; they
 * take effect at the next connection. */
void
nigran_camera_stream_set_credentials (NigranCameraStream *self,
                                      const char         *user,
                                      const char         *password)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));

  g_free (self->user);
  self->user = g_strdup (user);
  clear_password (&self->password);
  self->password = g_strdup (password);
}

/* The picture's size on screen in device pixels; 0 keeps the camera's own size. */
void
nigran_camera_stream_set_size (NigranCameraStream *self,
                               int                 width,
                               int                 height)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));

  /* Even sizes keep I420 scaling exact. */
  width &= ~1;
  height &= ~1;
  if (width == self->width && height == self->height)
    return;
  self->width = width;
  self->height = height;
  update_caps (self);
}

void
nigran_camera_stream_start (NigranCameraStream *self)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));
  nigran_reconnector_start (self->reconnector);
}

void
nigran_camera_stream_stop (NigranCameraStream *self)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));
  nigran_reconnector_stop (self->reconnector);
}

guint64
nigran_camera_stream_get_n_frames (NigranCameraStream *self)
{
  guint64 n_frames;

  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), 0);

  n_frames = self->n_frames_before;
  if (self->context != NULL)
    {
      g_mutex_lock (&self->context->lock);
      n_frames += self->context->n_frames;
      g_mutex_unlock (&self->context->lock);
    }
  return n_frames;
}

/* Frames that carried a capture time, for measuring frame age. */
guint64
nigran_camera_stream_get_n_stamped (NigranCameraStream *self)
{
  guint64 n_stamped;

  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), 0);

  n_stamped = self->n_stamped_before;
  if (self->context != NULL)
    {
      g_mutex_lock (&self->context->lock);
      n_stamped += self->context->n_stamped;
      g_mutex_unlock (&self->context->lock);
    }
  return n_stamped;
}

/* Frames skipped, undecoded, to catch up with the stream. */
guint64
nigran_camera_stream_get_n_skipped (NigranCameraStream *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), 0);

  return self->context ? (guint64)g_atomic_pointer_get (&self->context->n_skipped) : 0;
}

/* Tests: make each decoded frame take @delay_us longer, as an overloaded CPU would. */
void
_nigran_camera_stream_slow_down (NigranCameraStream *self,
                                 guint               delay_us)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));

  if (self->context != NULL)
    g_atomic_int_set (&self->context->slow_down_us, delay_us);
}

/**
 * nigran_camera_stream_set_analysis:
 * @fps: frames a second at most for @func, 1 to 25
 * @func: (nullable): called on a streaming thread with an RGB frame of the stream's
 *   decoded size and the capture time the camera carried (0 if none); never after
 *   the stream stops or is finalized, or after this is called again with %NULL
 *
 * Gives the stream an analysis branch beside the display, from its next (re)start. A
 * slow @func loses frames; it never slows the picture. Analysis starts enabled.
 */
void
nigran_camera_stream_set_analysis (NigranCameraStream *self,
                                   int                 fps,
                                   NigranAnalysisFunc  func,
                                   gpointer            user_data,
                                   GDestroyNotify      destroy)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));
  g_return_if_fail (func == NULL || (fps >= 1 && fps <= 25));
  /* A running pipeline gets a new function only at its next start; it can lose its
   * old one at once. */
  g_return_if_fail (func == NULL || self->context == NULL);

  if (self->context != NULL)
    {
      /* Waits for a call under way to return. */
      g_mutex_lock (&self->context->analysis_lock);
      self->context->analysis_func = NULL;
      g_mutex_unlock (&self->context->analysis_lock);
    }
  if (self->analysis_destroy != NULL)
    g_clear_pointer (&self->analysis_data, self->analysis_destroy);
  self->analysis_fps = func != NULL ? fps : 0;
  self->analysis_func = func;
  self->analysis_data = user_data;
  self->analysis_destroy = destroy;
  self->analysis_enabled = func != NULL;
}

/* Takes effect at once, for the next frame: video goes on either way. */
void
nigran_camera_stream_set_analysis_enabled (NigranCameraStream *self,
                                           gboolean            enabled)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (self));

  self->analysis_enabled = enabled;
  if (self->context != NULL)
    g_atomic_int_set (&self->context->analysis_enabled, enabled);
}

/* Frames handed to the analysis function. */
guint64
nigran_camera_stream_get_n_analysed (NigranCameraStream *self)
{
  guint64 n_analysed;

  g_return_val_if_fail (NIGRAN_IS_CAMERA_STREAM (self), 0);

  n_analysed = self->n_analysed_before;
  if (self->context != NULL)
    {
      g_mutex_lock (&self->context->lock);
      n_analysed += self->context->n_analysed;
      g_mutex_unlock (&self->context->lock);
    }
  return n_analysed;
}
