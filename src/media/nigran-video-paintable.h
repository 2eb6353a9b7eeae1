/* nigran-video-paintable.h: the newest decoded frame of a stream, as a GdkPaintable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NIGRAN_TYPE_VIDEO_PAINTABLE (nigran_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (NigranVideoPaintable, nigran_video_paintable, NIGRAN, VIDEO_PAINTABLE, GObject)

NigranVideoPaintable *nigran_video_paintable_new              (void);
void                  nigran_video_paintable_push_sample      (NigranVideoPaintable *self,
                                                               GstSample            *sample,
                                                               gint64                capture_us);
void                  nigran_video_paintable_clear            (NigranVideoPaintable *self);
gboolean              nigran_video_paintable_has_frame        (NigranVideoPaintable *self);
GdkTexture           *nigran_video_paintable_dup_texture      (NigranVideoPaintable *self);
gint64                nigran_video_paintable_get_frame_age_us (NigranVideoPaintable *self);
gint64                nigran_video_paintable_get_presented_at (NigranVideoPaintable *self);
guint64               nigran_video_paintable_get_n_presented  (NigranVideoPaintable *self);
guint64               nigran_video_paintable_get_n_drawn    (NigranVideoPaintable *self);
guint64               nigran_video_paintable_get_n_dropped    (NigranVideoPaintable *self);

void                  nigran_video_paintable_set_opaque_frames  (gboolean           opaque);
const char           *nigran_video_paintable_get_frame_format   (void);
void                  nigran_video_paintable_set_batch_interval (gint64             interval_us);

typedef void (*NigranFramePresentedFunc) (gint64   age_us,
                                          gpointer user_data);
void                  nigran_video_paintable_set_presented_func (NigranVideoPaintable   *self,
                                                                 NigranFramePresentedFunc func,
                                                                 gpointer                user_data);

G_END_DECLS
