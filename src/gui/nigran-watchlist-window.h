/* nigran-watchlist-window.h: watchlists and the people on them, seen and edited by
 * a supervisor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nigran-face-watch.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_WATCHLIST_WINDOW (nigran_watchlist_window_get_type ())
G_DECLARE_FINAL_TYPE (NigranWatchlistWindow, nigran_watchlist_window, NIGRAN, WATCHLIST_WINDOW, GtkWindow)

NigranWatchlistWindow *nigran_watchlist_window_new             (GtkWindow             *parent,
                                                                NigranFaceWatch       *watch,
                                                                const char            *operator_name);
gboolean               nigran_watchlist_window_select          (NigranWatchlistWindow *self,
                                                                const char            *watchlist);
gboolean               nigran_watchlist_window_select_entry    (NigranWatchlistWindow *self,
                                                                const char            *entry);
void                   nigran_watchlist_window_add_photo       (NigranWatchlistWindow *self,
                                                                GFile                 *file);
void                   nigran_watchlist_window_add_person      (NigranWatchlistWindow *self,
                                                                GFile                 *file);
void                   nigran_watchlist_window_search          (NigranWatchlistWindow *self,
                                                                const char            *text);
const char            *nigran_watchlist_window_get_watchlist   (NigranWatchlistWindow *self);
guint                  nigran_watchlist_window_get_n_shown     (NigranWatchlistWindow *self);

G_END_DECLS
