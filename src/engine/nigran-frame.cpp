/* nigran-frame.cpp: a caller's frame, as OpenCV takes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <opencv2/imgproc.hpp>

#include "nigran-frame.hpp"

namespace nigran {

int
bytes_per_pixel (NigranPixelFormat format)
{
  switch (format)
    {
    case NIGRAN_PIXEL_FORMAT_RGB:
    case NIGRAN_PIXEL_FORMAT_BGR:
      return 3;
    case NIGRAN_PIXEL_FORMAT_RGBA:
    case NIGRAN_PIXEL_FORMAT_BGRA:
      return 4;
    case NIGRAN_PIXEL_FORMAT_GRAY:
      return 1;
    }
  return 0;
}

gboolean
check_frame (NigranPixelFormat format,
             const guint8     *data,
             int               width,
             int               height,
             int               stride,
             GError          **error)
{
  int bpp = bytes_per_pixel (format);

  if (bpp == 0 || data == nullptr || width <= 0 || height <= 0 || stride < width * bpp)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME,
                   "Not a frame the engine can read (%d×%d, stride %d, format %d)",
                   width, height, stride, (int)format);
      return FALSE;
    }
  return TRUE;
}

cv::Mat
to_rgb (NigranPixelFormat format,
        const guint8     *data,
        int               width,
        int               height,
        int               stride)
{
  static const int types[] = { CV_8UC3, CV_8UC3, CV_8UC4, CV_8UC4, CV_8UC1 };
  static const int conversions[] = { -1, cv::COLOR_BGR2RGB, cv::COLOR_RGBA2RGB,
                                     cv::COLOR_BGRA2RGB, cv::COLOR_GRAY2RGB };
  cv::Mat wrapped (height, width, types[format], const_cast<guint8 *> (data), size_t (stride));
  cv::Mat rgb;

  if (conversions[format] < 0)
    rgb = wrapped.clone ();
  else
    cv::cvtColor (wrapped, rgb, conversions[format]);
  return rgb;
}

} // namespace nigran

/* 0 for a format the engine does not know. */
int
nigran_pixel_format_get_bytes_per_pixel (NigranPixelFormat format)
{
  return nigran::bytes_per_pixel (format);
}
