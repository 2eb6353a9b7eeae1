/* nigran-unit.h: one responding unit: a patrol car, a motorcycle, an emergency response vehicle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  NIGRAN_UNIT_PATROL_CAR,
  NIGRAN_UNIT_MOTORCYCLE,
  NIGRAN_UNIT_RESPONSE_VEHICLE,
  NIGRAN_UNIT_RANGERS,
} NigranUnitKind;

typedef enum
{
  NIGRAN_UNIT_AVAILABLE,
  NIGRAN_UNIT_DISPATCHED,
  NIGRAN_UNIT_EN_ROUTE,
  NIGRAN_UNIT_ON_SCENE,
  NIGRAN_UNIT_RETURNING,
  NIGRAN_UNIT_OFF_DUTY,
} NigranUnitStatus;

#define NIGRAN_TYPE_UNIT (nigran_unit_get_type ())
G_DECLARE_FINAL_TYPE (NigranUnit, nigran_unit, NIGRAN, UNIT, GObject)

NigranUnit      *nigran_unit_new                 (const char       *call_sign,
                                                  NigranUnitKind    kind,
                                                  double            latitude,
                                                  double            longitude);
const char      *nigran_unit_get_call_sign       (NigranUnit       *self);
NigranUnitKind   nigran_unit_get_kind            (NigranUnit       *self);
NigranUnitStatus nigran_unit_get_status          (NigranUnit       *self);
gint64           nigran_unit_get_status_since_us (NigranUnit       *self);
const char      *nigran_unit_get_incident_id     (NigranUnit       *self);
double           nigran_unit_get_latitude        (NigranUnit       *self);
double           nigran_unit_get_longitude       (NigranUnit       *self);
gint64           nigran_unit_get_position_us     (NigranUnit       *self);
double           nigran_unit_get_average_speed_kmh (NigranUnit     *self);
void             nigran_unit_set_status          (NigranUnit       *self,
                                                  NigranUnitStatus  status,
                                                  const char       *incident_id,
                                                  gint64            since_us);
void             nigran_unit_set_position        (NigranUnit       *self,
                                                  double            latitude,
                                                  double            longitude,
                                                  gint64            at_us);

const char      *nigran_unit_kind_to_string      (NigranUnitKind    kind);
gboolean         nigran_unit_kind_from_string    (const char       *text,
                                                  NigranUnitKind   *kind);
const char      *nigran_unit_kind_get_label      (NigranUnitKind    kind);
const char      *nigran_unit_status_to_string    (NigranUnitStatus  status);
gboolean         nigran_unit_status_from_string  (const char       *text,
                                                  NigranUnitStatus *status);
const char      *nigran_unit_status_get_label    (NigranUnitStatus  status);

G_END_DECLS
