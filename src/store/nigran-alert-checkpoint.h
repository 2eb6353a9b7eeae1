/* nigran-alert-checkpoint.h: the alert queue saved in the log's file, so that a start
 * need not replay every event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "core/nigran-alert-queue.h"
#include "nigran-event-log.h"

G_BEGIN_DECLS

gboolean          nigran_alert_checkpoint_save (NigranEventLog    *log,
                                                NigranAlertQueue  *queue,
                                                GError           **error);
NigranAlertQueue *nigran_alert_checkpoint_load (NigranEventLog    *log,
                                                GError           **error);
NigranAlertQueue *nigran_alert_queue_rebuild   (NigranEventLog    *log,
                                                gboolean          *from_checkpoint,
                                                GError           **error);

G_END_DECLS
