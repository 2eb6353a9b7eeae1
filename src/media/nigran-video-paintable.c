/* nigran-video-paintable.c: the newest decoded frame of a stream, as a GdkPaintable
 *
 * Streaming threads put each frame in a locked one-frame slot; one main-loop source
 * for all paintables (see "batch" below) takes whatever is newest, so a busy main
 * loop drops old frames instead of queueing them. The texture wraps the mapped
 * GStreamer buffer: no pixel is copied between the sink and GTK. The frame's age is
 * measured when it becomes the texture, from the capture time the stream carried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/video/video.h>

#include "nigran-video-paintable.h"

struct _NigranVideoPaintable
{
  GObject       parent_instance;

  GdkTexture   *texture;
  int           width;
  int           height;
  gint64        frame_age_us;     /* -1 when the stream carries no capture time */
  gint64        presented_at_us;  /* monotonic */
  guint64       n_presented;
  guint64       n_drawn;
  guint64       last_drawn;       /* n_presented of the frame drawn last */
  guint64       n_dropped;
  NigranFramePresentedFunc presented_func;
  gpointer      presented_data;

  GMutex        lock;
  GstSample    *pending_sample;   /* under lock */
  gint64        pending_capture_us;
};

/* Every paintable's new frame is presented by one main-loop source for all of them,
 * at most once per batch interval. Without a GPU a render of the window costs about
 * the same however many tiles changed, and tiles whose frames arrive in random phase
 * would make GTK render at every display refresh: measured here, 36 tiles at 25 fps
 * took 1.56 cores to draw unbatched and 0.98 batched at 30 ms, with 98 % of frames
 * drawn. 30 ms rather than the 40 ms frame period leaves room for jitter, so a tile's
 * frames rarely meet in one batch. The first frame after a quiet spell goes at once. */
static GMutex     batch_lock;
static GPtrArray *batch_pending;     /* of NigranVideoPaintable, referenced */
static guint      batch_source_id;
static gint64     batch_last_us;
static gint64     batch_interval_us = 30 * 1000;

/* Without a GPU, GTK's cairo renderer copies opaque frames where it must blend frames
 * with alpha: for 36 tiles, 0.67 of a core in all against 0.87 for BGRA through GL
 * emulated by llvmpipe. */
static gboolean   opaque_frames;

static void nigran_video_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NigranVideoPaintable, nigran_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      nigran_video_paintable_iface_init))

typedef struct
{
  GstVideoFrame frame;
  GstSample    *sample;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  gst_sample_unref (mapped->sample);
  g_free (mapped);
}

static GdkTexture *
texture_from_sample (GstSample *sample)
{
  g_autoptr(GBytes) bytes = NULL;
  GstVideoInfo info;
  MappedFrame *mapped;
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);

  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps))
    return NULL;
  if (GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA &&
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGR)
    return NULL;

  mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }
  mapped->sample = gst_sample_ref (sample);

  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                      GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0) *
                                      GST_VIDEO_FRAME_HEIGHT (&mapped->frame),
                                      mapped_frame_free, mapped);

  /* videoconvert writes opaque alpha into BGRA, so straight and premultiplied are
   * the same. */
  return gdk_memory_texture_new (GST_VIDEO_FRAME_WIDTH (&mapped->frame),
                                 GST_VIDEO_FRAME_HEIGHT (&mapped->frame),
                                 GST_VIDEO_INFO_FORMAT (&info) == GST_VIDEO_FORMAT_BGR
                                 ? GDK_MEMORY_B8G8R8 : GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                 bytes,
                                 GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0));
}

static void
present_pending_frame (NigranVideoPaintable *self)
{
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 capture_us;
  gboolean size_changed;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->pending_sample);
  capture_us = self->pending_capture_us;
  g_mutex_unlock (&self->lock);

  if (sample == NULL || (texture = texture_from_sample (sample)) == NULL)
    return;

  size_changed = gdk_texture_get_width (texture) != self->width ||
                 gdk_texture_get_height (texture) != self->height;
  g_set_object (&self->texture, texture);
  self->width = gdk_texture_get_width (texture);
  self->height = gdk_texture_get_height (texture);
  self->frame_age_us = capture_us > 0 ? MAX (0, g_get_real_time () - capture_us) : -1;
  self->presented_at_us = g_get_monotonic_time ();
  self->n_presented++;

  if (size_changed)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));

  if (self->presented_func != NULL)
    self->presented_func (self->frame_age_us, self->presented_data);
}

static gboolean
present_batch (gpointer data)
{
  g_autoptr(GPtrArray) batch = NULL;

  g_mutex_lock (&batch_lock);
  batch = g_steal_pointer (&batch_pending);
  batch_source_id = 0;
  batch_last_us = g_get_monotonic_time ();
  g_mutex_unlock (&batch_lock);

  for (guint i = 0; batch != NULL && i < batch->len; i++)
    present_pending_frame (g_ptr_array_index (batch, i));

  return G_SOURCE_REMOVE;
}

static void
schedule_batch (NigranVideoPaintable *self)
{
  g_mutex_lock (&batch_lock);
  if (batch_pending == NULL)
    batch_pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (batch_pending, g_object_ref (self));
  if (batch_source_id == 0)
    {
      gint64 wait_us = batch_last_us + batch_interval_us - g_get_monotonic_time ();

      if (wait_us <= 0)
        batch_source_id = g_idle_add_full (G_PRIORITY_DEFAULT, present_batch, NULL, NULL);
      else
        batch_source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint)((wait_us + 999) / 1000),
                                              present_batch, NULL, NULL);
    }
  g_mutex_unlock (&batch_lock);
}

/* Opaque frames are 24-bit BGR; otherwise BGRA. Set before streams start. */
void
nigran_video_paintable_set_opaque_frames (gboolean opaque)
{
  opaque_frames = opaque;
}

/* The raw video format ("BGR" or "BGRA") that streams must deliver. */
const char *
nigran_video_paintable_get_frame_format (void)
{
  return opaque_frames ? "BGR" : "BGRA";
}

/* 0 presents each frame as soon as the main loop can. */
void
nigran_video_paintable_set_batch_interval (gint64 interval_us)
{
  g_mutex_lock (&batch_lock);
  batch_interval_us = MAX (0, interval_us);
  g_mutex_unlock (&batch_lock);
}

static void
nigran_video_paintable_snapshot (GdkPaintable *paintable,
                                 GdkSnapshot  *snapshot,
                                 double        width,
                                 double        height)
{
  NigranVideoPaintable *self = NIGRAN_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return;
  if (self->n_presented != self->last_drawn)
    {
      self->last_drawn = self->n_presented;
      self->n_drawn++;
    }
  gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot), self->texture,
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static int
nigran_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return NIGRAN_VIDEO_PAINTABLE (paintable)->width;
}

static int
nigran_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return NIGRAN_VIDEO_PAINTABLE (paintable)->height;
}

static void
nigran_video_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = nigran_video_paintable_snapshot;
  iface->get_intrinsic_width = nigran_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = nigran_video_paintable_get_intrinsic_height;
}

static void
nigran_video_paintable_finalize (GObject *object)
{
  NigranVideoPaintable *self = (NigranVideoPaintable *)object;

  g_clear_pointer (&self->pending_sample, gst_sample_unref);
  g_clear_object (&self->texture);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (nigran_video_paintable_parent_class)->finalize (object);
}

static void
nigran_video_paintable_class_init (NigranVideoPaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_video_paintable_finalize;
}

static void
nigran_video_paintable_init (NigranVideoPaintable *self)
{
  g_mutex_init (&self->lock);
  self->frame_age_us = -1;
}

NigranVideoPaintable *
nigran_video_paintable_new (void)
{
  return g_object_new (NIGRAN_TYPE_VIDEO_PAINTABLE, NULL);
}

/* Any thread. The sample must hold BGRA or BGR video. capture_us is UTC, 0 if unknown. */
void
nigran_video_paintable_push_sample (NigranVideoPaintable *self,
                                    GstSample            *sample,
                                    gint64                capture_us)
{
  g_autoptr(GstSample) replaced = NULL;
  gboolean first_pending;

  g_mutex_lock (&self->lock);
  replaced = g_steal_pointer (&self->pending_sample);
  self->pending_sample = gst_sample_ref (sample);
  self->pending_capture_us = capture_us;
  if (replaced != NULL)
    self->n_dropped++;
  first_pending = replaced == NULL;
  g_mutex_unlock (&self->lock);

  if (first_pending)
    schedule_batch (self);
}

/* Forgets the picture, as when a tile changes camera. */
void
nigran_video_paintable_clear (NigranVideoPaintable *self)
{
  g_autoptr(GstSample) pending = NULL;

  g_return_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self));

  g_mutex_lock (&self->lock);
  pending = g_steal_pointer (&self->pending_sample);
  g_mutex_unlock (&self->lock);

  if (self->texture != NULL)
    {
      g_clear_object (&self->texture);
      self->width = self->height = 0;
      self->frame_age_us = -1;
      gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
      gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
    }
}

gboolean
nigran_video_paintable_has_frame (NigranVideoPaintable *self)
{
  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), FALSE);
  return self->texture != NULL;
}

gint64
nigran_video_paintable_get_frame_age_us (NigranVideoPaintable *self)
{
  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), -1);
  return self->frame_age_us;
}

gint64
nigran_video_paintable_get_presented_at (NigranVideoPaintable *self)
{
  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), 0);
  return self->presented_at_us;
}

guint64
nigran_video_paintable_get_n_presented (NigranVideoPaintable *self)
{
  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), 0);
  return self->n_presented;
}

/* Frames that GTK drew at least once. */
guint64
nigran_video_paintable_get_n_drawn (NigranVideoPaintable *self)
{
  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), 0);
  return self->n_drawn;
}

guint64
nigran_video_paintable_get_n_dropped (NigranVideoPaintable *self)
{
  guint64 n_dropped;

  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), 0);

  g_mutex_lock (&self->lock);
  n_dropped = self->n_dropped;
  g_mutex_unlock (&self->lock);
  return n_dropped;
}

/* Called on the main thread after each frame becomes the texture; for measurements. */
void
nigran_video_paintable_set_presented_func (NigranVideoPaintable    *self,
                                           NigranFramePresentedFunc  func,
                                           gpointer                 user_data)
{
  g_return_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self));
  self->presented_func = func;
  self->presented_data = user_data;
}

/* Returns: (transfer full) (nullable): the frame on screen now, for evidence */
GdkTexture *
nigran_video_paintable_dup_texture (NigranVideoPaintable *self)
{
  g_return_val_if_fail (NIGRAN_IS_VIDEO_PAINTABLE (self), NULL);

  return self->texture ? g_object_ref (self->texture) : NULL;
}
