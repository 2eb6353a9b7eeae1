/* test-alert-sound.c: each priority's sound plays to the end through a real
 * GStreamer pipeline (into a fakesink, as a machine without speakers would)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "media/nigran-alert-sound.h"

static void
test_priorities (void)
{
  g_autoptr(NigranAlertSound) sound = nigran_alert_sound_new ("fakesink");
  gint64 start;

  for (NigranAlertPriority priority = NIGRAN_ALERT_PRIORITY_CRITICAL; priority <= NIGRAN_ALERT_PRIORITY_MEDIUM; priority++)
    {
      guint played = nigran_alert_sound_get_n_played (sound);

      start = g_get_monotonic_time ();
      g_assert_true (nigran_alert_sound_play (sound, priority));
      while (nigran_alert_sound_get_n_played (sound) == played && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (nigran_alert_sound_get_n_played (sound), ==, played + 1);
      /* Played in real time: beeps and gaps of 160 ms each. */
      g_assert_cmpint (g_get_monotonic_time () - start, >=, (gint64)(2 * (4 - priority) - 1) * 150 * 1000);
    }
  g_assert_false (nigran_alert_sound_play (sound, NIGRAN_ALERT_PRIORITY_LOW));
}

/* A watchlist's siren plays to the end, 1.3 s; its silence plays nothing. */
static void
test_tones (void)
{
  g_autoptr(NigranAlertSound) sound = nigran_alert_sound_new ("fakesink");
  gint64 start = g_get_monotonic_time ();

  g_assert_true (nigran_alert_sound_play_tone (sound, NIGRAN_ALERT_PRIORITY_HIGH, NIGRAN_ALERT_TONE_SIREN));
  while (nigran_alert_sound_get_n_played (sound) == 0 && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (nigran_alert_sound_get_n_played (sound), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 8 * 150 * 1000);
  g_assert_false (nigran_alert_sound_play_tone (sound, NIGRAN_ALERT_PRIORITY_CRITICAL, NIGRAN_ALERT_TONE_SILENT));
}

static void
test_no_audio_device (void)
{
  g_autoptr(NigranAlertSound) sound = nigran_alert_sound_new ("no-such-sink");

  g_assert_false (nigran_alert_sound_play (sound, NIGRAN_ALERT_PRIORITY_CRITICAL));
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alert-sound/priorities", test_priorities);
  g_test_add_func ("/alert-sound/tones", test_tones);
  g_test_add_func ("/alert-sound/no-audio-device", test_no_audio_device);

  return g_test_run ();
}
