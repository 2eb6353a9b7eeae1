/* nigran-hotlist-window.h: the hotlists of plates to look out for, edited by a supervisor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nigran-plate-watch.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_HOTLIST_WINDOW (nigran_hotlist_window_get_type ())
G_DECLARE_FINAL_TYPE (NigranHotlistWindow, nigran_hotlist_window, NIGRAN, HOTLIST_WINDOW, GtkWindow)

NigranHotlistWindow *nigran_hotlist_window_new         (GtkWindow           *parent,
                                                        NigranPlateWatch    *watch,
                                                        const char          *actor);
void                 nigran_hotlist_window_import_file (NigranHotlistWindow *self,
                                                        GFile               *file);
gboolean             nigran_hotlist_window_is_busy     (NigranHotlistWindow *self);
guint                nigran_hotlist_window_get_n_shown (NigranHotlistWindow *self);

G_END_DECLS
