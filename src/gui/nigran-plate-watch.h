/* nigran-plate-watch.h: number-plate cameras read, and their plates checked against hotlists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-plate-sightings.h"
#include "core/nigran-watchlist.h"
#include "core/nigran-zone.h"
#include "media/nigran-camera-stream.h"
#include "store/nigran-event-log.h"

G_BEGIN_DECLS

#define NIGRAN_PLATE_WATCH_DEFAULT_FPS 5
/* One hotlist entry raises one alert a camera in this time: a car in a queue is one car. */
#define NIGRAN_PLATE_WATCH_DEFAULT_COOLDOWN_US (10 * G_TIME_SPAN_MINUTE)
/* Reads that hit no hotlist are erased after this. */
#define NIGRAN_PLATE_WATCH_READ_RETENTION_DAYS 365

typedef struct
{
  char   *hotlist;
  char   *pattern;     /* as entered: "AC-4903", "AC-49*" */
  char   *reason;      /* nullable */
  char   *source;      /* nullable: who asked for it, "CPLC stolen list 2026-11-20" */
  gint64  added_us;
} NigranHotlistEntry;

typedef struct
{
  guint   line;        /* 1 for the first line of the file */
  char   *message;
} NigranImportProblem;

#define NIGRAN_TYPE_PLATE_WATCH (nigran_plate_watch_get_type ())
G_DECLARE_FINAL_TYPE (NigranPlateWatch, nigran_plate_watch, NIGRAN, PLATE_WATCH, GObject)

NigranPlateWatch *nigran_plate_watch_new                  (NigranEventLog       *log,
                                                           const char           *tessdata_dir,
                                                           GError              **error);
void              nigran_plate_watch_set_evidence_directory (NigranPlateWatch   *self,
                                                           const char           *directory);
void              nigran_plate_watch_set_site             (NigranPlateWatch     *self,
                                                           GListModel           *cameras,
                                                           GListModel           *zones);
NigranPlateSightings *nigran_plate_watch_get_sightings    (NigranPlateWatch     *self);
void              nigran_plate_watch_set_cooldown         (NigranPlateWatch     *self,
                                                           gint64                cooldown_us);
gboolean          nigran_plate_watch_restore              (NigranPlateWatch     *self,
                                                           GError              **error);
void              nigran_plate_watch_attach               (NigranPlateWatch     *self,
                                                           NigranCameraStream   *stream);
void              nigran_plate_watch_set_running          (NigranPlateWatch     *self,
                                                           gboolean              running,
                                                           const char           *actor);
gboolean          nigran_plate_watch_get_running          (NigranPlateWatch     *self);

void              nigran_plate_watch_define_hotlist       (NigranPlateWatch     *self,
                                                           NigranWatchlist      *hotlist,
                                                           const char           *actor);
GListModel       *nigran_plate_watch_get_hotlists         (NigranPlateWatch     *self);
NigranWatchlist  *nigran_plate_watch_dup_hotlist          (NigranPlateWatch     *self,
                                                           const char           *name);
gboolean          nigran_plate_watch_add_entries          (NigranPlateWatch     *self,
                                                           const char           *hotlist,
                                                           GPtrArray            *entries,
                                                           const char           *how,
                                                           const char           *actor,
                                                           GError              **error);
gboolean          nigran_plate_watch_remove_entry         (NigranPlateWatch     *self,
                                                           const char           *hotlist,
                                                           const char           *pattern,
                                                           const char           *reason,
                                                           const char           *actor,
                                                           GError              **error);
void              nigran_plate_watch_import_async         (NigranPlateWatch     *self,
                                                           const char           *hotlist,
                                                           GPtrArray            *entries,
                                                           const char           *how,
                                                           const char           *actor,
                                                           GCancellable         *cancellable,
                                                           GFileProgressCallback progress,
                                                           gpointer              progress_data,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gssize            nigran_plate_watch_import_finish        (NigranPlateWatch     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
GPtrArray        *nigran_plate_watch_dup_entries          (NigranPlateWatch     *self,
                                                           const char           *hotlist);
guint             nigran_plate_watch_count_entries        (NigranPlateWatch     *self,
                                                           const char           *hotlist);

void              nigran_plate_watch_read_csv_async       (GFile                *file,
                                                           GCancellable         *cancellable,
                                                           GFileProgressCallback progress,
                                                           gpointer              progress_data,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GPtrArray        *nigran_plate_watch_read_csv_finish      (GAsyncResult         *result,
                                                           GPtrArray           **problems,
                                                           GError              **error);

void              nigran_plate_watch_purge_reads_async    (NigranPlateWatch     *self,
                                                           gint64                now_us,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gssize            nigran_plate_watch_purge_reads_finish   (NigranPlateWatch     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

guint             nigran_plate_watch_get_n_frames         (NigranPlateWatch     *self);

NigranHotlistEntry *nigran_hotlist_entry_new              (const char           *hotlist,
                                                           const char           *pattern,
                                                           const char           *reason,
                                                           const char           *source);
void              nigran_hotlist_entry_free               (NigranHotlistEntry   *entry);
void              nigran_import_problem_free              (NigranImportProblem  *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranHotlistEntry, nigran_hotlist_entry_free)

G_END_DECLS
