/* nigran-incidents.h: the incident board projection and its response times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-event.h"
#include "nigran-incident.h"
#include "nigran-units.h"

G_BEGIN_DECLS

/* Default target: 90 % of calls dispatched within 60 s. */
#define NIGRAN_INCIDENTS_DISPATCH_TARGET_US    (60 * G_USEC_PER_SEC)
#define NIGRAN_INCIDENTS_DISPATCH_TARGET_SHARE 0.9

/* What opens an incident. */
typedef struct
{
  const char         *id;          /* nullable: a new one is made */
  const char         *type;        /* an APCO incident code */
  const char         *title;
  int                 priority;    /* 1 most urgent … 5 */
  const char         *source;      /* "alert", "sos" or "manual" */
  double              latitude;
  double              longitude;
  const char         *zone_id;     /* nullable */
  const char         *alert_id;    /* nullable */
  const char         *sos_site;    /* nullable */
  const char * const *camera_ids;  /* nullable */
  const char         *notes;       /* nullable */
  const char         *track_id;    /* nullable: the subject's track */
} NigranIncidentSpec;

typedef struct
{
  guint  n;
  gint64 median_us;
  gint64 p90_us;     /* nearest rank: the smallest time that 90 % do not exceed */
} NigranDurationStats;

typedef struct
{
  NigranDurationStats to_dispatch;  /* created → first dispatch */
  NigranDurationStats travel;       /* first dispatch → on scene */
  NigranDurationStats on_scene;     /* on scene → cleared */
  NigranDurationStats response;     /* created → on scene */
  guint               dispatched_within_target;
} NigranResponseTimes;

#define NIGRAN_TYPE_INCIDENTS (nigran_incidents_get_type ())
G_DECLARE_FINAL_TYPE (NigranIncidents, nigran_incidents, NIGRAN, INCIDENTS, GObject)

NigranIncidents *nigran_incidents_new                 (void);
NigranIncident  *nigran_incidents_apply               (NigranIncidents          *self,
                                                       NigranEvent              *event);
NigranIncident  *nigran_incidents_lookup              (NigranIncidents          *self,
                                                       const char               *incident_id);
NigranIncident  *nigran_incidents_find_by_alert       (NigranIncidents          *self,
                                                       const char               *alert_id);
void             nigran_incidents_get_response_times  (NigranIncidents          *self,
                                                       const char               *zone_id,
                                                       const char               *unit_kind,
                                                       gint64                    dispatch_target_us,
                                                       NigranResponseTimes      *times);
NigranEvent     *nigran_incidents_opened_event_new    (const NigranIncidentSpec *spec);
NigranEvent     *nigran_incidents_dispatched_event_new (const char              *incident_id,
                                                       const NigranUnitRoute    *route,
                                                       JsonObject               *packet);
NigranEvent     *nigran_incidents_cleared_event_new   (const char               *incident_id);
NigranEvent     *nigran_incidents_closed_event_new    (const char               *incident_id);

G_END_DECLS
