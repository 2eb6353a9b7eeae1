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
 *   the same, each structuring size on a      0.88     0.66      0.88     0.67
 *     picture reduced to suit it
 *
 * The cascade, trained on Russian plates, finds almost none; the edge candidates find
 * most plates, and the text test keeps a handful of them for the reader at some cost
 * in recall. Dark characters on a light plate stand out in the black-hat picture,
 * light on dark in the top-hat one; each is tried at three structuring sizes, for
 * plates near and far, the larger ones on the picture at a half and a quarter of
 * its width.
 *
 * Where the edges find nothing in a picture looked at on its own, lines of text
 * (nigran_plate_detect_text_lines) are looked for: stable regions (MSER) of a
 * character's shape, four or more side by side at one height, with a plate's margin
 * around them. Where a plate's edges merge with the car's, its characters still stand
 * out (measured again, together):
 *
 *   method                                   EU (58)  US (124)  BR (17)
 *   edges, then text-likeness                 0.88     0.66      0.88
 *   lines of character-like regions           0.91     0.81      1.00
 *
 * at 20-190 ms a picture on two cores against the edges' 6-25 ms, too slow for
 * every live frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-plate-detector.h"

#include <algorithm>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "nigran-frame.hpp"

namespace {

/* Frames wider than this are searched at this width. */
const int search_width = 1280;
const int min_characters = 4;
/* The structuring sizes of the hats, each on the picture reduced to suit it: a plate
 * near the camera is found as well in a quarter of the pixels. Measured against all
 * three sizes at full width: a 1280x720 frame searched in 0.55 of the time, and the
 * boxes found of the 199 openalpr plates 140 -> 148 (US 75 -> 82). */
const struct
{
  int size, reduction;
} hat_scales[] = { { 9, 1 }, { 15, 2 }, { 25, 4 } };

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

/* Intersection over union. */
double
overlap (const cv::Rect &a,
         const cv::Rect &b)
{
  double shared = (a & b).area ();

  return shared / (a.area () + b.area () - shared);
}

cv::Rect
box_of (const NigranPlateCandidate &candidate)
{
  return cv::Rect (candidate.x, candidate.y, candidate.width, candidate.height);
}

/* @box, found in a picture scaled by @scale, in the frame's pixels. */
cv::Rect
to_frame (const cv::Rect &box,
          double          scale,
          const cv::Mat  &frame)
{
  return cv::Rect (int (box.x / scale), int (box.y / scale), int (box.width / scale), int (box.height / scale)) &
         cv::Rect (0, 0, frame.cols, frame.rows);
}

/* Of boxes that are nearly the same, the one with most characters; most first. */
GArray *
keep_distinct (std::vector<NigranPlateCandidate> &found)
{
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (NigranPlateCandidate));

  std::stable_sort (found.begin (), found.end (), [] (const NigranPlateCandidate &a, const NigranPlateCandidate &b) {
    return a.n_characters > b.n_characters;
  });
  for (const NigranPlateCandidate &candidate : found)
    {
      bool repeated = false;

      for (guint i = 0; i < candidates->len && !repeated; i++)
        repeated = overlap (box_of (candidate), box_of (g_array_index (candidates, NigranPlateCandidate, i))) > 0.7;
      if (!repeated)
        g_array_append_val (candidates, candidate);
    }
  return candidates;
}

/* Lines of four or more character-like regions of @grey, each as the plate around
 * it would be, in @grey's pixels. */
std::vector<NigranPlateCandidate>
find_text_lines (const cv::Mat &grey)
{
  std::vector<std::vector<cv::Point>> regions;
  std::vector<cv::Rect> boxes, characters;
  std::vector<NigranPlateCandidate> lines;

  cv::MSER::create (4, 30, 4000, 0.25, 0.2)->detectRegions (grey, regions, boxes);
  std::sort (boxes.begin (), boxes.end (), [] (const cv::Rect &a, const cv::Rect &b) { return a.x < b.x; });
  for (const cv::Rect &box : boxes)
    {
      double aspect = box.width / double (box.height);
      bool repeated = false;

      if (box.height < 10 || box.height > grey.rows / 4 || aspect < 0.1 || aspect > 1.0)
        continue;
      /* The same character found at several levels. */
      for (auto kept = characters.rbegin (); kept != characters.rend () && kept->x > box.x - box.width && !repeated;
           ++kept)
        repeated = overlap (*kept, box) > 0.6;
      if (!repeated)
        characters.push_back (box);
    }

  std::vector<bool> used (characters.size ());
  for (size_t first = 0; first < characters.size (); first++)
    {
      std::vector<size_t> line = { first };
      cv::Rect last = characters[first], around;

      if (used[first])
        continue;
      /* The next character: to the right, not far, of about the same height and at
       * the same height. */
      for (size_t next = first + 1; next < characters.size (); next++)
        {
          const cv::Rect &box = characters[next];
          double ratio = box.height / double (last.height);

          if (box.x > last.x + last.width + 1.2 * last.height)
            break;
          if (box.x < last.x + last.width / 2 || ratio < 0.75 || ratio > 1.33 ||
              std::abs ((box.y + box.height / 2) - (last.y + last.height / 2)) > last.height / 3)
            continue;
          line.push_back (next);
          last = box;
        }
      if (line.size () < size_t (min_characters))
        continue;
      around = characters[first];
      for (size_t member : line)
        {
          around |= characters[member];
          used[member] = true;
        }
      /* A plate's margin around its characters. */
      lines.push_back ({ int (around.x - 0.4 * around.height), int (around.y - 0.35 * around.height),
                         int (around.width + 0.8 * around.height), int (1.7 * around.height), int (line.size ()) });
    }
  return lines;
}

/* @picture scaled by @factor; @picture itself for a factor of 1 or more. */
cv::Mat
reduced (const cv::Mat &picture,
         double         factor)
{
  cv::Mat small;

  if (factor >= 1.0)
    return picture;
  cv::resize (picture, small, cv::Size (), factor, factor, cv::INTER_AREA);
  return small;
}

cv::Mat
search_picture (const cv::Mat &grey,
                double        *scale)
{
  *scale = grey.cols > search_width ? double (search_width) / grey.cols : 1.0;
  return reduced (grey, *scale);
}

/* Edge candidates of @grey (see above), in @grey's pixels. */
std::vector<NigranPlateCandidate>
find_edge_candidates (const cv::Mat &grey)
{
  double search_scale;
  cv::Mat search = search_picture (grey, &search_scale);
  std::vector<NigranPlateCandidate> found;

  for (const auto &hat_scale : hat_scales)
    {
      int reduction = hat_scale.reduction, size = (hat_scale.size + reduction / 2) / reduction;
      double scale = search_scale / reduction;
      cv::Mat kernel = cv::getStructuringElement (cv::MORPH_RECT, cv::Size (2 * size, size));
      cv::Mat small = reduced (search, 1.0 / reduction), hats[2];

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
              if (aspect < 1.2 || aspect > 7 || box.height * reduction < 10 || box.width * reduction < 30 ||
                  box.area () > double (small.total ()) / 8)
                continue;
              box = to_frame (box, scale, grey);
              candidate = { box.x, box.y, box.width, box.height, count_characters (grey (box)) };
              if (candidate.n_characters >= min_characters)
                found.push_back (candidate);
            }
        }
    }
  return found;
}

/* Lines of text of @grey (see find_text_lines), in @grey's pixels. */
std::vector<NigranPlateCandidate>
find_text_line_candidates (const cv::Mat &grey)
{
  double scale;
  cv::Mat small = search_picture (grey, &scale);
  std::vector<NigranPlateCandidate> found;

  for (const NigranPlateCandidate &line : find_text_lines (small))
    {
      cv::Rect box = to_frame (box_of (line), scale, grey);

      if (!box.empty ())
        found.push_back ({ box.x, box.y, box.width, box.height, line.n_characters });
    }
  return found;
}

GArray *
detect (std::vector<NigranPlateCandidate> (*find) (const cv::Mat &grey),
        NigranPixelFormat   format,
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
      cv::Mat grey;
      std::vector<NigranPlateCandidate> found;

      cv::cvtColor (nigran::to_rgb (format, data, width, height, stride), grey, cv::COLOR_RGB2GRAY);
      found = find (grey);
      return keep_distinct (found);
    }
  catch (const std::exception &exception)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME, "Plates could not be looked for: %s",
                   exception.what ());
      return nullptr;
    }
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
  return detect (find_edge_candidates, format, data, width, height, stride, error);
}

/**
 * nigran_plate_detect_text_lines:
 *
 * Lines of text with a plate's margin around them, slower than nigran_plate_detect():
 * for a picture looked at on its own, where the edges found no plate.
 *
 * Returns: (transfer full) (nullable): #NigranPlateCandidate, most characters
 *   first; NULL with an error for a frame that cannot be read
 */
GArray *
nigran_plate_detect_text_lines (NigranPixelFormat   format,
                                const guint8       *data,
                                int                 width,
                                int                 height,
                                int                 stride,
                                GError            **error)
{
  return detect (find_text_line_candidates, format, data, width, height, stride, error);
}
