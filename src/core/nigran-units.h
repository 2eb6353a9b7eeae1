/* nigran-units.h: the unit board projection, and which unit is nearest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-event.h"
#include "nigran-road-graph.h"
#include "nigran-unit.h"

G_BEGIN_DECLS

/* A unit's estimated way to a place. */
typedef struct
{
  NigranUnit *unit;
  double      distance_m;
  double      travel_s;
  gboolean    by_road;   /* FALSE: a straight line, where no road data covers the way */
} NigranUnitRoute;

#define NIGRAN_TYPE_UNITS (nigran_units_get_type ())
G_DECLARE_FINAL_TYPE (NigranUnits, nigran_units, NIGRAN, UNITS, GObject)

NigranUnits *nigran_units_new                 (GListModel      *registered);
NigranUnit  *nigran_units_lookup              (NigranUnits     *self,
                                               const char      *call_sign);
gboolean     nigran_units_apply               (NigranUnits     *self,
                                               NigranEvent     *event);
GPtrArray   *nigran_units_rank                (NigranUnits     *self,
                                               NigranRoadGraph *roads,
                                               double           latitude,
                                               double           longitude);
NigranEvent *nigran_units_position_event_new  (const char      *call_sign,
                                               double           latitude,
                                               double           longitude);
NigranEvent *nigran_units_status_event_new    (const char      *call_sign,
                                               NigranUnitStatus status,
                                               const char      *incident_id);
void         nigran_unit_route_free           (NigranUnitRoute *route);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranUnitRoute, nigran_unit_route_free)

G_END_DECLS
