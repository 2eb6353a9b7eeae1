/* nigran-supervisor-window.h: the supervisor's review of the alert queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert-queue.h"
#include "store/nigran-event-log.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_SUPERVISOR_WINDOW (nigran_supervisor_window_get_type ())
G_DECLARE_FINAL_TYPE (NigranSupervisorWindow, nigran_supervisor_window, NIGRAN, SUPERVISOR_WINDOW, GtkWindow)

NigranSupervisorWindow *nigran_supervisor_window_new          (NigranAlertQueue       *queue,
                                                               NigranEventLog         *log,
                                                               const char             *operator_name,
                                                               GSettings              *settings);
void                    nigran_supervisor_window_set_filter   (NigranSupervisorWindow *self,
                                                               const char             *filter,
                                                               guint                   choice);
guint                   nigran_supervisor_window_get_n_shown  (NigranSupervisorWindow *self);
void                    nigran_supervisor_window_set_assignee (NigranSupervisorWindow *self,
                                                               const char             *operator_name);
void                    nigran_supervisor_window_refresh      (NigranSupervisorWindow *self);
void                    nigran_supervisor_window_export_async (NigranSupervisorWindow *self,
                                                               const char             *path,
                                                               const char             *reason,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
guint                   nigran_supervisor_window_export_finish (NigranSupervisorWindow *self,
                                                               GAsyncResult           *result,
                                                               GError                **error);
char                   *nigran_csv_field                      (const char             *text);

G_END_DECLS
