/* eventlog-appender.c: raises alerts in an event log until killed, telling each commit
 *
 * The crash test runs it, kill -9s it at a random moment and then checks that every
 * alert it was told about is in the log. Prints "ready", then "committed ALERT-ID"
 * for each alert whose transaction committed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "core/nigran-alert.h"
#include "store/nigran-event-log.h"

#define IN_FLIGHT 64

static void append_one (NigranEventLog *log);

static void
on_appended (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(NigranEvent) event = user_data;
  g_autoptr(GError) error = NULL;

  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0)
    {
      fprintf (stderr, "eventlog-appender: %s\n", error->message);
      exit (1);
    }
  printf ("committed %s\n", nigran_event_find_subject (event, "alert"));
  fflush (stdout);
  append_one (NIGRAN_EVENT_LOG (source));
}

static void
append_one (NigranEventLog *log)
{
  static guint counter;
  g_autofree char *camera = g_strdup_printf ("sim-%02u", counter++ % 18 + 1);
  NigranEvent *event = nigran_alert_raised_event_new (&(NigranAlertSpec) {
    .source = "plate",
    .kind = "plate.match",
    .priority = NIGRAN_ALERT_PRIORITY_HIGH,
    .title = "Plate BKH-786 sighted at Teen Talwar",
    .camera_id = camera,
    .site_id = "red-zone",
    .matched = "Hotlist: BKH-786",
    .score = 0.93,
    .frame_age_ms = 40,
    .verifiers_required = 1,
  });

  nigran_event_log_append_async (log, event, "appender", NULL, on_appended, event);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranEventLog) log = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: eventlog-appender LOG\n");
      return 2;
    }
  log = nigran_event_log_open (argv[1], clock, bus, "crash-test", &error);
  if (log == NULL)
    {
      fprintf (stderr, "eventlog-appender: %s\n", error->message);
      return 1;
    }
  printf ("ready\n");
  fflush (stdout);
  for (guint i = 0; i < IN_FLIGHT; i++)
    append_one (log);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}
