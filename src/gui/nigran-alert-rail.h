/* nigran-alert-rail.h: open alerts beside the wall, and the selected one's card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert-queue.h"
#include "nigran-alert-card.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ALERT_RAIL (nigran_alert_rail_get_type ())
G_DECLARE_FINAL_TYPE (NigranAlertRail, nigran_alert_rail, NIGRAN, ALERT_RAIL, GtkWidget)

NigranAlertRail *nigran_alert_rail_new          (void);
void             nigran_alert_rail_set_queue    (NigranAlertRail  *self,
                                                 NigranAlertQueue *queue,
                                                 NigranEventLog   *log,
                                                 const char       *operator_name,
                                                 NigranSiteFile   *site_file);
void             nigran_alert_rail_set_site_file (NigranAlertRail *self,
                                                 NigranSiteFile  *site_file);
NigranAlertCard *nigran_alert_rail_get_card     (NigranAlertRail  *self);
guint            nigran_alert_rail_get_n_shown  (NigranAlertRail  *self);
void             nigran_alert_rail_select       (NigranAlertRail  *self,
                                                 guint             position);
void             nigran_alert_rail_focus        (NigranAlertRail  *self);
guint            nigran_alert_rail_get_n_sounds (NigranAlertRail  *self);

G_END_DECLS
