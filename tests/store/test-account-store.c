/* test-account-store.c: operator accounts: Argon2id hashes, roles, the lockout after
 * five failures in fifteen minutes, and names that cannot be probed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-utils.h"
#include <glib/gstdio.h>

#include "store/nigran-account-store.h"

#define T0 (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC)
#define MINUTE (60 * G_USEC_PER_SEC)

typedef struct
{
  char               *directory;
  char               *path;
  NigranAccountStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("nigran-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->directory, "accounts.sqlite", NULL);
  fixture->store = nigran_account_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (nigran_account_store_add (fixture->store, "alice", NIGRAN_ROLE_OPERATOR, "correct horse", T0, &error));
  g_assert_no_error (error);
  g_assert_true (nigran_account_store_add (fixture->store, "sam", NIGRAN_ROLE_SUPERVISOR, "battery staple", T0, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A sign-in's worker may let go of the store just after its callback ran. */
  {
    gpointer store = fixture->store;
    gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

    g_object_add_weak_pointer (store, &store);
    g_object_unref (fixture->store);
    while (store != NULL && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_null (store);
  }
  test_remove_directory (fixture->directory);
  g_free (fixture->path);
  g_free (fixture->directory);
}

static gboolean
sign_in (Fixture     *fixture,
         const char  *name,
         const char  *password,
         gint64       at,
         NigranRole  *role,
         GError     **error)
{
  return nigran_account_store_authenticate (fixture->store, name, password, at, role, error);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = nigran_account_store_dup_hash (fixture->store, "alice");
  NigranRole role = NIGRAN_ROLE_ADMINISTRATOR;
  GStatBuf info;

  g_assert_true (sign_in (fixture, "alice", "correct horse", T0, &role, &error));
  g_assert_no_error (error);
  g_assert_cmpint (role, ==, NIGRAN_ROLE_OPERATOR);
  g_assert_true (sign_in (fixture, "sam", "battery staple", T0, &role, &error));
  g_assert_cmpint (role, ==, NIGRAN_ROLE_SUPERVISOR);
  g_assert_cmpuint (nigran_account_store_count (fixture->store), ==, 2);

  /* Stored as Argon2id, salted, never the password. */
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=3,p=1$"));
  g_assert_null (strstr (hash, "correct horse"));
  g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  {
    g_autoptr(NigranAccountStore) other = NULL;
    g_autofree char *path = g_build_filename (fixture->directory, "other.sqlite", NULL);
    g_autofree char *other_hash = NULL;

    other = nigran_account_store_open (path, &error);
    g_assert_true (nigran_account_store_add (other, "alice", NIGRAN_ROLE_OPERATOR, "correct horse", T0, &error));
    other_hash = nigran_account_store_dup_hash (other, "alice");
    g_assert_cmpstr (other_hash, !=, hash);
  }
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  NigranRole role;

  g_assert_false (nigran_account_store_add (fixture->store, "alice", NIGRAN_ROLE_OPERATOR, "another one", T0, &error));
  g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (nigran_account_store_add (fixture->store, "bob", NIGRAN_ROLE_OPERATOR, "short", T0, &error));
  g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (nigran_account_store_add (fixture->store, "bob smith", NIGRAN_ROLE_OPERATOR, "long enough", T0, &error));
  g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sign_in (fixture, NULL, NULL, T0, &role, &error));
  g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_WRONG);
}

static void
test_unknown_name_looks_like_wrong_password (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) wrong = NULL;
  NigranRole role;

  g_assert_false (sign_in (fixture, "mallory", "correct horse", T0, &role, &unknown));
  g_assert_false (sign_in (fixture, "alice", "wrong horse", T0, &role, &wrong));
  g_assert_error (unknown, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_WRONG);
  g_assert_cmpstr (unknown->message, ==, wrong->message);
}

static void
test_lockout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  NigranRole role;

  /* Four failures spread over 14 minutes leave the account open. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_false (sign_in (fixture, "alice", "guess", T0 + i * 4 * MINUTE, &role, &error));
      g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_WRONG);
      g_clear_error (&error);
    }
  /* The fifth within 15 minutes of the first locks it, and says until when. */
  g_assert_false (sign_in (fixture, "alice", "guess", T0 + 14 * MINUTE, &role, &error));
  g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Try again after"));
  g_clear_error (&error);
  /* Locked even with the right password; others are not. */
  g_assert_false (sign_in (fixture, "alice", "correct horse", T0 + 14 * MINUTE + 1, &role, &error));
  g_assert_error (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (sign_in (fixture, "sam", "battery staple", T0 + 14 * MINUTE, &role, &error));

  /* When the oldest failure is 15 minutes old, four remain in the window: open. */
  g_assert_true (sign_in (fixture, "alice", "correct horse", T0 + 15 * MINUTE + 1, &role, &error));
  g_assert_no_error (error);
  /* A success clears the count. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_false (sign_in (fixture, "alice", "guess", T0 + 16 * MINUTE, &role, &error));
      g_clear_error (&error);
    }
  g_assert_true (sign_in (fixture, "alice", "correct horse", T0 + 16 * MINUTE, &role, &error));
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  int *outcome = user_data;
  NigranRole role;

  *outcome = nigran_account_store_authenticate_finish (NIGRAN_ACCOUNT_STORE (source), result, &role, NULL) ? (int)role : -2;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  int outcome = -1;

  nigran_account_store_authenticate_async (fixture->store, "sam", "battery staple", T0, NULL, on_signed_in, &outcome);
  while (outcome == -1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (outcome, ==, NIGRAN_ROLE_SUPERVISOR);
  outcome = -1;
  nigran_account_store_authenticate_async (fixture->store, "sam", "wrong", T0, NULL, on_signed_in, &outcome);
  while (outcome == -1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (outcome, ==, -2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/accounts/sign-in", Fixture, NULL, fixture_set_up, test_sign_in, fixture_tear_down);
  g_test_add ("/accounts/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add ("/accounts/unknown-name", Fixture, NULL, fixture_set_up, test_unknown_name_looks_like_wrong_password, fixture_tear_down);
  g_test_add ("/accounts/lockout", Fixture, NULL, fixture_set_up, test_lockout, fixture_tear_down);
  g_test_add ("/accounts/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
