/* nigran-credential-store.c: camera credentials in the desktop keyring
 *
 * A site file names each camera's credential by a reference; the user name and the
 * password live in the Secret Service (GNOME Keyring, KWallet …) as an item of the
 * schema io.github.nigran.Nigran.CameraCredential with the attributes "reference"
 * and "user". Look-ups run on a worker thread: the keyring may ask to be unlocked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "nigran-credential-store.h"

struct _NigranCredentialStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (NigranCredentialStore, nigran_credential_store, G_TYPE_OBJECT)

typedef struct
{
  char *reference;
  char *user;
  char *password;
} Credential;

static void
credential_free (gpointer data)
{
  Credential *credential = data;

  g_free (credential->reference);
  g_free (credential->user);
  nigran_credential_free_password (credential->password);
  g_free (credential);
}

static const SecretSchema *
credential_schema (void)
{
  static const SecretSchema schema = {
    NIGRAN_CREDENTIAL_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "reference", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Credential *request = task_data;
  g_autoptr(GError) error = NULL;
  GList *found;
  SecretRetrievable *item;
  g_autoptr(GHashTable) attributes = NULL;
  SecretValue *secret;
  Credential *credential;

  found = secret_password_search_sync (credential_schema (),
                                       SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                       cancellable, &error,
                                       "reference", request->reference,
                                       NULL);
  if (error != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "The keyring could not be read for the credential “%s”: %s",
                               request->reference, error->message);
      return;
    }
  if (found == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "The credential “%s” is not in the keyring. Store it with: "
                               "secret-tool store --label=\"%s\" xdg:schema " NIGRAN_CREDENTIAL_SCHEMA_NAME
                               " reference %s user USER",
                               request->reference, request->reference, request->reference);
      return;
    }

  item = found->data;
  attributes = secret_retrievable_get_attributes (item);
  secret = secret_retrievable_retrieve_secret_sync (item, cancellable, &error);
  if (secret == NULL)
    {
      g_list_free_full (found, g_object_unref);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "The keyring would not give the password of “%s”: %s",
                               request->reference, error ? error->message : "locked");
      return;
    }

  credential = g_new0 (Credential, 1);
  credential->user = g_strdup (g_hash_table_lookup (attributes, "user"));
  credential->password = g_strdup (secret_value_get_text (secret));
  secret_value_unref (secret);
  g_list_free_full (found, g_object_unref);
  g_task_return_pointer (task, credential, credential_free);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Credential *credential = task_data;
  g_autofree char *label = g_strdup_printf ("Nigran camera credential %s", credential->reference);
  GError *error = NULL;

  if (!secret_password_store_sync (credential_schema (), SECRET_COLLECTION_DEFAULT, label,
                                   credential->password, cancellable, &error,
                                   "reference", credential->reference,
                                   "user", credential->user,
                                   NULL))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
nigran_credential_store_class_init (NigranCredentialStoreClass *klass)
{
}

static void
nigran_credential_store_init (NigranCredentialStore *self)
{
}

NigranCredentialStore *
nigran_credential_store_get_default (void)
{
  static NigranCredentialStore *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, g_object_new (NIGRAN_TYPE_CREDENTIAL_STORE, NULL));
  return instance;
}

void
nigran_credential_store_lookup_async (NigranCredentialStore *self,
                                      const char            *reference,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Credential *request;

  g_return_if_fail (NIGRAN_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (reference != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nigran_credential_store_lookup_async);
  request = g_new0 (Credential, 1);
  request->reference = g_strdup (reference);
  g_task_set_task_data (task, request, credential_free);
  g_task_run_in_thread (task, lookup_thread);
}

/* The password is the caller's: free it with nigran_credential_free_password(). */
gboolean
nigran_credential_store_lookup_finish (NigranCredentialStore  *self,
                                       GAsyncResult           *result,
                                       char                  **user,
                                       char                  **password,
                                       GError                **error)
{
  Credential *credential;

  g_return_val_if_fail (NIGRAN_IS_CREDENTIAL_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  credential = g_task_propagate_pointer (G_TASK (result), error);
  if (credential == NULL)
    return FALSE;
  *user = g_steal_pointer (&credential->user);
  *password = g_steal_pointer (&credential->password);
  credential_free (credential);
  return TRUE;
}

void
nigran_credential_store_save_async (NigranCredentialStore *self,
                                    const char            *reference,
                                    const char            *user,
                                    const char            *password,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Credential *credential;

  g_return_if_fail (NIGRAN_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (reference != NULL && user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nigran_credential_store_save_async);
  credential = g_new0 (Credential, 1);
  credential->reference = g_strdup (reference);
  credential->user = g_strdup (user);
  credential->password = g_strdup (password);
  g_task_set_task_data (task, credential, credential_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
nigran_credential_store_save_finish (NigranCredentialStore  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (NIGRAN_IS_CREDENTIAL_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Overwrites the password before freeing it, so it does not linger in freed memory. */
void
nigran_credential_free_password (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}
