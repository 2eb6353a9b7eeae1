/* nigran-plate-search-window.h: past plate reads, found by plate, camera and time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-types.h"
#include "store/nigran-event-log.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_PLATE_SEARCH_WINDOW (nigran_plate_search_window_get_type ())
G_DECLARE_FINAL_TYPE (NigranPlateSearchWindow, nigran_plate_search_window, NIGRAN, PLATE_SEARCH_WINDOW, GtkWindow)

NigranPlateSearchWindow *nigran_plate_search_window_new    (GtkWindow               *parent,
                                                            NigranEventLog          *log,
                                                            GListModel              *cameras,
                                                            const char              *actor,
                                                            NigranRole               role);
void                     nigran_plate_search_window_search (NigranPlateSearchWindow *self,
                                                            const char              *plate);
guint                    nigran_plate_search_window_get_n_results (NigranPlateSearchWindow *self);
gboolean                 nigran_plate_search_window_is_searching  (NigranPlateSearchWindow *self);

G_END_DECLS
