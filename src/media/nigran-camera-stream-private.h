/* nigran-camera-stream-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-camera-stream.h"

G_BEGIN_DECLS

void _nigran_camera_stream_slow_down (NigranCameraStream *self,
                                      guint               delay_us);

G_END_DECLS
