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

GType
nigran_alert_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { NIGRAN_ALERT_STATE_NEW, "NIGRAN_ALERT_STATE_NEW", "new" },
        { NIGRAN_ALERT_STATE_ACKNOWLEDGED, "NIGRAN_ALERT_STATE_ACKNOWLEDGED", "acknowledged" },
        { NIGRAN_ALERT_STATE_VERIFIED, "NIGRAN_ALERT_STATE_VERIFIED", "verified" },
        { NIGRAN_ALERT_STATE_CONFIRMED, "NIGRAN_ALERT_STATE_CONFIRMED", "confirmed" },
        { NIGRAN_ALERT_STATE_REJECTED, "NIGRAN_ALERT_STATE_REJECTED", "rejected" },
        { NIGRAN_ALERT_STATE_ESCALATED, "NIGRAN_ALERT_STATE_ESCALATED", "escalated" },
        { NIGRAN_ALERT_STATE_CLOSED, "NIGRAN_ALERT_STATE_CLOSED", "closed" },
        { 0 }
      };
      GType type = g_enum_register_static ("NigranAlertState", values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
nigran_alert_state_to_string (NigranAlertState state)
{
  static const char * const names[] = {
    "new", "acknowledged", "verified", "confirmed", "rejected", "escalated", "closed",
  };

  return (guint)state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

/* Open alerts still need someone: they stay on the rail. */
gboolean
nigran_alert_state_is_open (NigranAlertState state)
{
  return state == NIGRAN_ALERT_STATE_NEW || state == NIGRAN_ALERT_STATE_ACKNOWLEDGED ||
         state == NIGRAN_ALERT_STATE_ESCALATED;
}

const char *
nigran_alert_priority_to_string (NigranAlertPriority priority)
{
  switch (priority)
    {
    case NIGRAN_ALERT_PRIORITY_CRITICAL: return "critical";
    case NIGRAN_ALERT_PRIORITY_HIGH: return "high";
    case NIGRAN_ALERT_PRIORITY_MEDIUM: return "medium";
    case NIGRAN_ALERT_PRIORITY_LOW: return "low";
    default: return "unknown";
    }
}

static const char * const reject_reasons[] = {
  "wrong-person", "poor-image", "twin-or-relative", "other",
};

const char *
nigran_reject_reason_to_string (NigranRejectReason reason)
{
  return (guint)reason < G_N_ELEMENTS (reject_reasons) ? reject_reasons[reason] : "other";
}

/**
 * nigran_find_name:
 * @names: (array length=n_names): the names of an enumeration's values, by value
 * @index: (out): the value named @text
 *
 * Returns: whether @text (nullable) names one of them
 */
gboolean
nigran_find_name (const char * const *names,
                  guint               n_names,
                  const char         *text,
                  guint              *index)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    if (g_str_equal (text, names[i]))
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
nigran_reject_reason_from_string (const char         *text,
                                  NigranRejectReason *reason)
{
  guint index;

  if (!nigran_find_name (reject_reasons, G_N_ELEMENTS (reject_reasons), text, &index))
    return FALSE;
  *reason = index;
  return TRUE;
}

static const char * const roles[] = { "operator", "supervisor", "trainer", "administrator" };

const char *
nigran_role_to_string (NigranRole role)
{
  return (guint)role < G_N_ELEMENTS (roles) ? roles[role] : "operator";
}

gboolean
nigran_role_from_string (const char *text,
                         NigranRole *role)
{
  guint index;

  if (!nigran_find_name (roles, G_N_ELEMENTS (roles), text, &index))
    return FALSE;
  *role = index;
  return TRUE;
}

/* Returns: whether no array or object in @data nests deeper than @max_depth */
gboolean
nigran_json_nesting_within (const char *data,
                            gsize       length,
                            int         max_depth)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}
