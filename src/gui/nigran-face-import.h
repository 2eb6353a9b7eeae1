/* nigran-face-import.h: a watchlist enrolled in bulk from a CSV of photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-face-watch.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_FACE_IMPORT (nigran_face_import_get_type ())
G_DECLARE_FINAL_TYPE (NigranFaceImport, nigran_face_import, NIGRAN, FACE_IMPORT, GObject)

NigranFaceImport   *nigran_face_import_new          (NigranFaceWatch      *watch,
                                                     const char           *watchlist,
                                                     NigranAlertPriority   priority,
                                                     guint                 verifiers_required);
void                nigran_face_import_run_async    (NigranFaceImport     *self,
                                                     const char           *csv_path,
                                                     const char           *actor,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            nigran_face_import_run_finish   (NigranFaceImport     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
guint               nigran_face_import_get_n_rows   (NigranFaceImport     *self);
guint               nigran_face_import_get_n_done   (NigranFaceImport     *self);
guint               nigran_face_import_get_n_enrolled (NigranFaceImport   *self);
const char * const *nigran_face_import_get_problems (NigranFaceImport     *self);

G_END_DECLS
