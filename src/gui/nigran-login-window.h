/* nigran-login-window.h: who is at the console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-clock.h"
#include "store/nigran-account-store.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_LOGIN_WINDOW (nigran_login_window_get_type ())
G_DECLARE_FINAL_TYPE (NigranLoginWindow, nigran_login_window, NIGRAN, LOGIN_WINDOW, GtkApplicationWindow)

NigranLoginWindow *nigran_login_window_new         (GtkApplication     *application,
                                                    NigranAccountStore *accounts,
                                                    NigranClock        *clock,
                                                    const char         *hint);
void               nigran_login_window_submit      (NigranLoginWindow  *self,
                                                    const char         *name,
                                                    const char         *password,
                                                    const char         *repeat);
const char        *nigran_login_window_get_message (NigranLoginWindow  *self);
gboolean           nigran_login_window_is_setup    (NigranLoginWindow  *self);

G_END_DECLS
