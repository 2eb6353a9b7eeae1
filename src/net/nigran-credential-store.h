/* nigran-credential-store.h: camera credentials in the desktop keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NIGRAN_CREDENTIAL_SCHEMA_NAME "io.github.nigran.Nigran.CameraCredential"

#define NIGRAN_TYPE_CREDENTIAL_STORE (nigran_credential_store_get_type ())
G_DECLARE_FINAL_TYPE (NigranCredentialStore, nigran_credential_store, NIGRAN, CREDENTIAL_STORE, GObject)

NigranCredentialStore *nigran_credential_store_get_default (void);
void     nigran_credential_store_lookup_async (NigranCredentialStore  *self,
                                               const char             *reference,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gboolean nigran_credential_store_lookup_finish (NigranCredentialStore *self,
                                                GAsyncResult          *result,
                                                char                 **user,
                                                char                 **password,
                                                GError               **error);
void     nigran_credential_store_save_async   (NigranCredentialStore  *self,
                                               const char             *reference,
                                               const char             *user,
                                               const char             *password,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gboolean nigran_credential_store_save_finish  (NigranCredentialStore  *self,
                                               GAsyncResult           *result,
                                               GError                **error);
void     nigran_credential_free_password      (char                   *password);

G_END_DECLS
