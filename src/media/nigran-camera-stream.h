/* nigran-camera-stream.h: one camera's pipeline, from RTSP to a tile-sized frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "core/nigran-camera.h"
#include "core/nigran-clock.h"
#include "nigran-reconnector.h"
#include "nigran-video-paintable.h"

G_BEGIN_DECLS

/* Called on a streaming thread; @sample holds an RGB frame. */
typedef void (*NigranAnalysisFunc) (const char *camera_id,
                                    gint64      capture_us,
                                    GstSample  *sample,
                                    gpointer    user_data);

#define NIGRAN_TYPE_CAMERA_STREAM (nigran_camera_stream_get_type ())
G_DECLARE_FINAL_TYPE (NigranCameraStream, nigran_camera_stream, NIGRAN, CAMERA_STREAM, GObject)

NigranCameraStream  *nigran_camera_stream_new             (NigranCamera         *camera,
                                                           NigranStreamVariant   variant,
                                                           NigranClock          *clock,
                                                           NigranVideoPaintable *paintable);
NigranCamera        *nigran_camera_stream_get_camera      (NigranCameraStream   *self);
NigranStreamVariant  nigran_camera_stream_get_variant     (NigranCameraStream   *self);
NigranReconnector   *nigran_camera_stream_get_reconnector (NigranCameraStream   *self);
void                 nigran_camera_stream_set_credentials (NigranCameraStream *self,
                                                           const char         *user,
                                                           const char         *password);
void                 nigran_camera_stream_set_size        (NigranCameraStream   *self,
                                                           int                   width,
                                                           int                   height);
void                 nigran_camera_stream_start           (NigranCameraStream   *self);
void                 nigran_camera_stream_stop            (NigranCameraStream   *self);
guint64              nigran_camera_stream_get_n_frames    (NigranCameraStream   *self);
guint64              nigran_camera_stream_get_n_skipped   (NigranCameraStream   *self);
guint64              nigran_camera_stream_get_n_stamped   (NigranCameraStream   *self);
void                 nigran_camera_stream_set_analysis    (NigranCameraStream   *self,
                                                           int                   fps,
                                                           NigranAnalysisFunc    func,
                                                           gpointer              user_data,
                                                           GDestroyNotify        destroy);
void                 nigran_camera_stream_set_analysis_enabled (NigranCameraStream *self,
                                                           gboolean              enabled);
guint64              nigran_camera_stream_get_n_analysed  (NigranCameraStream   *self);

G_END_DECLS
