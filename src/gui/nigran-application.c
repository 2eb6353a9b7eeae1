/* nigran-application.c: command line, site loading and the demo's cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-site-file.h"
#include "media/nigran-camsim.h"
#include "nigran-application.h"
#include "nigran-window.h"

struct _NigranApplication
{
  GtkApplication  parent_instance;

  NigranClock    *clock;
  GSettings      *settings;
  NigranCamsim   *camsim;
  NigranSiteFile *site_file;
  char           *site_path;
  gboolean        demo;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (NigranApplication, nigran_application, GTK_TYPE_APPLICATION)

static NigranWindow *
get_window (NigranApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return NIGRAN_IS_WINDOW (window) ? NIGRAN_WINDOW (window) : NULL;
}

static void
show_problem (NigranApplication *self,
              const char        *message)
{
  NigranWindow *window = get_window (self);

  g_warning ("%s", message);
  if (window != NULL)
    nigran_window_show_problem (window, message);
}

static void
on_camsim_started_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(NigranApplication) self = data;
  g_autoptr(GError) error = NULL;
  NigranWindow *window;
  GListModel *cameras;

  if (!nigran_camsim_start_finish (NIGRAN_CAMSIM (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The demo cameras could not start: %s"), error->message);
      show_problem (self, message);
      return;
    }

  cameras = nigran_site_file_get_cameras (self->site_file);
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
      g_autofree char *main_uri = NULL;
      g_autofree char *sub_uri = NULL;

      if (!nigran_camera_get_simulated (camera))
        continue;
      main_uri = nigran_camsim_dup_uri (self->camsim, nigran_camera_get_id (camera), TRUE);
      sub_uri = nigran_camsim_dup_uri (self->camsim, nigran_camera_get_id (camera), FALSE);
      nigran_camera_set_uris (camera, main_uri, sub_uri);
    }

  window = get_window (self);
  if (window != NULL)
    {
      nigran_window_show_problem (window, NULL);
      nigran_window_set_site_file (window, self->site_file);
    }
}

static void
start_simulated_cameras (NigranApplication *self)
{
  GListModel *cameras = nigran_site_file_get_cameras (self->site_file);
  NigranWindow *window = get_window (self);

  self->camsim = nigran_camsim_new ();
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);

      if (nigran_camera_get_simulated (camera))
        nigran_camsim_add_camera (self->camsim, nigran_camera_get_id (camera),
                                  nigran_camera_get_footage (camera));
    }

  if (window != NULL)
    nigran_window_show_problem (window, _("Preparing the demo cameras’ footage (only the first time takes a minute)…"));
  nigran_camsim_start_async (self->camsim, 0, self->cancellable, on_camsim_started_cb, g_object_ref (self));
}

static void
on_site_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(NigranApplication) self = data;
  g_autoptr(GError) error = NULL;
  NigranWindow *window;
  gboolean has_simulated = FALSE;
  GListModel *cameras;

  self->site_file = nigran_site_file_load_finish (result, &error);
  if (self->site_file == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The site file could not be loaded. %s"), error->message);
      show_problem (self, message);
      return;
    }

  cameras = nigran_site_file_get_cameras (self->site_file);
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
      has_simulated |= nigran_camera_get_simulated (camera);
    }

  if (has_simulated)
    start_simulated_cameras (self);
  else if ((window = get_window (self)) != NULL)
    nigran_window_set_site_file (window, self->site_file);
}

static gboolean
has_gpu_render_node (void)
{
  g_autoptr(GDir) dri = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* Call before GTK starts. Without a GPU, GTK's GL renderer runs on llvmpipe and a
 * wall of video costs more to draw than with the cairo renderer fed opaque frames
 * (measured in nigran-video-paintable.c); GSK_RENDERER set by the user wins. */
void
nigran_application_choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (renderer == NULL && !has_gpu_render_node ())
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      renderer = "cairo";
    }
  nigran_video_paintable_set_opaque_frames (g_strcmp0 (renderer, "cairo") == 0);
}

/* The console's stylesheet, for every window on the default display. Call after GTK
 * started; the tests and the benchmark call it too, so they draw what operators see. */
void
nigran_application_install_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/nigran/Nigran/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Installed, the demo site lives in the package's data folder; in a build tree, in
 * the source tree's data/. */
char *
nigran_application_find_demo_site (void)
{
  const char *env = g_getenv ("NIGRAN_DATADIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo-site.json", NULL);

  if (env != NULL)
    return g_build_filename (env, "demo-site.json", NULL);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&installed);
  return g_build_filename (SOURCE_DATADIR, "demo-site.json", NULL);
}

static int
nigran_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);
  const char *site = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("nigran %s\n", PACKAGE_VERSION);
      return 0;
    }

  self->demo = g_variant_dict_contains (options, "demo");
  if (g_variant_dict_lookup (options, "site", "^&ay", &site))
    self->site_path = g_strdup (site);

  if (self->demo && self->site_path != NULL)
    {
      g_printerr ("nigran: --demo and --site exclude each other\n");
      return 2;
    }
  if (!self->demo && self->site_path == NULL)
    {
      g_printerr ("nigran: name a site file with --site FILE, or run the demo with --demo\n");
      return 2;
    }
  if (self->demo)
    self->site_path = nigran_application_find_demo_site ();

  return -1;
}

static void
nigran_application_startup (GApplication *application)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  g_autoptr(GSimpleAction) quit = g_simple_action_new ("quit", NULL);

  G_APPLICATION_CLASS (nigran_application_parent_class)->startup (application);

  g_signal_connect_swapped (quit, "activate", G_CALLBACK (g_application_quit), application);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (quit));
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);

  self->settings = g_settings_new (APP_ID);
  nigran_application_install_style ();
}

static void
nigran_application_activate (GApplication *application)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);
  NigranWindow *window = get_window (self);

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  window = nigran_window_new (GTK_APPLICATION (self), self->clock, self->settings);
  gtk_window_present (GTK_WINDOW (window));
  nigran_site_file_load_async (self->site_path, self->cancellable, on_site_loaded_cb, g_object_ref (self));
}

static void
nigran_application_shutdown (GApplication *application)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (nigran_application_parent_class)->shutdown (application);
}

static void
nigran_application_finalize (GObject *object)
{
  NigranApplication *self = (NigranApplication *)object;

  g_clear_object (&self->camsim);
  g_clear_object (&self->site_file);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->site_path, g_free);

  G_OBJECT_CLASS (nigran_application_parent_class)->finalize (object);
}

static void
nigran_application_class_init (NigranApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = nigran_application_finalize;
  application_class->handle_local_options = nigran_application_handle_local_options;
  application_class->startup = nigran_application_startup;
  application_class->activate = nigran_application_activate;
  application_class->shutdown = nigran_application_shutdown;
}

static void
nigran_application_init (NigranApplication *self)
{
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start on the built-in demo site, with simulated cameras"), NULL },
    { "site", 's', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Start on this site file"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL }
  };

  self->clock = nigran_clock_new_system ();
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

NigranApplication *
nigran_application_new (void)
{
  return g_object_new (NIGRAN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/nigran/Nigran",
                       NULL);
}
