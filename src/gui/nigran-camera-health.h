/* nigran-camera-health.h: alerts when the wall's cameras fail and come back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/nigran-event-log.h"
#include "nigran-evidence.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_CAMERA_HEALTH (nigran_camera_health_get_type ())
G_DECLARE_FINAL_TYPE (NigranCameraHealth, nigran_camera_health, NIGRAN, CAMERA_HEALTH, GObject)

NigranCameraHealth *nigran_camera_health_new          (NigranEventLog     *log,
                                                       GListModel         *cameras);
void                nigran_camera_health_set_evidence (NigranCameraHealth *self,
                                                       NigranFrameFunc     frame_func,
                                                       gpointer            user_data,
                                                       const char         *directory);

G_END_DECLS
