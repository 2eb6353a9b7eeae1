/* nigran-face-pipeline.hpp: one set of the face models, used by one thread at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <string>
#include <vector>

#include "nigran-engine.h"

namespace nigran {

struct FacePipelineConfig
{
  std::string models_dir;
  float       detection_threshold;
  float       overlap_threshold;
  int         min_face_size;
};

class FacePipeline
{
public:
  /* Throws cv::Exception or std::runtime_error when a model cannot be read. */
  explicit FacePipeline (const FacePipelineConfig &config);

  /* @rgb is 8-bit, 3 channels, RGB. Faces largest first. */
  std::vector<NigranFace> analyse (const cv::Mat &rgb);

private:
  std::vector<cv::Rect2f> detect (const cv::Mat &rgb, std::vector<float> &scores);
  void locate_landmarks (const cv::Mat &grey, NigranFace &face);
  bool describe (const cv::Mat &rgb, NigranFace &face);

  FacePipelineConfig config_;
  cv::dnn::Net       detector_;
  cv::dnn::Net       landmarker_;
  cv::dnn::Net       describer_;
};

}
