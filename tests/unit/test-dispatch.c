/* test-dispatch.c: units ranked by road travel time, incidents and their response times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/nigran-csv.h"
#include "core/nigran-event-private.h"
#include "core/nigran-fleet-simulator.h"
#include "core/nigran-incidents.h"
#include "core/nigran-plate-sightings.h"
#include "core/nigran-road-graph.h"
#include "core/nigran-site-file.h"
#include "core/nigran-units.h"
#include "test-utils.h"

#define T0_US (G_GINT64_CONSTANT (1790000000) * G_TIME_SPAN_SECOND)

static NigranEvent *
at (NigranEvent *event,
    gint64       time_us)
{
  _nigran_event_stamp (event, time_us, "test", "sam");
  return event;
}

static NigranUnits *
units_new (const char * const *call_signs,
           const double       *positions,
           NigranUnitKind      kind)
{
  g_autoptr(GListStore) registered = g_list_store_new (NIGRAN_TYPE_UNIT);

  for (guint i = 0; call_signs[i] != NULL; i++)
    {
      g_autoptr(NigranUnit) unit = nigran_unit_new (call_signs[i], kind, positions[2 * i], positions[2 * i + 1]);
      g_list_store_append (registered, unit);
    }
  return nigran_units_new (G_LIST_MODEL (registered));
}

static const NigranUnitRoute *
route_of (GPtrArray  *routes,
          const char *call_sign)
{
  for (guint i = 0; i < routes->len; i++)
    {
      const NigranUnitRoute *route = routes->pdata[i];

      if (g_str_equal (nigran_unit_get_call_sign (route->unit), call_sign))
        return route;
    }
  return NULL;
}

/* On Landhi Road (points of its OpenStreetMap way 1.1, 3.1 and 5.0 km from its western
 * end), with one unit in the sea and one off duty. */
static void
test_rank_by_road (void)
{
  static const char * const call_signs[] = { "west", "east", "far-east", "boat", "resting", NULL };
  static const double positions[] = {
    24.8213892, 67.1294607,  /* Landhi Road, 1.94 km by road from the incident */
    24.829319, 67.1670643,   /* 3.1 km further east */
    24.8400, 67.2000,        /* farther east still */
    24.70, 67.30,            /* in the sea off Port Qasim: no road */
    24.8251, 67.1483,        /* at the incident, but off duty */
  };
  g_autoptr(NigranGeoLayer) layer = test_load_east_karachi_roads ();
  g_autoptr(NigranRoadGraph) roads = NULL;
  g_autoptr(NigranUnits) units = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(NigranEvent) off_duty = NULL;
  const NigranUnitRoute *west, *east, *boat;
  double incident_latitude = 24.825103, incident_longitude = 67.1482448;

  if (layer == NULL)
    return;
  roads = nigran_road_graph_new (layer);
  units = units_new (call_signs, positions, NIGRAN_UNIT_PATROL_CAR);
  off_duty = at (nigran_units_status_event_new ("resting", NIGRAN_UNIT_OFF_DUTY, NULL), T0_US);
  g_assert_true (nigran_units_apply (units, off_duty));

  routes = nigran_units_rank (units, roads, incident_latitude, incident_longitude);
  g_assert_cmpuint (routes->len, ==, 4);
  g_assert_null (route_of (routes, "resting"));
  west = route_of (routes, "west");
  east = route_of (routes, "east");
  boat = route_of (routes, "boat");

  g_assert_true (west->by_road);
  g_assert_true (east->by_road);
  g_assert_cmpfloat_with_epsilon (west->distance_m, 1940, 150);
  /* A road is never shorter than the straight line. */
  for (guint i = 0; i < routes->len; i++)
    {
      const NigranUnitRoute *route = routes->pdata[i];
      double straight_m = nigran_geo_distance_m (incident_latitude, incident_longitude,
                                                 nigran_unit_get_latitude (route->unit),
                                                 nigran_unit_get_longitude (route->unit));

      g_assert_cmpfloat (route->distance_m, >=, straight_m - 1);
      g_test_message ("%s: %.0f m %s, %.0f s", nigran_unit_get_call_sign (route->unit), route->distance_m,
                      route->by_road ? "by road" : "straight", route->travel_s);
      /* Quickest first, and for units of one kind the shorter way is the quicker. */
      if (i > 0)
        {
          const NigranUnitRoute *previous = routes->pdata[i - 1];

          g_assert_cmpfloat (previous->travel_s, <=, route->travel_s);
          g_assert_cmpfloat (previous->distance_m, <=, route->distance_m);
        }
    }
  g_assert_true (route_of (routes, "west") == routes->pdata[0]);
  /* At 35 km/h, 1.94 km takes about 200 s. */
  g_assert_cmpfloat_with_epsilon (west->travel_s, west->distance_m / (35 / 3.6), 1);
  /* Off the roads: a straight line at the same average speed. */
  g_assert_false (boat->by_road);
  g_assert_cmpfloat_with_epsilon (boat->distance_m,
                                  nigran_geo_distance_m (incident_latitude, incident_longitude, 24.70, 67.30), 1);
  g_assert_true (route_of (routes, "boat") == routes->pdata[routes->len - 1]);
}

typedef struct
{
  gint64 en_route_us;
  gint64 on_scene_us;
  gint64 cleared_us;
  gint64 available_us;
  guint  n_positions;
  double longest_jump_m;
  double farthest_from_road_m;
} FleetLog;

/* Steps the demo fleet every two seconds until @until_us, feeding its events back to the
 * projections as the log would. */
static void
run_fleet (NigranFleetSimulator *fleet,
           NigranUnits          *units,
           NigranIncidents      *incidents,
           NigranRoadGraph      *roads,
           gint64                from_us,
           gint64                until_us,
           FleetLog             *log)
{
  for (gint64 now_us = from_us; now_us <= until_us; now_us += 2 * G_USEC_PER_SEC)
    {
      g_autoptr(GPtrArray) events = nigran_fleet_simulator_step (fleet, now_us);

      for (guint i = 0; i < events->len; i++)
        {
          NigranEvent *event = at (events->pdata[i], now_us);
          const char *type = nigran_event_get_event_type (event);
          JsonObject *payload = nigran_event_get_payload (event);
          NigranUnit *unit = nigran_units_lookup (units, nigran_event_find_subject (event, "unit"));

          if (g_str_equal (type, "unit.position"))
            {
              double latitude = json_object_get_double_member (payload, "latitude");
              double longitude = json_object_get_double_member (payload, "longitude");
              double off_road_m = 0;

              log->longest_jump_m = MAX (log->longest_jump_m,
                                         nigran_geo_distance_m (nigran_unit_get_latitude (unit),
                                                                nigran_unit_get_longitude (unit), latitude, longitude));
              if (roads != NULL && nigran_road_graph_nearest_point (roads, latitude, longitude, 5000, &off_road_m) >= 0)
                log->farthest_from_road_m = MAX (log->farthest_from_road_m, off_road_m);
              log->n_positions++;
            }
          else if (g_str_equal (type, "incident.cleared"))
            log->cleared_us = now_us;
          else if (g_str_equal (type, "unit.status"))
            {
              const char *status = json_object_get_string_member (payload, "status");

              if (g_str_equal (status, "en-route"))
                log->en_route_us = now_us;
              else if (g_str_equal (status, "on-scene"))
                log->on_scene_us = now_us;
              else if (g_str_equal (status, "available"))
                log->available_us = now_us;
            }
          nigran_units_apply (units, event);
          nigran_incidents_apply (incidents, event);
        }
    }
}

static NigranIncidents *
incident_dispatched_to (NigranUnits     *units,
                        NigranRoadGraph *roads,
                        double           latitude,
                        double           longitude,
                        double          *travel_s)
{
  NigranIncidents *incidents = nigran_incidents_new ();
  NigranIncidentSpec spec = { .id = "call-1", .type = "SUSP", .title = "Suspicious person", .priority = 2,
                              .source = "manual", .latitude = latitude, .longitude = longitude };
  g_autoptr(NigranEvent) opened = at (nigran_incidents_opened_event_new (&spec), T0_US);
  g_autoptr(GPtrArray) routes = nigran_units_rank (units, roads, latitude, longitude);
  g_autoptr(JsonObject) packet = json_object_new ();
  g_autoptr(NigranEvent) dispatched = NULL;

  g_assert_cmpuint (routes->len, >, 0);
  dispatched = at (nigran_incidents_dispatched_event_new ("call-1", routes->pdata[0], packet), T0_US);
  nigran_incidents_apply (incidents, opened);
  nigran_incidents_apply (incidents, dispatched);
  nigran_units_apply (units, dispatched);
  *travel_s = ((NigranUnitRoute *) routes->pdata[0])->travel_s;
  return incidents;
}

/* The demo's unit acknowledges, drives the roads to the incident in about the time the
 * ranking promised, clears after its time on scene and drives back to its base. */
static void
test_fleet_on_roads (void)
{
  static const char * const call_signs[] = { "west", NULL };
  static const double positions[] = { 24.8213892, 67.1294607 };
  g_autoptr(NigranGeoLayer) layer = test_load_east_karachi_roads ();
  g_autoptr(NigranRoadGraph) roads = NULL;
  g_autoptr(NigranUnits) units = NULL;
  g_autoptr(NigranIncidents) incidents = NULL;
  g_autoptr(NigranFleetSimulator) fleet = NULL;
  NigranUnit *unit;
  FleetLog log = { 0 };
  double travel_s, driven_s;
  double incident_latitude = 24.825103, incident_longitude = 67.1482448;

  if (layer == NULL)
    return;
  roads = nigran_road_graph_new (layer);
  units = units_new (call_signs, positions, NIGRAN_UNIT_PATROL_CAR);
  incidents = incident_dispatched_to (units, roads, incident_latitude, incident_longitude, &travel_s);
  fleet = nigran_fleet_simulator_new (units, incidents, roads, 7);
  unit = nigran_units_lookup (units, "west");

  run_fleet (fleet, units, incidents, roads, T0_US, T0_US + 30 * G_TIME_SPAN_MINUTE, &log);

  g_assert_cmpint (log.en_route_us - T0_US, ==, NIGRAN_FLEET_ACKNOWLEDGE_US);
  driven_s = (log.on_scene_us - log.en_route_us) / (double) G_USEC_PER_SEC;
  g_test_message ("ranked %.0f s away, drove %.0f s, %u positions, longest jump %.0f m, %.0f m off the road at most",
                  travel_s, driven_s, log.n_positions, log.longest_jump_m, log.farthest_from_road_m);
  g_assert_cmpfloat (fabs (driven_s - travel_s), <, 0.1 * travel_s);
  /* Positions every five seconds or so at 35 km/h: no jumps, and along the streets. */
  g_assert_cmpfloat (log.longest_jump_m, <, 35 / 3.6 * 8);
  g_assert_cmpfloat (log.farthest_from_road_m, <, 150);
  g_assert_cmpint (nigran_incident_get_state (nigran_incidents_lookup (incidents, "call-1")), ==,
                   NIGRAN_INCIDENT_CLEARED);
  g_assert_cmpint (log.cleared_us - log.on_scene_us, >=, NIGRAN_FLEET_ON_SCENE_US);
  g_assert_cmpint (log.cleared_us - log.on_scene_us, <=, NIGRAN_FLEET_ON_SCENE_US + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (log.available_us, >, log.cleared_us);
  g_assert_cmpfloat (nigran_geo_distance_m (nigran_unit_get_latitude (unit), nigran_unit_get_longitude (unit),
                                            positions[0], positions[1]), <, 150);
  /* Free again, it patrols near its base. */
  g_assert_cmpint (nigran_unit_get_status (unit), ==, NIGRAN_UNIT_AVAILABLE);
  log.n_positions = 0;
  run_fleet (fleet, units, incidents, roads, T0_US + 31 * G_TIME_SPAN_MINUTE, T0_US + 41 * G_TIME_SPAN_MINUTE, &log);
  g_assert_cmpuint (log.n_positions, >, 20);
  g_assert_cmpfloat (nigran_geo_distance_m (nigran_unit_get_latitude (unit), nigran_unit_get_longitude (unit),
                                            positions[0], positions[1]), <, 2500);
  g_assert_cmpfloat (log.farthest_from_road_m, <, 150);
}

/* Without road data the unit drives straight, at its kind's average speed. */
static void
test_fleet_without_roads (void)
{
  static const char * const call_signs[] = { "rider", "resting", NULL };
  static const double positions[] = { 24.86, 67.01, 24.80, 67.01 };
  g_autoptr(NigranUnits) units = units_new (call_signs, positions, NIGRAN_UNIT_MOTORCYCLE);
  g_autoptr(NigranIncidents) incidents = NULL;
  g_autoptr(NigranFleetSimulator) fleet = NULL;
  g_autoptr(NigranEvent) off_duty = at (nigran_units_status_event_new ("resting", NIGRAN_UNIT_OFF_DUTY, NULL), T0_US);
  NigranUnit *resting = nigran_units_lookup (units, "resting");
  FleetLog log = { 0 };
  double travel_s, driven_s;

  nigran_units_apply (units, off_duty);
  incidents = incident_dispatched_to (units, NULL, 24.87, 67.02, &travel_s);
  fleet = nigran_fleet_simulator_new (units, incidents, NULL, 7);
  run_fleet (fleet, units, incidents, NULL, T0_US, T0_US + 10 * G_TIME_SPAN_MINUTE, &log);
  driven_s = (log.on_scene_us - log.en_route_us) / (double) G_USEC_PER_SEC;
  g_assert_cmpint (log.on_scene_us, >, 0);
  g_assert_cmpfloat (fabs (driven_s - travel_s), <=, 2);
  /* An off-duty unit stays put. */
  g_assert_cmpint (nigran_unit_get_position_us (resting), ==, 0);
  g_assert_cmpfloat (nigran_unit_get_latitude (resting), ==, 24.80);
}

/* With no road data at all, every unit is ranked in a straight line. */
static void
test_rank_without_roads (void)
{
  static const char * const call_signs[] = { "near", "far", NULL };
  static const double positions[] = { 24.86, 67.01, 24.90, 67.16 };
  g_autoptr(NigranUnits) units = units_new (call_signs, positions, NIGRAN_UNIT_MOTORCYCLE);
  g_autoptr(GPtrArray) routes = nigran_units_rank (units, NULL, 24.8515, 67.0279);

  g_assert_cmpuint (routes->len, ==, 2);
  g_assert_cmpstr (nigran_unit_get_call_sign (((NigranUnitRoute *) routes->pdata[0])->unit), ==, "near");
  g_assert_false (((NigranUnitRoute *) routes->pdata[0])->by_road);
  g_assert_cmpfloat (((NigranUnitRoute *) routes->pdata[0])->travel_s, <, ((NigranUnitRoute *) routes->pdata[1])->travel_s);
}

/* 110 units spread over east Karachi (where the road data is), ranked for incidents across it. */
static void
test_rank_speed (void)
{
  g_autoptr(NigranGeoLayer) layer = test_load_east_karachi_roads ();
  g_autoptr(NigranRoadGraph) roads = NULL;
  g_autoptr(GListStore) registered = g_list_store_new (NIGRAN_TYPE_UNIT);
  g_autoptr(NigranUnits) units = NULL;
  g_autoptr(GRand) random = g_rand_new_with_seed (110);
  g_autoptr(GArray) times_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint by_road = 0, n_points;

  if (layer == NULL)
    return;
  roads = nigran_road_graph_new (layer);
  n_points = nigran_road_graph_get_n_points (roads);
  for (guint i = 0; i < 110; i++)
    {
      g_autofree char *call_sign = g_strdup_printf ("ERV-%03u", i);
      const NigranGeoPoint *on_road = nigran_road_graph_get_point (roads, g_rand_int_range (random, 0, n_points));
      /* Parked up to about 100 m off a road. */
      g_autoptr(NigranUnit) unit = nigran_unit_new (call_sign, NIGRAN_UNIT_RESPONSE_VEHICLE,
                                                    on_road->latitude + g_rand_double_range (random, -0.001, 0.001),
                                                    on_road->longitude + g_rand_double_range (random, -0.001, 0.001));
      g_list_store_append (registered, unit);
    }
  units = nigran_units_new (G_LIST_MODEL (registered));

  for (guint i = 0; i < 20; i++)
    {
      const NigranGeoPoint *place = nigran_road_graph_get_point (roads, g_rand_int_range (random, 0, n_points));
      gint64 start_us = g_get_monotonic_time ();
      g_autoptr(GPtrArray) routes = nigran_units_rank (units, roads, place->latitude, place->longitude);
      gint64 took_us = g_get_monotonic_time () - start_us;

      g_array_append_val (times_us, took_us);
      g_assert_cmpuint (routes->len, ==, 110);
      for (guint r = 0; r < routes->len; r++)
        by_road += ((NigranUnitRoute *) routes->pdata[r])->by_road;
    }
  {
    gint64 worst_us = 0, total_us = 0;

    for (guint i = 0; i < times_us->len; i++)
      {
        worst_us = MAX (worst_us, g_array_index (times_us, gint64, i));
        total_us += g_array_index (times_us, gint64, i);
      }
    g_test_message ("ranking 110 units: mean %.2f ms, worst %.2f ms; %u of %u ways by road",
                    total_us / 1000.0 / times_us->len, worst_us / 1000.0, by_road, 110 * 20);
    /* The target is 10 ms; the sanitizers slow everything several times. */
    g_assert_cmpfloat (total_us / 1000.0 / times_us->len, <, g_getenv ("NIGRAN_SANITIZED") ? 60 : 10);
  }
  /* 97 % of the road points are in one connected network; an incident in one of the
   * small pieces has its units ranked in straight lines. */
  g_assert_cmpuint (by_road, >, 110 * 20 * 8 / 10);
}

static NigranIncident *
open_incident (NigranIncidents *incidents,
               const char      *id,
               const char      *zone_id,
               gint64           time_us)
{
  NigranIncidentSpec spec = { .id = id, .type = "ROBBERY", .title = "Robbery", .priority = 1, .source = "manual",
                              .latitude = 24.85, .longitude = 67.03, .zone_id = zone_id };
  g_autoptr(NigranEvent) event = at (nigran_incidents_opened_event_new (&spec), time_us);

  return nigran_incidents_apply (incidents, event);
}

static void
apply_at (NigranIncidents *incidents,
          NigranUnits     *units,
          NigranEvent     *event,
          gint64           time_us)
{
  g_autoptr(NigranEvent) owned = at (event, time_us);

  nigran_incidents_apply (incidents, owned);
  if (units != NULL)
    nigran_units_apply (units, owned);
}

/* Ten incidents with known times: the response times come out exactly. */
static void
test_response_times_scripted (void)
{
  /* Seconds from the call: dispatched, on scene, cleared; two units of two kinds. */
  static const int script[10][3] = {
    { 20, 300, 900 }, { 35, 400, 1000 }, { 50, 500, 1500 }, { 58, 420, 700 }, { 61, 610, 1200 },
    { 45, 280, 600 }, { 30, 330, 930 }, { 90, 700, 1300 }, { 25, 250, 500 }, { 40, 380, 980 },
  };
  static const char * const call_signs[] = { "ERV-1", NULL };
  static const double positions[] = { 24.85, 67.03 };
  g_autoptr(NigranIncidents) incidents = nigran_incidents_new ();
  g_autoptr(NigranUnits) units = units_new (call_signs, positions, NIGRAN_UNIT_RESPONSE_VEHICLE);
  NigranResponseTimes times;

  for (guint i = 0; i < G_N_ELEMENTS (script); i++)
    {
      g_autofree char *id = g_strdup_printf ("incident-%u", i);
      gint64 call_us = T0_US + i * G_TIME_SPAN_HOUR;
      NigranUnitRoute route = { nigran_units_lookup (units, "ERV-1"), 1000, 90, TRUE };
      NigranIncident *incident = open_incident (incidents, id, i < 5 ? "red-zone" : "airport-corridor", call_us);

      g_assert_nonnull (incident);
      apply_at (incidents, units, nigran_incidents_dispatched_event_new (id, &route, NULL),
                call_us + script[i][0] * G_TIME_SPAN_SECOND);
      g_assert_cmpint (nigran_unit_get_status (route.unit), ==, NIGRAN_UNIT_DISPATCHED);
      g_assert_cmpstr (nigran_unit_get_incident_id (route.unit), ==, id);
      apply_at (incidents, units, nigran_units_status_event_new ("ERV-1", NIGRAN_UNIT_EN_ROUTE, NULL),
                call_us + (script[i][0] + 5) * G_TIME_SPAN_SECOND);
      apply_at (incidents, units, nigran_units_status_event_new ("ERV-1", NIGRAN_UNIT_ON_SCENE, NULL),
                call_us + script[i][1] * G_TIME_SPAN_SECOND);
      g_assert_cmpint (nigran_incident_get_state (incident), ==, NIGRAN_INCIDENT_ON_SCENE);
      apply_at (incidents, units, nigran_incidents_cleared_event_new (id), call_us + script[i][2] * G_TIME_SPAN_SECOND);
      g_assert_cmpint (nigran_unit_get_status (route.unit), ==, NIGRAN_UNIT_RETURNING);
      apply_at (incidents, units, nigran_incidents_closed_event_new (id), call_us + (script[i][2] + 60) * G_TIME_SPAN_SECOND);
      apply_at (incidents, units, nigran_units_status_event_new ("ERV-1", NIGRAN_UNIT_AVAILABLE, NULL),
                call_us + (script[i][2] + 600) * G_TIME_SPAN_SECOND);
      g_assert_cmpint (nigran_incident_get_state (incident), ==, NIGRAN_INCIDENT_CLOSED);
      g_assert_cmpint (nigran_incident_get_time_us (incident, NIGRAN_INCIDENT_EN_ROUTE), ==,
                       call_us + (script[i][0] + 5) * G_TIME_SPAN_SECOND);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (incidents)), ==, 10);

  nigran_incidents_get_response_times (incidents, NULL, NULL, NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  /* To dispatch, sorted: 20 25 30 35 40 45 50 58 61 90 → median (5th) 40, p90 (9th) 61. */
  g_assert_cmpuint (times.to_dispatch.n, ==, 10);
  g_assert_cmpint (times.to_dispatch.median_us, ==, 40 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (times.to_dispatch.p90_us, ==, 61 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (times.dispatched_within_target, ==, 8);
  /* Travel: 280 365 450 362 549 235 300 610 225 340 → sorted 225 235 280 300 340 362 365 450 549 610. */
  g_assert_cmpint (times.travel.median_us, ==, 340 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (times.travel.p90_us, ==, 549 * G_TIME_SPAN_SECOND);
  /* On scene: 600 600 1000 280 590 320 600 600 250 600 → sorted 250 280 320 590 600 … 1000. */
  g_assert_cmpint (times.on_scene.median_us, ==, 600 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (times.on_scene.p90_us, ==, 600 * G_TIME_SPAN_SECOND);
  /* Call to scene: 300 400 500 420 610 280 330 700 250 380 → median 380, p90 610. */
  g_assert_cmpint (times.response.median_us, ==, 380 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (times.response.p90_us, ==, 610 * G_TIME_SPAN_SECOND);

  /* Per zone: the red zone's five are 20 35 50 58 61. */
  nigran_incidents_get_response_times (incidents, "red-zone", NULL, NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  g_assert_cmpuint (times.to_dispatch.n, ==, 5);
  g_assert_cmpint (times.to_dispatch.median_us, ==, 50 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (times.dispatched_within_target, ==, 4);
  /* Per unit kind. */
  nigran_incidents_get_response_times (incidents, NULL, "response-vehicle", NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  g_assert_cmpuint (times.to_dispatch.n, ==, 10);
  nigran_incidents_get_response_times (incidents, NULL, "motorcycle", NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  g_assert_cmpuint (times.to_dispatch.n, ==, 0);
  g_assert_cmpint (times.to_dispatch.median_us, ==, 0);
}

static gint64
parse_seattle_time (const char *text)
{
  int month, day, year, hour, minute, second;
  char half[3] = "";
  g_autoptr(GDateTime) time = NULL;

  if (sscanf (text, "%d/%d/%d %d:%d:%d %2s", &month, &day, &year, &hour, &minute, &second, half) != 7)
    return 0;
  hour = hour % 12 + (g_str_equal (half, "PM") ? 12 : 0);
  time = g_date_time_new_utc (year, month, day, hour, minute, second);
  return time != NULL ? g_date_time_to_unix (time) * G_TIME_SPAN_SECOND : 0;
}

/* 222 real Seattle police calls: call to arrival, as the projection counts it, equals what
 * an independent count (Python's csv and datetime, nearest rank) gives: 186 calls with an
 * arrival, median 1,612 s, 90th percentile 13,983 s; of the 85 911 calls, 941 s and 8,238 s. */
static void
test_response_times_seattle (void)
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  g_autofree char *path = shared != NULL ? g_build_filename (shared, "cad", "seattle-calls",
                                                             "spd_call_data_east_charlie_sample.csv", NULL) : NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranIncidents) incidents = nigran_incidents_new ();
  g_auto(GStrv) lines = NULL;
  NigranResponseTimes times;
  guint records = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/cad/seattle-calls is absent");
      return;
    }
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = NULL;
      gint64 queued_us, arrived_us;
      const char *id, *call_type;

      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      fields = nigran_csv_split_record (lines[i]);
      g_assert_nonnull (fields);
      g_assert_cmpuint (fields->len, ==, 13);
      records++;
      id = fields->pdata[0];
      call_type = fields->pdata[2];
      queued_us = parse_seattle_time (fields->pdata[6]);
      arrived_us = parse_seattle_time (fields->pdata[7]);
      g_assert_cmpint (queued_us, >, 0);
      /* The 911 calls go in a "zone" of their own, to count them apart. */
      g_assert_nonnull (open_incident (incidents, id, g_str_equal (call_type, "911") ? "911" : "other", queued_us));
      if (arrived_us >= queued_us)
        {
          apply_at (incidents, NULL, nigran_units_status_event_new ("SPD", NIGRAN_UNIT_ON_SCENE, id), arrived_us);
        }
    }
  g_assert_cmpuint (records, ==, 222);

  nigran_incidents_get_response_times (incidents, NULL, NULL, NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  g_test_message ("Seattle: %u calls reached, median %" G_GINT64_FORMAT " s, p90 %" G_GINT64_FORMAT " s",
                  times.response.n, times.response.median_us / G_USEC_PER_SEC, times.response.p90_us / G_USEC_PER_SEC);
  g_assert_cmpuint (times.response.n, ==, 186);
  g_assert_cmpint (times.response.median_us, ==, 1612 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (times.response.p90_us, ==, 13983 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (times.to_dispatch.n, ==, 0);

  nigran_incidents_get_response_times (incidents, "911", NULL, NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  g_assert_cmpuint (times.response.n, ==, 85);
  g_assert_cmpint (times.response.median_us, ==, 941 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (times.response.p90_us, ==, 8238 * G_TIME_SPAN_SECOND);
}

/* The console's incident types are APCO's codes, each once, with a priority. */
static void
test_incident_types (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NIGRAN_DATADIR"), "incident-types.tsv", NULL);
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  g_autofree char *apco_path = shared != NULL ? g_build_filename (shared, "cad", "nena-eido-apco",
                                                                  "apco_codes_niem.yaml", NULL) : NULL;
  g_autofree char *contents = NULL;
  g_autofree char *apco = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  types = nigran_incident_types_parse (contents, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (types->len, >=, 40);
  if (apco_path != NULL)
    g_file_get_contents (apco_path, &apco, NULL, NULL);
  for (guint i = 0; i < types->len; i++)
    {
      NigranIncidentType *type = types->pdata[i];
      g_autofree char *entry = g_strdup_printf ("        - %s\n", type->code);

      g_assert_false (g_hash_table_contains (seen, type->code));
      g_hash_table_add (seen, type->code);
      if (apco != NULL)
        g_assert_nonnull (strstr (apco, entry));
    }
  g_assert_true (g_hash_table_contains (seen, "ALRPANS"));

  g_assert_null (nigran_incident_types_parse ("ROBBERY\t9\tRobbery\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* The demo site registers its units, its SOS sites and the AVL feed. */
static void
test_demo_site (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NIGRAN_DATADIR"), "demo-site.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_file (path, &error);
  g_autoptr(NigranUnits) units = NULL;
  g_autoptr(GPtrArray) routes = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (nigran_site_file_get_units (site_file)), >=, 10);
  g_assert_cmpuint (nigran_site_file_get_sos_registrations (site_file)->len, ==, 3);
  g_assert_nonnull (nigran_site_file_get_avl_token (site_file));
  units = nigran_units_new (nigran_site_file_get_units (site_file));
  g_assert_cmpint (nigran_unit_get_status (nigran_units_lookup (units, "ERV-105")), ==, NIGRAN_UNIT_OFF_DUTY);
  /* The consulates: the motorcycle at Governor House is nearest. */
  routes = nigran_units_rank (units, NULL, 24.8468, 67.03);
  g_assert_cmpstr (nigran_unit_get_call_sign (((NigranUnitRoute *) routes->pdata[0])->unit), ==, "MC-7");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dispatch/rank/by-road", test_rank_by_road);
  g_test_add_func ("/dispatch/rank/without-roads", test_rank_without_roads);
  g_test_add_func ("/dispatch/rank/speed", test_rank_speed);
  g_test_add_func ("/dispatch/response-times/scripted", test_response_times_scripted);
  g_test_add_func ("/dispatch/response-times/seattle", test_response_times_seattle);
  g_test_add_func ("/dispatch/incident-types", test_incident_types);
  g_test_add_func ("/dispatch/demo-site", test_demo_site);
  g_test_add_func ("/dispatch/fleet/on-roads", test_fleet_on_roads);
  g_test_add_func ("/dispatch/fleet/without-roads", test_fleet_without_roads);
  return g_test_run ();
}
