/* test-clock.c: the virtual clock fires timeouts in due order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-clock.h"

typedef struct
{
  NigranClock *clock;
  GString     *log;
} Fixture;

static void
log_tick (gpointer data)
{
  Fixture *fixture = data;

  g_string_append_printf (fixture->log, "%" G_GINT64_FORMAT ";", nigran_clock_get_now_us (fixture->clock));
}

static void
add_nested (gpointer data)
{
  Fixture *fixture = data;

  log_tick (fixture);
  nigran_clock_add_timeout (fixture->clock, 100, log_tick, fixture);
}

static void
test_virtual_order (void)
{
  Fixture fixture = { nigran_clock_new_virtual (1000000), g_string_new (NULL) };
  guint removed;

  nigran_clock_add_timeout (fixture.clock, 300, log_tick, &fixture);
  nigran_clock_add_timeout (fixture.clock, 100, add_nested, &fixture);
  removed = nigran_clock_add_timeout (fixture.clock, 150, log_tick, &fixture);
  nigran_clock_remove_timeout (fixture.clock, removed);

  nigran_clock_advance (fixture.clock, 50 * 1000);
  g_assert_cmpstr (fixture.log->str, ==, "");

  nigran_clock_advance (fixture.clock, 1000 * 1000);
  /* 100 ms, then the nested one at 200 ms, then 300 ms; the removed one never. */
  g_assert_cmpstr (fixture.log->str, ==, "1100000;1200000;1300000;");
  g_assert_cmpint (nigran_clock_get_now_us (fixture.clock), ==, 2050000);
  g_assert_true (nigran_clock_is_virtual (fixture.clock));

  g_string_free (fixture.log, TRUE);
  g_assert_finalize_object (fixture.clock);
}

static void
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
}

static void
test_system_clock (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 before = nigran_clock_get_monotonic_us (clock);
  gint64 real = nigran_clock_get_now_us (clock);

  g_assert_cmpint (ABS (real - g_get_real_time ()), <, G_USEC_PER_SEC);
  nigran_clock_add_timeout (clock, 50, quit_loop, loop);
  g_main_loop_run (loop);
  g_assert_cmpint (nigran_clock_get_monotonic_us (clock) - before, >=, 50000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/virtual-order", test_virtual_order);
  g_test_add_func ("/clock/system", test_system_clock);
  return g_test_run ();
}
