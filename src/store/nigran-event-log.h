/* nigran-event-log.h: the one event log, in an SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/nigran-clock.h"
#include "core/nigran-event-bus.h"

G_BEGIN_DECLS

#define NIGRAN_EVENT_LOG_ERROR (nigran_event_log_error_quark ())

typedef enum
{
  NIGRAN_EVENT_LOG_ERROR_OPEN,         /* cannot be opened or created */
  NIGRAN_EVENT_LOG_ERROR_NETWORK_FS,   /* on a network file system */
  NIGRAN_EVENT_LOG_ERROR_NEWER_SCHEMA, /* written by a newer Nigran */
  NIGRAN_EVENT_LOG_ERROR_WRITE,        /* this append could not be written */
  NIGRAN_EVENT_LOG_ERROR_UNWRITABLE,   /* refused: the log cannot be written now */
  NIGRAN_EVENT_LOG_ERROR_READ,
  NIGRAN_EVENT_LOG_ERROR_CLOSED,
} NigranEventLogError;

/* The actor of facts that no person decided: camera health, the log itself. */
#define NIGRAN_ACTOR_SYSTEM "system"

#define NIGRAN_TYPE_EVENT_LOG (nigran_event_log_get_type ())
G_DECLARE_FINAL_TYPE (NigranEventLog, nigran_event_log, NIGRAN, EVENT_LOG, GObject)

typedef gboolean (*NigranEventFunc) (NigranEvent *event,
                                     gpointer     user_data);

GQuark          nigran_event_log_error_quark     (void);

NigranEventLog *nigran_event_log_open            (const char           *path,
                                                  NigranClock          *clock,
                                                  NigranEventBus       *bus,
                                                  const char           *workstation,
                                                  GError              **error);
const char     *nigran_event_log_get_path        (NigranEventLog       *self);
NigranEventBus *nigran_event_log_get_bus         (NigranEventLog       *self);
NigranClock    *nigran_event_log_get_clock       (NigranEventLog       *self);
gboolean        nigran_event_log_get_writable    (NigranEventLog       *self);
const char     *nigran_event_log_get_write_error (NigranEventLog       *self);
void            nigran_event_log_append_async    (NigranEventLog       *self,
                                                  NigranEvent          *event,
                                                  const char           *actor,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gint64          nigran_event_log_append_finish   (NigranEventLog       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
gboolean        nigran_event_log_erase_payloads  (NigranEventLog       *self,
                                                  GArray               *sequences,
                                                  GError              **error);
gboolean        nigran_event_log_foreach         (NigranEventLog       *self,
                                                  gint64                after_sequence,
                                                  NigranEventFunc       func,
                                                  gpointer              user_data,
                                                  GError              **error);
gboolean        nigran_event_log_foreach_of_types (NigranEventLog     *self,
                                                   const char * const *types,
                                                   NigranEventFunc     func,
                                                   gpointer            user_data,
                                                   GError            **error);
gboolean        nigran_event_log_foreach_of_types_between (NigranEventLog     *self,
                                                   const char * const *types,
                                                   gint64              from_us,
                                                   gint64              to_us,
                                                   NigranEventFunc     func,
                                                   gpointer            user_data,
                                                   GError            **error);
void            nigran_event_log_close           (NigranEventLog       *self);

gboolean        nigran_event_log_verify          (const char           *path,
                                                  gint64               *n_events,
                                                  gint64               *first_broken,
                                                  char                **problem,
                                                  GError              **error);

G_END_DECLS
