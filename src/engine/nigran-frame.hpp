/* nigran-frame.hpp: a caller's frame, as OpenCV takes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <opencv2/core.hpp>

#include "nigran-engine.h"

namespace nigran {

int      bytes_per_pixel (NigranPixelFormat format);
gboolean check_frame     (NigranPixelFormat format,
                          const guint8     *data,
                          int               width,
                          int               height,
                          int               stride,
                          GError          **error);
cv::Mat  to_rgb          (NigranPixelFormat format,
                          const guint8     *data,
                          int               width,
                          int               height,
                          int               stride);

} // namespace nigran
