/* nigran-incident-dialog.h: an incident opened by hand, typed from the APCO codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-site-file.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_INCIDENT_DIALOG (nigran_incident_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NigranIncidentDialog, nigran_incident_dialog, NIGRAN, INCIDENT_DIALOG, GtkWindow)

NigranIncidentDialog *nigran_incident_dialog_new          (GtkWindow            *parent,
                                                           NigranSiteFile       *site_file,
                                                           double                map_latitude,
                                                           double                map_longitude);
gboolean              nigran_incident_dialog_select_type  (NigranIncidentDialog *self,
                                                           const char           *code);
gboolean              nigran_incident_dialog_select_place (NigranIncidentDialog *self,
                                                           const char           *site_id);
void                  nigran_incident_dialog_set_report   (NigranIncidentDialog *self,
                                                           const char           *title,
                                                           const char           *notes);
void                  nigran_incident_dialog_open_incident (NigranIncidentDialog *self);

G_END_DECLS
