/* nigran-account-store.h: local operator accounts, with slow password hashes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_ACCOUNT_ERROR (nigran_account_error_quark ())

typedef enum
{
  NIGRAN_ACCOUNT_ERROR_OPEN,
  NIGRAN_ACCOUNT_ERROR_WRONG,        /* unknown name or wrong password: not told apart */
  NIGRAN_ACCOUNT_ERROR_LOCKED,
  NIGRAN_ACCOUNT_ERROR_EXISTS,
  NIGRAN_ACCOUNT_ERROR_INVALID,      /* a name or password that cannot be used */
  NIGRAN_ACCOUNT_ERROR_STORE,
} NigranAccountError;

#define NIGRAN_ACCOUNT_MAX_FAILURES   5
#define NIGRAN_ACCOUNT_FAILURE_WINDOW (15 * 60 * G_USEC_PER_SEC)
#define NIGRAN_ACCOUNT_MIN_PASSWORD   8

#define NIGRAN_TYPE_ACCOUNT_STORE (nigran_account_store_get_type ())
G_DECLARE_FINAL_TYPE (NigranAccountStore, nigran_account_store, NIGRAN, ACCOUNT_STORE, GObject)

GQuark              nigran_account_error_quark         (void);
NigranAccountStore *nigran_account_store_open          (const char          *path,
                                                        GError             **error);
guint               nigran_account_store_count         (NigranAccountStore  *self);
gboolean            nigran_account_store_add           (NigranAccountStore  *self,
                                                        const char          *name,
                                                        NigranRole           role,
                                                        const char          *password,
                                                        gint64               now_us,
                                                        GError             **error);
gboolean            nigran_account_store_authenticate  (NigranAccountStore  *self,
                                                        const char          *name,
                                                        const char          *password,
                                                        gint64               now_us,
                                                        NigranRole          *role,
                                                        GError             **error);
void                nigran_account_store_authenticate_async  (NigranAccountStore  *self,
                                                              const char          *name,
                                                              const char          *password,
                                                              gint64               now_us,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            nigran_account_store_authenticate_finish (NigranAccountStore  *self,
                                                              GAsyncResult        *result,
                                                              NigranRole          *role,
                                                              GError             **error);
char               *nigran_account_store_dup_hash      (NigranAccountStore  *self,
                                                        const char          *name);

G_END_DECLS
