/* test-tracks.c: sightings joined into tracks, and kept apart when they should be
 *
 * Sightings are scripted as the events the watches record, timed by a virtual clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "core/nigran-clock.h"
#include "core/nigran-event-private.h"
#include "core/nigran-tracks.h"

#define START_US (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)
#define EMBEDDING_SIZE 128

static NigranEvent *
stamped (NigranEvent *event,
         NigranClock *clock,
         const char  *actor)
{
  _nigran_event_stamp (event, nigran_clock_get_now_us (clock), "test", actor);
  return event;
}

static NigranTrack *
read_plate (NigranTracks *tracks,
            NigranClock  *clock,
            const char   *registration,
            const char   *camera_id,
            char        **event_id)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *camera = g_strconcat ("camera:", camera_id, NULL);
  g_autoptr(NigranEvent) event = NULL;

  json_object_set_string_member (payload, "text", registration);
  json_object_set_string_member (payload, "registration", registration);
  json_object_set_int_member (payload, "captured_us", nigran_clock_get_now_us (clock));
  event = stamped (nigran_event_new ("plate.read", (const char * const[]) { camera, NULL }, payload), clock, "system");
  if (event_id != NULL)
    *event_id = g_strdup (nigran_event_get_uuid (event));
  return nigran_tracks_apply (tracks, event);
}

static NigranTrack *
match_face (NigranTracks *tracks,
            NigranClock  *clock,
            const char   *name,
            const char   *camera_id)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *camera = g_strconcat ("camera:", camera_id, NULL);
  g_autoptr(NigranEvent) event = NULL;

  json_object_set_string_member (payload, "kind", "face.match");
  json_object_set_string_member (payload, "matched", name);
  json_object_set_string_member (payload, "watchlist", "wanted");
  json_object_set_int_member (payload, "captured_us", nigran_clock_get_now_us (clock));
  event = stamped (nigran_event_new ("alert.raised", (const char * const[]) { "alert:x", camera, NULL }, payload),
                   clock, "system");
  return nigran_tracks_apply (tracks, event);
}

/* A person's face: a fixed direction of their own, seen with some noise. */
static NigranTrack *
see_face (NigranTracks *tracks,
          NigranClock  *clock,
          guint         person,
          GRand        *noise,
          const char   *camera_id,
          char        **event_id)
{
  float embedding[EMBEDDING_SIZE];
  g_autoptr(NigranEvent) event = NULL;

  for (guint i = 0; i < EMBEDDING_SIZE; i++)
    embedding[i] = (i % 4 == person ? 1.0f : 0.0f) + (float) g_rand_double_range (noise, -0.15, 0.15);
  event = stamped (nigran_tracks_face_seen_event_new (camera_id, nigran_clock_get_now_us (clock),
                                                      embedding, EMBEDDING_SIZE, NULL), clock, "system");
  if (event_id != NULL)
    *event_id = g_strdup (nigran_event_get_uuid (event));
  return nigran_tracks_apply (tracks, event);
}

static void
test_plate_track (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  const char *cameras[] = { "ftc", "nursery", "karsaz" };
  NigranTrack *track = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cameras); i++)
    {
      NigranTrack *changed = read_plate (tracks, clock, "AC4903", cameras[i], NULL);

      g_assert_nonnull (changed);
      g_assert_true (track == NULL || changed == track);
      track = changed;
      nigran_clock_advance (clock, 4 * G_TIME_SPAN_MINUTE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 1);
  g_assert_cmpuint (nigran_track_get_n_sightings (track), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const NigranTrackSighting *sighting = nigran_track_get_sighting (track, i);

      g_assert_cmpstr (sighting->camera_id, ==, cameras[i]);
      g_assert_cmpint (sighting->link_source, ==, i == 0 ? NIGRAN_TRACK_LINK_START : NIGRAN_TRACK_LINK_PLATE);
      g_assert_null (sighting->confirmed_by);
    }
  g_assert_cmpstr (nigran_track_get_label (track), ==, "AC4903");
}

/* Two cars that drive together past the same cameras are two tracks. */
static void
test_two_plates_same_cameras (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  const char *cameras[] = { "ftc", "nursery", "karsaz", "drigh" };
  NigranTrack *first = NULL, *second = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cameras); i++)
    {
      first = read_plate (tracks, clock, "AC4903", cameras[i], NULL);
      nigran_clock_advance (clock, 10 * G_TIME_SPAN_SECOND);
      second = read_plate (tracks, clock, "AC4908", cameras[i], NULL);
      nigran_clock_advance (clock, 3 * G_TIME_SPAN_MINUTE);
    }
  g_assert_true (first != second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 2);
  g_assert_cmpuint (nigran_track_get_n_sightings (first), ==, 4);
  g_assert_cmpuint (nigran_track_get_n_sightings (second), ==, 4);
}

static void
test_gap_and_stay (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  NigranTrack *morning, *again, *afternoon;

  morning = read_plate (tracks, clock, "LEB6466", "ftc", NULL);
  nigran_clock_advance (clock, 30 * G_TIME_SPAN_SECOND);
  again = read_plate (tracks, clock, "LEB6466", "ftc", NULL);
  g_assert_true (again == morning);
  g_assert_cmpuint (nigran_track_get_n_sightings (morning), ==, 1);
  g_assert_cmpint (nigran_track_get_last_sighting (morning)->last_time_us, ==, nigran_clock_get_now_us (clock));

  nigran_clock_advance (clock, NIGRAN_TRACKS_DEFAULT_GAP_US + G_TIME_SPAN_MINUTE);
  afternoon = read_plate (tracks, clock, "LEB6466", "nursery", NULL);
  g_assert_true (afternoon != morning);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 2);
  g_assert_cmpuint (nigran_tracks_get_n_sightings (tracks), ==, 2);
}

static void
test_identity_tracks (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  NigranTrack *ali = NULL, *bilal = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *camera = g_strdup_printf ("gate-%u", i);

      ali = match_face (tracks, clock, "Ali", camera);
      bilal = match_face (tracks, clock, "Bilal", camera);
      nigran_clock_advance (clock, 5 * G_TIME_SPAN_MINUTE);
    }
  g_assert_true (ali != bilal);
  g_assert_cmpuint (nigran_track_get_n_sightings (ali), ==, 3);
  g_assert_cmpint (nigran_track_get_sighting (ali, 2)->link_source, ==, NIGRAN_TRACK_LINK_IDENTITY);
  g_assert_cmpstr (nigran_track_get_label (bilal), ==, "Bilal");
}

/* Two unknown people who pass the same cameras a few seconds apart. */
static void
test_unknown_faces_by_likeness (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  g_autoptr(GRand) noise = g_rand_new_with_seed (7);
  NigranTrack *first = NULL, *second = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *camera = g_strdup_printf ("street-%u", i);

      first = see_face (tracks, clock, 0, noise, camera, NULL);
      nigran_clock_advance (clock, 5 * G_TIME_SPAN_SECOND);
      second = see_face (tracks, clock, 1, noise, camera, NULL);
      nigran_clock_advance (clock, 3 * G_TIME_SPAN_MINUTE);
    }
  g_assert_true (first != second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 2);
  for (guint i = 1; i < 4; i++)
    {
      const NigranTrackSighting *sighting = nigran_track_get_sighting (first, i);

      g_assert_cmpint (sighting->link_source, ==, NIGRAN_TRACK_LINK_FACE_SIMILARITY);
      g_assert_cmpfloat (sighting->link_score, >=, NIGRAN_TRACKS_DEFAULT_FACE_SIMILARITY);
      g_assert_cmpfloat (sighting->link_score, <=, 1.0 + 1e-6);
    }

  /* Likeness counts within the gap only. */
  nigran_clock_advance (clock, 2 * NIGRAN_TRACKS_DEFAULT_GAP_US);
  g_assert_true (see_face (tracks, clock, 0, noise, "street-0", NULL) != first);
}

/* A driver's face joins the car's plate only by an operator's confirmed link. */
static void
test_plate_to_face_needs_confirmation (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  g_autoptr(GRand) noise = g_rand_new_with_seed (11);
  g_autofree char *plate_id = NULL, *face_id = NULL;
  g_autoptr(NigranEvent) proposal = NULL, confirmed = NULL;
  NigranTrack *car, *driver, *joined;
  const NigranTrackSighting *face;

  car = read_plate (tracks, clock, "BKR417", "karsaz", &plate_id);
  nigran_clock_advance (clock, 20 * G_TIME_SPAN_SECOND);
  driver = see_face (tracks, clock, 2, noise, "karsaz", &face_id);
  g_assert_true (car != driver);

  proposal = stamped (nigran_tracks_link_event_new (plate_id, face_id, FALSE), clock, "sam");
  g_assert_null (nigran_tracks_apply (tracks, proposal));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 2);

  confirmed = stamped (nigran_tracks_link_event_new (plate_id, face_id, TRUE), clock, "sam");
  joined = nigran_tracks_apply (tracks, confirmed);
  g_assert_true (joined == car);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tracks)), ==, 1);
  g_assert_cmpuint (nigran_track_get_n_sightings (car), ==, 2);
  g_assert_true (nigran_track_has_kind (car, NIGRAN_SIGHTING_FACE));
  face = nigran_track_get_sighting (car, 1);
  g_assert_cmpint (face->link_source, ==, NIGRAN_TRACK_LINK_MANUAL);
  g_assert_cmpstr (face->confirmed_by, ==, "sam");
  g_assert_true (nigran_tracks_find_by_sighting (tracks, face_id) == car);

  /* The driver seen again joins the car's track by likeness. */
  nigran_clock_advance (clock, 5 * G_TIME_SPAN_MINUTE);
  g_assert_true (see_face (tracks, clock, 2, noise, "drigh", NULL) == car);
}

static void
count_changes (GListModel *model G_GNUC_UNUSED,
               guint       position G_GNUC_UNUSED,
               guint       removed,
               guint       added,
               guint      *changes)
{
  *changes += removed + added;
}

static void
test_model_announces_changes (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranTracks) tracks = nigran_tracks_new ();
  guint changes = 0;

  g_signal_connect (tracks, "items-changed", G_CALLBACK (count_changes), &changes);
  read_plate (tracks, clock, "AC4903", "ftc", NULL);
  g_assert_cmpuint (changes, ==, 1);
  nigran_clock_advance (clock, 5 * G_TIME_SPAN_MINUTE);
  read_plate (tracks, clock, "AC4903", "nursery", NULL);
  g_assert_cmpuint (changes, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tracks/plate", test_plate_track);
  g_test_add_func ("/tracks/two-plates-same-cameras", test_two_plates_same_cameras);
  g_test_add_func ("/tracks/gap-and-stay", test_gap_and_stay);
  g_test_add_func ("/tracks/identity", test_identity_tracks);
  g_test_add_func ("/tracks/unknown-faces", test_unknown_faces_by_likeness);
  g_test_add_func ("/tracks/plate-to-face", test_plate_to_face_needs_confirmation);
  g_test_add_func ("/tracks/model", test_model_announces_changes);
  return g_test_run ();
}
