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
