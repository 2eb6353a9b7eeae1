/* nigran-plate-detector.cpp: where a frame may show number plates
 *
 * Chosen by measurement on ../shared/data/plates (recall at IoU ≥ 0.5 against the
 * labelled box):
 *
 *   method                                   EU (58)  US (124)  BR (17)  Pakistan scenes
 *   OpenCV's plate cascade (opencv-data)      0.12     0.08      0.18     0.00
 *   edges: black-hat/top-hat, horizontal      0.93     0.84      0.82     0.89
 *     gradient, closed into blobs of a
 *     plate's shape (21–71 candidates)
 *   edges, then text-likeness: four or more   0.88     0.63      0.82     0.67
 *     character-like shapes (5–8 candidates)
 *
 * The cascade, trained on Russian plates, finds almost none; the edge candidates find
 * most plates, and the text test keeps a handful of them for the reader at some cost
 * in recall. Dark characters on a light plate stand out in the black-hat picture,
 * light on dark in the top-hat one; each is tried at three structuring sizes, for
 * plates near and far.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-plate-detector.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "nigran-frame.hpp"

namespace {

/* Frames wider than this are searched at this width. */
const int search_width = 1280;
const int min_characters = 4;

/* How many shapes inside @plate could be characters, for light or dark ones. */
int
count_characters (const cv::Mat &plate)
{
  cv::Mat scaled;
  int best = 0;

  cv::resize (plate, scaled, cv::Size (), 60.0 / plate.rows, 60.0 / plate.rows);
  for (int inverted = 0; inverted < 2; inverted++)
    {
      cv::Mat binary, labels, stats, centroids;
      int n, characters = 0;

      cv::threshold (scaled, binary, 0, 255, (inverted ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY) | cv::THRESH_OTSU);
      n = cv::connectedComponentsWithStats (binary, labels, stats, centroids);
      for (int i = 1; i < n; i++)
        {
          int width = stats.at<int> (i, cv::CC_STAT_WIDTH), height = stats.at<int> (i, cv::CC_STAT_HEIGHT);
          double fraction = height / double (binary.rows);

          if (fraction > 0.3 && fraction < 0.9 && width < 1.2 * height && width > 0.1 * height)
            characters++;
        }
      best = std::max (best, characters);
    }
  return best;
}

} // namespace

/**
 * nigran_plate_detect:
 *
 * Returns: (transfer full) (nullable): #NigranPlateCandidate, most characters
 *   first; NULL with an error for a frame that cannot be read
 */
GArray *
nigran_plate_detect (NigranPixelFormat   format,
                     const guint8       *data,
                     int                 width,
                     int                 height,
                     int                 stride,
                     GError            **error)
{
  if (!nigran::check_frame (format, data, width, height, stride, error))
    return nullptr;
  try
    {
      cv::Mat rgb = nigran::to_rgb (format, data, width, height, stride), grey, small;
      double scale = width > search_width ? double (search_width) / width : 1.0;
      cv::Rect frame (0, 0, width, height);
      std::vector<NigranPlateCandidate> found;
      GArray *candidates;

      cv::cvtColor (rgb, grey, cv::COLOR_RGB2GRAY);
      if (scale < 1.0)
        cv::resize (grey, small, cv::Size (), scale, scale, cv::INTER_AREA);
      else
        small = grey;

      for (int size : { 9, 15, 25 })
        {
          cv::Mat kernel = cv::getStructuringElement (cv::MORPH_RECT, cv::Size (2 * size, size));
          cv::Mat hats[2];

          cv::morphologyEx (small, hats[0], cv::MORPH_BLACKHAT, kernel);
          cv::morphologyEx (small, hats[1], cv::MORPH_TOPHAT, kernel);
          for (const cv::Mat &hat : hats)
            {
              cv::Mat gradient, binary;
              std::vector<std::vector<cv::Point>> contours;
              double largest;

              cv::Sobel (hat, gradient, CV_32F, 1, 0, 3);
              gradient = cv::abs (gradient);
              cv::minMaxLoc (gradient, nullptr, &largest);
              gradient.convertTo (gradient, CV_8U, 255.0 / std::max (largest, 1.0));
              cv::GaussianBlur (gradient, gradient, cv::Size (5, 5), 0);
              cv::morphologyEx (gradient, gradient, cv::MORPH_CLOSE,
                                cv::getStructuringElement (cv::MORPH_RECT, cv::Size (2 * size, size / 2 + 1)));
              cv::threshold (gradient, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
              cv::erode (binary, binary, cv::Mat ());
              cv::dilate (binary, binary, cv::Mat ());
              cv::findContours (binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
              for (const auto &contour : contours)
                {
                  cv::Rect box = cv::boundingRect (contour);
                  double aspect = box.width / double (box.height);
                  NigranPlateCandidate candidate;

                  /* A plate's shape: wider than high, not a large part of the frame. */
                  if (aspect < 1.2 || aspect > 7 || box.height < 10 || box.width < 30 ||
                      box.area () > double (small.total ()) / 8)
                    continue;
                  box = cv::Rect (int (box.x / scale), int (box.y / scale), int (box.width / scale),
                                  int (box.height / scale)) & frame;
                  candidate = { box.x, box.y, box.width, box.height, count_characters (grey (box)) };
                  if (candidate.n_characters >= min_characters)
                    found.push_back (candidate);
                }
            }
        }

      /* Of boxes that are nearly the same, the one with most characters. */
      candidates = g_array_new (FALSE, FALSE, sizeof (NigranPlateCandidate));
      std::sort (found.begin (), found.end (), [] (const NigranPlateCandidate &a, const NigranPlateCandidate &b) {
        return a.n_characters > b.n_characters;
      });
      for (const NigranPlateCandidate &candidate : found)
        {
          cv::Rect box (candidate.x, candidate.y, candidate.width, candidate.height);
          bool repeated = false;

          for (guint i = 0; i < candidates->len && !repeated; i++)
            {
              const NigranPlateCandidate &kept = g_array_index (candidates, NigranPlateCandidate, i);
              cv::Rect other (kept.x, kept.y, kept.width, kept.height);
              double shared = (box & other).area ();

              repeated = shared / (box.area () + other.area () - shared) > 0.7;
            }
          if (!repeated)
            g_array_append_val (candidates, candidate);
        }
      return candidates;
    }
  catch (const std::exception &exception)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME, "Plates could not be looked for: %s",
                   exception.what ());
      return nullptr;
    }
}
