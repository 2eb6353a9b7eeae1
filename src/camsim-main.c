/* camsim-main.c: nigran-camsim, simulated cameras for the demo, tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <gst/gst.h>
#include <errno.h>
#include <locale.h>
#include <sched.h>
#include <string.h>

#include "core/nigran-site-file.h"
#include "media/nigran-camsim.h"

typedef struct
{
  GMainLoop    *loop;
  NigranCamsim *camsim;
  GPtrArray    *camera_ids;
  int           exit_status;
} Run;

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  if (!nigran_camsim_start_finish (run->camsim, result, &error))
    {
      g_printerr ("nigran-camsim: %s\n", error->message);
      run->exit_status = 1;
      g_main_loop_quit (run->loop);
      return;
    }

  g_print ("listening on 127.0.0.1:%u\n", nigran_camsim_get_port (run->camsim));
  for (guint i = 0; i < run->camera_ids->len; i++)
    {
      g_autofree char *main_uri = nigran_camsim_dup_uri (run->camsim, run->camera_ids->pdata[i], TRUE);
      g_autofree char *sub_uri = nigran_camsim_dup_uri (run->camsim, run->camera_ids->pdata[i], FALSE);

      g_print ("%s %s\n", main_uri, sub_uri);
    }
  g_print ("ready\n");
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (((Run *)data)->loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = NULL;
  g_autofree char *site_path = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_path = NULL;
  g_auto(GStrv) footage = NULL;
  g_autoptr(GPtrArray) camera_ids = g_ptr_array_new_with_free_func (g_free);
  int port = 8554;
  int count = 0;
  int mtu = NIGRAN_CAMSIM_DEFAULT_MTU;
  gboolean idle_priority = FALSE;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "site", 's', 0, G_OPTION_ARG_FILENAME, &site_path,
      "Serve the simulated cameras of this site file", "FILE" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
      "Serve this many cameras named sim-01, sim-02 …", "N" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Listen on this port of 127.0.0.1; 0 picks a free one (default 8554)", "PORT" },
    { "mtu", 0, 0, G_OPTION_ARG_INT, &mtu,
      "Largest RTP packet in bytes, 576 to 65535 (default 1400, as on a camera network)", "BYTES" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      "Viewers must log in as this user (RTSP basic authentication)", "NAME" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_path,
      "The password of --user, as the first line of this file", "FILE" },
    { "idle-priority", 0, 0, G_OPTION_ARG_NONE, &idle_priority,
      "Use the CPU only when nothing else wants it, to stand in for cameras elsewhere "
      "on a machine that also runs the console", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &footage, NULL, "[VIDEO…]" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  gst_init (&argc, &argv);

  context = g_option_context_new ("— simulated RTSP cameras on 127.0.0.1");
  g_option_context_set_summary (context,
      "Serves each camera at rtsp://127.0.0.1:PORT/ID/main (1280×720) and /ID/sub (640×360),\n"
      "looping the videos named on the command line (one per camera, in turn) or\n"
      "opencv-doc's vtest.avi. Prints one line per camera, then “ready”.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("nigran-camsim: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || count < 0 || count > 1000 || mtu < 576 || mtu > 65535)
    {
      g_printerr ("nigran-camsim: --port takes 0 to 65535, --count 0 to 1000 and --mtu 576 to 65535\n");
      return 2;
    }

  /* Threads inherit their creator's policy, and none has been started yet. */
  if (idle_priority && sched_setscheduler (0, SCHED_IDLE, &(struct sched_param) { 0 }) != 0)
    g_printerr ("nigran-camsim: cannot lower its priority: %s\n", g_strerror (errno));

  run.camsim = nigran_camsim_new ();
  nigran_camsim_set_mtu (run.camsim, mtu);

  if ((user == NULL) != (password_path == NULL))
    {
      g_printerr ("nigran-camsim: --user and --password-file go together\n");
      return 2;
    }
  if (user != NULL)
    {
      g_autofree char *contents = NULL;

      if (!g_file_get_contents (password_path, &contents, NULL, &error))
        {
          g_printerr ("nigran-camsim: cannot read the password file: %s\n", error->message);
          return 1;
        }
      contents[strcspn (contents, "\r\n")] = '\0';
      nigran_camsim_set_basic_auth (run.camsim, user, contents);
    }

  if (site_path != NULL)
    {
      GListModel *cameras;

      site_file = nigran_site_file_new_from_file (site_path, &error);
      if (site_file == NULL)
        {
          g_printerr ("nigran-camsim: %s\n", error->message);
          return 1;
        }
      cameras = nigran_site_file_get_cameras (site_file);
      for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
        {
          g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
          const char *camera_footage = nigran_camera_get_footage (camera);

          if (!nigran_camera_get_simulated (camera))
            continue;
          if (camera_footage == NULL && footage != NULL)
            camera_footage = footage[camera_ids->len % g_strv_length (footage)];
          nigran_camsim_add_camera (run.camsim, nigran_camera_get_id (camera), camera_footage);
          g_ptr_array_add (camera_ids, g_strdup (nigran_camera_get_id (camera)));
        }
    }

  for (int i = 1; i <= count; i++)
    {
      g_autofree char *id = g_strdup_printf ("sim-%02d", i);

      nigran_camsim_add_camera (run.camsim, id, footage ? footage[(i - 1) % g_strv_length (footage)] : NULL);
      g_ptr_array_add (camera_ids, g_steal_pointer (&id));
    }

  if (camera_ids->len == 0)
    {
      g_printerr ("nigran-camsim: no cameras to serve; name a site file with simulated "
                  "cameras (--site) or a number of cameras (--count)\n");
      return 2;
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.camera_ids = camera_ids;
  g_unix_signal_add (SIGINT, on_signal, &run);
  g_unix_signal_add (SIGTERM, on_signal, &run);
  nigran_camsim_start_async (run.camsim, port, NULL, on_started, &run);
  g_main_loop_run (run.loop);

  g_clear_object (&run.camsim);
  g_main_loop_unref (run.loop);
  return run.exit_status;
}
