/* nigran-incident.h: one incident, from its opening to its closing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  NIGRAN_INCIDENT_CREATED,
  NIGRAN_INCIDENT_DISPATCHED,
  NIGRAN_INCIDENT_EN_ROUTE,
  NIGRAN_INCIDENT_ON_SCENE,
  NIGRAN_INCIDENT_CLEARED,
  NIGRAN_INCIDENT_CLOSED,
} NigranIncidentState;

/* An incident type offered to the operator: an APCO incident code. */
typedef struct
{
  char *code;
  char *label;
  int   priority;  /* 1 most urgent … 5 */
} NigranIncidentType;

#define NIGRAN_TYPE_INCIDENT (nigran_incident_get_type ())
G_DECLARE_FINAL_TYPE (NigranIncident, nigran_incident, NIGRAN, INCIDENT, GObject)

const char         *nigran_incident_get_id           (NigranIncident      *self);
const char         *nigran_incident_get_type_code    (NigranIncident      *self);
const char         *nigran_incident_get_title        (NigranIncident      *self);
int                 nigran_incident_get_priority     (NigranIncident      *self);
const char         *nigran_incident_get_source       (NigranIncident      *self);
double              nigran_incident_get_latitude     (NigranIncident      *self);
double              nigran_incident_get_longitude    (NigranIncident      *self);
const char         *nigran_incident_get_zone_id      (NigranIncident      *self);
const char         *nigran_incident_get_alert_id     (NigranIncident      *self);
const char         *nigran_incident_get_sos_site     (NigranIncident      *self);
const char         *nigran_incident_get_notes        (NigranIncident      *self);
const char         *nigran_incident_get_track_id     (NigranIncident      *self);
const char * const *nigran_incident_get_camera_ids   (NigranIncident      *self);
const char         *nigran_incident_get_unit         (NigranIncident      *self);
const char         *nigran_incident_get_unit_kind    (NigranIncident      *self);
NigranIncidentState nigran_incident_get_state        (NigranIncident      *self);
gint64              nigran_incident_get_time_us      (NigranIncident      *self,
                                                      NigranIncidentState  state);
const char         *nigran_incident_state_get_label  (NigranIncidentState  state);

GPtrArray          *nigran_incident_types_parse      (const char          *tsv,
                                                      GError             **error);
void                nigran_incident_type_free        (NigranIncidentType  *type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranIncidentType, nigran_incident_type_free)

G_END_DECLS
