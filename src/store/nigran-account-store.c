/* nigran-account-store.c: local operator accounts, with slow password hashes
 *
 * Every event needs a real actor, so operators sign in. Accounts live in their own
 * SQLite file (0600), apart from the event log, because a password hash must be
 * replaceable and the log is not. Passwords are hashed with Argon2id (libargon2),
 * 64 MiB and 3 passes: about a third of a second here, so hashing runs on a worker.
 * Five failed sign-ins within 15 minutes lock the account until the oldest of them
 * is 15 minutes old. An unknown name costs the same hash as a known one, and gets
 * the same answer, so names cannot be probed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <argon2.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/random.h>

#include "nigran-account-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define KDF_PASSES    3
#define KDF_MEMORY_KIB (64 * 1024)
#define KDF_LANES     1
#define SALT_BYTES    16
#define HASH_BYTES    32

struct _NigranAccountStore
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
  GMutex   lock;    /* one read-modify-write at a time */
  char    *decoy;   /* a hash to check unknown names against */
};

G_DEFINE_FINAL_TYPE (NigranAccountStore, nigran_account_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (nigran-account-error-quark, nigran_account_error)

static gboolean
store_error (NigranAccountStore  *self,
             GError             **error)
{
  g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_STORE,
               "The accounts file %s could not be used: %s", self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static char *
hash_password (const char *password)
{
  guint8 salt[SALT_BYTES];
  gsize length = argon2_encodedlen (KDF_PASSES, KDF_MEMORY_KIB, KDF_LANES, SALT_BYTES, HASH_BYTES, Argon2_id);
  g_autofree char *encoded = g_malloc0 (length);

  if (getrandom (salt, sizeof salt, 0) != sizeof salt)
    return NULL;
  if (argon2id_hash_encoded (KDF_PASSES, KDF_MEMORY_KIB, KDF_LANES, password, strlen (password),
                             salt, SALT_BYTES, HASH_BYTES, encoded, length) != ARGON2_OK)
    return NULL;
  return g_steal_pointer (&encoded);
}

static void
nigran_account_store_finalize (GObject *object)
{
  NigranAccountStore *self = NIGRAN_ACCOUNT_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->decoy);

  G_OBJECT_CLASS (nigran_account_store_parent_class)->finalize (object);
}

static void
nigran_account_store_class_init (NigranAccountStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_account_store_finalize;
}

static void
nigran_account_store_init (NigranAccountStore *self)
{
  g_mutex_init (&self->lock);
}

/**
 * nigran_account_store_open:
 *
 * Opens or creates the accounts file. File I/O: call it from a worker or at start.
 */
NigranAccountStore *
nigran_account_store_open (const char  *path,
                           GError     **error)
{
  g_autoptr(NigranAccountStore) self = g_object_new (NIGRAN_TYPE_ACCOUNT_STORE, NULL);

  self->path = g_strdup (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd >= 0)
        g_close (fd, NULL);
    }
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db,
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    "CREATE TABLE IF NOT EXISTS accounts ("
                    "  name TEXT PRIMARY KEY, role TEXT NOT NULL, password TEXT NOT NULL,"
                    "  created_us INTEGER NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS failures (name TEXT NOT NULL, time_us INTEGER NOT NULL);"
                    "CREATE INDEX IF NOT EXISTS failures_by_name ON failures (name, time_us);",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_OPEN,
                   "The accounts file %s could not be opened: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  return g_steal_pointer (&self);
}

guint
nigran_account_store_count (NigranAccountStore *self)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  g_mutex_lock (&self->lock);
  sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM accounts", -1, &statement, NULL);
  guint count = statement && sqlite3_step (statement) == SQLITE_ROW ? sqlite3_column_int (statement, 0) : 0;
  g_mutex_unlock (&self->lock);
  return count;
}

static gboolean
valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64 || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *c = name; *c; c++)
    if (g_ascii_isspace (*c) || g_ascii_iscntrl (*c) || *c == ':')
      return FALSE;
  return TRUE;
}

/* Blocking: hashes @password (a third of a second). */
gboolean
nigran_account_store_add (NigranAccountStore  *self,
                          const char          *name,
                          NigranRole           role,
                          const char          *password,
                          gint64               now_us,
                          GError             **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *hash = NULL;
  int status;

  g_return_val_if_fail (NIGRAN_IS_ACCOUNT_STORE (self), FALSE);

  if (!valid_name (name))
    {
      g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_INVALID,
                   "A user name is 1 to 64 characters without spaces or colons.");
      return FALSE;
    }
  if (password == NULL || g_utf8_strlen (password, -1) < NIGRAN_ACCOUNT_MIN_PASSWORD)
    {
      g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_INVALID,
                   "A password needs at least %d characters.", NIGRAN_ACCOUNT_MIN_PASSWORD);
      return FALSE;
    }
  hash = hash_password (password);
  if (hash == NULL)
    {
      g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_STORE, "The password could not be hashed.");
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO accounts (name, role, password, created_us) VALUES (?, ?, ?, ?)",
                          -1, &insert, NULL) != SQLITE_OK)
    {
      g_mutex_unlock (&self->lock);
      return store_error (self, error);
    }
  sqlite3_bind_text (insert, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, nigran_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 4, now_us);
  status = sqlite3_step (insert);
  g_mutex_unlock (&self->lock);

  if (status == SQLITE_CONSTRAINT)
    {
      g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_EXISTS, "There is an account named %s already.", name);
      return FALSE;
    }
  return status == SQLITE_DONE || store_error (self, error);
}

/* The stored Argon2id string of @name, or NULL; for tests and audits. */
char *
nigran_account_store_dup_hash (NigranAccountStore *self,
                               const char         *name)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  char *hash = NULL;

  g_mutex_lock (&self->lock);
  if (sqlite3_prepare_v2 (self->db, "SELECT password FROM accounts WHERE name = ?", -1, &statement, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (statement, 1, name, -1, SQLITE_STATIC);
      if (sqlite3_step (statement) == SQLITE_ROW)
        hash = g_strdup ((const char *)sqlite3_column_text (statement, 0));
    }
  g_mutex_unlock (&self->lock);
  return hash;
}

/* Failures of @name within the window before @now_us; *oldest the earliest of them. */
static guint
count_recent_failures (NigranAccountStore *self,
                       const char         *name,
                       gint64              now_us,
                       gint64             *oldest)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  *oldest = 0;
  if (sqlite3_prepare_v2 (self->db, "SELECT count(*), min(time_us) FROM "
                                    "(SELECT time_us FROM failures WHERE name = ? AND time_us > ? "
                                    " ORDER BY time_us DESC LIMIT ?)", -1, &statement, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text (statement, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (statement, 2, now_us - NIGRAN_ACCOUNT_FAILURE_WINDOW);
  sqlite3_bind_int (statement, 3, NIGRAN_ACCOUNT_MAX_FAILURES);
  if (sqlite3_step (statement) != SQLITE_ROW)
    return 0;
  *oldest = sqlite3_column_int64 (statement, 1);
  return sqlite3_column_int (statement, 0);
}

static gboolean
locked_error (GError **error,
              gint64   oldest_failure_us)
{
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_local ((oldest_failure_us + NIGRAN_ACCOUNT_FAILURE_WINDOW) / G_USEC_PER_SEC);
  g_autofree char *time = until ? g_date_time_format (until, "%H:%M") : g_strdup ("later");

  g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_LOCKED,
               "This account is locked after %d failed sign-ins in 15 minutes. Try again after %s, "
               "or ask an administrator.", NIGRAN_ACCOUNT_MAX_FAILURES, time);
  return FALSE;
}

/**
 * nigran_account_store_authenticate:
 * @now_us: the clock's time, for the lockout
 *
 * Blocking (the hash takes a third of a second): call it from a worker, or use the
 * async version. Returns: %TRUE and @role for the right password of an unlocked
 * account.
 */
gboolean
nigran_account_store_authenticate (NigranAccountStore  *self,
                                   const char          *name,
                                   const char          *password,
                                   gint64               now_us,
                                   NigranRole          *role,
                                   GError             **error)
{
  g_autoptr(sqlite3_stmt) lookup = NULL;
  g_autoptr(sqlite3_stmt) failure = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *role_name = NULL;
  gint64 oldest;
  gboolean verified;

  g_return_val_if_fail (NIGRAN_IS_ACCOUNT_STORE (self), FALSE);
  name = name ? name : "";
  password = password ? password : "";

  g_mutex_lock (&self->lock);
  if (count_recent_failures (self, name, now_us, &oldest) >= NIGRAN_ACCOUNT_MAX_FAILURES)
    {
      g_mutex_unlock (&self->lock);
      return locked_error (error, oldest);
    }
  if (sqlite3_prepare_v2 (self->db, "SELECT password, role FROM accounts WHERE name = ?", -1, &lookup, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (lookup, 1, name, -1, SQLITE_STATIC);
      if (sqlite3_step (lookup) == SQLITE_ROW)
        {
          hash = g_strdup ((const char *)sqlite3_column_text (lookup, 0));
          role_name = g_strdup ((const char *)sqlite3_column_text (lookup, 1));
        }
    }
  if (hash == NULL && self->decoy == NULL)
    self->decoy = hash_password ("no account has this password");
  g_mutex_unlock (&self->lock);

  verified = argon2id_verify (hash ? hash : self->decoy, password, strlen (password)) == ARGON2_OK && hash != NULL;
  if (verified)
    {
      g_mutex_lock (&self->lock);
      sqlite3_prepare_v2 (self->db, "DELETE FROM failures WHERE name = ?", -1, &failure, NULL);
      sqlite3_bind_text (failure, 1, name, -1, SQLITE_STATIC);
      sqlite3_step (failure);
      g_mutex_unlock (&self->lock);
      if (!nigran_role_from_string (role_name, role))
        *role = NIGRAN_ROLE_OPERATOR;
      return TRUE;
    }

  g_mutex_lock (&self->lock);
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO failures (name, time_us) VALUES (?, ?)", -1, &failure, NULL) != SQLITE_OK)
    {
      g_mutex_unlock (&self->lock);
      return store_error (self, error);
    }
  sqlite3_bind_text (failure, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (failure, 2, now_us);
  sqlite3_step (failure);
  if (count_recent_failures (self, name, now_us, &oldest) >= NIGRAN_ACCOUNT_MAX_FAILURES)
    {
      g_mutex_unlock (&self->lock);
      return locked_error (error, oldest);
    }
  g_mutex_unlock (&self->lock);
  g_set_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_WRONG, "The name or the password is wrong.");
  return FALSE;
}

typedef struct
{
  char   *name;
  char   *password;
  gint64  now_us;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->name);
  if (attempt->password != NULL)
    memset (attempt->password, 0, strlen (attempt->password));
  g_free (attempt->password);
  g_free (attempt);
}

static void
authenticate_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  GError *error = NULL;
  NigranRole role;

  if (nigran_account_store_authenticate (source, attempt->name, attempt->password, attempt->now_us, &role, &error))
    g_task_return_int (task, role);
  else
    g_task_return_error (task, error);
}

void
nigran_account_store_authenticate_async (NigranAccountStore  *self,
                                         const char          *name,
                                         const char          *password,
                                         gint64               now_us,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->name = g_strdup (name);
  attempt->password = g_strdup (password);
  attempt->now_us = now_us;
  g_task_set_source_tag (task, nigran_account_store_authenticate_async);
  g_task_set_task_data (task, attempt, (GDestroyNotify)attempt_free);
  g_task_run_in_thread (task, authenticate_thread);
}

gboolean
nigran_account_store_authenticate_finish (NigranAccountStore  *self,
                                          GAsyncResult        *result,
                                          NigranRole          *role,
                                          GError             **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  if (value < 0)
    return FALSE;
  *role = value;
  return TRUE;
}
