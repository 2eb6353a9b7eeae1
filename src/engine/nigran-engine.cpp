/* nigran-engine.cpp: the engine's C API, its worker threads and per-camera slots
 *
 * Each worker thread owns a FacePipeline (OpenCV's networks are not to be shared
 * between threads). A camera has one slot: a submitted frame waits there until a
 * worker takes it, and a newer frame of the same camera replaces it. A camera is
 * analysed by one worker at a time, so its results come in capture order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-engine.h"

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <sched.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "nigran-face-pipeline.hpp"
#include "nigran-frame.hpp"

G_DEFINE_QUARK (nigran-engine-error-quark, nigran_engine_error)

namespace {

const char *const model_files[] = { "fr_detect.onnx", "fr_landmark.onnx", "fr_feature.onnx" };

struct Frame
{
  gint64            capture_us = 0;
  NigranPixelFormat format = NIGRAN_PIXEL_FORMAT_RGB;
  int               width = 0;
  int               height = 0;
  int               stride = 0;
  std::vector<guint8> pixels;
};

struct CameraSlot
{
  bool                   busy = false;     /* a worker is analysing this camera */
  std::unique_ptr<Frame> pending;
};

NigranFaceResult *
make_result (const char                    *camera_id,
             gint64                         capture_us,
             int                            width,
             int                            height,
             const std::vector<NigranFace> &faces)
{
  NigranFaceResult *result = g_new0 (NigranFaceResult, 1);

  result->camera_id = g_strdup (camera_id);
  result->capture_us = capture_us;
  result->width = width;
  result->height = height;
  result->n_faces = guint (faces.size ());
  result->faces = g_new (NigranFace, faces.size () + 1);
  std::copy (faces.begin (), faces.end (), result->faces);
  return result;
}

}

struct _NigranEngine
{
  nigran::FacePipelineConfig config;
  NigranFaceResultFunc       func = nullptr;
  gpointer                   user_data = nullptr;

  std::mutex                 lock;
  std::condition_variable    wake;
  bool                       stopping = false;
  std::unordered_map<std::string, CameraSlot> slots;   /* under lock */
  std::deque<std::string>    ready;                     /* cameras with a frame, not busy */
  std::vector<std::thread>   workers;

  /* Pipelines for nigran_engine_analyse(), lent to one caller at a time. */
  std::mutex                 spare_lock;
  std::vector<std::unique_ptr<nigran::FacePipeline>> spare;

  std::atomic<guint64>       n_analysed { 0 };
  std::atomic<guint64>       n_replaced { 0 };
};

namespace {

void
run_worker (NigranEngine *self, std::unique_ptr<nigran::FacePipeline> pipeline)
{
  /* Like video decoding, analysis gives way to the main thread and the display
   * server at once (Linux: the policy is this thread's alone). */
  struct sched_param no_priority = {};
  sched_setscheduler (0, SCHED_IDLE, &no_priority);

  std::unique_lock<std::mutex> guard (self->lock);

  for (;;)
    {
      self->wake.wait (guard, [self] { return self->stopping || !self->ready.empty (); });
      if (self->stopping)
        return;

      std::string camera_id = std::move (self->ready.front ());
      self->ready.pop_front ();
      CameraSlot &slot = self->slots[camera_id];
      std::unique_ptr<Frame> frame = std::move (slot.pending);
      slot.busy = true;
      guard.unlock ();

      std::vector<NigranFace> faces;
      try
        {
          cv::Mat rgb = nigran::to_rgb (frame->format, frame->pixels.data (), frame->width,
                                frame->height, frame->stride);
          faces = pipeline->analyse (rgb);
        }
      catch (const std::exception &exception)
        {
          g_warning ("Face analysis of a frame of %s failed: %s", camera_id.c_str (), exception.what ());
        }
      self->n_analysed++;
      self->func (make_result (camera_id.c_str (), frame->capture_us, frame->width,
                               frame->height, faces),
                  self->user_data);

      guard.lock ();
      CameraSlot &after = self->slots[camera_id];
      after.busy = false;
      if (after.pending)
        {
          self->ready.push_back (camera_id);
          self->wake.notify_one ();
        }
    }
}

/* A spare pipeline lent to one caller of nigran_engine_analyse(), given back when
 * the loan goes out of scope, however the analysis ends. Empty when none is spare. */
struct PipelineLoan
{
  explicit PipelineLoan (NigranEngine *engine)
    : engine (engine)
  {
    std::lock_guard<std::mutex> guard (engine->spare_lock);
    if (!engine->spare.empty ())
      {
        pipeline = std::move (engine->spare.back ());
        engine->spare.pop_back ();
      }
  }

  ~PipelineLoan ()
  {
    if (!pipeline)
      return;
    std::lock_guard<std::mutex> guard (engine->spare_lock);
    engine->spare.push_back (std::move (pipeline));
  }

  PipelineLoan (const PipelineLoan &) = delete;
  PipelineLoan &operator= (const PipelineLoan &) = delete;

  NigranEngine                         *engine;
  std::unique_ptr<nigran::FacePipeline> pipeline;
};

std::unique_ptr<nigran::FacePipeline>
make_pipeline (const nigran::FacePipelineConfig &config,
               GError                          **error)
{
  try
    {
      return std::make_unique<nigran::FacePipeline> (config);
    }
  catch (const std::exception &exception)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_MODEL,
                   "The face models in %s could not be loaded: %s",
                   config.models_dir.c_str (), exception.what ());
      return nullptr;
    }
}

}

/* $NIGRAN_MODELS_DIR, else the build tree's models when they are there (an
 * uninstalled build), else the installed ones. */
char *
nigran_engine_dup_default_models_dir (void)
{
  const char *configured = g_getenv ("NIGRAN_MODELS_DIR");

  if (configured != nullptr && *configured != '\0')
    return g_strdup (configured);
  if (g_file_test (BUILD_MODELS_DIR, G_FILE_TEST_IS_DIR))
    return g_strdup (BUILD_MODELS_DIR);
  return g_build_filename (PKGDATADIR, "models", nullptr);
}

/**
 * nigran_engine_new:
 * @func: (nullable): receives the results of nigran_engine_submit(), on a worker thread
 *
 * Returns: (transfer full) (nullable): the engine, or %NULL with NIGRAN_ENGINE_ERROR_NO_MODELS
 *   when a model file is missing, which a caller should show as "face recognition is off"
 */
NigranEngine *
nigran_engine_new (const NigranEngineConfig *config,
                   NigranFaceResultFunc      func,
                   gpointer                  user_data,
                   GError                  **error)
{
  g_return_val_if_fail (config != nullptr, nullptr);
  g_return_val_if_fail (error == nullptr || *error == nullptr, nullptr);

  if (config->models_dir == nullptr)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS,
                   "No folder of face models is configured; face recognition is off");
      return nullptr;
    }
  for (const char *name : model_files)
    {
      g_autofree char *path = g_build_filename (config->models_dir, name, nullptr);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS,
                       "The face model %s is missing; face recognition is off. "
                       "`make` fetches the models into the build tree (build-aux/fetch-face-models.sh)",
                       path);
          return nullptr;
        }
    }

  auto self = std::make_unique<NigranEngine> ();
  self->config.models_dir = config->models_dir;
  self->config.detection_threshold = config->detection_threshold > 0 ? config->detection_threshold : 0.7f;
  self->config.overlap_threshold = config->overlap_threshold > 0 ? config->overlap_threshold : 0.3f;
  self->config.min_face_size = config->min_face_size > 0 ? config->min_face_size : 20;
  self->func = func;
  self->user_data = user_data;

  /* The engine's parallelism is its workers; OpenCV's own threads would compete
   * with them and with video decoding. */
  cv::setNumThreads (1);

  std::unique_ptr<nigran::FacePipeline> first = make_pipeline (self->config, error);
  if (!first)
    return nullptr;
  self->spare.push_back (std::move (first));

  if (func != nullptr)
    for (guint i = 0; i < MAX (1u, config->n_workers); i++)
      {
        std::unique_ptr<nigran::FacePipeline> pipeline = make_pipeline (self->config, error);
        if (!pipeline)
          {
            nigran_engine_free (self.release ());
            return nullptr;
          }
        self->workers.emplace_back (run_worker, self.get (), std::move (pipeline));
      }
  return self.release ();
}

/* Waits for the analyses under way, drops the frames that wait; no result arrives
 * after it returns. */
void
nigran_engine_free (NigranEngine *self)
{
  if (self == nullptr)
    return;
  {
    std::lock_guard<std::mutex> guard (self->lock);
    self->stopping = true;
  }
  self->wake.notify_all ();
  for (std::thread &worker : self->workers)
    worker.join ();
  delete self;
}

/* Any thread; copies the pixels and returns at once. */
gboolean
nigran_engine_submit (NigranEngine      *self,
                      const char        *camera_id,
                      gint64             capture_us,
                      NigranPixelFormat  format,
                      const guint8      *data,
                      int                width,
                      int                height,
                      int                stride,
                      GError           **error)
{
  g_return_val_if_fail (self != nullptr, FALSE);
  g_return_val_if_fail (camera_id != nullptr, FALSE);
  g_return_val_if_fail (self->func != nullptr, FALSE);

  if (!nigran::check_frame (format, data, width, height, stride, error))
    return FALSE;

  auto frame = std::make_unique<Frame> ();
  frame->capture_us = capture_us;
  frame->format = format;
  frame->width = width;
  frame->height = height;
  frame->stride = stride;
  frame->pixels.assign (data, data + size_t (stride) * height);

  std::lock_guard<std::mutex> guard (self->lock);
  CameraSlot &slot = self->slots[camera_id];
  if (slot.pending)
    self->n_replaced++;
  else if (!slot.busy)
    {
      self->ready.push_back (camera_id);
      self->wake.notify_one ();
    }
  slot.pending = std::move (frame);
  return TRUE;
}

/**
 * nigran_engine_analyse:
 *
 * Analyses a still picture on the calling thread, which must not be the main thread.
 * A picture in which no face is found is looked at again with a wide border, as a
 * mugshot whose face fills the whole picture is larger than any face the detector
 * was trained to find.
 *
 * Returns: (transfer full) (nullable): the faces, boxes in the picture's pixels
 */
NigranFaceResult *
nigran_engine_analyse (NigranEngine      *self,
                       NigranPixelFormat  format,
                       const guint8      *data,
                       int                width,
                       int                height,
                       int                stride,
                       GError           **error)
{
  std::vector<NigranFace> faces;

  g_return_val_if_fail (self != nullptr, nullptr);

  if (!nigran::check_frame (format, data, width, height, stride, error))
    return nullptr;

  PipelineLoan loan (self);
  if (!loan.pipeline && !(loan.pipeline = make_pipeline (self->config, error)))
    return nullptr;

  try
    {
      cv::Mat rgb = nigran::to_rgb (format, data, width, height, stride);

      faces = loan.pipeline->analyse (rgb);
      if (faces.empty ())
        {
          int border = std::max (rgb.cols, rgb.rows) / 2;
          cv::Mat framed;

          cv::copyMakeBorder (rgb, framed, border, border, border, border,
                              cv::BORDER_CONSTANT, cv::Scalar (0, 0, 0));
          faces = loan.pipeline->analyse (framed);
          for (NigranFace &face : faces)
            {
              face.x -= border;
              face.y -= border;
              for (auto &point : face.landmarks)
                {
                  point[0] -= border;
                  point[1] -= border;
                }
            }
        }
    }
  catch (const std::exception &exception)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME,
                   "Face analysis failed: %s", exception.what ());
      return nullptr;
    }

  self->n_analysed++;
  return make_result (nullptr, 0, width, height, faces);
}

guint64
nigran_engine_get_n_analysed (NigranEngine *self)
{
  return self->n_analysed;
}

/* Frames replaced by a newer one of their camera before any worker took them. */
guint64
nigran_engine_get_n_replaced (NigranEngine *self)
{
  return self->n_replaced;
}

void
nigran_face_result_free (NigranFaceResult *result)
{
  if (result == nullptr)
    return;
  g_free (result->camera_id);
  g_free (result->faces);
  g_free (result);
}
