/* gui-test-utils.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "test-utils.h"

G_BEGIN_DECLS

gboolean  gui_test_init            (int        *argc,
                                    char     ***argv);
gboolean  gui_test_save_screenshot (GtkWidget  *widget,
                                    const char *name);

G_END_DECLS
