/* nigran-frame-stamp.h: capture time carried inside an H.264 access unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GstBuffer *nigran_frame_stamp_insert (GstBuffer *access_unit,
                                      gint64     capture_us);
gboolean   nigran_frame_stamp_read   (GstBuffer *access_unit,
                                      gint64    *capture_us);

G_END_DECLS
