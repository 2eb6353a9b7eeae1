/* nigran-fleet-simulator.c: the demo's units, driving along the roads by themselves
 *
 * It stands where a real fleet's AVL devices and crews stand: it reads the unit board
 * and answers with the events they would send. A dispatched crew acknowledges and
 * drives to the incident along the shortest roads, reports itself on scene, clears
 * after a while and drives back; a free unit patrols the streets around its base.
 * Only positions and statuses leave it, as events; so a restarted console picks the
 * units up where the log left them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-fleet-simulator.h"

#include "nigran-plate-sightings.h"

#define ROAD_SNAP_M        500.0
#define ROAD_REACH_M       60000.0
#define PATROL_RADIUS_DEG  0.008    /* about 900 m */
#define PATROL_SPEED_SHARE 0.4
/* A status sent but not yet back from the log is not sent again before this. */
#define AWAIT_US           (30 * G_USEC_PER_SEC)

typedef enum
{
  ERRAND_NONE,
  ERRAND_PATROL,
  ERRAND_INCIDENT,
  ERRAND_BASE,
} Errand;

typedef struct
{
  NigranUnit       *unit;
  double            base_latitude;
  double            base_longitude;
  double            latitude;       /* where the simulator has it, between reports */
  double            longitude;
  Errand            errand;
  char             *incident_id;
  GArray           *way;            /* NigranGeoPoint, from where the errand began */
  guint             next;           /* the next point of the way to reach */
  gint64            last_step_us;
  gint64            last_report_us;
  gboolean          awaiting;
  NigranUnitStatus  awaited;
  gint64            awaited_since_us;
} Crew;

struct _NigranFleetSimulator
{
  GObject          parent_instance;

  NigranIncidents *incidents;
  NigranRoadGraph *roads;
  GArray          *crews;  /* Crew */
  GRand           *rand;
};

G_DEFINE_FINAL_TYPE (NigranFleetSimulator, nigran_fleet_simulator, G_TYPE_OBJECT)

static void
clear_crew (gpointer data)
{
  Crew *crew = data;

  g_clear_object (&crew->unit);
  g_clear_pointer (&crew->incident_id, g_free);
  g_clear_pointer (&crew->way, g_array_unref);
}

static void
nigran_fleet_simulator_finalize (GObject *object)
{
  NigranFleetSimulator *self = NIGRAN_FLEET_SIMULATOR (object);

  g_clear_object (&self->incidents);
  g_clear_object (&self->roads);
  g_array_unref (self->crews);
  g_rand_free (self->rand);
  G_OBJECT_CLASS (nigran_fleet_simulator_parent_class)->finalize (object);
}

static void
nigran_fleet_simulator_class_init (NigranFleetSimulatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_fleet_simulator_finalize;
}

static void
nigran_fleet_simulator_init (NigranFleetSimulator *self)
{
  self->crews = g_array_new (FALSE, TRUE, sizeof (Crew));
  g_array_set_clear_func (self->crews, clear_crew);
}

/**
 * nigran_fleet_simulator_new:
 * @units: the unit board, kept up to date by the caller from the log
 * @incidents: the incidents the units are sent to
 * @roads: (nullable): without roads, units drive in straight lines
 * @seed: for the patrols' choice of streets
 *
 * A unit's base is where it stood when the simulator was made.
 */
NigranFleetSimulator *
nigran_fleet_simulator_new (NigranUnits     *units,
                            NigranIncidents *incidents,
                            NigranRoadGraph *roads,
                            guint32          seed)
{
  NigranFleetSimulator *self = g_object_new (NIGRAN_TYPE_FLEET_SIMULATOR, NULL);

  g_return_val_if_fail (NIGRAN_IS_UNITS (units), NULL);
  self->incidents = g_object_ref (incidents);
  self->roads = roads != NULL ? g_object_ref (roads) : NULL;
  self->rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (units)); i++)
    {
      Crew crew = { .unit = g_list_model_get_item (G_LIST_MODEL (units), i) };

      crew.base_latitude = crew.latitude = nigran_unit_get_latitude (crew.unit);
      crew.base_longitude = crew.longitude = nigran_unit_get_longitude (crew.unit);
      g_array_append_val (self->crews, crew);
    }
  return self;
}

static void
plan (NigranFleetSimulator *self,
      Crew                 *crew,
      Errand                errand,
      double                latitude,
      double                longitude)
{
  NigranGeoPoint here = { .latitude = crew->latitude, .longitude = crew->longitude };
  NigranGeoPoint there = { .latitude = latitude, .longitude = longitude };
  g_autoptr(GArray) path = NULL;

  g_clear_pointer (&crew->way, g_array_unref);
  crew->way = g_array_new (FALSE, FALSE, sizeof (NigranGeoPoint));
  crew->errand = errand;
  crew->next = 1;
  g_array_append_val (crew->way, here);
  if (self->roads != NULL)
    {
      int from = nigran_road_graph_nearest_point (self->roads, here.latitude, here.longitude, ROAD_SNAP_M, NULL);
      int to = nigran_road_graph_nearest_point (self->roads, latitude, longitude, ROAD_SNAP_M, NULL);

      if (from >= 0 && to >= 0)
        path = nigran_road_graph_find_path (self->roads, from, to, ROAD_REACH_M);
    }
  for (guint i = 0; path != NULL && i < path->len; i++)
    g_array_append_vals (crew->way, nigran_road_graph_get_point (self->roads, g_array_index (path, guint, i)), 1);
  /* A patrol keeps to the streets where the roads are known. */
  if (errand != ERRAND_PATROL || path == NULL)
    g_array_append_val (crew->way, there);
}

/* Returns: whether the crew is at the end of its way */
static gboolean
drive (Crew   *crew,
       double  metres)
{
  while (metres > 0 && crew->way != NULL && crew->next < crew->way->len)
    {
      const NigranGeoPoint *next = &g_array_index (crew->way, NigranGeoPoint, crew->next);
      double leg_m = nigran_geo_distance_m (crew->latitude, crew->longitude, next->latitude, next->longitude);

      if (leg_m <= metres)
        {
          crew->latitude = next->latitude;
          crew->longitude = next->longitude;
          crew->next++;
          metres -= leg_m;
        }
      else
        {
          crew->latitude += (next->latitude - crew->latitude) * metres / leg_m;
          crew->longitude += (next->longitude - crew->longitude) * metres / leg_m;
          metres = 0;
        }
    }
  return crew->way == NULL || crew->next >= crew->way->len;
}

static void
report_status (Crew             *crew,
               GPtrArray        *events,
               NigranUnitStatus  status,
               const char       *incident_id,
               gint64            now_us)
{
  g_ptr_array_add (events, nigran_units_status_event_new (nigran_unit_get_call_sign (crew->unit), status, incident_id));
  crew->awaiting = TRUE;
  crew->awaited = status;
  crew->awaited_since_us = now_us;
}

static void
report_position (Crew      *crew,
                 GPtrArray *events,
                 gint64     now_us)
{
  g_ptr_array_add (events, nigran_units_position_event_new (nigran_unit_get_call_sign (crew->unit),
                                                            crew->latitude, crew->longitude));
  crew->last_report_us = now_us;
}

static void
step_crew (NigranFleetSimulator *self,
           Crew                 *crew,
           GPtrArray            *events,
           gint64                now_us)
{
  NigranUnitStatus status = nigran_unit_get_status (crew->unit);
  const char *incident_id = nigran_unit_get_incident_id (crew->unit);
  gint64 in_status_us = now_us - nigran_unit_get_status_since_us (crew->unit);
  double speed_m_s = nigran_unit_get_average_speed_kmh (crew->unit) / 3.6;
  double elapsed_s = crew->last_step_us > 0 ? (now_us - crew->last_step_us) / (double) G_USEC_PER_SEC : 0;
  double was_latitude = crew->latitude, was_longitude = crew->longitude;
  NigranIncident *incident;

  crew->last_step_us = now_us;
  if (crew->awaiting && status != crew->awaited && now_us - crew->awaited_since_us < AWAIT_US)
    return;
  crew->awaiting = FALSE;

  switch (status)
    {
    case NIGRAN_UNIT_OFF_DUTY:
      crew->errand = ERRAND_NONE;
      return;

    case NIGRAN_UNIT_DISPATCHED:
      if (in_status_us >= NIGRAN_FLEET_ACKNOWLEDGE_US)
        report_status (crew, events, NIGRAN_UNIT_EN_ROUTE, incident_id, now_us);
      return;

    case NIGRAN_UNIT_EN_ROUTE:
      incident = nigran_incidents_lookup (self->incidents, incident_id);
      if (incident == NULL)
        return;
      if (crew->errand != ERRAND_INCIDENT || g_strcmp0 (crew->incident_id, incident_id) != 0)
        {
          g_free (crew->incident_id);
          crew->incident_id = g_strdup (incident_id);
          plan (self, crew, ERRAND_INCIDENT, nigran_incident_get_latitude (incident),
                nigran_incident_get_longitude (incident));
        }
      if (drive (crew, speed_m_s * elapsed_s))
        {
          report_position (crew, events, now_us);
          report_status (crew, events, NIGRAN_UNIT_ON_SCENE, incident_id, now_us);
          return;
        }
      break;

    case NIGRAN_UNIT_ON_SCENE:
      if (in_status_us >= NIGRAN_FLEET_ON_SCENE_US && incident_id != NULL)
        {
          g_ptr_array_add (events, nigran_incidents_cleared_event_new (incident_id));
          crew->awaiting = TRUE;
          crew->awaited = NIGRAN_UNIT_RETURNING;
          crew->awaited_since_us = now_us;
        }
      return;

    case NIGRAN_UNIT_RETURNING:
      if (crew->errand != ERRAND_BASE)
        plan (self, crew, ERRAND_BASE, crew->base_latitude, crew->base_longitude);
      if (drive (crew, speed_m_s * elapsed_s))
        {
          report_position (crew, events, now_us);
          report_status (crew, events, NIGRAN_UNIT_AVAILABLE, NULL, now_us);
          return;
        }
      break;

    case NIGRAN_UNIT_AVAILABLE:
    default:
      if (crew->errand != ERRAND_PATROL || drive (crew, 0))
        plan (self, crew, ERRAND_PATROL,
              crew->base_latitude + g_rand_double_range (self->rand, -PATROL_RADIUS_DEG, PATROL_RADIUS_DEG),
              crew->base_longitude + g_rand_double_range (self->rand, -PATROL_RADIUS_DEG, PATROL_RADIUS_DEG));
      drive (crew, speed_m_s * PATROL_SPEED_SHARE * elapsed_s);
      break;
    }

  if ((crew->latitude != was_latitude || crew->longitude != was_longitude) &&
      now_us - crew->last_report_us >= NIGRAN_FLEET_REPORT_US)
    report_position (crew, events, now_us);
}

/**
 * nigran_fleet_simulator_step:
 * @now_us: the clock's time; steps a second or two apart keep the units' ways smooth
 *
 * Returns: (transfer container) (element-type NigranEvent): what the units report, for
 * the log; the caller applies them to the board through it
 */
GPtrArray *
nigran_fleet_simulator_step (NigranFleetSimulator *self,
                             gint64                now_us)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (NIGRAN_IS_FLEET_SIMULATOR (self), events);
  for (guint i = 0; i < self->crews->len; i++)
    step_crew (self, &g_array_index (self->crews, Crew, i), events, now_us);
  return events;
}
