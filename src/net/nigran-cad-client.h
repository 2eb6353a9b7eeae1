/* nigran-cad-client.h: incidents and dispatches sent to a computer-aided-dispatch system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/nigran-event.h"
#include "core/nigran-incident.h"

G_BEGIN_DECLS

/* Records @event in the log by the system; the client learns it is recorded when the
 * event comes back through nigran_cad_client_apply(). */
typedef void (*NigranCadRecordFunc) (NigranEvent *event,
                                     gpointer     user_data);

#define NIGRAN_CAD_CLIENT_DEFAULT_FIRST_RETRY_MS 1000
#define NIGRAN_CAD_CLIENT_DEFAULT_LAST_RETRY_MS  (5 * 60 * 1000)

#define NIGRAN_TYPE_CAD_CLIENT (nigran_cad_client_get_type ())
G_DECLARE_FINAL_TYPE (NigranCadClient, nigran_cad_client, NIGRAN, CAD_CLIENT, GObject)

NigranCadClient *nigran_cad_client_new              (const char          *url,
                                                     NigranCadRecordFunc  record,
                                                     gpointer             user_data);
void             nigran_cad_client_set_token        (NigranCadClient     *self,
                                                     const char          *token);
void             nigran_cad_client_set_retry_delays (NigranCadClient     *self,
                                                     guint                first_ms,
                                                     guint                last_ms);
void             nigran_cad_client_apply            (NigranCadClient     *self,
                                                     NigranEvent         *event);
void             nigran_cad_client_start            (NigranCadClient     *self);
guint            nigran_cad_client_get_n_waiting    (NigranCadClient     *self);
NigranEvent     *nigran_cad_client_queue_event_new  (NigranEvent         *incident_event,
                                                     NigranIncident      *incident);

G_END_DECLS
