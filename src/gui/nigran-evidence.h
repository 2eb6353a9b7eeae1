/* nigran-evidence.h: the picture an alert was raised on, kept with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert.h"
#include "store/nigran-event-log.h"

G_BEGIN_DECLS

/* The picture of a camera now and its age (capture to screen), or NULL. */
typedef GdkTexture *(*NigranFrameFunc) (const char *camera_id,
                                        gint64     *frame_age_ms,
                                        gpointer    user_data);

void     nigran_evidence_raise_alert (NigranEventLog        *log,
                                      const NigranAlertSpec *spec,
                                      GdkTexture            *frame,
                                      const char            *directory);
gboolean nigran_evidence_save_texture (GdkTexture           *texture,
                                      const char           *directory,
                                      char                **path_out,
                                      char                **sha256_out,
                                      GError              **error);
gboolean nigran_evidence_check_file  (const char            *path,
                                      const char            *sha256,
                                      GError               **error);

G_END_DECLS
