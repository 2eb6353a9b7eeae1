/* nigran-engine.h: face analysis on the CPU, behind a plain C API
 *
 * The engine finds faces in video frames and describes each one: its box, 68
 * landmarks, its quality (size, sharpness, pose) and a 512-number embedding, unit
 * length, which two faces of one person make close (cosine similarity). The models
 * are ONNX files run by OpenCV's DNN module in C++, confined to src/engine/.
 *
 * Frames are submitted without blocking and analysed by the engine's own worker
 * threads, newest frame first per camera: a frame that no worker has taken yet is
 * replaced by the next one of the same camera. Results arrive through a callback on
 * a worker thread, never the main thread; the caller posts them on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NIGRAN_ENGINE_ERROR (nigran_engine_error_quark ())

typedef enum
{
  NIGRAN_ENGINE_ERROR_NO_MODELS,
  NIGRAN_ENGINE_ERROR_BAD_MODEL,
  NIGRAN_ENGINE_ERROR_BAD_FRAME,
} NigranEngineError;

typedef enum
{
  NIGRAN_PIXEL_FORMAT_RGB,
  NIGRAN_PIXEL_FORMAT_BGR,
  NIGRAN_PIXEL_FORMAT_RGBA,
  NIGRAN_PIXEL_FORMAT_BGRA,
  NIGRAN_PIXEL_FORMAT_GRAY,
} NigranPixelFormat;

#define NIGRAN_FACE_EMBEDDING_SIZE 512
#define NIGRAN_FACE_N_LANDMARKS    68

typedef struct
{
  /* In pixels of the analysed frame. */
  float x, y, width, height;
  float detection_score;
  float landmarks[NIGRAN_FACE_N_LANDMARKS][2];
  /* Quality: the box's shorter side in pixels; the variance of the Laplacian of
   * the aligned 112×112 face (low means blurred); head pose in degrees, estimated
   * from the landmarks (0 is frontal). */
  float size;
  float sharpness;
  float yaw, pitch, roll;
  float embedding[NIGRAN_FACE_EMBEDDING_SIZE];
} NigranFace;

typedef struct
{
  char       *camera_id;
  gint64      capture_us;   /* as submitted */
  int         width;
  int         height;
  guint       n_faces;
  NigranFace *faces;        /* largest first */
} NigranFaceResult;

typedef struct
{
  /* Holds fr_detect.onnx, fr_landmark.onnx and fr_feature.onnx. */
  const char *models_dir;
  /* 0 for the defaults: 0.7, 0.3, 20 px and 1 worker. */
  float       detection_threshold;
  float       overlap_threshold;
  int         min_face_size;
  guint       n_workers;
} NigranEngineConfig;

typedef struct _NigranEngine NigranEngine;

/* Called on a worker thread; takes ownership of @result. */
typedef void (*NigranFaceResultFunc) (NigranFaceResult *result,
                                      gpointer          user_data);

GQuark            nigran_engine_error_quark     (void);
int               nigran_pixel_format_get_bytes_per_pixel (NigranPixelFormat format);
char             *nigran_engine_dup_default_models_dir (void);

NigranEngine     *nigran_engine_new             (const NigranEngineConfig *config,
                                                 NigranFaceResultFunc      func,
                                                 gpointer                  user_data,
                                                 GError                  **error);
void              nigran_engine_free            (NigranEngine             *self);

gboolean          nigran_engine_submit          (NigranEngine             *self,
                                                 const char               *camera_id,
                                                 gint64                    capture_us,
                                                 NigranPixelFormat         format,
                                                 const guint8             *data,
                                                 int                       width,
                                                 int                       height,
                                                 int                       stride,
                                                 GError                  **error);
NigranFaceResult *nigran_engine_analyse         (NigranEngine             *self,
                                                 NigranPixelFormat         format,
                                                 const guint8             *data,
                                                 int                       width,
                                                 int                       height,
                                                 int                       stride,
                                                 GError                  **error);

guint64           nigran_engine_get_n_analysed  (NigranEngine             *self);
guint64           nigran_engine_get_n_replaced  (NigranEngine             *self);

void              nigran_face_result_free       (NigranFaceResult         *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranFaceResult, nigran_face_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranEngine, nigran_engine_free)

G_END_DECLS
