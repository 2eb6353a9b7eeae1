/* nigran-face-pipeline.cpp: detection, landmarks, alignment and embedding
 *
 * The three models come from the npm package faceplugin-face-recognition-js 0.0.1:
 * - fr_detect.onnx, the Ultra-Light-Fast-Generic-Face-Detector RFB-320: 320×240 RGB,
 *   (x − 127) / 128; per prior a (background, face) score and a box in corner form,
 *   normalised to 0–1. Non-maximum suppression is ours.
 * - fr_landmark.onnx: a 64×64 grey crop / 255, square around the face box at 1.1× its
 *   larger side; 68 (x, y) points normalised to the crop.
 * - fr_feature.onnx: the face aligned to the ArcFace template at 112×112, RGB,
 *   (x − 127) / 128; 512 numbers, compared after L2 normalisation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "nigran-face-pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace nigran {

namespace {

const cv::Size detector_size (320, 240);
const int landmark_side = 64;
const float landmark_crop_scale = 1.1f;
const cv::Size aligned_size (112, 112);

/* Where ArcFace expects the eyes, the nose tip and the mouth's corners in 112×112. */
const cv::Point2f arcface_template[5] = {
  { 38.2946f, 51.6963f }, { 73.5318f, 51.5014f }, { 56.0252f, 71.7366f },
  { 41.5493f, 92.3655f }, { 70.7299f, 92.2041f },
};
/* Around those five points, with a few pixels to spare. */
const cv::Rect inner_face (30, 40, 52, 60);

cv::Point2f
mean_point (const NigranFace &face, int first, int last)
{
  cv::Point2f sum (0, 0);

  for (int i = first; i <= last; i++)
    sum += cv::Point2f (face.landmarks[i][0], face.landmarks[i][1]);
  return sum / float (last - first + 1);
}

std::vector<cv::Point2f>
alignment_points (const NigranFace &face)
{
  return {
    mean_point (face, 36, 41), mean_point (face, 42, 47),
    cv::Point2f (face.landmarks[30][0], face.landmarks[30][1]),
    cv::Point2f (face.landmarks[48][0], face.landmarks[48][1]),
    cv::Point2f (face.landmarks[54][0], face.landmarks[54][1]),
  };
}

/* Rough head pose from the landmarks: enough to rank frames and to refuse a profile
 * at enrolment, not a measurement. */
void
estimate_pose (NigranFace &face)
{
  std::vector<cv::Point2f> points = alignment_points (face);
  cv::Point2f eyes_mid = (points[0] + points[1]) * 0.5f;
  cv::Point2f mouth_mid = (points[3] + points[4]) * 0.5f;
  cv::Point2f eye_line = points[1] - points[0];
  float eye_distance = std::max (1.0f, float (cv::norm (eye_line)));
  float face_height = std::max (1.0f, float (cv::norm (mouth_mid - eyes_mid)));
  float nose_offset = (points[2].x - eyes_mid.x) / eye_distance;
  /* On a frontal face the nose tip sits a little over half way from eyes to mouth. */
  float nose_drop = (points[2].y - eyes_mid.y) / face_height;

  face.roll = float (std::atan2 (eye_line.y, eye_line.x) * 180.0 / CV_PI);
  face.yaw = float (std::asin (std::clamp (nose_offset * 2.0f, -1.0f, 1.0f)) * 180.0 / CV_PI);
  face.pitch = float (std::asin (std::clamp ((nose_drop - 0.55f) * 2.0f, -1.0f, 1.0f)) * 180.0 / CV_PI);
}

}

FacePipeline::FacePipeline (const FacePipelineConfig &config)
  : config_ (config),
    detector_ (cv::dnn::readNetFromONNX (config.models_dir + "/fr_detect.onnx")),
    landmarker_ (cv::dnn::readNetFromONNX (config.models_dir + "/fr_landmark.onnx")),
    describer_ (cv::dnn::readNetFromONNX (config.models_dir + "/fr_feature.onnx"))
{
}

std::vector<cv::Rect2f>
FacePipeline::detect (const cv::Mat &rgb, std::vector<float> &kept_scores)
{
  cv::Mat blob = cv::dnn::blobFromImage (rgb, 1.0 / 128.0, detector_size,
                                         cv::Scalar (127, 127, 127), false, false);
  std::vector<cv::Mat> outputs;
  std::vector<cv::Rect2d> candidates;
  std::vector<float> candidate_scores;
  std::vector<int> kept;
  std::vector<cv::Rect2f> faces;

  detector_.setInput (blob);
  detector_.forward (outputs, std::vector<cv::String> { "scores", "boxes" });

  const cv::Mat &scores = outputs[0];
  const cv::Mat &boxes = outputs[1];
  const int n_priors = scores.size[1];
  const float *score = scores.ptr<float> ();
  const float *box = boxes.ptr<float> ();

  for (int i = 0; i < n_priors; i++)
    {
      float face_score = score[2 * i + 1];

      if (face_score < config_.detection_threshold)
        continue;
      float x0 = std::clamp (box[4 * i], 0.0f, 1.0f) * rgb.cols;
      float y0 = std::clamp (box[4 * i + 1], 0.0f, 1.0f) * rgb.rows;
      float x1 = std::clamp (box[4 * i + 2], 0.0f, 1.0f) * rgb.cols;
      float y1 = std::clamp (box[4 * i + 3], 0.0f, 1.0f) * rgb.rows;

      if (x1 - x0 < config_.min_face_size || y1 - y0 < config_.min_face_size)
        continue;
      candidates.emplace_back (x0, y0, x1 - x0, y1 - y0);
      candidate_scores.push_back (face_score);
    }

  cv::dnn::NMSBoxes (candidates, candidate_scores, config_.detection_threshold,
                     config_.overlap_threshold, kept);
  for (int index : kept)
    {
      faces.emplace_back (candidates[index]);
      kept_scores.push_back (candidate_scores[index]);
    }
  return faces;
}

void
FacePipeline::locate_landmarks (const cv::Mat &grey, NigranFace &face)
{
  float side = landmark_crop_scale * std::max (face.width, face.height);
  float cx = face.x + face.width / 2, cy = face.y + face.height / 2;
  /* The crop may leave the frame: map it with an affine warp, which pads with black. */
  float scale = landmark_side / side;
  cv::Matx23f to_crop (scale, 0, -(cx - side / 2) * scale,
                       0, scale, -(cy - side / 2) * scale);
  cv::Mat crop;

  cv::warpAffine (grey, crop, to_crop, cv::Size (landmark_side, landmark_side),
                  cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::Mat blob = cv::dnn::blobFromImage (crop, 1.0 / 255.0);
  landmarker_.setInput (blob);
  cv::Mat points = landmarker_.forward ();
  const float *p = points.ptr<float> ();

  for (int i = 0; i < NIGRAN_FACE_N_LANDMARKS; i++)
    {
      face.landmarks[i][0] = cx - side / 2 + p[2 * i] * side;
      face.landmarks[i][1] = cy - side / 2 + p[2 * i + 1] * side;
    }
}

bool
FacePipeline::describe (const cv::Mat &rgb, NigranFace &face)
{
  std::vector<cv::Point2f> from = alignment_points (face);
  std::vector<cv::Point2f> to (arcface_template, arcface_template + 5);
  cv::Mat similarity = cv::estimateAffinePartial2D (from, to, cv::noArray (), cv::LMEDS);
  cv::Mat aligned, aligned_grey, laplacian;
  cv::Scalar mean, deviation;

  if (similarity.empty ())
    return false;
  cv::warpAffine (rgb, aligned, similarity, aligned_size, cv::INTER_LINEAR, cv::BORDER_CONSTANT);

  /* Sharpness from the eyes, nose and mouth only: a face that fills its photo (a
   * mugshot) is aligned with black beyond the photo's edges, and that edge would
   * pass for detail. */
  cv::cvtColor (aligned (inner_face), aligned_grey, cv::COLOR_RGB2GRAY);
  cv::Laplacian (aligned_grey, laplacian, CV_32F);
  cv::meanStdDev (laplacian, mean, deviation);
  face.sharpness = float (deviation[0] * deviation[0]);

  cv::Mat blob = cv::dnn::blobFromImage (aligned, 1.0 / 128.0, aligned_size,
                                         cv::Scalar (127, 127, 127), false, false);
  describer_.setInput (blob);
  cv::Mat output = describer_.forward ();
  const float *values = output.ptr<float> ();
  double norm = 0;

  for (int i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    norm += double (values[i]) * values[i];
  norm = std::sqrt (norm);
  if (norm <= 0)
    return false;
  for (int i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    face.embedding[i] = float (values[i] / norm);
  return true;
}

std::vector<NigranFace>
FacePipeline::analyse (const cv::Mat &rgb)
{
  std::vector<float> scores;
  std::vector<cv::Rect2f> boxes = detect (rgb, scores);
  std::vector<NigranFace> faces;
  cv::Mat grey;

  if (boxes.empty ())
    return faces;
  cv::cvtColor (rgb, grey, cv::COLOR_RGB2GRAY);

  for (size_t i = 0; i < boxes.size (); i++)
    {
      NigranFace face = {};

      face.x = boxes[i].x;
      face.y = boxes[i].y;
      face.width = boxes[i].width;
      face.height = boxes[i].height;
      face.detection_score = scores[i];
      face.size = std::min (face.width, face.height);
      locate_landmarks (grey, face);
      estimate_pose (face);
      if (describe (rgb, face))
        faces.push_back (face);
    }

  std::sort (faces.begin (), faces.end (), [] (const NigranFace &a, const NigranFace &b) {
    return a.width * a.height > b.width * b.height;
  });
  return faces;
}

}
