/* nigran-alert-card.h: one alert's evidence and the actions on it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert.h"
#include "core/nigran-site-file.h"
#include "store/nigran-event-log.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ALERT_CARD (nigran_alert_card_get_type ())
G_DECLARE_FINAL_TYPE (NigranAlertCard, nigran_alert_card, NIGRAN, ALERT_CARD, GtkWidget)

NigranAlertCard *nigran_alert_card_new          (void);
void             nigran_alert_card_set_context  (NigranAlertCard *self,
                                                 NigranEventLog  *log,
                                                 const char      *operator_name,
                                                 NigranSiteFile  *site_file);
void             nigran_alert_card_set_site_file (NigranAlertCard *self,
                                                 NigranSiteFile  *site_file);
void             nigran_alert_card_set_alert    (NigranAlertCard *self,
                                                 NigranAlert     *alert);
NigranAlert     *nigran_alert_card_get_alert    (NigranAlertCard *self);
void             nigran_alert_card_open_reject_menu (NigranAlertCard *self);
gboolean         nigran_alert_card_reject_menu_is_open (NigranAlertCard *self);
void             nigran_alert_card_focus_note   (NigranAlertCard *self);
const char      *nigran_alert_card_get_error    (NigranAlertCard *self);
gboolean         nigran_alert_card_shows_evidence (NigranAlertCard *self);

G_END_DECLS
