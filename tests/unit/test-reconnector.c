/* test-reconnector.c: the reconnect state machine under a virtual clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "media/nigran-reconnector.h"

#define MS (1000)
#define S  (G_USEC_PER_SEC)

typedef struct
{
  NigranClock       *clock;
  NigranReconnector *reconnector;
  guint              n_connects;
  guint              n_disconnects;
  gint64             last_connect_us;
  gint64             offline_at_us;
} Fixture;

static void
on_state_changed (NigranReconnector *reconnector,
                  GParamSpec        *pspec,
                  Fixture           *fixture)
{
  if (nigran_reconnector_get_state (reconnector) == NIGRAN_CAMERA_STATUS_OFFLINE)
    fixture->offline_at_us = nigran_clock_get_monotonic_us (fixture->clock);
}

static void
on_connect (NigranReconnector *reconnector,
            Fixture           *fixture)
{
  fixture->n_connects++;
  fixture->last_connect_us = nigran_clock_get_monotonic_us (fixture->clock);
}

static void
on_disconnect (NigranReconnector *reconnector,
               Fixture           *fixture)
{
  fixture->n_disconnects++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->clock = nigran_clock_new_virtual (1700000000LL * S);
  fixture->reconnector = nigran_reconnector_new (fixture->clock, 42);
  g_signal_connect (fixture->reconnector, "connect", G_CALLBACK (on_connect), fixture);
  g_signal_connect (fixture->reconnector, "disconnect", G_CALLBACK (on_disconnect), fixture);
  g_signal_connect (fixture->reconnector, "notify::state", G_CALLBACK (on_state_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->reconnector);
  g_assert_finalize_object (fixture->clock);
}

/* Frames at 25 fps for the given time. */
static void
feed_frames (Fixture *fixture,
             gint64   duration_us)
{
  for (gint64 t = 0; t < duration_us; t += 40 * MS)
    {
      nigran_reconnector_frame_arrived (fixture->reconnector);
      nigran_clock_advance (fixture->clock, 40 * MS);
    }
}

static NigranCameraStatus
state (Fixture *fixture)
{
  return nigran_reconnector_get_state (fixture->reconnector);
}

static void
test_connect_and_go_live (Fixture       *fixture,
                          gconstpointer  data)
{
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_IDLE);
  nigran_reconnector_start (fixture->reconnector);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_CONNECTING);
  g_assert_cmpuint (fixture->n_connects, ==, 1);

  feed_frames (fixture, 300 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_LIVE);
  g_assert_cmpint (nigran_reconnector_get_offline_since (fixture->reconnector), ==, 0);

  /* Live for a minute: nothing else happens. */
  feed_frames (fixture, 60 * S);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_LIVE);
  g_assert_cmpuint (fixture->n_connects, ==, 1);
  g_assert_cmpuint (fixture->n_disconnects, ==, 0);
}

static void
test_stall_after_two_seconds (Fixture       *fixture,
                              gconstpointer  data)
{
  gint64 stall_start;

  nigran_reconnector_start (fixture->reconnector);
  feed_frames (fixture, 1 * S);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_LIVE);

  stall_start = nigran_clock_get_monotonic_us (fixture->clock);
  nigran_clock_advance (fixture->clock, 1700 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_LIVE);

  /* No frame for 2 s (checked every 250 ms): stalled, torn down, offline. */
  nigran_clock_advance (fixture->clock, 600 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_OFFLINE);
  g_assert_cmpint (fixture->offline_at_us - stall_start, <=, 2250 * MS);
  g_assert_cmpuint (fixture->n_disconnects, ==, 1);
  g_assert_cmpstr (nigran_reconnector_get_last_error (fixture->reconnector), ==, "no picture for 2 s");
  g_assert_cmpint (nigran_reconnector_get_offline_since (fixture->reconnector), >, 0);

  /* The first retry comes 1 s later, plus at most 10 % jitter. */
  nigran_clock_advance (fixture->clock, 1200 * MS);
  g_assert_cmpuint (fixture->n_connects, ==, 2);
  g_assert_cmpint (fixture->last_connect_us - fixture->offline_at_us, >=, 1000 * MS);
  g_assert_cmpint (fixture->last_connect_us - fixture->offline_at_us, <=, 1100 * MS);

  feed_frames (fixture, 300 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_LIVE);
  g_assert_cmpint (nigran_reconnector_get_offline_since (fixture->reconnector), ==, 0);
}

static void
test_exponential_backoff (Fixture       *fixture,
                          gconstpointer  data)
{
  const guint expected_s[] = { 1, 2, 4, 8, 16, 30, 30, 30 };

  nigran_reconnector_start (fixture->reconnector);

  for (guint i = 0; i < G_N_ELEMENTS (expected_s); i++)
    {
      gint64 failed_at = nigran_clock_get_monotonic_us (fixture->clock);
      gint64 waited, retry_in;
      guint connects_before = fixture->n_connects;

      nigran_reconnector_failed (fixture->reconnector, "Could not connect to server");
      /* A second error of the same failure counts once. */
      nigran_reconnector_failed (fixture->reconnector, "Internal data stream error");
      g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_OFFLINE);

      retry_in = nigran_reconnector_get_retry_in_us (fixture->reconnector);
      g_assert_cmpint (retry_in, >=, expected_s[i] * S);
      g_assert_cmpint (retry_in, <=, expected_s[i] * S * 11 / 10);

      while (fixture->n_connects == connects_before)
        nigran_clock_advance (fixture->clock, 10 * MS);
      waited = fixture->last_connect_us - failed_at;
      g_assert_cmpint (waited, >=, expected_s[i] * S);
      g_assert_cmpint (waited, <=, expected_s[i] * S * 11 / 10 + 10 * MS);
      /* While the attempt runs there is no countdown to show. */
      g_assert_cmpint (nigran_reconnector_get_retry_in_us (fixture->reconnector), ==, 0);
    }

  /* Live again: the back-off starts over at 1 s. */
  feed_frames (fixture, 300 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_LIVE);
  g_assert_cmpuint (nigran_reconnector_get_next_backoff_s (fixture->reconnector), ==, 1);
}

static void
test_connect_timeout (Fixture       *fixture,
                      gconstpointer  data)
{
  nigran_reconnector_start (fixture->reconnector);
  nigran_clock_advance (fixture->clock, 9750 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_CONNECTING);
  nigran_clock_advance (fixture->clock, 500 * MS);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_OFFLINE);
  g_assert_cmpuint (fixture->n_disconnects, ==, 1);
  g_assert_cmpstr (nigran_reconnector_get_last_error (fixture->reconnector), ==,
                   "no picture within 10 s of connecting");
}

static void
test_stop_cancels_everything (Fixture       *fixture,
                              gconstpointer  data)
{
  nigran_reconnector_start (fixture->reconnector);
  nigran_reconnector_failed (fixture->reconnector, "refused");
  nigran_reconnector_stop (fixture->reconnector);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_IDLE);

  nigran_clock_advance (fixture->clock, 120 * S);
  g_assert_cmpuint (fixture->n_connects, ==, 1);
  g_assert_cmpint (state (fixture), ==, NIGRAN_CAMERA_STATUS_IDLE);

  /* It can start again. */
  nigran_reconnector_start (fixture->reconnector);
  g_assert_cmpuint (fixture->n_connects, ==, 2);
  nigran_reconnector_stop (fixture->reconnector);
  g_assert_cmpuint (fixture->n_disconnects, ==, 2);
}

static void
test_jitter_spreads_retries (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (0);
  g_autoptr(GHashTable) delays = g_hash_table_new (g_direct_hash, g_direct_equal);

  /* Cameras failing together do not all retry at the same moment. */
  for (guint seed = 0; seed < 20; seed++)
    {
      g_autoptr(NigranReconnector) reconnector = nigran_reconnector_new (clock, seed);

      nigran_reconnector_start (reconnector);
      nigran_reconnector_failed (reconnector, "refused");
      g_hash_table_add (delays, GINT_TO_POINTER ((int)(nigran_reconnector_get_retry_in_us (reconnector) / MS)));
      nigran_reconnector_stop (reconnector);
    }
  g_assert_cmpuint (g_hash_table_size (delays), >=, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reconnector/connect-and-go-live", Fixture, NULL, fixture_set_up, test_connect_and_go_live, fixture_tear_down);
  g_test_add ("/reconnector/stall-after-two-seconds", Fixture, NULL, fixture_set_up, test_stall_after_two_seconds, fixture_tear_down);
  g_test_add ("/reconnector/exponential-backoff", Fixture, NULL, fixture_set_up, test_exponential_backoff, fixture_tear_down);
  g_test_add ("/reconnector/connect-timeout", Fixture, NULL, fixture_set_up, test_connect_timeout, fixture_tear_down);
  g_test_add ("/reconnector/stop-cancels-everything", Fixture, NULL, fixture_set_up, test_stop_cancels_everything, fixture_tear_down);
  g_test_add_func ("/reconnector/jitter-spreads-retries", test_jitter_spreads_retries);

  return g_test_run ();
}
