/* gui-test-utils.c: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "gui-test-utils.h"
#include "test-utils.h"
#include "gui/nigran-application.h"

/* GStreamer, the test framework and GTK, with the console's renderer. FALSE, with
 * every test skipped, when there is no display. */
gboolean
gui_test_init (int    *argc,
               char ***argv)
{
  gst_init (argc, argv);
  g_test_init (argc, argv, NULL);
  test_tolerate_known_gstreamer_criticals ();

  nigran_application_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run the GUI tests under Xvfb (make check does)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_screenshot_once (GtkWidget  *widget,
                      const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_test_message ("screenshot: the window drew nothing (%dx%d)", width, height);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

/* Saves @widget as NAME in the build directory. A widget waiting for a new allocation
 * (a caption's text just changed) draws nothing until the next layout, so give the
 * frame clock a few frames. */
gboolean
gui_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("NIGRAN_BUILDDIR") ? g_getenv ("NIGRAN_BUILDDIR") : ".",
                                            name, NULL);

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      if (save_screenshot_once (widget, path))
        {
          g_test_message ("screenshot: %s", path);
          return TRUE;
        }
      test_iterate_for (50 * 1000);
    }
  return FALSE;
}
