/* nigran-alert-checkpoint.c: the alert queue saved in the log's file, so that a start
 * need not replay every event
 *
 * Replaying a million events takes several seconds, most of it parsing their JSON
 * payloads; reading the queue back from a table takes a fraction of that, and only
 * the events after it are replayed. The checkpoint is written by the log's writer
 * thread in one transaction, with the sequence number the queue had reached; its
 * digest (SHA-256 over every field of every alert) is then recorded as a chained
 * event "checkpoint.saved". A checkpoint whose digest differs from the one on record,
 * because it was edited or half written, is not used: the whole log is replayed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "core/nigran-alert-private.h"
#include "core/nigran-alert-queue-private.h"
#include "core/nigran-event.h"
#include "nigran-alert-checkpoint.h"
#include "nigran-event-log-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define CHECKPOINT_NAME "alerts"

static void
digest_text (GChecksum  *checksum,
             const char *text)
{
  /* NULL and "" differ; every field ends with a NUL so that none runs into the next. */
  if (text == NULL)
    g_checksum_update (checksum, (const guchar *)"\1", 2);
  else
    g_checksum_update (checksum, (const guchar *)text, strlen (text) + 1);
}

static void
digest_number (GChecksum *checksum,
               gint64     number)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, number);
  digest_text (checksum, text);
}

static void
digest_record (GChecksum               *checksum,
               const NigranAlertRecord *record)
{
  char score[G_ASCII_DTOSTR_BUF_SIZE];

  digest_text (checksum, record->id);
  digest_number (checksum, record->sequence);
  digest_number (checksum, record->raised_us);
  digest_text (checksum, record->source);
  digest_text (checksum, record->kind);
  digest_text (checksum, record->camera_id);
  digest_text (checksum, record->site_id);
  digest_text (checksum, record->title);
  digest_text (checksum, record->detail);
  digest_text (checksum, record->matched);
  digest_text (checksum, record->snapshot);
  digest_text (checksum, record->snapshot_sha256);
  digest_number (checksum, record->priority);
  digest_text (checksum, g_ascii_dtostr (score, sizeof score, record->score));
  digest_number (checksum, record->frame_age_ms);
  digest_number (checksum, record->verifiers_required);
  digest_number (checksum, record->demo);
  digest_number (checksum, record->state);
  digest_text (checksum, record->acknowledged_by);
  digest_number (checksum, record->acknowledged_us);
  digest_number (checksum, record->decided_us);
  digest_number (checksum, record->closed_us);
  digest_text (checksum, record->assignee);
  digest_text (checksum, record->escalation_reason);
  digest_text (checksum, record->decisions_json);
  digest_text (checksum, record->notes_json);
  digest_text (checksum, record->watchlist);
  digest_text (checksum, record->colour);
  digest_text (checksum, record->tone);
}

static void
bind_text (sqlite3_stmt *statement,
           int           column,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (statement, column);
  else
    sqlite3_bind_text (statement, column, text, -1, SQLITE_STATIC);
}

typedef struct
{
  NigranAlertQueue *queue;
  char             *digest;
  guint             count;
} SaveData;

/* Writer thread, while the caller waits: nobody else touches the queue. */
static gboolean
save_job (sqlite3   *db,
          gpointer   user_data,
          GError   **error)
{
  SaveData *data = user_data;
  GListModel *alerts = G_LIST_MODEL (data->queue);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  guint n_alerts = g_list_model_get_n_items (alerts);

  if (sqlite3_exec (db, "DELETE FROM alert_checkpoint; DELETE FROM checkpoints", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO alert_checkpoint VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                              " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &insert, NULL) != SQLITE_OK)
    goto failed;

  for (guint i = 0; i < n_alerts; i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (alerts, i);
      g_autofree char *decisions = NULL;
      g_autofree char *notes = NULL;
      NigranAlertRecord record;

      _nigran_alert_fill_record (alert, &record, &decisions, &notes);
      digest_record (checksum, &record);
      sqlite3_reset (insert);
      sqlite3_bind_int (insert, 1, i);
      bind_text (insert, 2, record.id);
      sqlite3_bind_int64 (insert, 3, record.sequence);
      sqlite3_bind_int64 (insert, 4, record.raised_us);
      bind_text (insert, 5, record.source);
      bind_text (insert, 6, record.kind);
      bind_text (insert, 7, record.camera_id);
      bind_text (insert, 8, record.site_id);
      bind_text (insert, 9, record.title);
      bind_text (insert, 10, record.detail);
      bind_text (insert, 11, record.matched);
      bind_text (insert, 12, record.snapshot);
      bind_text (insert, 13, record.snapshot_sha256);
      sqlite3_bind_int (insert, 14, record.priority);
      sqlite3_bind_double (insert, 15, record.score);
      sqlite3_bind_int64 (insert, 16, record.frame_age_ms);
      sqlite3_bind_int (insert, 17, record.verifiers_required);
      sqlite3_bind_int (insert, 18, record.demo);
      sqlite3_bind_int (insert, 19, record.state);
      bind_text (insert, 20, record.acknowledged_by);
      sqlite3_bind_int64 (insert, 21, record.acknowledged_us);
      sqlite3_bind_int64 (insert, 22, record.decided_us);
      sqlite3_bind_int64 (insert, 23, record.closed_us);
      bind_text (insert, 24, record.assignee);
      bind_text (insert, 25, record.escalation_reason);
      bind_text (insert, 26, record.decisions_json);
      bind_text (insert, 27, record.notes_json);
      bind_text (insert, 28, record.watchlist);
      bind_text (insert, 29, record.colour);
      bind_text (insert, 30, record.tone);
      if (sqlite3_step (insert) != SQLITE_DONE)
        goto failed;
    }
  digest_number (checksum, nigran_alert_queue_get_last_sequence (data->queue));

  data->digest = g_strdup (g_checksum_get_string (checksum));
  data->count = n_alerts;
  if (sqlite3_prepare_v2 (db, "INSERT INTO checkpoints (name, seq, digest, count) VALUES (?, ?, ?, ?)",
                          -1, &mark, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (mark, 1, CHECKPOINT_NAME, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (mark, 2, nigran_alert_queue_get_last_sequence (data->queue));
  sqlite3_bind_text (mark, 3, data->digest, -1, SQLITE_STATIC);
  sqlite3_bind_int (mark, 4, n_alerts);
  if (sqlite3_step (mark) != SQLITE_DONE)
    goto failed;
  return TRUE;

failed:
  g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_WRITE,
               "The alert queue's checkpoint could not be written: %s", sqlite3_errmsg (db));
  return FALSE;
}

/**
 * nigran_alert_checkpoint_save:
 * @queue: the queue, which must not change meanwhile (call from the thread that owns it)
 *
 * Blocks until the checkpoint is written (about a second for a million alerts), then
 * records its digest in the log. For shutdown, or a worker that owns @queue.
 */
gboolean
nigran_alert_checkpoint_save (NigranEventLog    *log,
                              NigranAlertQueue  *queue,
                              GError           **error)
{
  SaveData data = { queue, NULL, 0 };
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(NigranEvent) event = NULL;

  if (!_nigran_event_log_run_job (log, save_job, &data, error))
    return FALSE;

  json_object_set_string_member (payload, "name", CHECKPOINT_NAME);
  json_object_set_int_member (payload, "seq", nigran_alert_queue_get_last_sequence (queue));
  json_object_set_string_member (payload, "digest", data.digest);
  json_object_set_int_member (payload, "alerts", data.count);
  event = nigran_event_new ("checkpoint.saved", (const char * const[]) { "log:events", NULL }, payload);
  nigran_event_log_append_async (log, event, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
  g_free (data.digest);
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *row,
             int           column)
{
  return (const char *)sqlite3_column_text (row, column);
}

/* The digest the log's chain has for the newest alert checkpoint, and its sequence. */
static char *
recorded_digest (sqlite3 *db,
                 gint64  *sequence)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *payload;

  if (sqlite3_prepare_v2 (db, "SELECT payload FROM events WHERE type = 'checkpoint.saved' ORDER BY seq DESC LIMIT 1",
                          -1, &statement, NULL) != SQLITE_OK ||
      sqlite3_step (statement) != SQLITE_ROW || column_text (statement, 0) == NULL ||
      (root = json_from_string (column_text (statement, 0), NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  payload = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (payload, "name", NULL), CHECKPOINT_NAME) != 0)
    return NULL;
  *sequence = json_object_get_int_member_with_default (payload, "seq", -1);
  return g_strdup (json_object_get_string_member_with_default (payload, "digest", NULL));
}

/**
 * nigran_alert_checkpoint_load:
 *
 * Reads on a connection of its own: call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): the queue as checkpointed, which has seen the
 *   events up to nigran_alert_queue_get_last_sequence(); NULL, without an error, when
 *   there is no checkpoint that matches the digest on record
 */
NigranAlertQueue *
nigran_alert_checkpoint_load (NigranEventLog  *log,
                              GError         **error)
{
  g_autoptr(NigranAlertQueue) queue = nigran_alert_queue_new ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *on_record = NULL;
  gint64 sequence = 0, recorded_sequence = -1;
  sqlite3 *db = _nigran_event_log_open_reader (log, error);
  int status;

  if (db == NULL)
    return NULL;

  if (sqlite3_prepare_v2 (db, "SELECT seq, digest FROM checkpoints WHERE name = ?", -1, &mark, NULL) != SQLITE_OK)
    goto unusable;
  sqlite3_bind_text (mark, 1, CHECKPOINT_NAME, -1, SQLITE_STATIC);
  if (sqlite3_step (mark) != SQLITE_ROW)
    goto unusable;
  sequence = sqlite3_column_int64 (mark, 0);
  expected = g_strdup (column_text (mark, 1));
  on_record = recorded_digest (db, &recorded_sequence);
  if (on_record == NULL || g_strcmp0 (on_record, expected) != 0 || recorded_sequence != sequence)
    {
      g_message ("The alert checkpoint in %s is not the one on record; replaying the whole log",
                 nigran_event_log_get_path (log));
      goto unusable;
    }

  if (sqlite3_prepare_v2 (db, "SELECT id, seq, raised_us, source, kind, camera, site, title, detail, matched,"
                              " snapshot, snapshot_sha256, priority, score, frame_age_ms, verifiers, demo, state, acknowledged_by,"
                              " acknowledged_us, decided_us, closed_us, assignee, escalation, decisions, notes, watchlist, colour, tone"
                              " FROM alert_checkpoint ORDER BY position", -1, &rows, NULL) != SQLITE_OK)
    goto unusable;
  while ((status = sqlite3_step (rows)) == SQLITE_ROW)
    {
      NigranAlertRecord record = {
        column_text (rows, 0), sqlite3_column_int64 (rows, 1), sqlite3_column_int64 (rows, 2),
        column_text (rows, 3), column_text (rows, 4), column_text (rows, 5), column_text (rows, 6),
        column_text (rows, 7), column_text (rows, 8), column_text (rows, 9), column_text (rows, 10),
        column_text (rows, 11), sqlite3_column_int (rows, 12), sqlite3_column_double (rows, 13),
        sqlite3_column_int64 (rows, 14), sqlite3_column_int (rows, 15), sqlite3_column_int (rows, 16),
        sqlite3_column_int (rows, 17), column_text (rows, 18), sqlite3_column_int64 (rows, 19),
        sqlite3_column_int64 (rows, 20), sqlite3_column_int64 (rows, 21), column_text (rows, 22),
        column_text (rows, 23), column_text (rows, 24), column_text (rows, 25),
        column_text (rows, 26), column_text (rows, 27), column_text (rows, 28),
      };

      if (record.id == NULL)
        goto unusable;
      digest_record (checksum, &record);
      _nigran_alert_queue_restore (queue, _nigran_alert_new_from_record (&record));
    }
  if (status != SQLITE_DONE)
    goto unusable;
  digest_number (checksum, sequence);
  if (g_strcmp0 (g_checksum_get_string (checksum), expected) != 0)
    {
      g_message ("The alert checkpoint in %s was changed after it was written; replaying the whole log",
                 nigran_event_log_get_path (log));
      goto unusable;
    }

  _nigran_alert_queue_set_last_sequence (queue, sequence);
  g_clear_pointer (&mark, sqlite3_finalize);
  g_clear_pointer (&rows, sqlite3_finalize);
  sqlite3_close (db);
  return g_steal_pointer (&queue);

unusable:
  g_clear_pointer (&mark, sqlite3_finalize);
  g_clear_pointer (&rows, sqlite3_finalize);
  sqlite3_close (db);
  return NULL;
}

static gboolean
apply_to_queue (NigranEvent *event,
                gpointer     queue)
{
  nigran_alert_queue_apply (queue, event);
  return TRUE;
}

/**
 * nigran_alert_queue_rebuild:
 * @from_checkpoint: (out) (optional): whether a checkpoint was used
 *
 * The alert queue as the log tells it: from its checkpoint and the events after
 * it, or from every event. A worker thread's job.
 */
NigranAlertQueue *
nigran_alert_queue_rebuild (NigranEventLog  *log,
                            gboolean        *from_checkpoint,
                            GError         **error)
{
  g_autoptr(NigranAlertQueue) queue = nigran_alert_checkpoint_load (log, NULL);

  if (from_checkpoint != NULL)
    *from_checkpoint = queue != NULL;
  if (queue == NULL)
    queue = nigran_alert_queue_new ();
  if (!nigran_event_log_foreach (log, nigran_alert_queue_get_last_sequence (queue), apply_to_queue, queue, error))
    return NULL;
  return g_steal_pointer (&queue);
}
