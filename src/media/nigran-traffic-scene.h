/* nigran-traffic-scene.h: a drawn street whose cars carry Karachi-style number plates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

guint               nigran_traffic_scene_get_n_frames (int          fps);
const char * const *nigran_traffic_scene_get_plates   (void);
void                nigran_traffic_scene_draw         (cairo_t     *cr,
                                                       int          width,
                                                       int          height,
                                                       double       seconds);

G_END_DECLS
