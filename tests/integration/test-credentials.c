/* test-credentials.c: camera credentials from a real keyring to a camera that
 * demands them
 *
 * Runs under tests/with-keyring.sh: a private D-Bus session with GNOME Keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gtk/gtk.h>
#include <string.h>

#include "camsim-process.h"
#include "gui/nigran-tile.h"
#include "media/nigran-camera-stream.h"
#include "net/nigran-credential-store.h"
#include "test-utils.h"

#define CAMERA_USER     "viewer"
#define CAMERA_PASSWORD "Kar4chi-s4fe-city"

static CamsimProcess *camsim;
static gboolean have_keyring;

typedef struct
{
  gboolean done;
  gboolean ok;
  char    *user;
  char    *password;
  GError  *error;
} Result;

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Result *out = data;

  out->ok = nigran_credential_store_save_finish (NIGRAN_CREDENTIAL_STORE (object), result, &out->error);
  out->done = TRUE;
}

static void
on_found (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Result *out = data;

  out->ok = nigran_credential_store_lookup_finish (NIGRAN_CREDENTIAL_STORE (object), result,
                                                   &out->user, &out->password, &out->error);
  out->done = TRUE;
}

static void
wait_for (Result *result)
{
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
clear_result (Result *result)
{
  g_free (result->user);
  nigran_credential_free_password (result->password);
  g_clear_error (&result->error);
  memset (result, 0, sizeof *result);
}

static gboolean
save (const char  *reference,
      const char  *user,
      const char  *password,
      GError     **error)
{
  Result result = { 0 };
  gboolean ok;

  nigran_credential_store_save_async (nigran_credential_store_get_default (), reference, user, password,
                                      NULL, on_saved, &result);
  wait_for (&result);
  ok = result.ok;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&result.error));
  clear_result (&result);
  return ok;
}

static NigranCamera *
camera_with_credential (const char *credential)
{
  const char *uris = g_hash_table_lookup (camsim_process_get_uris (camsim), "sim-01");
  g_auto(GStrv) parts = g_strsplit (uris, " ", 2);

  return g_object_new (NIGRAN_TYPE_CAMERA, "id", "sim-01", "name", "Gate", "site-id", "test",
                       "main-uri", parts[0], "sub-uri", parts[1], "credential-ref", credential, NULL);
}

static NigranCameraStatus
run_stream (NigranCamera *camera,
            const char   *user,
            const char   *password,
            char        **last_error)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranCameraStream) stream = nigran_camera_stream_new (camera, NIGRAN_STREAM_SUB, clock, NULL);
  NigranReconnector *reconnector = nigran_camera_stream_get_reconnector (stream);
  NigranCameraStatus status;
  gint64 end = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;

  if (user != NULL)
    nigran_camera_stream_set_credentials (stream, user, password);
  nigran_camera_stream_start (stream);
  while (g_get_monotonic_time () < end &&
         nigran_reconnector_get_state (reconnector) != NIGRAN_CAMERA_STATUS_LIVE &&
         nigran_reconnector_get_state (reconnector) != NIGRAN_CAMERA_STATUS_OFFLINE)
    g_main_context_iteration (NULL, TRUE);

  status = nigran_reconnector_get_state (reconnector);
  *last_error = g_strdup (nigran_reconnector_get_last_error (reconnector));
  nigran_camera_stream_stop (stream);
  return status;
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  Result result = { 0 };

  if (!have_keyring)
    {
      g_test_skip ("no Secret Service: install dbus and gnome-keyring (make check does)");
      return;
    }

  g_assert_true (save ("cam-gate", CAMERA_USER, CAMERA_PASSWORD, &error));
  g_assert_no_error (error);

  nigran_credential_store_lookup_async (nigran_credential_store_get_default (), "cam-gate", NULL, on_found, &result);
  wait_for (&result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.user, ==, CAMERA_USER);
  g_assert_cmpstr (result.password, ==, CAMERA_PASSWORD);
  clear_result (&result);

  nigran_credential_store_lookup_async (nigran_credential_store_get_default (), "cam-unknown", NULL, on_found, &result);
  wait_for (&result);
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  /* The message says which reference and how to store it. */
  g_assert_nonnull (strstr (result.error->message, "“cam-unknown” is not in the keyring"));
  g_assert_nonnull (strstr (result.error->message, "secret-tool store"));
  clear_result (&result);
}

static void
test_camera_demands_login (void)
{
  g_autoptr(NigranCamera) camera = camera_with_credential ("cam-gate");
  g_autofree char *refused = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;

  /* No credentials, wrong ones, right ones. */
  g_assert_cmpint (run_stream (camera, NULL, NULL, &refused), ==, NIGRAN_CAMERA_STATUS_OFFLINE);
  g_assert_cmpint (run_stream (camera, CAMERA_USER, "guess", &wrong), ==, NIGRAN_CAMERA_STATUS_OFFLINE);
  g_assert_cmpint (run_stream (camera, CAMERA_USER, CAMERA_PASSWORD, &right), ==, NIGRAN_CAMERA_STATUS_LIVE);
  g_assert_cmpstr (refused, ==, "the camera refused the user name or password of its credential");
  g_assert_cmpstr (wrong, ==, "the camera refused the user name or password of its credential");

  /* What an operator or a log may see never holds the password. */
  g_assert_null (strstr (wrong, "guess"));
  g_assert_null (strstr (nigran_camera_get_uri (camera, NIGRAN_STREAM_SUB), CAMERA_PASSWORD));
}

static gboolean
tile_is (NigranTile *tile,
         const char *prefix)
{
  g_autofree char *status = NULL;

  nigran_tile_update_status (tile);
  status = nigran_tile_dup_status_text (tile);
  return g_str_has_prefix (status, prefix);
}

static void
wait_for_tile (NigranTile *tile,
               const char *prefix)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autofree char *status = NULL;

  while (!tile_is (tile, prefix) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  status = nigran_tile_dup_status_text (tile);
  if (!g_str_has_prefix (status, prefix))
    g_error ("the tile says “%s”, not “%s…”", status, prefix);
}

/* The tile asks the keyring before it connects, and says so when it cannot. */
static void
test_tile_resolves_credential (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranCamera) known = camera_with_credential ("cam-gate");
  g_autoptr(NigranCamera) unknown = camera_with_credential ("cam-nowhere");
  g_autoptr(GError) error = NULL;
  NigranTile *tile;

  if (!have_keyring)
    {
      g_test_skip ("no Secret Service: install dbus and gnome-keyring (make check does)");
      return;
    }
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under Xvfb (make check does)");
      return;
    }
  g_assert_true (save ("cam-gate", CAMERA_USER, CAMERA_PASSWORD, &error));

  tile = g_object_ref_sink (nigran_tile_new (clock));
  nigran_tile_set_active (tile, TRUE);

  nigran_tile_set_camera (tile, known);
  wait_for_tile (tile, "live");

  nigran_tile_set_camera (tile, unknown);
  wait_for_tile (tile, "The credential “cam-nowhere” is not in the keyring");
  g_assert_cmpint (nigran_camera_get_status (unknown), ==, NIGRAN_CAMERA_STATUS_OFFLINE);

  nigran_tile_set_camera (tile, NULL);
  g_assert_finalize_object (tile);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *password_file = NULL;
  g_autofree char *password_arg = NULL;
  g_autoptr(GError) error = NULL;
  int fd, status;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  test_tolerate_known_gstreamer_criticals ();

  fd = g_file_open_tmp ("nigran-camsim-password-XXXXXX", &password_file, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (password_file, CAMERA_PASSWORD "\n", -1, NULL));
  close (fd);
  password_arg = g_strdup_printf ("--password-file=%s", password_file);
  {
    const char *args[] = { "--count=1", "--user=" CAMERA_USER, password_arg, NULL };

    camsim = camsim_process_start (args, 0, &error);
    g_assert_no_error (error);
  }

  /* A Secret Service answers only inside with-keyring.sh's session. */
  have_keyring = g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL && save ("probe", "probe", "probe", NULL);

  g_test_add_func ("/credentials/keyring-round-trip", test_keyring_round_trip);
  g_test_add_func ("/credentials/camera-demands-login", test_camera_demands_login);
  g_test_add_func ("/credentials/tile-resolves-credential", test_tile_resolves_credential);

  status = g_test_run ();
  camsim_process_free (camsim);
  g_unlink (password_file);
  return status;
}
