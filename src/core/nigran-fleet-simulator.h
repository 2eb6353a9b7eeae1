/* nigran-fleet-simulator.h: the demo's units, driving along the roads by themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "nigran-incidents.h"
#include "nigran-road-graph.h"
#include "nigran-units.h"

G_BEGIN_DECLS

/* How long a demo crew takes to acknowledge a dispatch, and stays on scene. */
#define NIGRAN_FLEET_ACKNOWLEDGE_US (4 * G_USEC_PER_SEC)
#define NIGRAN_FLEET_ON_SCENE_US    (3 * 60 * G_USEC_PER_SEC)
/* A moving unit reports its position this often, as AVL devices do. */
#define NIGRAN_FLEET_REPORT_US      (5 * G_USEC_PER_SEC)

#define NIGRAN_TYPE_FLEET_SIMULATOR (nigran_fleet_simulator_get_type ())
G_DECLARE_FINAL_TYPE (NigranFleetSimulator, nigran_fleet_simulator, NIGRAN, FLEET_SIMULATOR, GObject)

NigranFleetSimulator *nigran_fleet_simulator_new  (NigranUnits          *units,
                                                   NigranIncidents      *incidents,
                                                   NigranRoadGraph      *roads,
                                                   guint32               seed);
GPtrArray            *nigran_fleet_simulator_step (NigranFleetSimulator *self,
                                                   gint64                now_us);

G_END_DECLS
