/* nigran-event-bus.h: committed events, delivered on the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-event.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_EVENT_BUS (nigran_event_bus_get_type ())
G_DECLARE_FINAL_TYPE (NigranEventBus, nigran_event_bus, NIGRAN, EVENT_BUS, GObject)

NigranEventBus *nigran_event_bus_new      (void);
void            nigran_event_bus_post     (NigranEventBus *self,
                                           GPtrArray      *events);
void            nigran_event_bus_flush    (NigranEventBus *self);

G_END_DECLS
