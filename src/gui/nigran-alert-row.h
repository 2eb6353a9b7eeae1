/* nigran-alert-row.h: one alert on the rail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert.h"
#include "core/nigran-site-file.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ALERT_ROW (nigran_alert_row_get_type ())
G_DECLARE_FINAL_TYPE (NigranAlertRow, nigran_alert_row, NIGRAN, ALERT_ROW, GtkWidget)

NigranAlertRow *nigran_alert_row_new        (void);
void            nigran_alert_row_set_alert  (NigranAlertRow *self,
                                             NigranAlert    *alert,
                                             NigranSiteFile *site_file);

char           *nigran_alert_describe_where (NigranAlert    *alert,
                                             NigranSiteFile *site_file);
char           *nigran_alert_describe_state (NigranAlert    *alert);
char           *nigran_colour_chip_markup   (const char     *colour,
                                             const char     *text);
void            nigran_alert_show_watchlist (NigranAlert    *alert,
                                             GtkLabel       *label);
const char     *nigran_alert_priority_css_class (NigranAlertPriority priority);
char           *nigran_format_local_time    (gint64          time_us,
                                             const char     *format);

G_END_DECLS
