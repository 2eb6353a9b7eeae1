/* nigran-plate-detector.h: where a frame may show number plates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "nigran-engine.h"

G_BEGIN_DECLS

typedef struct
{
  int   x, y, width, height;   /* in the frame's pixels */
  int   n_characters;          /* character-like shapes inside */
} NigranPlateCandidate;

GArray *nigran_plate_detect (NigranPixelFormat   format,
                             const guint8       *data,
                             int                 width,
                             int                 height,
                             int                 stride,
                             GError            **error);
GArray *nigran_plate_detect_text_lines (NigranPixelFormat   format,
                                        const guint8       *data,
                                        int                 width,
                                        int                 height,
                                        int                 stride,
                                        GError            **error);

G_END_DECLS
