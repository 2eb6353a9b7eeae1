/* nigran-dispatch-board.h: the unit board, the incident board and the response times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-clock.h"
#include "core/nigran-incidents.h"
#include "core/nigran-road-graph.h"
#include "core/nigran-units.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_DISPATCH_BOARD (nigran_dispatch_board_get_type ())
G_DECLARE_FINAL_TYPE (NigranDispatchBoard, nigran_dispatch_board, NIGRAN, DISPATCH_BOARD, GtkWidget)

void        nigran_dispatch_board_set_projections (NigranDispatchBoard *self,
                                                   NigranUnits         *units,
                                                   NigranIncidents     *incidents,
                                                   NigranRoadGraph     *roads,
                                                   NigranClock         *clock);
void        nigran_dispatch_board_refresh         (NigranDispatchBoard *self);
const char *nigran_dispatch_board_get_response_text (NigranDispatchBoard *self);
const char *nigran_dispatch_board_get_breakdown_text (NigranDispatchBoard *self);
gboolean    nigran_dispatch_board_select_incident (NigranDispatchBoard *self,
                                                   const char          *incident_id);

G_END_DECLS
