/* test-utils.c: what several test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test-utils.h"

/* GStreamer 1.22's rtspsrc sends an event with its unset seek sequence number when it
 * is stopped during its start-up (a tile switched or closed while connecting), and
 * GStreamer then logs a critical. It is harmless and outside Nigran. */
#define KNOWN_RTSPSRC_CRITICAL "gst_event_set_seqnum: assertion 'seqnum != GST_SEQNUM_INVALID' failed"

static GLogFunc test_log_handler;

static void
log_handler (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "GStreamer") == 0 && strstr (message, KNOWN_RTSPSRC_CRITICAL) != NULL)
    return;

  test_log_handler (log_domain, log_level, message, user_data);
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

/* Warnings and criticals stay fatal, but through this handler rather than GLib's
 * always-fatal mask, which gives no way to pass over one known message. */
/* For g_array_sort() of gint64 measurements. */
int
test_compare_gint64 (gconstpointer a,
                     gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

void
test_tolerate_known_gstreamer_criticals (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  test_log_handler = g_log_set_default_handler (log_handler, NULL);
}

/* Removes a test's temporary folder and all in it. */
void
test_remove_directory (const char *path)
{
  const char *argv[] = { "rm", "-rf", "--", path, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_str_has_prefix (path, g_get_tmp_dir ()));
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* How many events of @type the log holds, read by the sqlite3 tool as an auditor would. */
guint
test_count_events (const char *log_path,
                   const char *type)
{
  const char *argv[] = { "sqlite3", "-cmd", NULL, log_path,
                         "SELECT count(*) FROM events WHERE type = $type", NULL };
  g_autofree char *parameter = g_strdup_printf (".parameter set $type '%s'", type);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_null (strchr (type, '\''));
  argv[2] = parameter;
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return (guint)g_ascii_strtoull (output, NULL, 10);
}

/* Runs the default main context for @duration_us without blocking in it, so that
 * a test's own timing (a stall, a deadline) is measured, not the loop's sleep. */
void
test_iterate_for (gint64 duration_us)
{
  gint64 end = g_get_monotonic_time () + duration_us;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
}

/* The nearest-rank @fraction percentile of gint64 microseconds, in ms; -1 if none.
 * Sorts @values_us. */
double
test_percentile_ms (GArray *values_us,
                    double  fraction)
{
  if (values_us->len == 0)
    return -1;
  g_array_sort (values_us, test_compare_gint64);
  return g_array_index (values_us, gint64, MIN (values_us->len - 1, (guint)(fraction * values_us->len))) / 1000.0;
}

/* East Karachi's roads from ../shared/data, or NULL with the test marked skipped. */
NigranGeoLayer *
test_load_east_karachi_roads (void)
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  g_autofree char *path = shared != NULL ? g_build_filename (shared, "maps", "karachi-east-osm",
                                                             "roads_east_karachi.geojson", NULL) : NULL;
  g_autoptr(GError) error = NULL;
  NigranGeoLayer *roads;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/maps/karachi-east-osm is absent");
      return NULL;
    }
  roads = nigran_geo_layer_new_from_file (path, &error);
  g_assert_no_error (error);
  return roads;
}
