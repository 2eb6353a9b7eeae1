/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>

#include "gui/nigran-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(NigranApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gst_init (&argc, &argv);
  nigran_application_choose_renderer ();

  application = nigran_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
