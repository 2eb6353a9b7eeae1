/* test-plate-tracker.c: one read per vehicle pass, voted character by character
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "engine/nigran-plate-tracker.h"

#define FRAME_US (200 * G_TIME_SPAN_MILLISECOND)   /* 5 analysed frames a second */

/* A reading of @text, every character @confidence sure except at @unsure (if ≥ 0). */
static NigranPlateObservation
observe (int         x,
         const char *text,
         float       confidence,
         int         unsure,
         float       unsure_confidence)
{
  NigranPlateObservation observation = { .x = x, .y = 400, .width = 150, .height = 40 };
  guint n = 0;

  g_strlcpy (observation.reading.text, text, sizeof observation.reading.text);
  for (const char *c = text; *c != '\0'; c++)
    if (g_ascii_isalnum (*c))
      {
        observation.reading.character_confidence[n] = (int)n == unsure ? unsure_confidence : confidence;
        n++;
      }
  observation.reading.n_characters = n;
  observation.reading.confidence = unsure >= 0 ? MIN (confidence, unsure_confidence) : confidence;
  observation.reading.standard = nigran_plate_parse (text, &observation.reading.plate);
  return observation;
}

static void
test_vote_outvotes_a_misread (void)
{
  NigranPlateReading readings[3];
  NigranPlateReading vote;

  readings[0] = observe (0, "AC 4903", 0.9f, -1, 0).reading;
  readings[1] = observe (0, "A8 4903", 0.9f, 1, 0.4f).reading;    /* C misread as 8, unsure */
  readings[2] = observe (0, "AC 4908", 0.8f, 5, 0.5f).reading;    /* 3 misread as 8 */
  nigran_plate_vote (readings, 3, &vote);
  g_assert_cmpstr (vote.text, ==, "AC 4903");
  g_assert_true (vote.standard);
  g_assert_cmpstr (vote.plate.registration, ==, "AC4903");
  /* Disagreement lowers the vote's confidence in that character. */
  g_assert_cmpfloat (vote.character_confidence[0], >, vote.character_confidence[1]);
  g_assert_cmpuint (vote.n_characters, ==, 6);
}

static void
test_vote_takes_the_supported_length (void)
{
  NigranPlateReading readings[3];
  NigranPlateReading vote;

  readings[0] = observe (0, "C 4903", 0.95f, -1, 0).reading;      /* the first letter lost at the edge */
  readings[1] = observe (0, "AC 4903", 0.8f, -1, 0).reading;
  readings[2] = observe (0, "AC 4903", 0.7f, -1, 0).reading;
  nigran_plate_vote (readings, 3, &vote);
  g_assert_cmpstr (vote.text, ==, "AC 4903");
}

static void
test_one_read_per_pass (void)
{
  g_autoptr(NigranPlateTracker) tracker = nigran_plate_tracker_new (1500 * G_TIME_SPAN_MILLISECOND);
  const char *frames[] = { "AC 4903", "AC 4908", "AC 4903", "AC 4903", "AC 4903" };
  guint n_decided = 0, track_id = 0;
  gint64 t = 1000000;

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++, t += FRAME_US)
    {
      NigranPlateObservation observation = observe (100 + 100 * i, frames[i], 0.8f, -1, 0);
      g_autofree NigranPlateTrackUpdate *updates = nigran_plate_tracker_update (tracker, "cam", t, &observation, 1);

      if (i == 0)
        track_id = updates[0].track_id;
      g_assert_cmpuint (updates[0].track_id, ==, track_id);
      g_assert_cmpuint (updates[0].n_frames, ==, i + 1);
      if (updates[0].decided)
        {
          n_decided++;
          g_assert_cmpstr (updates[0].vote.plate.registration, ==, "AC4903");
        }
    }
  g_assert_cmpuint (n_decided, ==, 1);

  /* Gone: the pass ends without a second report; the next car is a new track. */
  {
    g_autoptr(GArray) ended = nigran_plate_tracker_end_passes (tracker, "cam", t + 2 * G_USEC_PER_SEC);
    NigranPlateObservation observation = observe (100, "BKR 417", 0.8f, -1, 0);
    g_autofree NigranPlateTrackUpdate *updates = NULL;

    g_assert_cmpuint (ended->len, ==, 0);
    g_assert_cmpuint (nigran_plate_tracker_get_n_tracks (tracker), ==, 0);
    updates = nigran_plate_tracker_update (tracker, "cam", t + 2 * G_USEC_PER_SEC, &observation, 1);
    g_assert_cmpuint (updates[0].track_id, !=, track_id);
    g_assert_false (updates[0].decided);
  }
}

static void
test_unsettled_pass_reported_at_its_end (void)
{
  g_autoptr(NigranPlateTracker) tracker = nigran_plate_tracker_new (1500 * G_TIME_SPAN_MILLISECOND);
  /* A fancy plate fits no grammar: three frames to settle, and only two were seen. */
  NigranPlateObservation first = observe (100, "BOSS 1", 0.9f, -1, 0);
  NigranPlateObservation second = observe (200, "BOSS 1", 0.9f, -1, 0);
  g_autofree NigranPlateTrackUpdate *u1 = nigran_plate_tracker_update (tracker, "cam", 0, &first, 1);
  g_autofree NigranPlateTrackUpdate *u2 = nigran_plate_tracker_update (tracker, "cam", FRAME_US, &second, 1);
  g_autoptr(GArray) still = nigran_plate_tracker_end_passes (tracker, "cam", 2 * FRAME_US);
  g_autoptr(GArray) ended = NULL;

  g_assert_false (u1[0].decided);
  g_assert_false (u2[0].decided);
  g_assert_cmpuint (still->len, ==, 0);
  ended = nigran_plate_tracker_end_passes (tracker, "cam", 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (ended->len, ==, 1);
  g_assert_true (g_array_index (ended, NigranPlateTrackUpdate, 0).decided);
  g_assert_cmpstr (g_array_index (ended, NigranPlateTrackUpdate, 0).vote.text, ==, "BOSS 1");
  g_assert_false (g_array_index (ended, NigranPlateTrackUpdate, 0).vote.standard);
}

static void
test_two_cars_in_one_frame (void)
{
  g_autoptr(NigranPlateTracker) tracker = nigran_plate_tracker_new (1500 * G_TIME_SPAN_MILLISECOND);
  guint ids[2] = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      NigranPlateObservation observations[2] = {
        observe (100 + 60 * i, "AC 4903", 0.8f, -1, 0),
        observe (900 - 60 * i, "BKR 417", 0.8f, -1, 0),
      };
      g_autofree NigranPlateTrackUpdate *updates =
        nigran_plate_tracker_update (tracker, "cam", i * FRAME_US, observations, 2);

      if (i == 0)
        {
          ids[0] = updates[0].track_id;
          ids[1] = updates[1].track_id;
          g_assert_cmpuint (ids[0], !=, ids[1]);
        }
      g_assert_cmpuint (updates[0].track_id, ==, ids[0]);
      g_assert_cmpuint (updates[1].track_id, ==, ids[1]);
      if (updates[1].decided)
        g_assert_cmpstr (updates[1].vote.plate.registration, ==, "BKR417");
    }
  /* Another camera's plates are tracks of their own. */
  {
    NigranPlateObservation observation = observe (100, "AC 4903", 0.8f, -1, 0);
    g_autofree NigranPlateTrackUpdate *updates = nigran_plate_tracker_update (tracker, "other", 0, &observation, 1);

    g_assert_cmpuint (updates[0].track_id, !=, ids[0]);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plate-tracker/vote/misread", test_vote_outvotes_a_misread);
  g_test_add_func ("/plate-tracker/vote/length", test_vote_takes_the_supported_length);
  g_test_add_func ("/plate-tracker/one-read-per-pass", test_one_read_per_pass);
  g_test_add_func ("/plate-tracker/unsettled-pass", test_unsettled_pass_reported_at_its_end);
  g_test_add_func ("/plate-tracker/two-cars", test_two_cars_in_one_frame);
  return g_test_run ();
}
