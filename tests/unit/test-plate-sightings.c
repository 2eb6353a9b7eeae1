/* test-plate-sightings.c: cloned plates, found by travel no car could make
 *
 * Sightings are timed by a virtual clock, advanced as the scenario says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-clock.h"
#include "core/nigran-plate-sightings.h"

/* Demo-site cameras: Karsaz and the airport's departures kerb are 8.6 km apart;
 * Drigh Road is 3 km from Karsaz. */
#define KARSAZ_LAT    24.8736
#define KARSAZ_LON    67.0912
#define AIRPORT_LAT   24.9008
#define AIRPORT_LON   67.1681
#define DRIGH_LAT     24.8791
#define DRIGH_LON     67.1197

#define START_US (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)

static NigranPlateSighting *
sight (NigranPlateSightings *sightings,
       NigranClock          *clock,
       const char           *registration,
       const char           *camera_id,
       double                latitude,
       double                longitude)
{
  NigranPlateSighting sighting = {
    .registration = (char *)registration,
    .text = (char *)registration,
    .camera_id = (char *)camera_id,
    .latitude = latitude,
    .longitude = longitude,
    .time_us = nigran_clock_get_now_us (clock),
  };

  return nigran_plate_sightings_add (sightings, &sighting);
}

static void
test_distance (void)
{
  double km = nigran_geo_distance_m (KARSAZ_LAT, KARSAZ_LON, AIRPORT_LAT, AIRPORT_LON) / 1000;

  g_assert_cmpfloat (km, >, 8.0);
  g_assert_cmpfloat (km, <, 8.9);
  g_assert_cmpfloat (nigran_geo_distance_m (24.0, 67.0, 24.0, 67.0), ==, 0.0);
}

static void
test_impossible_travel (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranPlateSightings) sightings = nigran_plate_sightings_new ();
  g_autoptr(NigranPlateSighting) clone = NULL;

  g_assert_null (sight (sightings, clock, "AC4903", "karsaz", KARSAZ_LAT, KARSAZ_LON));
  /* 8.6 km in 2 minutes: 258 km/h. */
  nigran_clock_advance (clock, 2 * G_TIME_SPAN_MINUTE);
  clone = sight (sightings, clock, "AC4903", "airport", AIRPORT_LAT, AIRPORT_LON);
  g_assert_nonnull (clone);
  g_assert_cmpstr (clone->camera_id, ==, "karsaz");
  g_assert_cmpint (clone->time_us, ==, nigran_clock_get_now_us (clock) - 2 * G_TIME_SPAN_MINUTE);
}

static void
test_possible_travel (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranPlateSightings) sightings = nigran_plate_sightings_new ();

  g_assert_null (sight (sightings, clock, "BKR417", "karsaz", KARSAZ_LAT, KARSAZ_LON));
  /* 8.6 km in 6 minutes: 86 km/h, a fast but possible drive. */
  nigran_clock_advance (clock, 6 * G_TIME_SPAN_MINUTE);
  g_assert_null (sight (sightings, clock, "BKR417", "airport", AIRPORT_LAT, AIRPORT_LON));
  /* The same camera twice is a car passing twice, not two cars. */
  g_assert_null (sight (sightings, clock, "BKR417", "airport", AIRPORT_LAT, AIRPORT_LON));
  /* Another registration at the same time is another car. */
  g_assert_null (sight (sightings, clock, "LEB6466", "karsaz", KARSAZ_LAT, KARSAZ_LON));

  /* A slower top speed makes the same drive impossible: 3 km in 2 minutes is 90 km/h. */
  nigran_plate_sightings_set_top_speed (sightings, 60);
  g_assert_null (sight (sightings, clock, "IDA1234", "karsaz", KARSAZ_LAT, KARSAZ_LON));
  nigran_clock_advance (clock, 2 * G_TIME_SPAN_MINUTE);
  {
    g_autoptr(NigranPlateSighting) clone = sight (sightings, clock, "IDA1234", "drigh", DRIGH_LAT, DRIGH_LON);

    g_assert_nonnull (clone);
  }
}

static void
test_nearby_cameras_are_one_place (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranPlateSightings) sightings = nigran_plate_sightings_new ();

  /* Two cameras of one junction, 100 m apart, a second apart. */
  g_assert_null (sight (sightings, clock, "AC4903", "north", KARSAZ_LAT, KARSAZ_LON));
  nigran_clock_advance (clock, G_USEC_PER_SEC);
  g_assert_null (sight (sightings, clock, "AC4903", "south", KARSAZ_LAT - 0.0009, KARSAZ_LON));
}

static void
test_window (void)
{
  g_autoptr(NigranClock) clock = nigran_clock_new_virtual (START_US);
  g_autoptr(NigranPlateSightings) sightings = nigran_plate_sightings_new ();

  nigran_plate_sightings_set_window (sightings, G_TIME_SPAN_HOUR);
  g_assert_null (sight (sightings, clock, "AC4903", "karsaz", KARSAZ_LAT, KARSAZ_LON));
  nigran_clock_advance (clock, 30 * G_TIME_SPAN_MINUTE);
  g_assert_null (sight (sightings, clock, "BKR417", "karsaz", KARSAZ_LAT, KARSAZ_LON));
  g_assert_cmpuint (nigran_plate_sightings_get_size (sightings), ==, 2);
  nigran_clock_advance (clock, 45 * G_TIME_SPAN_MINUTE);
  g_assert_null (sight (sightings, clock, "LEB6466", "karsaz", KARSAZ_LAT, KARSAZ_LON));
  /* The first is older than the window: forgotten, so it cannot clone anything. */
  g_assert_cmpuint (nigran_plate_sightings_get_size (sightings), ==, 2);
  g_assert_null (sight (sightings, clock, "AC4903", "airport", AIRPORT_LAT, AIRPORT_LON));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plate-sightings/distance", test_distance);
  g_test_add_func ("/plate-sightings/impossible-travel", test_impossible_travel);
  g_test_add_func ("/plate-sightings/possible-travel", test_possible_travel);
  g_test_add_func ("/plate-sightings/one-place", test_nearby_cameras_are_one_place);
  g_test_add_func ("/plate-sightings/window", test_window);
  return g_test_run ();
}
