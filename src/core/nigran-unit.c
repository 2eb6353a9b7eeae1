/* nigran-unit.c: one responding unit: a patrol car, a motorcycle, an emergency response vehicle
 *
 * A unit is a projection of its events (see nigran-units.c); its setters are for that
 * projection alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-unit.h"

#include "nigran-types.h"

struct _NigranUnit
{
  GObject          parent_instance;

  char            *call_sign;
  NigranUnitKind   kind;
  NigranUnitStatus status;
  gint64           status_since_us;
  char            *incident_id;
  double           latitude;
  double           longitude;
  gint64           position_us;
};

G_DEFINE_FINAL_TYPE (NigranUnit, nigran_unit, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_POSITION_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  [NIGRAN_UNIT_PATROL_CAR] = "patrol-car",
  [NIGRAN_UNIT_MOTORCYCLE] = "motorcycle",
  [NIGRAN_UNIT_RESPONSE_VEHICLE] = "response-vehicle",
  [NIGRAN_UNIT_RANGERS] = "rangers",
};

/* Average speeds through Karachi's traffic with lights and siren, by kind of unit. */
static const struct
{
  const char *label;
  double      average_kmh;
} kinds[] = {
  [NIGRAN_UNIT_PATROL_CAR] = { N_("Patrol car"), 35 },
  [NIGRAN_UNIT_MOTORCYCLE] = { N_("Motorcycle"), 40 },
  [NIGRAN_UNIT_RESPONSE_VEHICLE] = { N_("Emergency response vehicle"), 40 },
  [NIGRAN_UNIT_RANGERS] = { N_("Rangers"), 35 },
};

static const char * const status_names[] = {
  [NIGRAN_UNIT_AVAILABLE] = "available",
  [NIGRAN_UNIT_DISPATCHED] = "dispatched",
  [NIGRAN_UNIT_EN_ROUTE] = "en-route",
  [NIGRAN_UNIT_ON_SCENE] = "on-scene",
  [NIGRAN_UNIT_RETURNING] = "returning",
  [NIGRAN_UNIT_OFF_DUTY] = "off-duty",
};

static const char * const status_labels[] = {
  [NIGRAN_UNIT_AVAILABLE] = N_("Available"),
  [NIGRAN_UNIT_DISPATCHED] = N_("Dispatched"),
  [NIGRAN_UNIT_EN_ROUTE] = N_("En route"),
  [NIGRAN_UNIT_ON_SCENE] = N_("On scene"),
  [NIGRAN_UNIT_RETURNING] = N_("Returning"),
  [NIGRAN_UNIT_OFF_DUTY] = N_("Off duty"),
};

static void
nigran_unit_finalize (GObject *object)
{
  NigranUnit *self = NIGRAN_UNIT (object);

  g_free (self->call_sign);
  g_free (self->incident_id);
  G_OBJECT_CLASS (nigran_unit_parent_class)->finalize (object);
}

static void
nigran_unit_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NigranUnit *self = NIGRAN_UNIT (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_POSITION_US:
      g_value_set_int64 (value, self->position_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_unit_class_init (NigranUnitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nigran_unit_finalize;
  object_class->get_property = nigran_unit_get_property;

  /* Read-only, for views to follow: a unit changes only through its events. */
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, NIGRAN_UNIT_AVAILABLE, NIGRAN_UNIT_OFF_DUTY,
                                              NIGRAN_UNIT_AVAILABLE,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION_US] = g_param_spec_int64 ("position-us", NULL, NULL, 0, G_MAXINT64, 0,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nigran_unit_init (NigranUnit *self)
{
}

NigranUnit *
nigran_unit_new (const char     *call_sign,
                 NigranUnitKind  kind,
                 double          latitude,
                 double          longitude)
{
  NigranUnit *self;

  g_return_val_if_fail (call_sign != NULL, NULL);
  g_return_val_if_fail (kind <= NIGRAN_UNIT_RANGERS, NULL);

  self = g_object_new (NIGRAN_TYPE_UNIT, NULL);
  self->call_sign = g_strdup (call_sign);
  self->kind = kind;
  self->latitude = latitude;
  self->longitude = longitude;
  return self;
}

const char *
nigran_unit_get_call_sign (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), NULL);
  return self->call_sign;
}

NigranUnitKind
nigran_unit_get_kind (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), NIGRAN_UNIT_PATROL_CAR);
  return self->kind;
}

NigranUnitStatus
nigran_unit_get_status (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), NIGRAN_UNIT_OFF_DUTY);
  return self->status;
}

/* 0 until the first status event: the site file's status holds since an unknown time. */
gint64
nigran_unit_get_status_since_us (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), 0);
  return self->status_since_us;
}

const char *
nigran_unit_get_incident_id (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), NULL);
  return self->incident_id;
}

double
nigran_unit_get_latitude (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), 0);
  return self->latitude;
}

double
nigran_unit_get_longitude (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), 0);
  return self->longitude;
}

/* When the position was last reported; 0: the site file's base. */
gint64
nigran_unit_get_position_us (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), 0);
  return self->position_us;
}

double
nigran_unit_get_average_speed_kmh (NigranUnit *self)
{
  g_return_val_if_fail (NIGRAN_IS_UNIT (self), 1);
  return kinds[self->kind].average_kmh;
}

void
nigran_unit_set_status (NigranUnit       *self,
                        NigranUnitStatus  status,
                        const char       *incident_id,
                        gint64            since_us)
{
  char *kept = g_strdup (incident_id);  /* @incident_id may be the one it replaces */

  g_return_if_fail (NIGRAN_IS_UNIT (self));

  self->status = status;
  self->status_since_us = since_us;
  g_free (self->incident_id);
  self->incident_id = kept;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
nigran_unit_set_position (NigranUnit *self,
                          double      latitude,
                          double      longitude,
                          gint64      at_us)
{
  g_return_if_fail (NIGRAN_IS_UNIT (self));

  self->latitude = latitude;
  self->longitude = longitude;
  self->position_us = at_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION_US]);
}

const char *
nigran_unit_kind_to_string (NigranUnitKind kind)
{
  g_return_val_if_fail (kind <= NIGRAN_UNIT_RANGERS, NULL);
  return kind_names[kind];
}

gboolean
nigran_unit_kind_from_string (const char     *text,
                              NigranUnitKind *kind)
{
  guint index;

  if (!nigran_find_name (kind_names, G_N_ELEMENTS (kind_names), text, &index))
    return FALSE;
  *kind = index;
  return TRUE;
}

const char *
nigran_unit_kind_get_label (NigranUnitKind kind)
{
  g_return_val_if_fail (kind <= NIGRAN_UNIT_RANGERS, NULL);
  return _(kinds[kind].label);
}

const char *
nigran_unit_status_to_string (NigranUnitStatus status)
{
  g_return_val_if_fail (status <= NIGRAN_UNIT_OFF_DUTY, NULL);
  return status_names[status];
}

gboolean
nigran_unit_status_from_string (const char       *text,
                                NigranUnitStatus *status)
{
  guint index;

  if (!nigran_find_name (status_names, G_N_ELEMENTS (status_names), text, &index))
    return FALSE;
  *status = index;
  return TRUE;
}

const char *
nigran_unit_status_get_label (NigranUnitStatus status)
{
  g_return_val_if_fail (status <= NIGRAN_UNIT_OFF_DUTY, NULL);
  return _(status_labels[status]);
}
