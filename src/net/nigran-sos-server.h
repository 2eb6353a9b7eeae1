/* nigran-sos-server.h: the SOS and AVL intake, an HTTP server in the console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/nigran-site-file.h"

G_BEGIN_DECLS

/* Called on the main context with the events an accepted request makes, to be
 * recorded by @actor ("sos:SITE" or "avl"). */
typedef void (*NigranIntakeFunc) (GPtrArray  *events,
                                  const char *actor,
                                  gpointer    user_data);

/* Each source may send this many requests at once, then this many a second. */
#define NIGRAN_SOS_SERVER_BURST      20
#define NIGRAN_SOS_SERVER_PER_SECOND 5

#define NIGRAN_TYPE_SOS_SERVER (nigran_sos_server_get_type ())
G_DECLARE_FINAL_TYPE (NigranSosServer, nigran_sos_server, NIGRAN, SOS_SERVER, GObject)

NigranSosServer *nigran_sos_server_new        (NigranSiteFile    *site_file,
                                               NigranIntakeFunc   intake,
                                               gpointer           user_data);
gboolean         nigran_sos_server_listen     (NigranSosServer   *self,
                                               const char        *address,
                                               GTlsCertificate   *certificate,
                                               GError           **error);
void             nigran_sos_server_set_rate_limit (NigranSosServer *self,
                                                   guint            burst,
                                                   guint            per_second);
guint16          nigran_sos_server_get_port   (NigranSosServer   *self);
void             nigran_sos_server_stop       (NigranSosServer   *self);

G_END_DECLS
