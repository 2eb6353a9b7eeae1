/* nigran-evidence.c: the picture an alert was raised on, kept with it
 *
 * The frame a tile showed when the alert was raised is written as a PNG (0600) into
 * the evidence folder beside the event log, off the main thread; the alert's event
 * then names the file and its SHA-256, so the chain vouches for the picture too and
 * a changed file is noticed where it is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "nigran-evidence.h"

typedef struct
{
  NigranEventLog  *log;
  GdkTexture      *frame;
  char            *directory;
  char            *path;
  char            *sha256;
  /* the spec, deep-copied for the time the picture takes to write */
  NigranAlertSpec  spec;
  GStrv            strings;
} Raise;

static void
raise_free (Raise *raise)
{
  g_clear_object (&raise->log);
  g_clear_object (&raise->frame);
  g_free (raise->directory);
  g_free (raise->path);
  g_free (raise->sha256);
  g_strfreev (raise->strings);
  g_free (raise);
}

static const char *
keep (GPtrArray  *strings,
      const char *text)
{
  if (text == NULL)
    return NULL;
  g_ptr_array_add (strings, g_strdup (text));
  return g_ptr_array_index (strings, strings->len - 1);
}

static void
copy_spec (Raise                 *raise,
           const NigranAlertSpec *spec)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  raise->spec = *spec;
  raise->spec.source = keep (strings, spec->source);
  raise->spec.kind = keep (strings, spec->kind);
  raise->spec.title = keep (strings, spec->title);
  raise->spec.detail = keep (strings, spec->detail);
  raise->spec.camera_id = keep (strings, spec->camera_id);
  raise->spec.site_id = keep (strings, spec->site_id);
  raise->spec.matched = keep (strings, spec->matched);
  raise->spec.probe_template = keep (strings, spec->probe_template);
  raise->spec.snapshot = NULL;
  raise->spec.snapshot_sha256 = NULL;
  g_ptr_array_add (strings, NULL);
  raise->strings = (GStrv)g_ptr_array_free (g_steal_pointer (&strings), FALSE);
}

static void
on_raised_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0)
    g_message ("An alert could not be recorded: %s", error->message);
}

static void
append (Raise *raise)
{
  g_autoptr(NigranEvent) event = NULL;

  raise->spec.snapshot = raise->path;
  raise->spec.snapshot_sha256 = raise->sha256;
  event = nigran_alert_raised_event_new (&raise->spec);
  nigran_event_log_append_async (raise->log, event, NIGRAN_ACTOR_SYSTEM, NULL, on_raised_cb, NULL);
}

/**
 * nigran_evidence_save_texture:
 *
 * Blocking: keeps @texture as a new PNG readable by its owner only in @directory.
 */
gboolean
nigran_evidence_save_texture (GdkTexture  *texture,
                              const char  *directory,
                              char       **path_out,
                              char       **sha256_out,
                              GError     **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strconcat (uuid, ".png", NULL);
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;
  gsize length;

  if (g_mkdir_with_parents (directory, 0700) != 0 ||
      !gdk_texture_save_to_png (texture, path) ||
      g_chmod (path, 0600) != 0 ||
      !g_file_get_contents (path, &contents, &length, &read_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "A picture could not be kept in %s%s%s", directory,
                   read_error ? ": " : "", read_error ? read_error->message : "");
      return FALSE;
    }
  *sha256_out = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);
  *path_out = g_steal_pointer (&path);
  return TRUE;
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Raise *raise = task_data;
  GError *error = NULL;

  if (!nigran_evidence_save_texture (raise->frame, raise->directory, &raise->path, &raise->sha256, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_written_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Raise *raise = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* Without its picture the alert is still raised: a missing picture must not cost an alert. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_message ("%s", error->message);
  append (raise);
}

/**
 * nigran_evidence_raise_alert:
 * @frame: (nullable): the picture to keep with the alert
 *
 * Raises the alert of @spec, with @frame kept in @directory when there is one.
 */
void
nigran_evidence_raise_alert (NigranEventLog        *log,
                             const NigranAlertSpec *spec,
                             GdkTexture            *frame,
                             const char            *directory)
{
  Raise *raise = g_new0 (Raise, 1);
  g_autoptr(GTask) task = NULL;

  raise->log = g_object_ref (log);
  copy_spec (raise, spec);
  if (frame == NULL || directory == NULL)
    {
      append (raise);
      raise_free (raise);
      return;
    }
  raise->frame = g_object_ref (frame);
  raise->directory = g_strdup (directory);
  task = g_task_new (NULL, NULL, on_written_cb, NULL);
  g_task_set_source_tag (task, nigran_evidence_raise_alert);
  g_task_set_task_data (task, raise, (GDestroyNotify)raise_free);
  g_task_run_in_thread (task, write_thread);
}

/* Blocking (reads the file): whether @path still holds the picture of @sha256. */
gboolean
nigran_evidence_check_file (const char  *path,
                            const char  *sha256,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *digest = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);
  if (sha256 != NULL && g_strcmp0 (digest, sha256) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The picture %s was changed after the alert was recorded; it is not shown.", path);
      return FALSE;
    }
  return TRUE;
}
