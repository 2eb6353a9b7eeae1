/* nigran-dispatcher.h: the operator's dispatch actions, from an alert or an incident
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert-queue.h"
#include "core/nigran-incidents.h"
#include "core/nigran-road-graph.h"
#include "core/nigran-site-file.h"
#include "core/nigran-tracks.h"
#include "core/nigran-units.h"
#include "nigran-window.h"

G_BEGIN_DECLS

/* Records @event in the log, by @actor. */
typedef void (*NigranRecordFunc) (NigranEvent *event,
                                  const char  *actor,
                                  gpointer     user_data);

#define NIGRAN_TYPE_DISPATCHER (nigran_dispatcher_get_type ())
G_DECLARE_FINAL_TYPE (NigranDispatcher, nigran_dispatcher, NIGRAN, DISPATCHER, GObject)

NigranDispatcher *nigran_dispatcher_new             (NigranSiteFile   *site_file,
                                                     NigranRecordFunc  record,
                                                     gpointer          user_data);
void              nigran_dispatcher_set_operator    (NigranDispatcher *self,
                                                     const char       *operator_name);
void              nigran_dispatcher_set_alerts      (NigranDispatcher *self,
                                                     NigranAlertQueue *alert_queue,
                                                     NigranTracks     *tracks);
void              nigran_dispatcher_set_projections (NigranDispatcher *self,
                                                     NigranUnits      *units,
                                                     NigranIncidents  *incidents,
                                                     NigranRoadGraph  *roads);
void              nigran_dispatcher_set_window      (NigranDispatcher *self,
                                                     NigranWindow     *window);
GActionGroup     *nigran_dispatcher_get_actions     (NigranDispatcher *self);

G_END_DECLS
