/* nigran-incident-private.h: what the incidents projection changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nigran-incident.h"

G_BEGIN_DECLS

NigranIncident *_nigran_incident_new_opened (const char          *id,
                                             JsonObject          *opened,
                                             gint64               time_us);
void            _nigran_incident_reach      (NigranIncident      *self,
                                             NigranIncidentState  state,
                                             gint64               time_us);
void            _nigran_incident_set_unit   (NigranIncident      *self,
                                             const char          *call_sign,
                                             const char          *kind);

G_END_DECLS
