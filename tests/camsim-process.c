/* camsim-process.c: nigran-camsim as a child process, for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "camsim-process.h"
#include "core/nigran-camera.h"

/* Encoding the footage into the cache the first time may take a minute or two. */
#define READY_TIMEOUT_S 300

struct _CamsimProcess
{
  GStrv         args;
  GSubprocess  *subprocess;
  guint16       port;
  GHashTable   *uris;  /* camera id → "main-uri sub-uri" */
};

char *
camsim_find_executable (void)
{
  const char *path = g_getenv ("NIGRAN_CAMSIM");

  if (path != NULL)
    return g_strdup (path);
  return g_find_program_in_path ("nigran-camsim");
}

/* A test that fails or is killed must not leave a simulator behind. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
launch (CamsimProcess  *self,
        GError        **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *executable = camsim_find_executable ();
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT_S * G_USEC_PER_SEC;

  if (executable == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "nigran-camsim was not found");
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup (executable));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", self->port));
  for (guint i = 0; self->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->args[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
  if (self->subprocess == NULL)
    return FALSE;

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->subprocess));
  g_hash_table_remove_all (self->uris);

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "nigran-camsim exited before it was ready");
          return FALSE;
        }
      if (g_str_has_prefix (line, "listening on 127.0.0.1:"))
        self->port = atoi (line + strlen ("listening on 127.0.0.1:"));
      else if (g_str_has_prefix (line, "rtsp://"))
        {
          g_auto(GStrv) parts = g_strsplit (line, "/", -1);

          /* rtsp: '' host:port id main … */
          if (g_strv_length (parts) >= 5)
            g_hash_table_insert (self->uris, g_strdup (parts[3]), g_strdup (line));
        }
      else if (g_str_equal (line, "ready"))
        return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "nigran-camsim was not ready in %d s", READY_TIMEOUT_S);
  return FALSE;
}

/* port 0 lets the simulator pick a free one; restarts reuse it. */
CamsimProcess *
camsim_process_start (const char * const *args,
                      guint16             port,
                      GError            **error)
{
  g_autoptr(CamsimProcess) self = g_new0 (CamsimProcess, 1);

  self->args = g_strdupv ((char **)args);
  self->port = port;
  self->uris = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!launch (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

guint16
camsim_process_get_port (CamsimProcess *self)
{
  return self->port;
}

GHashTable *
camsim_process_get_uris (CamsimProcess *self)
{
  return self->uris;
}

/* Points each of @cameras (NigranCamera) at the main and sub stream the simulator
 * serves for it. */
void
camsim_process_point_cameras (CamsimProcess *self,
                              GListModel    *cameras)
{
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
      const char *uris = g_hash_table_lookup (self->uris, nigran_camera_get_id (camera));
      g_auto(GStrv) parts = NULL;

      g_assert_nonnull (uris);
      parts = g_strsplit (uris, " ", 2);
      nigran_camera_set_uris (camera, parts[0], parts[1]);
    }
}

/* As a crash or a power cut would: no RTSP teardown reaches the clients. */
void
camsim_process_kill (CamsimProcess *self)
{
  if (self->subprocess == NULL)
    return;
  g_subprocess_send_signal (self->subprocess, SIGKILL);
  g_subprocess_wait (self->subprocess, NULL, NULL);
  g_clear_object (&self->subprocess);
}

gboolean
camsim_process_restart (CamsimProcess  *self,
                        GError        **error)
{
  camsim_process_kill (self);
  return launch (self, error);
}

void
camsim_process_free (CamsimProcess *self)
{
  camsim_process_kill (self);
  g_strfreev (self->args);
  g_hash_table_unref (self->uris);
  g_free (self);
}
