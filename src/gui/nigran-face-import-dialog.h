/* nigran-face-import-dialog.h: a watchlist imported from a CSV of photos, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nigran-face-watch.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_FACE_IMPORT_DIALOG (nigran_face_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NigranFaceImportDialog, nigran_face_import_dialog, NIGRAN, FACE_IMPORT_DIALOG, GtkWindow)

NigranFaceImportDialog *nigran_face_import_dialog_new        (GtkWindow              *parent,
                                                              NigranFaceWatch        *watch,
                                                              const char             *operator_name);
void                    nigran_face_import_dialog_set_file   (NigranFaceImportDialog *self,
                                                              GFile                  *file);
void                    nigran_face_import_dialog_set_watchlist (NigranFaceImportDialog *self,
                                                              const char             *watchlist);
void                    nigran_face_import_dialog_set_threshold (NigranFaceImportDialog *self,
                                                              double                  threshold);
const char             *nigran_face_import_dialog_get_estimate (NigranFaceImportDialog *self);
void                    nigran_face_import_dialog_start      (NigranFaceImportDialog *self);
gboolean                nigran_face_import_dialog_is_running (NigranFaceImportDialog *self);
const char             *nigran_face_import_dialog_get_status (NigranFaceImportDialog *self);
char                   *nigran_face_import_dialog_dup_problems (NigranFaceImportDialog *self);

G_END_DECLS
