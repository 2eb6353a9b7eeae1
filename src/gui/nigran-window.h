/* nigran-window.h: the operator's main window: camera tree and video wall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-incident.h"
#include "nigran-dispatch-board.h"

#include "core/nigran-clock.h"
#include "core/nigran-alert-queue.h"
#include "core/nigran-site-file.h"
#include "store/nigran-event-log.h"
#include "core/nigran-tracks.h"
#include "nigran-alert-rail.h"
#include "nigran-map-view.h"
#include "nigran-supervisor-window.h"
#include "nigran-wall.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_WINDOW (nigran_window_get_type ())
G_DECLARE_FINAL_TYPE (NigranWindow, nigran_window, NIGRAN, WINDOW, GtkApplicationWindow)

NigranWindow *nigran_window_new           (GtkApplication *application,
                                           NigranClock    *clock,
                                           GSettings      *settings);
void          nigran_window_set_site_file (NigranWindow   *self,
                                           NigranSiteFile *site_file);
void          nigran_window_show_problem  (NigranWindow   *self,
                                           const char     *message);
NigranWall   *nigran_window_get_wall      (NigranWindow   *self);
void          nigran_window_set_alerts    (NigranWindow     *self,
                                           NigranAlertQueue *queue,
                                           NigranEventLog   *log,
                                           const char       *operator_name);
NigranAlertRail *nigran_window_get_alert_rail (NigranWindow *self);
void          nigran_window_set_operator  (NigranWindow   *self,
                                           const char     *operator_name,
                                           NigranRole      role);
NigranSupervisorWindow *nigran_window_get_supervisor_window (NigranWindow *self);
void          nigran_window_set_tracks    (NigranWindow   *self,
                                           NigranTracks   *tracks);
NigranMapView *nigran_window_get_map_view (NigranWindow   *self);
void          nigran_window_show_page     (NigranWindow   *self,
                                           const char     *page);

NigranDispatchBoard *nigran_window_get_dispatch_board (NigranWindow   *self);
void                 nigran_window_show_incident      (NigranWindow   *self,
                                                       NigranIncident *incident);

G_END_DECLS
