/* nigran-event-log-private.h: for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "nigran-event-log.h"

G_BEGIN_DECLS

gboolean _nigran_event_log_is_network_fs_type (gint64          fs_type);
void     _nigran_event_log_limit_pages        (NigranEventLog *self,
                                               gint64          max_pages);
void     _nigran_event_log_set_retry_interval (NigranEventLog *self,
                                               guint           interval_ms);

typedef gboolean (*NigranWriterJob) (sqlite3  *db,
                                     gpointer  data,
                                     GError  **error);

gboolean _nigran_event_log_run_job            (NigranEventLog  *self,
                                               NigranWriterJob  job,
                                               gpointer         data,
                                               GError         **error);
sqlite3 *_nigran_event_log_open_reader        (NigranEventLog  *self,
                                               GError         **error);

G_END_DECLS
