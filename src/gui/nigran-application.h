/* nigran-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NIGRAN_TYPE_APPLICATION (nigran_application_get_type ())
G_DECLARE_FINAL_TYPE (NigranApplication, nigran_application, NIGRAN, APPLICATION, GtkApplication)

NigranApplication *nigran_application_new (void);
char              *nigran_application_find_demo_site (void);
void               nigran_application_choose_renderer (void);
void               nigran_application_install_style   (void);

G_END_DECLS
