/* nigran-units.c: the unit board projection, and which unit is nearest
 *
 * The units a control room can send are registered in the site file; their positions
 * and statuses then come from events: "unit.position" and "unit.status" (from the AVL
 * feed, the demo or an operator), "incident.dispatched" and "incident.cleared".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-units.h"

#include <math.h>

#include "nigran-plate-sightings.h"

/* A unit or an incident farther than this from every road is routed in a straight line. */
#define ROAD_SNAP_M   500.0
/* No unit is sent farther than this along the roads; beyond, a straight line answers. */
#define ROAD_REACH_M  60000.0

struct _NigranUnits
{
  GObject     parent_instance;

  GPtrArray  *units;      /* NigranUnit, in the site file's order */
  GHashTable *by_call_sign;
};

static void nigran_units_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NigranUnits, nigran_units, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, nigran_units_list_model_init))

static GType
nigran_units_get_item_type (GListModel *model)
{
  return NIGRAN_TYPE_UNIT;
}

static guint
nigran_units_get_n_items (GListModel *model)
{
  return NIGRAN_UNITS (model)->units->len;
}

static gpointer
nigran_units_get_item (GListModel *model,
                       guint       position)
{
  NigranUnits *self = NIGRAN_UNITS (model);

  return position < self->units->len ? g_object_ref (self->units->pdata[position]) : NULL;
}

static void
nigran_units_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = nigran_units_get_item_type;
  iface->get_n_items = nigran_units_get_n_items;
  iface->get_item = nigran_units_get_item;
}

static void
nigran_units_finalize (GObject *object)
{
  NigranUnits *self = NIGRAN_UNITS (object);

  g_hash_table_unref (self->by_call_sign);
  g_ptr_array_unref (self->units);
  G_OBJECT_CLASS (nigran_units_parent_class)->finalize (object);
}

static void
nigran_units_class_init (NigranUnitsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_units_finalize;
}

static void
nigran_units_init (NigranUnits *self)
{
  self->units = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_call_sign = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * nigran_units_new:
 * @registered: the site file's #NigranUnit items, copied as they stand
 */
NigranUnits *
nigran_units_new (GListModel *registered)
{
  NigranUnits *self = g_object_new (NIGRAN_TYPE_UNITS, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (registered); i++)
    {
      g_autoptr(NigranUnit) base = g_list_model_get_item (registered, i);
      NigranUnit *unit = nigran_unit_new (nigran_unit_get_call_sign (base), nigran_unit_get_kind (base),
                                          nigran_unit_get_latitude (base), nigran_unit_get_longitude (base));

      nigran_unit_set_status (unit, nigran_unit_get_status (base), NULL, 0);
      g_ptr_array_add (self->units, unit);
      g_hash_table_insert (self->by_call_sign, (char *) nigran_unit_get_call_sign (unit), unit);
    }
  return self;
}

NigranUnit *
nigran_units_lookup (NigranUnits *self,
                     const char  *call_sign)
{
  g_return_val_if_fail (NIGRAN_IS_UNITS (self), NULL);
  return call_sign != NULL ? g_hash_table_lookup (self->by_call_sign, call_sign) : NULL;
}

/* Returns: whether @event changed a unit. */
gboolean
nigran_units_apply (NigranUnits *self,
                    NigranEvent *event)
{
  const char *type = nigran_event_get_event_type (event);
  NigranUnit *unit = nigran_units_lookup (self, nigran_event_find_subject (event, "unit"));
  JsonObject *payload;

  g_return_val_if_fail (NIGRAN_IS_UNITS (self), FALSE);

  if (!g_str_has_prefix (type, "unit.") && !g_str_has_prefix (type, "incident."))
    return FALSE;
  payload = nigran_event_get_payload (event);

  if (g_str_equal (type, "incident.cleared"))
    {
      const char *incident_id = json_object_get_string_member_with_default (payload, "incident_id", NULL);
      gboolean changed = FALSE;

      for (guint i = 0; i < self->units->len; i++)
        if (incident_id != NULL && g_strcmp0 (nigran_unit_get_incident_id (self->units->pdata[i]), incident_id) == 0)
          {
            nigran_unit_set_status (self->units->pdata[i], NIGRAN_UNIT_RETURNING, NULL,
                                    nigran_event_get_time_us (event));
            changed = TRUE;
          }
      return changed;
    }
  if (unit == NULL)
    return FALSE;

  if (g_str_equal (type, "unit.position"))
    {
      double latitude = json_object_get_double_member_with_default (payload, "latitude", NAN);
      double longitude = json_object_get_double_member_with_default (payload, "longitude", NAN);

      if (!isfinite (latitude) || !isfinite (longitude))
        return FALSE;
      nigran_unit_set_position (unit, latitude, longitude, nigran_event_get_time_us (event));
      return TRUE;
    }
  if (g_str_equal (type, "unit.status"))
    {
      NigranUnitStatus status;
      const char *incident_id = json_object_get_string_member_with_default (payload, "incident_id", NULL);

      if (!nigran_unit_status_from_string (json_object_get_string_member_with_default (payload, "status", NULL),
                                           &status))
        return FALSE;
      /* A unit keeps its incident until it is free again. */
      if (incident_id == NULL && status != NIGRAN_UNIT_AVAILABLE && status != NIGRAN_UNIT_OFF_DUTY)
        incident_id = nigran_unit_get_incident_id (unit);
      nigran_unit_set_status (unit, status, incident_id, nigran_event_get_time_us (event));
      return TRUE;
    }
  if (g_str_equal (type, "incident.dispatched"))
    {
      nigran_unit_set_status (unit, NIGRAN_UNIT_DISPATCHED,
                              json_object_get_string_member_with_default (payload, "incident_id", NULL),
                              nigran_event_get_time_us (event));
      return TRUE;
    }
  return FALSE;
}

void
nigran_unit_route_free (NigranUnitRoute *route)
{
  g_clear_object (&route->unit);
  g_free (route);
}

typedef struct
{
  GPtrArray **units_at_point;  /* per road point: NULL or the NigranUnitRoutes there */
  guint       left;            /* units not reached yet */
} UnitSearch;

static NigranRoadSearchStep
visit_point (guint    point,
             double   distance_m,
             gpointer user_data)
{
  UnitSearch *search = user_data;
  GPtrArray *here = search->units_at_point[point];

  for (guint i = 0; here != NULL && i < here->len; i++)
    {
      NigranUnitRoute *route = here->pdata[i];

      route->distance_m += distance_m;
      route->by_road = TRUE;
      search->left--;
    }
  return search->left == 0 ? NIGRAN_ROAD_SEARCH_STOP : NIGRAN_ROAD_SEARCH_CONTINUE;
}

static int
compare_routes (gconstpointer a,
                gconstpointer b)
{
  const NigranUnitRoute *route_a = *(NigranUnitRoute * const *) a;
  const NigranUnitRoute *route_b = *(NigranUnitRoute * const *) b;

  return (route_a->travel_s > route_b->travel_s) - (route_a->travel_s < route_b->travel_s);
}

/**
 * nigran_units_rank:
 * @roads: (nullable): the site's roads; without them every way is a straight line
 *
 * Ranks the units free to go (available or returning) by their estimated travel time
 * to the place: along the roads at the unit's average speed, or in a straight line
 * where the unit or the place is off the road data or the roads do not join them.
 *
 * Returns: (transfer container) (element-type NigranUnitRoute): quickest first
 */
GPtrArray *
nigran_units_rank (NigranUnits     *self,
                   NigranRoadGraph *roads,
                   double           latitude,
                   double           longitude)
{
  GPtrArray *routes = g_ptr_array_new_with_free_func ((GDestroyNotify) nigran_unit_route_free);
  guint n_points = roads != NULL ? nigran_road_graph_get_n_points (roads) : 0;
  g_autofree GPtrArray **units_at_point = g_new0 (GPtrArray *, n_points);
  double place_snap_m = 0;
  int place_point = -1;
  UnitSearch search = { units_at_point, 0 };

  g_return_val_if_fail (NIGRAN_IS_UNITS (self), routes);

  if (roads != NULL)
    place_point = nigran_road_graph_nearest_point (roads, latitude, longitude, ROAD_SNAP_M, &place_snap_m);

  for (guint i = 0; i < self->units->len; i++)
    {
      NigranUnit *unit = self->units->pdata[i];
      NigranUnitStatus status = nigran_unit_get_status (unit);
      NigranUnitRoute *route;
      double unit_snap_m = 0;
      int unit_point = -1;

      if (status != NIGRAN_UNIT_AVAILABLE && status != NIGRAN_UNIT_RETURNING)
        continue;
      route = g_new0 (NigranUnitRoute, 1);
      route->unit = g_object_ref (unit);
      g_ptr_array_add (routes, route);

      if (place_point >= 0)
        unit_point = nigran_road_graph_nearest_point (roads, nigran_unit_get_latitude (unit),
                                                      nigran_unit_get_longitude (unit), ROAD_SNAP_M, &unit_snap_m);
      if (unit_point >= 0)
        {
          if (units_at_point[unit_point] == NULL)
            units_at_point[unit_point] = g_ptr_array_new ();
          g_ptr_array_add (units_at_point[unit_point], route);
          route->distance_m = unit_snap_m + place_snap_m;
          search.left++;
        }
    }

  if (search.left > 0)
    nigran_road_graph_search (roads, place_point, ROAD_REACH_M, visit_point, &search);
  for (guint p = 0; p < n_points; p++)
    g_clear_pointer (&units_at_point[p], g_ptr_array_unref);

  for (guint i = 0; i < routes->len; i++)
    {
      NigranUnitRoute *route = routes->pdata[i];

      if (!route->by_road)
        route->distance_m = nigran_geo_distance_m (latitude, longitude, nigran_unit_get_latitude (route->unit),
                                                   nigran_unit_get_longitude (route->unit));
      route->travel_s = route->distance_m / (nigran_unit_get_average_speed_kmh (route->unit) / 3.6);
    }
  g_ptr_array_sort (routes, compare_routes);
  return routes;
}

static NigranEvent *
unit_event_new (const char *type,
                const char *call_sign,
                JsonObject *payload)
{
  g_autofree char *subject = g_strconcat ("unit:", call_sign, NULL);

  return nigran_event_new (type, (const char * const[]) { subject, NULL }, payload);
}

NigranEvent *
nigran_units_position_event_new (const char *call_sign,
                                 double      latitude,
                                 double      longitude)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_double_member (payload, "latitude", latitude);
  json_object_set_double_member (payload, "longitude", longitude);
  return unit_event_new ("unit.position", call_sign, payload);
}

NigranEvent *
nigran_units_status_event_new (const char       *call_sign,
                               NigranUnitStatus  status,
                               const char       *incident_id)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "status", nigran_unit_status_to_string (status));
  if (incident_id != NULL)
    json_object_set_string_member (payload, "incident_id", incident_id);
  return unit_event_new ("unit.status", call_sign, payload);
}
