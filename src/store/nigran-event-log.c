/* nigran-event-log.c: the one event log, in an SQLite file
 *
 * Durability: WAL with synchronous=FULL. Appends are queued to one writer thread,
 * which takes whatever is queued (up to a batch) into one transaction: group commit.
 * Only after COMMIT does an event reach the bus and its caller hear of success, so
 * nothing is ever shown that was not stored ("commit before display").
 *
 * Integrity: each event is chained to the previous one by SHA-256 (nigran-event.c).
 * nigran_event_log_verify() names the first sequence number where the chain breaks.
 *
 * When a write fails (disk full, permissions), the log stops taking auditable actions:
 * appends are refused at once with an error the GUI shows, while video goes on. Every
 * few seconds it tries again by writing the failure itself and the recovery; when that
 * commits, it takes appends again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/vfs.h>

#include "core/nigran-event-private.h"
#include "nigran-event-log-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define MAX_BATCH          1024
#define RETRY_INTERVAL_MS  2000

typedef struct
{
  GMutex          lock;
  GCond           cond;
  gboolean        done;
  NigranWriterJob job;
  gpointer        data;
  GError         *error;
} Job;

typedef struct
{
  GPtrArray *events;   /* NigranEvent, written in one transaction with the batch */
  GTask     *task;     /* NULL for the stop marker and for jobs */
  Job       *job;      /* work of the store's own, in a transaction of its own */
} Pending;

struct _NigranEventLog
{
  GObject         parent_instance;

  char           *path;
  char           *workstation;
  NigranClock    *clock;
  NigranEventBus *bus;
  GMainContext   *context;

  sqlite3        *db;             /* the writer thread's, once it runs */
  sqlite3_stmt   *insert;
  GThread        *writer;
  GAsyncQueue    *queue;          /* Pending */
  gint64          last_sequence;  /* writer thread only */
  char           *last_hash;      /* writer thread only */

  /* main thread */
  gboolean        writable;
  char           *write_error;
  gint64          failed_since_us;
  guint           n_refused;
  guint           retry_id;
  guint           retry_interval_ms;
  gboolean        probing;
  gboolean        closed;
};

G_DEFINE_FINAL_TYPE (NigranEventLog, nigran_event_log, G_TYPE_OBJECT)

G_DEFINE_QUARK (nigran-event-log-error-quark, nigran_event_log_error)

enum { PROP_0, PROP_WRITABLE, PROP_WRITE_ERROR, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Each entry brings the schema from its index to the next version; never edit one
 * that has shipped, add another. */
static const char * const migrations[] = {
  "CREATE TABLE events ("
  "  seq            INTEGER PRIMARY KEY,"
  "  uuid           TEXT NOT NULL UNIQUE,"
  "  time_us        INTEGER NOT NULL,"
  "  workstation    TEXT NOT NULL,"
  "  actor          TEXT NOT NULL,"
  "  type           TEXT NOT NULL,"
  "  subjects       TEXT NOT NULL,"
  "  payload        TEXT,"                 /* NULL once retention erased it */
  "  payload_digest TEXT NOT NULL,"
  "  prev_hash      TEXT NOT NULL,"
  "  hash           TEXT NOT NULL"
  ");"
  "CREATE INDEX events_by_type ON events (type, seq);"
  "CREATE INDEX events_by_time ON events (time_us);",

  /* Projections saved so that a start need not replay the whole log; each one's
   * digest is also recorded as a chained event. */
  "CREATE TABLE checkpoints ("
  "  name   TEXT PRIMARY KEY,"
  "  seq    INTEGER NOT NULL,"
  "  digest TEXT NOT NULL,"
  "  count  INTEGER NOT NULL"
  ");"
  "CREATE TABLE alert_checkpoint ("
  "  position INTEGER PRIMARY KEY, id TEXT NOT NULL, seq INTEGER, raised_us INTEGER,"
  "  source TEXT, kind TEXT, camera TEXT, site TEXT, title TEXT, detail TEXT, matched TEXT,"
  "  snapshot TEXT, snapshot_sha256 TEXT, priority INTEGER, score REAL, frame_age_ms INTEGER, verifiers INTEGER,"
  "  demo INTEGER, state INTEGER, acknowledged_by TEXT, acknowledged_us INTEGER,"
  "  decided_us INTEGER, closed_us INTEGER, assignee TEXT, escalation TEXT,"
  "  decisions TEXT, notes TEXT"
  ");",

  /* An identity match's watchlist, and the colour and tone it was raised with. The
   * checkpoint is rebuilt from the log at the next start. */
  "ALTER TABLE alert_checkpoint ADD COLUMN watchlist TEXT;"
  "ALTER TABLE alert_checkpoint ADD COLUMN colour TEXT;"
  "ALTER TABLE alert_checkpoint ADD COLUMN tone TEXT;"
  "DELETE FROM alert_checkpoint;"
  "DELETE FROM checkpoints;",
};

#define SELECT_EVENTS \
  "SELECT seq, uuid, time_us, workstation, actor, type, subjects, payload," \
  " payload_digest, prev_hash, hash FROM events"

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->events, g_ptr_array_unref);
  g_clear_object (&pending->task);
  g_free (pending);
}

static gboolean
set_sqlite_error (GError     **error,
                  int          code,
                  sqlite3     *db,
                  const char  *path,
                  const char  *doing)
{
  g_set_error (error, NIGRAN_EVENT_LOG_ERROR, code, "The event log %s could not be %s: %s",
               path, doing, db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

gboolean
_nigran_event_log_is_network_fs_type (gint64 fs_type)
{
  switch ((guint32)fs_type)
    {
    case 0x6969:      /* NFS */
    case 0x517B:      /* SMB */
    case 0xFF534D42:  /* CIFS */
    case 0xFE534D42:  /* SMB2 */
    case 0x01021997:  /* 9P */
    case 0x5346414F:  /* AFS */
    case 0x00C36400:  /* Ceph */
    case 0x73757245:  /* Coda */
    case 0x564C:      /* NCP */
    case 0x47504653:  /* GPFS */
    case 0x0BD00BD0:  /* Lustre */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
check_local_file_system (const char  *path,
                         GError     **error)
{
  g_autofree char *directory = g_path_get_dirname (path);
  struct statfs info;

  if (statfs (directory, &info) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_OPEN,
                   "The event log's folder %s cannot be used: %s", directory, g_strerror (saved_errno));
      return FALSE;
    }
  if (_nigran_event_log_is_network_fs_type (info.f_type))
    {
      g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_NETWORK_FS,
                   "The event log %s is on a network file system, where SQLite's locks and "
                   "durable writes cannot be relied on, so events could be lost. Keep the "
                   "log on a local disk.", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (sqlite3     *db,
         const char  *path,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  int version;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &statement, NULL) != SQLITE_OK ||
      sqlite3_step (statement) != SQLITE_ROW)
    return set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_OPEN, db, path, "read");
  version = sqlite3_column_int (statement, 0);

  if (version > (int)G_N_ELEMENTS (migrations))
    {
      g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_NEWER_SCHEMA,
                   "The event log %s was written by a newer version of Nigran (schema %d; "
                   "this one knows up to %u). Use that version, or a newer one.",
                   path, version, (guint)G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (int)G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, set_version, NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        {
          set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_OPEN, db, path, "brought up to date");
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_chain_end (NigranEventLog  *self,
                GError         **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  int status;

  if (sqlite3_prepare_v2 (self->db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                          -1, &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_READ, self->db, self->path, "read");

  status = sqlite3_step (statement);
  if (status == SQLITE_ROW)
    {
      self->last_sequence = sqlite3_column_int64 (statement, 0);
      self->last_hash = g_strdup ((const char *)sqlite3_column_text (statement, 1));
    }
  else if (status == SQLITE_DONE)
    {
      self->last_sequence = 0;
      self->last_hash = g_strdup (NIGRAN_EVENT_GENESIS_HASH);
    }
  else
    return set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_READ, self->db, self->path, "read");
  return TRUE;
}

static sqlite3 *
open_database (const char  *path,
               int          flags,
               GError     **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_OPEN, db, path, "opened");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* Writer thread. */
static int
insert_event (NigranEventLog *self,
              NigranEvent    *event)
{
  sqlite3_stmt *insert = self->insert;
  int status;

  sqlite3_reset (insert);
  sqlite3_bind_int64 (insert, 1, nigran_event_get_sequence (event));
  sqlite3_bind_text (insert, 2, nigran_event_get_uuid (event), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, nigran_event_get_time_us (event));
  sqlite3_bind_text (insert, 4, nigran_event_get_workstation (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, nigran_event_get_actor (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, nigran_event_get_event_type (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, _nigran_event_get_subjects_text (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, nigran_event_get_payload_json (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, nigran_event_get_payload_digest (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 10, nigran_event_get_previous_hash (event), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 11, nigran_event_get_hash (event), -1, SQLITE_STATIC);
  status = sqlite3_step (insert);
  sqlite3_clear_bindings (insert);
  sqlite3_reset (insert);
  return status;
}

/* Writer thread: one transaction for the whole batch; all of it or none. */
static gboolean
write_batch (NigranEventLog  *self,
             GPtrArray       *batch,
             GError         **error)
{
  gint64 sequence = self->last_sequence;
  const char *hash = self->last_hash;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_WRITE, self->db, self->path, "written");

  for (guint i = 0; i < batch->len; i++)
    {
      Pending *pending = batch->pdata[i];

      for (guint j = 0; j < pending->events->len; j++)
        {
          NigranEvent *event = pending->events->pdata[j];

          _nigran_event_chain (event, ++sequence, hash);
          hash = nigran_event_get_hash (event);
          if (insert_event (self, event) != SQLITE_DONE)
            goto failed;
        }
    }

  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;

  self->last_sequence = sequence;
  g_free (self->last_hash);
  self->last_hash = g_strdup (hash);
  return TRUE;

failed:
  set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_WRITE, self->db, self->path, "written");
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static void
run_job (NigranEventLog *self,
         Job            *job)
{
  GError *error = NULL;
  gboolean ok;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    ok = set_sqlite_error (&error, NIGRAN_EVENT_LOG_ERROR_WRITE, self->db, self->path, "written");
  else if ((ok = job->job (self->db, job->data, &error)) &&
           sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    ok = set_sqlite_error (&error, NIGRAN_EVENT_LOG_ERROR_WRITE, self->db, self->path, "written");
  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  g_mutex_lock (&job->lock);
  job->error = error;
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
}

static gpointer
writer_thread (gpointer data)
{
  NigranEventLog *self = data;
  gboolean stopping = FALSE;

  while (!stopping)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)pending_free);
      g_autoptr(GPtrArray) committed = g_ptr_array_new ();
      g_autoptr(GError) error = NULL;
      Pending *pending = g_async_queue_pop (self->queue);

      do
        {
          if (pending->job != NULL)
            {
              /* Jobs run alone, in their own transaction, in queue order. */
              if (batch->len > 0)
                {
                  g_async_queue_push_front (self->queue, pending);
                  break;
                }
              run_job (self, pending->job);
              g_free (pending);
              pending = NULL;
              break;
            }
          if (pending->task == NULL)
            {
              stopping = TRUE;
              pending_free (pending);
              break;
            }
          g_ptr_array_add (batch, pending);
        }
      while (batch->len < MAX_BATCH && (pending = g_async_queue_try_pop (self->queue)) != NULL);

      if (batch->len == 0)
        continue;

      if (write_batch (self, batch, &error))
        {
          for (guint i = 0; i < batch->len; i++)
            {
              Pending *done = batch->pdata[i];
              g_ptr_array_extend (committed, done->events, NULL, NULL);
            }
          nigran_event_bus_post (self->bus, committed);
        }

      for (guint i = 0; i < batch->len; i++)
        {
          Pending *done = batch->pdata[i];

          if (error != NULL)
            g_task_return_error (done->task, g_error_copy (error));
          else
            g_task_return_int (done->task,
                               nigran_event_get_sequence (g_ptr_array_index (done->events, done->events->len - 1)));
        }
    }
  return NULL;
}

static void
nigran_event_log_dispose (GObject *object)
{
  NigranEventLog *self = NIGRAN_EVENT_LOG (object);

  nigran_event_log_close (self);

  G_OBJECT_CLASS (nigran_event_log_parent_class)->dispose (object);
}

static void
nigran_event_log_finalize (GObject *object)
{
  NigranEventLog *self = NIGRAN_EVENT_LOG (object);

  g_free (self->path);
  g_free (self->workstation);
  g_free (self->last_hash);
  g_free (self->write_error);
  g_clear_object (&self->clock);
  g_clear_object (&self->bus);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (nigran_event_log_parent_class)->finalize (object);
}

static void
nigran_event_log_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NigranEventLog *self = NIGRAN_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_WRITABLE:
      g_value_set_boolean (value, self->writable);
      break;
    case PROP_WRITE_ERROR:
      g_value_set_string (value, self->write_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_event_log_class_init (NigranEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nigran_event_log_dispose;
  object_class->finalize = nigran_event_log_finalize;
  object_class->get_property = nigran_event_log_get_property;

  properties[PROP_WRITABLE] =
    g_param_spec_boolean ("writable", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WRITE_ERROR] =
    g_param_spec_string ("write-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nigran_event_log_init (NigranEventLog *self)
{
  self->writable = TRUE;
  self->retry_interval_ms = RETRY_INTERVAL_MS;
  self->queue = g_async_queue_new ();
  self->context = g_main_context_ref_thread_default ();
}

/**
 * nigran_event_log_open:
 * @path: the SQLite file, created when missing
 * @workstation: the name every event from here carries
 *
 * Opens the log and brings its schema up to date. It does file I/O: call it before
 * the window shows, or from a worker.
 */
NigranEventLog *
nigran_event_log_open (const char      *path,
                       NigranClock     *clock,
                       NigranEventBus  *bus,
                       const char      *workstation,
                       GError         **error)
{
  g_autoptr(NigranEventLog) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (NIGRAN_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (NIGRAN_IS_EVENT_BUS (bus), NULL);

  if (!check_local_file_system (path, error))
    return NULL;

  self = g_object_new (NIGRAN_TYPE_EVENT_LOG, NULL);
  self->path = g_strdup (path);
  self->workstation = g_strdup (workstation ? workstation : g_get_host_name ());
  self->clock = g_object_ref (clock);
  self->bus = g_object_ref (bus);

  /* Who saw what and decided what is for the people allowed to read it only. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd >= 0)
        g_close (fd, NULL);
    }
  self->db = open_database (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (self->db == NULL)
    return NULL;

  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_OPEN, self->db, path, "opened");
      return NULL;
    }

  if (!migrate (self->db, path, error) || !read_chain_end (self, error))
    return NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO events (seq, uuid, time_us, workstation, actor, type,"
                          " subjects, payload, payload_digest, prev_hash, hash)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &self->insert, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_OPEN, self->db, path, "opened");
      return NULL;
    }

  self->writer = g_thread_new ("nigran-event-log", writer_thread, self);
  return g_steal_pointer (&self);
}

const char *
nigran_event_log_get_path (NigranEventLog *self)
{
  return self->path;
}

NigranEventBus *
nigran_event_log_get_bus (NigranEventLog *self)
{
  return self->bus;
}

NigranClock *
nigran_event_log_get_clock (NigranEventLog *self)
{
  return self->clock;
}

gboolean
nigran_event_log_get_writable (NigranEventLog *self)
{
  return self->writable;
}

/* Why the log cannot be written, in a sentence; NULL while it can. */
const char *
nigran_event_log_get_write_error (NigranEventLog *self)
{
  return self->write_error;
}

static void
set_writable (NigranEventLog *self,
              gboolean        writable,
              const char     *write_error)
{
  g_free (self->write_error);
  self->write_error = writable ? NULL : g_strdup (write_error);
  self->writable = writable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITE_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITABLE]);
}

/* The writer thread may drop the last reference to @task: so that it never drops
 * the last one to the log (and joins itself), @task must not hold the log; its
 * callback, which runs on the main thread, does. */
static void
enqueue (NigranEventLog *self,
         GPtrArray      *events,
         GTask          *task)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->events = g_ptr_array_ref (events);
  pending->task = g_object_ref (task);
  g_async_queue_push (self->queue, pending);
}

static void schedule_retry (NigranEventLog *self);

static void
on_recovery_written (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NigranEventLog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->probing = FALSE;
  if (g_task_propagate_int (G_TASK (result), &error) > 0 && !self->closed)
    {
      g_message ("The event log %s can be written again", self->path);
      self->n_refused = 0;
      set_writable (self, TRUE, NULL);
    }
  else if (!self->closed)
    schedule_retry (self);
}

/* Main thread: record the failure and the recovery; if that commits, writing works. */
static void
try_recovery (gpointer user_data)
{
  NigranEventLog *self = user_data;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) failed = json_object_new ();
  g_autoptr(JsonObject) recovered = json_object_new ();
  const char * const subjects[] = { "log:events", NULL };
  gint64 now = nigran_clock_get_now_us (self->clock);

  self->retry_id = 0;
  if (self->closed)
    return;

  json_object_set_string_member (failed, "error", self->write_error);
  json_object_set_int_member (recovered, "failed_since_us", self->failed_since_us);
  json_object_set_int_member (recovered, "refused_appends", self->n_refused);
  g_ptr_array_add (events, nigran_event_new ("log.write-failed", subjects, failed));
  g_ptr_array_add (events, nigran_event_new ("log.write-recovered", subjects, recovered));
  _nigran_event_stamp (events->pdata[0], self->failed_since_us, self->workstation, NIGRAN_ACTOR_SYSTEM);
  _nigran_event_stamp (events->pdata[1], MAX (now, self->failed_since_us), self->workstation, NIGRAN_ACTOR_SYSTEM);

  self->probing = TRUE;
  task = g_task_new (NULL, NULL, on_recovery_written, g_object_ref (self));
  g_task_set_source_tag (task, try_recovery);
  enqueue (self, events, task);
}

static void
schedule_retry (NigranEventLog *self)
{
  if (self->retry_id == 0 && !self->probing)
    self->retry_id = nigran_clock_add_timeout (self->clock, self->retry_interval_ms, try_recovery, self);
}

static void
on_append_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NigranEventLog *self = g_task_get_source_object (task);
  GError *error = NULL;
  gint64 sequence = g_task_propagate_int (G_TASK (result), &error);

  if (error != NULL)
    {
      if (self->writable && !self->closed)
        {
          g_message ("%s", error->message);
          self->failed_since_us = nigran_event_get_time_us (g_task_get_task_data (task));
          set_writable (self, FALSE, error->message);
          schedule_retry (self);
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, sequence);
}

/**
 * nigran_event_log_append_async:
 * @event: an event not yet appended anywhere
 * @actor: who decided it: the operator's user name, or %NIGRAN_ACTOR_SYSTEM
 *
 * Stamps @event with the clock's time, this workstation and @actor, and appends it.
 * The callback runs after the transaction committed, or failed; the bus has the event
 * only if it committed. While the log cannot be written the append is refused at once.
 */
void
nigran_event_log_append_async (NigranEventLog      *self,
                               NigranEvent         *event,
                               const char          *actor,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) write_task = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_return_if_fail (NIGRAN_IS_EVENT_LOG (self));
  g_return_if_fail (NIGRAN_IS_EVENT (event));
  g_return_if_fail (nigran_event_get_sequence (event) == 0);
  g_return_if_fail (actor != NULL && *actor != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nigran_event_log_append_async);
  g_task_set_task_data (task, g_object_ref (event), g_object_unref);

  if (self->closed)
    {
      g_task_return_new_error (task, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_CLOSED,
                               "The event log %s is closed", self->path);
      return;
    }
  if (!self->writable)
    {
      self->n_refused++;
      g_task_return_new_error (task, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_UNWRITABLE,
                               "Not done: it could not be recorded, because the event log "
                               "cannot be written (%s). Free disk space or fix the log's "
                               "permissions; Nigran retries by itself.", self->write_error);
      return;
    }

  _nigran_event_stamp (event, nigran_clock_get_now_us (self->clock), self->workstation, actor);
  events = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (events, g_object_ref (event));
  write_task = g_task_new (NULL, NULL, on_append_written, g_steal_pointer (&task));
  g_task_set_source_tag (write_task, nigran_event_log_append_async);
  enqueue (self, events, write_task);
}

/* Returns: the event's sequence number, or 0 with @error set. */
gint64
nigran_event_log_append_finish (NigranEventLog  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  gint64 sequence;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  sequence = g_task_propagate_int (G_TASK (result), error);
  return MAX (sequence, 0);
}

static NigranEvent *
event_from_row (sqlite3_stmt *row)
{
  return _nigran_event_new_stored (sqlite3_column_int64 (row, 0),
                                   (const char *)sqlite3_column_text (row, 1),
                                   sqlite3_column_int64 (row, 2),
                                   (const char *)sqlite3_column_text (row, 3),
                                   (const char *)sqlite3_column_text (row, 4),
                                   (const char *)sqlite3_column_text (row, 5),
                                   (const char *)sqlite3_column_text (row, 6),
                                   (const char *)sqlite3_column_text (row, 7),
                                   (const char *)sqlite3_column_text (row, 8),
                                   (const char *)sqlite3_column_text (row, 9),
                                   (const char *)sqlite3_column_text (row, 10));
}

static gboolean
read_events (NigranEventLog      *self,
             gint64               after_sequence,
             const char * const  *types,
             gint64               from_us,
             gint64               to_us,
             NigranEventFunc      func,
             gpointer             user_data,
             GError             **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GString) sql = g_string_new (SELECT_EVENTS " WHERE seq > ?");
  sqlite3 *db = open_database (self->path, SQLITE_OPEN_READONLY, error);
  guint n_types = types ? g_strv_length ((char **)types) : 0;
  int status, next = 2;

  if (db == NULL)
    return FALSE;
  if (types != NULL)
    {
      g_string_append (sql, " AND type IN (");
      for (guint i = 0; i < n_types; i++)
        g_string_append (sql, i == 0 ? "?" : ", ?");
      g_string_append (sql, ")");
    }
  if (from_us > 0)
    g_string_append (sql, " AND time_us >= ?");
  if (to_us > 0)
    g_string_append (sql, " AND time_us < ?");
  g_string_append (sql, " ORDER BY seq");
  if (sqlite3_prepare_v2 (db, sql->str, -1, &statement, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_READ, db, self->path, "read");
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_bind_int64 (statement, 1, after_sequence);
  for (guint i = 0; i < n_types; i++)
    sqlite3_bind_text (statement, next++, types[i], -1, SQLITE_STATIC);
  if (from_us > 0)
    sqlite3_bind_int64 (statement, next++, from_us);
  if (to_us > 0)
    sqlite3_bind_int64 (statement, next++, to_us);

  while ((status = sqlite3_step (statement)) == SQLITE_ROW)
    {
      g_autoptr(NigranEvent) event = event_from_row (statement);

      if (!func (event, user_data))
        break;
    }
  if (status != SQLITE_ROW && status != SQLITE_DONE)
    set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_READ, db, self->path, "read");

  g_clear_pointer (&statement, sqlite3_finalize);
  sqlite3_close (db);
  return status == SQLITE_ROW || status == SQLITE_DONE;
}

/**
 * nigran_event_log_foreach:
 * @func: called for each committed event after @after_sequence, in order, until it
 *   returns %FALSE
 *
 * Reads on its own connection: call it from a worker thread.
 */
gboolean
nigran_event_log_foreach (NigranEventLog   *self,
                          gint64            after_sequence,
                          NigranEventFunc   func,
                          gpointer          user_data,
                          GError          **error)
{
  return read_events (self, after_sequence, NULL, 0, 0, func, user_data, error);
}

/**
 * nigran_event_log_foreach_of_types:
 * @types: the event types wanted
 *
 * As nigran_event_log_foreach() from the start, for events of @types only, which
 * the log finds by its index of types instead of reading every event.
 */
gboolean
nigran_event_log_foreach_of_types (NigranEventLog      *self,
                                   const char * const  *types,
                                   NigranEventFunc      func,
                                   gpointer             user_data,
                                   GError             **error)
{
  g_return_val_if_fail (types != NULL && types[0] != NULL, FALSE);
  return read_events (self, 0, types, 0, 0, func, user_data, error);
}

/**
 * nigran_event_log_foreach_of_types_between:
 * @from_us: 0, or the earliest time (UTC, when recorded) wanted
 * @to_us: 0, or the time before which events are wanted
 *
 * As nigran_event_log_foreach_of_types(), for events recorded in a span of time
 * only: the log's index of times spares reading a year of plate reads for a day's.
 */
gboolean
nigran_event_log_foreach_of_types_between (NigranEventLog      *self,
                                           const char * const  *types,
                                           gint64               from_us,
                                           gint64               to_us,
                                           NigranEventFunc      func,
                                           gpointer             user_data,
                                           GError             **error)
{
  g_return_val_if_fail (types != NULL && types[0] != NULL, FALSE);
  return read_events (self, 0, types, from_us, to_us, func, user_data, error);
}

/* Waits for what is queued to be written, then stops the writer. */
void
nigran_event_log_close (NigranEventLog *self)
{
  g_return_if_fail (NIGRAN_IS_EVENT_LOG (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  if (self->retry_id != 0)
    {
      nigran_clock_remove_timeout (self->clock, self->retry_id);
      self->retry_id = 0;
    }
  if (self->writer != NULL)
    {
      g_async_queue_push (self->queue, g_new0 (Pending, 1));
      g_thread_join (g_steal_pointer (&self->writer));
    }
  g_clear_pointer (&self->insert, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

/**
 * nigran_event_log_verify:
 * @n_events: (out): events read
 * @first_broken: (out): the first sequence number where the chain breaks, or 0
 * @problem: (out): what is wrong there, in a sentence, or NULL
 *
 * Returns: %FALSE with @error set if the file cannot be read at all; otherwise %TRUE,
 *   whether or not the chain holds.
 */
gboolean
nigran_event_log_verify (const char  *path,
                         gint64      *n_events,
                         gint64      *first_broken,
                         char       **problem,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autofree char *previous_hash = g_strdup (NIGRAN_EVENT_GENESIS_HASH);
  sqlite3 *db;
  gint64 expected = 1;
  int status;

  *n_events = 0;
  *first_broken = 0;
  *problem = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_OPEN,
                   "There is no event log at %s", path);
      return FALSE;
    }
  db = open_database (path, SQLITE_OPEN_READONLY, error);
  if (db == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (db, SELECT_EVENTS " ORDER BY seq", -1, &statement, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_READ, db, path, "read as an event log");
      sqlite3_close (db);
      return FALSE;
    }

  while ((status = sqlite3_step (statement)) == SQLITE_ROW)
    {
      gint64 sequence = sqlite3_column_int64 (statement, 0);
      const char *payload = (const char *)sqlite3_column_text (statement, 7);
      const char *payload_digest = (const char *)sqlite3_column_text (statement, 8);
      const char *stored_previous = (const char *)sqlite3_column_text (statement, 9);
      const char *stored_hash = (const char *)sqlite3_column_text (statement, 10);
      g_autofree char *digest = payload ? nigran_event_digest_payload (payload) : NULL;
      g_autofree char *hash = NULL;

      if (sequence != expected)
        {
          *problem = g_strdup_printf ("event %" G_GINT64_FORMAT " is missing (the next one "
                                      "found is %" G_GINT64_FORMAT ")", expected, sequence);
          *first_broken = expected;
          break;
        }
      if (g_strcmp0 (stored_previous, previous_hash) != 0)
        {
          *problem = g_strdup_printf ("event %" G_GINT64_FORMAT " does not follow the event "
                                      "before it", sequence);
          *first_broken = sequence;
          break;
        }
      if (digest != NULL && g_strcmp0 (digest, payload_digest) != 0)
        {
          *problem = g_strdup_printf ("the payload of event %" G_GINT64_FORMAT " was changed", sequence);
          *first_broken = sequence;
          break;
        }
      hash = nigran_event_compute_hash (stored_previous, sequence, sqlite3_column_int64 (statement, 2),
                                        (const char *)sqlite3_column_text (statement, 3),
                                        (const char *)sqlite3_column_text (statement, 4),
                                        (const char *)sqlite3_column_text (statement, 5),
                                        (const char *)sqlite3_column_text (statement, 1),
                                        (const char *)sqlite3_column_text (statement, 6),
                                        payload_digest);
      if (g_strcmp0 (hash, stored_hash) != 0)
        {
          *problem = g_strdup_printf ("event %" G_GINT64_FORMAT " was changed after it was "
                                      "recorded", sequence);
          *first_broken = sequence;
          break;
        }
      g_free (previous_hash);
      previous_hash = g_steal_pointer (&hash);
      expected++;
      (*n_events)++;
    }

  if (status != SQLITE_ROW && status != SQLITE_DONE)
    {
      set_sqlite_error (error, NIGRAN_EVENT_LOG_ERROR_READ, db, path, "read");
      g_clear_pointer (&statement, sqlite3_finalize);
      sqlite3_close (db);
      return FALSE;
    }
  g_clear_pointer (&statement, sqlite3_finalize);
  sqlite3_close (db);
  return TRUE;
}

static gboolean
limit_pages_job (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  g_autofree char *pragma = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, *(gint64 *)data);

  sqlite3_exec (db, pragma, NULL, NULL, NULL);
  return TRUE;
}

/* Tests: make the disk "full" after @max_pages pages. The connection is the writer
 * thread's (opened without SQLite's mutex), so the pragma runs there. */
void
_nigran_event_log_limit_pages (NigranEventLog *self,
                               gint64          max_pages)
{
  _nigran_event_log_run_job (self, limit_pages_job, &max_pages, NULL);
}

void
_nigran_event_log_set_retry_interval (NigranEventLog *self,
                                      guint           interval_ms)
{
  self->retry_interval_ms = interval_ms;
}

/**
 * _nigran_event_log_run_job:
 * @job: runs on the writer thread, inside a transaction of its own
 *
 * Blocks until @job ran, after everything queued before it. While it waits, the
 * caller's objects are not touched by anyone else, so @job may read them.
 */
gboolean
_nigran_event_log_run_job (NigranEventLog   *self,
                           NigranWriterJob   job,
                           gpointer          data,
                           GError          **error)
{
  Pending *pending;
  Job work = { .job = job, .data = data };

  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (self), FALSE);

  if (self->closed || self->writer == NULL)
    {
      g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_CLOSED, "The event log %s is closed", self->path);
      return FALSE;
    }
  g_mutex_init (&work.lock);
  g_cond_init (&work.cond);
  pending = g_new0 (Pending, 1);
  pending->job = &work;
  g_async_queue_push (self->queue, pending);

  g_mutex_lock (&work.lock);
  while (!work.done)
    g_cond_wait (&work.cond, &work.lock);
  g_mutex_unlock (&work.lock);
  g_mutex_clear (&work.lock);
  g_cond_clear (&work.cond);

  if (work.error != NULL)
    {
      g_propagate_error (error, work.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
erase_job (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  GArray *sequences = data;
  g_autoptr(sqlite3_stmt) erase = NULL;

  if (sqlite3_prepare_v2 (db, "UPDATE events SET payload = NULL WHERE seq = ?", -1, &erase, NULL) != SQLITE_OK)
    goto failed;
  for (guint i = 0; i < sequences->len; i++)
    {
      sqlite3_reset (erase);
      sqlite3_bind_int64 (erase, 1, g_array_index (sequences, gint64, i));
      if (sqlite3_step (erase) != SQLITE_DONE)
        goto failed;
    }
  return TRUE;

failed:
  g_set_error (error, NIGRAN_EVENT_LOG_ERROR, NIGRAN_EVENT_LOG_ERROR_WRITE,
               "Payloads could not be erased: %s", sqlite3_errmsg (db));
  return FALSE;
}

/**
 * nigran_event_log_erase_payloads:
 * @sequences: of gint64, the events whose payloads go
 *
 * Erases the payloads of @sequences, as retention requires, in one transaction.
 * Each event stays in the chain with its type, time, actor, subjects and its
 * payload's digest, so the log still verifies. Blocks until the writer did it: call
 * it from a worker thread.
 */
gboolean
nigran_event_log_erase_payloads (NigranEventLog  *self,
                                 GArray          *sequences,
                                 GError         **error)
{
  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (sequences != NULL, FALSE);

  if (sequences->len == 0)
    return TRUE;
  return _nigran_event_log_run_job (self, erase_job, sequences, error);
}

/* A read-only connection of the caller's own, for a worker thread. */
sqlite3 *
_nigran_event_log_open_reader (NigranEventLog  *self,
                               GError         **error)
{
  return open_database (self->path, SQLITE_OPEN_READONLY, error);
}
