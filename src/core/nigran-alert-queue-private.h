/* nigran-alert-queue-private.h: for checkpoints, which restore a queue in one go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-alert-queue.h"

G_BEGIN_DECLS

void _nigran_alert_queue_restore           (NigranAlertQueue *self,
                                            NigranAlert      *alert);
void _nigran_alert_queue_set_last_sequence (NigranAlertQueue *self,
                                            gint64            sequence);

G_END_DECLS
