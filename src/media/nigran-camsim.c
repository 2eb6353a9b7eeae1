/* nigran-camsim.c: simulated cameras, served as H.264 over RTSP on 127.0.0.1
 *
 * Each footage file is encoded once per stream size into the user's cache (main
 * 1280×720, sub 640×360, 25 fps, a key frame every second); viewers get the cached
 * stream looped, parsed and payloaded, never re-encoded. Every access unit is stamped
 * with the UTC time at which the pipeline clock sends it (nigran-frame-stamp.c), so
 * the console can measure a frame's age on screen. The payloader is fed byte-stream
 * access units because the stamp is inserted as a start-code-delimited NAL unit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <glib/gstdio.h>

#include "nigran-camsim.h"
#include "core/nigran-camera.h"
#include "nigran-frame-stamp.h"
#include "nigran-traffic-scene.h"

#define DEFAULT_FOOTAGE "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
/* Bump when the encoding settings change, so old caches are not reused. */
#define CACHE_FORMAT    "2"
/* Bump when the drawn traffic scene changes. */
#define SCENE_FORMAT    "1"
/* Camera i starts i × 7.04 s into its footage, wrapping at a minute; the odd step
 * also spreads the cameras' key frames over the second. */
#define START_OFFSET_STEP  (7040 * GST_MSECOND)
#define START_OFFSET_RANGE (60 * GST_SECOND)

typedef struct
{
  char *camera_id;
  char *footage;
  char *main_cache;
  char *sub_cache;
} SimulatedCamera;

/* What one mount point serves. */
typedef struct
{
  char         *cache_path;
  GstClockTime  start_offset;
  guint         mtu;
} Mount;

/* One viewer's stream: it starts at the first key frame after the camera's start
 * offset, so the cameras of one footage show different moments, and their key frames
 * do not all reach the console in the same instant. */
typedef struct
{
  GstClockTime start_offset;
  GstClockTime base;  /* the timestamp of the first frame served; NONE before it */
} Viewer;

struct _NigranCamsim
{
  GObject        parent_instance;

  GPtrArray     *cameras;  /* of SimulatedCamera */
  GstRTSPServer *server;
  guint          server_source_id;
  guint16        port;
  guint          mtu;
  char          *user;       /* with a password: viewers must authenticate */
  char          *password;
};

G_DEFINE_FINAL_TYPE (NigranCamsim, nigran_camsim, G_TYPE_OBJECT)

G_DEFINE_QUARK (nigran-camsim-error-quark, nigran_camsim_error)

static void
simulated_camera_free (gpointer data)
{
  SimulatedCamera *camera = data;

  g_free (camera->camera_id);
  g_free (camera->footage);
  g_free (camera->main_cache);
  g_free (camera->sub_cache);
  g_free (camera);
}

/* What names one encoding of @footage: its path, size and time for a file. */
static char *
describe_footage (const char *footage,
                  int         width,
                  int         height,
                  GError    **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (g_str_has_prefix (footage, NIGRAN_CAMERA_SCENE_PREFIX))
    return g_strdup_printf ("%s|%dx%d@%d|" CACHE_FORMAT "|" SCENE_FORMAT, footage, width, height, NIGRAN_CAMSIM_FPS);

  file = g_file_new_for_path (footage);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    {
      g_prefix_error (error, "Cannot read the footage %s: ", footage);
      if (error != NULL && *error != NULL)
        {
          (*error)->domain = NIGRAN_CAMSIM_ERROR;
          (*error)->code = NIGRAN_CAMSIM_ERROR_NO_FOOTAGE;
        }
      return NULL;
    }
  return g_strdup_printf ("%s|%" G_GOFFSET_FORMAT "|%" G_GUINT64_FORMAT "|%dx%d@%d|" CACHE_FORMAT,
                          g_file_peek_path (file), g_file_info_get_size (info),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                          width, height, NIGRAN_CAMSIM_FPS);
}

static char *
cache_path_for (const char *footage,
                int         width,
                int         height,
                GError    **error)
{
  g_autofree char *key = describe_footage (footage, width, height, error);
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  if (key == NULL)
    return NULL;
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strdup_printf ("%.16s-%dx%d.h264", digest, width, height);
  return g_build_filename (g_get_user_cache_dir (), "nigran", "camsim", name, NULL);
}

/* Pushes one loop of the traffic scene (the only scene) into @source, then its end. */
static void
draw_scene (GstAppSrc *source,
            int        width,
            int        height)
{
  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGRx",
                                                 "width", G_TYPE_INT, width, "height", G_TYPE_INT, height,
                                                 "framerate", GST_TYPE_FRACTION, NIGRAN_CAMSIM_FPS, 1,
                                                 "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  guint n_frames = nigran_traffic_scene_get_n_frames (NIGRAN_CAMSIM_FPS);

  gst_app_src_set_caps (source, caps);
  for (guint i = 0; i < n_frames; i++)
    {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, (gsize)width * height * 4, NULL);
      GstMapInfo map;
      cairo_surface_t *surface;
      cairo_t *cr;

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      surface = cairo_image_surface_create_for_data (map.data, CAIRO_FORMAT_RGB24, width, height, width * 4);
      cr = cairo_create (surface);
      nigran_traffic_scene_draw (cr, width, height, (double)i / NIGRAN_CAMSIM_FPS);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, NIGRAN_CAMSIM_FPS);
      GST_BUFFER_DURATION (buffer) = GST_SECOND / NIGRAN_CAMSIM_FPS;
      if (gst_app_src_push_buffer (source, buffer) != GST_FLOW_OK)
        break;
    }
  gst_app_src_end_of_stream (source);
}

/* Worker thread. Writes to a temporary file and renames it, so that two simulators
 * filling the same cache at once never read a half-written file. */
static gboolean
encode_footage (const char  *footage,
                const char  *cache_path,
                int          width,
                int          height,
                GError     **error)
{
  g_autofree char *description = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *cache_dir = g_path_get_dirname (cache_path);
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  gboolean ok = FALSE;
  gboolean scene = g_str_has_prefix (footage, NIGRAN_CAMERA_SCENE_PREFIX);

  if (g_file_test (cache_path, G_FILE_TEST_EXISTS))
    return TRUE;

  if (g_mkdir_with_parents (cache_dir, 0700) != 0)
    {
      g_set_error (error, NIGRAN_CAMSIM_ERROR, NIGRAN_CAMSIM_ERROR_ENCODE,
                   "Cannot create the cache folder %s: %s", cache_dir, g_strerror (errno));
      return FALSE;
    }
  tmp_path = g_strdup_printf ("%s.%u.tmp", cache_path, g_random_int ());

  description = g_strdup_printf (
      "%s ! "
      "videoconvert ! videoscale ! videorate ! "
      "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1 ! "
      "x264enc tune=zerolatency speed-preset=superfast key-int-max=%d bitrate=%d ! "
      "video/x-h264,profile=constrained-baseline ! h264parse ! "
      "video/x-h264,stream-format=byte-stream,alignment=au ! filesink name=sink",
      scene ? "appsrc name=source format=time block=true"
            : "filesrc name=source ! decodebin ! aspectratiocrop aspect-ratio=16/9",
      width, height, NIGRAN_CAMSIM_FPS, NIGRAN_CAMSIM_FPS, width >= 1280 ? 2500 : 800);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    {
      g_prefix_error (error, "Cannot build the encoder (is gstreamer1.0-plugins-ugly installed?): ");
      return FALSE;
    }
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", tmp_path, NULL);
  if (!scene)
    g_object_set (source, "location", footage, NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (scene)
    draw_scene (GST_APP_SRC (source), width, height);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_set_error (error, NIGRAN_CAMSIM_ERROR, NIGRAN_CAMSIM_ERROR_ENCODE,
                   "Cannot encode the footage %s: %s", footage, gst_error->message);
    }
  else
    ok = TRUE;
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (ok && g_rename (tmp_path, cache_path) != 0)
    {
      g_set_error (error, NIGRAN_CAMSIM_ERROR, NIGRAN_CAMSIM_ERROR_ENCODE,
                   "Cannot write the cache %s: %s", cache_path, g_strerror (errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp_path);
  return ok;
}

static void
mount_free (gpointer data,
            GClosure *closure)
{
  Mount *mount = data;

  g_free (mount->cache_path);
  g_free (mount);
}

static GstPadProbeReturn
stamp_capture_time_probe (GstPad          *pad,
                          GstPadProbeInfo *info,
                          gpointer         data)
{
  Viewer *viewer = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstElement *element = GST_ELEMENT (GST_OBJECT_PARENT (pad));
  g_autoptr(GstEvent) segment_event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  g_autoptr(GstClock) clock = gst_element_get_clock (element);
  const GstSegment *segment;
  GstClockTime timestamp, running_time, clock_running_time;
  gint64 capture_us;

  if (buffer == NULL || segment_event == NULL || clock == NULL)
    return GST_PAD_PROBE_OK;

  /* The looped byte stream carries decoding times only; without B-frames they are
   * the presentation times too. */
  timestamp = GST_BUFFER_PTS_IS_VALID (buffer) ? GST_BUFFER_PTS (buffer) : GST_BUFFER_DTS (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (timestamp))
    return GST_PAD_PROBE_DROP;

  if (!GST_CLOCK_TIME_IS_VALID (viewer->base))
    {
      if (timestamp < viewer->start_offset || GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
        return GST_PAD_PROBE_DROP;
      viewer->base = timestamp;
    }

  buffer = gst_buffer_make_writable (buffer);
  timestamp -= viewer->base;
  GST_BUFFER_PTS (buffer) = timestamp;
  GST_BUFFER_DTS (buffer) = timestamp;

  gst_event_parse_segment (segment_event, &segment);
  running_time = gst_segment_to_running_time (segment, GST_FORMAT_TIME, timestamp);
  clock_running_time = gst_clock_get_time (clock) - gst_element_get_base_time (element);
  if (GST_CLOCK_TIME_IS_VALID (running_time))
    capture_us = g_get_real_time () + GST_CLOCK_DIFF (clock_running_time, running_time) / 1000;
  else
    capture_us = g_get_real_time ();

  GST_PAD_PROBE_INFO_DATA (info) = nigran_frame_stamp_insert (buffer, capture_us);
  gst_buffer_unref (buffer);
  return GST_PAD_PROBE_OK;
}

static void
on_media_configure (GstRTSPMediaFactory *factory,
                    GstRTSPMedia        *media,
                    gpointer             data)
{
  const Mount *mount = data;
  g_autoptr(GstElement) bin = gst_rtsp_media_get_element (media);
  g_autoptr(GstElement) source = gst_bin_get_by_name (GST_BIN (bin), "source");
  g_autoptr(GstElement) payloader = gst_bin_get_by_name (GST_BIN (bin), "pay0");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (payloader, "sink");
  Viewer *viewer = g_new0 (Viewer, 1);

  viewer->start_offset = mount->start_offset;
  viewer->base = GST_CLOCK_TIME_NONE;
  g_object_set (source, "location", mount->cache_path, NULL);
  g_object_set (payloader, "mtu", mount->mtu, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_capture_time_probe, viewer, g_free);
}

static void
add_mount (NigranCamsim *self,
           const char   *path,
           const char   *cache_path,
           GstClockTime  start_offset)
{
  g_autoptr(GstRTSPMountPoints) mounts = gst_rtsp_server_get_mount_points (self->server);
  GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new ();
  Mount *mount = g_new0 (Mount, 1);

  mount->cache_path = g_strdup (cache_path);
  mount->start_offset = start_offset;
  mount->mtu = self->mtu;

  gst_rtsp_media_factory_set_launch (factory,
      "( multifilesrc name=source loop=true "
      "caps=video/x-h264,stream-format=byte-stream,alignment=au ! "
      "h264parse ! video/x-h264,stream-format=byte-stream,alignment=au ! "
      "rtph264pay name=pay0 pt=96 config-interval=-1 )");
  gst_rtsp_media_factory_set_protocols (factory, GST_RTSP_LOWER_TRANS_TCP | GST_RTSP_LOWER_TRANS_UDP);
  if (self->user != NULL)
    gst_rtsp_media_factory_add_role (factory, "viewer",
                                     GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
                                     GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE,
                                     NULL);
  g_signal_connect_data (factory, "media-configure", G_CALLBACK (on_media_configure),
                         mount, mount_free, 0);
  gst_rtsp_mount_points_add_factory (mounts, path, factory);
}

static void
encode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GPtrArray *cameras = task_data;
  GError *error = NULL;

  for (guint i = 0; i < cameras->len; i++)
    {
      SimulatedCamera *camera = g_ptr_array_index (cameras, i);

      if (g_task_return_error_if_cancelled (task))
        return;
      if (!encode_footage (camera->footage, camera->main_cache,
                           NIGRAN_CAMSIM_MAIN_WIDTH, NIGRAN_CAMSIM_MAIN_HEIGHT, &error) ||
          !encode_footage (camera->footage, camera->sub_cache,
                           NIGRAN_CAMSIM_SUB_WIDTH, NIGRAN_CAMSIM_SUB_HEIGHT, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
nigran_camsim_finalize (GObject *object)
{
  NigranCamsim *self = (NigranCamsim *)object;

  g_clear_handle_id (&self->server_source_id, g_source_remove);
  g_clear_object (&self->server);
  g_clear_pointer (&self->cameras, g_ptr_array_unref);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (nigran_camsim_parent_class)->finalize (object);
}

static void
nigran_camsim_class_init (NigranCamsimClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_camsim_finalize;
}

static void
nigran_camsim_init (NigranCamsim *self)
{
  self->mtu = NIGRAN_CAMSIM_DEFAULT_MTU;
  self->cameras = g_ptr_array_new_with_free_func (simulated_camera_free);
}

const char *
nigran_camsim_get_default_footage (void)
{
  return DEFAULT_FOOTAGE;
}

NigranCamsim *
nigran_camsim_new (void)
{
  return g_object_new (NIGRAN_TYPE_CAMSIM, NULL);
}

/* The largest RTP packet, as a camera's network would set it; over RTSP's TCP
 * interleaving it may be up to 65535. Call before starting. */
void
nigran_camsim_set_mtu (NigranCamsim *self,
                       guint         mtu)
{
  g_return_if_fail (NIGRAN_IS_CAMSIM (self));
  g_return_if_fail (mtu >= 576 && mtu <= 65535);
  self->mtu = mtu;
}

/* Viewers must then log in with this user name and password (RTSP basic
 * authentication), as on a real camera. Call before starting. */
void
nigran_camsim_set_basic_auth (NigranCamsim *self,
                              const char   *user,
                              const char   *password)
{
  g_return_if_fail (NIGRAN_IS_CAMSIM (self));
  g_return_if_fail (user != NULL && password != NULL);
  g_return_if_fail (self->server == NULL);

  g_free (self->user);
  self->user = g_strdup (user);
  g_free (self->password);
  self->password = g_strdup (password);
}

/* footage NULL: the default footage. Call before starting. */
void
nigran_camsim_add_camera (NigranCamsim *self,
                          const char   *camera_id,
                          const char   *footage)
{
  SimulatedCamera *camera;

  g_return_if_fail (NIGRAN_IS_CAMSIM (self));
  g_return_if_fail (camera_id != NULL);
  g_return_if_fail (self->server == NULL);

  camera = g_new0 (SimulatedCamera, 1);
  camera->camera_id = g_strdup (camera_id);
  camera->footage = g_strdup (footage ? footage : DEFAULT_FOOTAGE);
  g_ptr_array_add (self->cameras, camera);
}

/* Encodes what the cache lacks on a worker thread, then listens on 127.0.0.1:port
 * (0 picks a free port) on the thread-default main context. */
void
nigran_camsim_start_async (NigranCamsim        *self,
                           guint16              port,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  GError *error = NULL;

  g_return_if_fail (NIGRAN_IS_CAMSIM (self));
  g_return_if_fail (self->server == NULL);

  g_task_set_source_tag (task, nigran_camsim_start_async);
  self->port = port;

  for (guint i = 0; i < self->cameras->len; i++)
    {
      SimulatedCamera *camera = g_ptr_array_index (self->cameras, i);

      camera->main_cache = cache_path_for (camera->footage, NIGRAN_CAMSIM_MAIN_WIDTH,
                                           NIGRAN_CAMSIM_MAIN_HEIGHT, &error);
      if (camera->main_cache == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      camera->sub_cache = cache_path_for (camera->footage, NIGRAN_CAMSIM_SUB_WIDTH,
                                          NIGRAN_CAMSIM_SUB_HEIGHT, NULL);
    }

  g_task_set_task_data (task, g_ptr_array_ref (self->cameras), (GDestroyNotify)g_ptr_array_unref);
  g_task_run_in_thread (task, encode_thread);
}

gboolean
nigran_camsim_start_finish (NigranCamsim  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autofree char *service = NULL;
  GError *listen_error = NULL;

  g_return_val_if_fail (NIGRAN_IS_CAMSIM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  self->server = gst_rtsp_server_new ();
  service = g_strdup_printf ("%u", self->port);
  gst_rtsp_server_set_address (self->server, "127.0.0.1");
  gst_rtsp_server_set_service (self->server, service);

  if (self->user != NULL)
    {
      g_autoptr(GstRTSPAuth) auth = gst_rtsp_auth_new ();
      g_autoptr(GstRTSPToken) token = gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, "viewer", NULL);
      g_autofree char *basic = gst_rtsp_auth_make_basic (self->user, self->password);

      gst_rtsp_auth_add_basic (auth, basic, token);
      gst_rtsp_server_set_auth (self->server, auth);
    }

  for (guint i = 0; i < self->cameras->len; i++)
    {
      SimulatedCamera *camera = g_ptr_array_index (self->cameras, i);
      g_autofree char *main_path = g_strdup_printf ("/%s/main", camera->camera_id);
      g_autofree char *sub_path = g_strdup_printf ("/%s/sub", camera->camera_id);
      GstClockTime start_offset = (i * START_OFFSET_STEP) % START_OFFSET_RANGE;

      add_mount (self, main_path, camera->main_cache, start_offset);
      add_mount (self, sub_path, camera->sub_cache, start_offset);
    }

  self->server_source_id = gst_rtsp_server_attach (self->server, NULL);
  if (self->server_source_id == 0)
    {
      /* gst_rtsp_server_attach() hides the reason; creating the socket again tells it. */
      g_autoptr(GSocket) socket = gst_rtsp_server_create_socket (self->server, NULL, &listen_error);

      g_set_error (error, NIGRAN_CAMSIM_ERROR, NIGRAN_CAMSIM_ERROR_LISTEN,
                   "Cannot listen on 127.0.0.1:%u: %s", self->port,
                   listen_error ? listen_error->message : "unknown error");
      g_clear_error (&listen_error);
      g_clear_object (&self->server);
      return FALSE;
    }
  self->port = gst_rtsp_server_get_bound_port (self->server);
  return TRUE;
}

guint16
nigran_camsim_get_port (NigranCamsim *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMSIM (self), 0);
  return self->port;
}

char *
nigran_camsim_dup_uri (NigranCamsim *self,
                       const char   *camera_id,
                       gboolean      main_stream)
{
  g_return_val_if_fail (NIGRAN_IS_CAMSIM (self), NULL);
  g_return_val_if_fail (self->server != NULL, NULL);

  return g_strdup_printf ("rtsp://127.0.0.1:%u/%s/%s", self->port, camera_id,
                          main_stream ? "main" : "sub");
}
