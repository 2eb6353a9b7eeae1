/* nigran-enrol-dialog.h: a face picked from a frozen camera picture and enrolled
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nigran-face-watch.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ENROL_DIALOG (nigran_enrol_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NigranEnrolDialog, nigran_enrol_dialog, NIGRAN, ENROL_DIALOG, GtkWindow)

NigranEnrolDialog *nigran_enrol_dialog_new         (GtkWindow         *parent,
                                                    NigranFaceWatch   *watch,
                                                    GdkTexture        *frame,
                                                    const char        *camera_id,
                                                    const char        *camera_name,
                                                    const char        *operator_name);
int                nigran_enrol_dialog_get_n_faces (NigranEnrolDialog *self);
gboolean           nigran_enrol_dialog_pick        (NigranEnrolDialog *self,
                                                    guint              index);
void               nigran_enrol_dialog_enrol       (NigranEnrolDialog *self);
const char        *nigran_enrol_dialog_get_status  (NigranEnrolDialog *self);

G_END_DECLS
