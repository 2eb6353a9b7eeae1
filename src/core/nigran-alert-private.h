/* nigran-alert-private.h: how the alert queue moves an alert on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-alert.h"

G_BEGIN_DECLS

NigranAlert *_nigran_alert_new_from_event (NigranEvent *raised);
gboolean     _nigran_alert_apply          (NigranAlert *self,
                                           NigranEvent *event);

G_END_DECLS
