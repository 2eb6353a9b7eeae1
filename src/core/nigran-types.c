/* nigran-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-types.h"

GType
nigran_camera_status_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { NIGRAN_CAMERA_STATUS_IDLE, "NIGRAN_CAMERA_STATUS_IDLE", "idle" },
        { NIGRAN_CAMERA_STATUS_CONNECTING, "NIGRAN_CAMERA_STATUS_CONNECTING", "connecting" },
        { NIGRAN_CAMERA_STATUS_LIVE, "NIGRAN_CAMERA_STATUS_LIVE", "live" },
        { NIGRAN_CAMERA_STATUS_STALLED, "NIGRAN_CAMERA_STATUS_STALLED", "stalled" },
        { NIGRAN_CAMERA_STATUS_OFFLINE, "NIGRAN_CAMERA_STATUS_OFFLINE", "offline" },
        { 0 }
      };
      GType type = g_enum_register_static ("NigranCameraStatus", values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
nigran_camera_status_to_string (NigranCameraStatus status)
{
  GEnumClass *klass = g_type_class_ref (NIGRAN_TYPE_CAMERA_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);
  const char *nick = value ? value->value_nick : "unknown";

  g_type_class_unref (klass);
  return nick;
}
