/* nigran-face-watch.h: live cameras checked against enrolled faces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-types.h"
#include "core/nigran-watchlist.h"
#include "engine/nigran-engine.h"
#include "media/nigran-camera-stream.h"
#include "store/nigran-event-log.h"

G_BEGIN_DECLS

#define NIGRAN_FACE_WATCH_DEFAULT_FPS       5
#define NIGRAN_FACE_WATCH_DEFAULT_THRESHOLD 0.45

#define NIGRAN_TYPE_FACE_WATCH (nigran_face_watch_get_type ())
G_DECLARE_FINAL_TYPE (NigranFaceWatch, nigran_face_watch, NIGRAN, FACE_WATCH, GObject)

NigranFaceWatch *nigran_face_watch_new                    (NigranEventLog      *log,
                                                           const char          *models_dir,
                                                           GError             **error);
NigranEngine    *nigran_face_watch_get_engine             (NigranFaceWatch     *self);
void             nigran_face_watch_set_evidence_directory (NigranFaceWatch     *self,
                                                           const char          *directory);
void             nigran_face_watch_enrol                  (NigranFaceWatch     *self,
                                                           const char          *entry,
                                                           const char          *watchlist,
                                                           NigranAlertPriority  priority,
                                                           guint                verifiers_required,
                                                           const NigranFace    *face);
void             nigran_face_watch_enrol_from_frame_async  (NigranFaceWatch     *self,
                                                           GdkTexture          *frame,
                                                           const char          *camera_id,
                                                           const char          *entry,
                                                           const char          *watchlist,
                                                           const char          *actor,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean         nigran_face_watch_enrol_from_frame_finish (NigranFaceWatch    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
const NigranFace *nigran_face_watch_check_quality         (const NigranFaceResult *faces,
                                                           GError             **error);
gboolean         nigran_face_watch_check_face             (const NigranFace    *face,
                                                           GError             **error);
void             nigran_face_watch_find_faces_async       (NigranFaceWatch     *self,
                                                           GdkTexture          *frame,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
NigranFaceResult *nigran_face_watch_find_faces_finish     (NigranFaceWatch     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void             nigran_face_watch_enrol_file_async       (NigranFaceWatch     *self,
                                                           GFile               *file,
                                                           const char          *entry,
                                                           const char          *record,
                                                           const char          *watchlist,
                                                           const char          *actor,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
void             nigran_face_watch_enrol_face_async       (NigranFaceWatch     *self,
                                                           GdkTexture          *frame,
                                                           const NigranFace    *face,
                                                           const char          *camera_id,
                                                           const char          *entry,
                                                           const char          *record,
                                                           const char          *watchlist,
                                                           const char          *actor,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
void             nigran_face_watch_enrol_and_record       (NigranFaceWatch     *self,
                                                           const char          *entry,
                                                           const char          *record,
                                                           const char          *watchlist,
                                                           NigranAlertPriority  priority,
                                                           guint                verifiers_required,
                                                           const NigranFace    *face,
                                                           GdkTexture          *photo,
                                                           const char          *photo_path,
                                                           const char          *photo_sha256,
                                                           const char          *from,
                                                           const char          *subject,
                                                           const char          *actor);
GdkTexture      *nigran_face_watch_crop_face              (const guint8        *pixels,
                                                           int                  width,
                                                           int                  height,
                                                           int                  stride,
                                                           GdkMemoryFormat      format,
                                                           const NigranFace    *face);
void             nigran_face_watch_keep_photo             (GdkTexture          *photo,
                                                           const char          *directory,
                                                           char               **path,
                                                           char               **sha256);
char            *nigran_face_watch_dup_photo_directory    (NigranFaceWatch     *self);
gboolean         nigran_face_watch_restore                (NigranFaceWatch     *self,
                                                           GError             **error);
void             nigran_face_watch_set_cooldown           (NigranFaceWatch     *self,
                                                           gint64               cooldown_us);
guint            nigran_face_watch_get_n_enrolled         (NigranFaceWatch     *self);
void             nigran_face_watch_attach                 (NigranFaceWatch     *self,
                                                           NigranCameraStream  *stream);
void             nigran_face_watch_set_running            (NigranFaceWatch     *self,
                                                           gboolean             running,
                                                           const char          *actor);
void             nigran_face_watch_define_watchlist       (NigranFaceWatch     *self,
                                                           NigranWatchlist     *watchlist,
                                                           const char          *actor);
GListModel      *nigran_face_watch_get_watchlists         (NigranFaceWatch     *self);
NigranWatchlist *nigran_face_watch_dup_watchlist          (NigranFaceWatch     *self,
                                                           const char          *name);
guint            nigran_face_watch_count_entries          (NigranFaceWatch     *self,
                                                           const char          *watchlist);
char           **nigran_face_watch_dup_entries            (NigranFaceWatch     *self,
                                                           const char          *watchlist);
gboolean         nigran_face_watch_get_entry              (NigranFaceWatch     *self,
                                                           const char          *name,
                                                           const char         **record,
                                                           const char         **notes,
                                                           guint               *n_photos,
                                                           GdkTexture         **photo);
void             nigran_face_watch_update_entry           (NigranFaceWatch     *self,
                                                           const char          *name,
                                                           const char          *record,
                                                           const char          *notes,
                                                           const char          *actor);
void             nigran_face_watch_remove_entry           (NigranFaceWatch     *self,
                                                           const char          *name,
                                                           const char          *reason,
                                                           const char          *actor);
double           nigran_face_watch_get_threshold          (NigranFaceWatch     *self,
                                                           const char          *watchlist);
double           nigran_face_watch_get_faces_per_hour     (NigranFaceWatch     *self);
double           nigran_face_watch_estimate_false_hits    (NigranFaceWatch     *self,
                                                           double               threshold,
                                                           guint                gallery_size,
                                                           double               faces_per_hour,
                                                           double               hours);
void             nigran_face_watch_apply_retention_async  (NigranFaceWatch     *self,
                                                           gint64               now_us,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean         nigran_face_watch_apply_retention_finish (NigranFaceWatch     *self,
                                                           GAsyncResult        *result,
                                                           guint               *n_matches,
                                                           guint               *n_enrolments,
                                                           GError             **error);
char            *nigran_face_watch_describe_false_hits    (NigranFaceWatch     *self,
                                                           double               threshold);
gboolean         nigran_face_watch_is_analysing           (NigranFaceWatch     *self,
                                                           const char          *camera_id);
void             nigran_face_watch_set_camera_enabled     (NigranFaceWatch     *self,
                                                           const char          *camera_id,
                                                           gboolean             enabled,
                                                           const char          *actor);
gboolean         nigran_face_watch_get_camera_enabled     (NigranFaceWatch     *self,
                                                           const char          *camera_id);
gboolean         nigran_face_watch_get_running            (NigranFaceWatch     *self);
guint64          nigran_face_watch_get_n_results          (NigranFaceWatch     *self);
gint64           nigran_face_watch_get_last_result_us     (NigranFaceWatch     *self);
guint            nigran_face_watch_get_n_suppressed       (NigranFaceWatch     *self);
guint            nigran_face_watch_get_n_alerts           (NigranFaceWatch     *self);

G_END_DECLS
