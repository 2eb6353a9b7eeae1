/* nigran-incidents.c: the incident board projection and its response times
 *
 * Events: "incident.opened", "incident.dispatched", "unit.status" (en route, on scene,
 * for the unit's incident), "incident.cleared" and "incident.closed".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-incidents.h"

#include <math.h>

#include "nigran-incident-private.h"

struct _NigranIncidents
{
  GObject     parent_instance;

  GPtrArray  *incidents;  /* NigranIncident, in the order they were opened */
  GHashTable *by_id;
  GHashTable *by_alert;
  GHashTable *by_unit;    /* call sign → the incident the unit was last sent to */
};

static void nigran_incidents_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NigranIncidents, nigran_incidents, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, nigran_incidents_list_model_init))

static GType
nigran_incidents_get_item_type (GListModel *model)
{
  return NIGRAN_TYPE_INCIDENT;
}

static guint
nigran_incidents_get_n_items (GListModel *model)
{
  return NIGRAN_INCIDENTS (model)->incidents->len;
}

static gpointer
nigran_incidents_get_item (GListModel *model,
                           guint       position)
{
  NigranIncidents *self = NIGRAN_INCIDENTS (model);

  return position < self->incidents->len ? g_object_ref (self->incidents->pdata[position]) : NULL;
}

static void
nigran_incidents_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = nigran_incidents_get_item_type;
  iface->get_n_items = nigran_incidents_get_n_items;
  iface->get_item = nigran_incidents_get_item;
}

static void
nigran_incidents_finalize (GObject *object)
{
  NigranIncidents *self = NIGRAN_INCIDENTS (object);

  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->by_alert);
  g_hash_table_unref (self->by_unit);
  g_ptr_array_unref (self->incidents);
  G_OBJECT_CLASS (nigran_incidents_parent_class)->finalize (object);
}

static void
nigran_incidents_class_init (NigranIncidentsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_incidents_finalize;
}

static void
nigran_incidents_init (NigranIncidents *self)
{
  self->incidents = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_alert = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_unit = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

NigranIncidents *
nigran_incidents_new (void)
{
  return g_object_new (NIGRAN_TYPE_INCIDENTS, NULL);
}

NigranIncident *
nigran_incidents_lookup (NigranIncidents *self,
                         const char      *incident_id)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENTS (self), NULL);
  return incident_id != NULL ? g_hash_table_lookup (self->by_id, incident_id) : NULL;
}

NigranIncident *
nigran_incidents_find_by_alert (NigranIncidents *self,
                                const char      *alert_id)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENTS (self), NULL);
  return alert_id != NULL ? g_hash_table_lookup (self->by_alert, alert_id) : NULL;
}

/* Returns: (transfer none) (nullable): the incident @event changed */
NigranIncident *
nigran_incidents_apply (NigranIncidents *self,
                        NigranEvent     *event)
{
  const char *type = nigran_event_get_event_type (event);
  gint64 time_us = nigran_event_get_time_us (event);
  NigranIncident *incident;
  JsonObject *payload;

  g_return_val_if_fail (NIGRAN_IS_INCIDENTS (self), NULL);

  if (!g_str_has_prefix (type, "incident.") && !g_str_equal (type, "unit.status"))
    return NULL;
  payload = nigran_event_get_payload (event);

  if (g_str_equal (type, "incident.opened"))
    {
      const char *id = nigran_event_find_subject (event, "incident");

      if (id == NULL || g_hash_table_contains (self->by_id, id))
        return NULL;
      incident = _nigran_incident_new_opened (id, payload, time_us);
      g_hash_table_insert (self->by_id, (char *) nigran_incident_get_id (incident), incident);
      if (nigran_incident_get_alert_id (incident) != NULL)
        g_hash_table_insert (self->by_alert, (char *) nigran_incident_get_alert_id (incident), incident);
      g_ptr_array_add (self->incidents, incident);
      g_list_model_items_changed (G_LIST_MODEL (self), self->incidents->len - 1, 0, 1);
      return incident;
    }

  incident = nigran_incidents_lookup (self, json_object_get_string_member_with_default (payload, "incident_id", NULL));
  /* An AVL status names the unit, not the incident it is on. */
  if (incident == NULL && g_str_equal (type, "unit.status") && nigran_event_find_subject (event, "unit") != NULL)
    incident = g_hash_table_lookup (self->by_unit, nigran_event_find_subject (event, "unit"));
  if (incident == NULL)
    return NULL;

  if (g_str_equal (type, "incident.dispatched"))
    {
      const char *call_sign = nigran_event_find_subject (event, "unit");

      if (call_sign != NULL)
        g_hash_table_insert (self->by_unit, g_strdup (call_sign), incident);
      _nigran_incident_set_unit (incident, call_sign,
                                 json_object_get_string_member_with_default (payload, "unit_kind", NULL));
      _nigran_incident_reach (incident, NIGRAN_INCIDENT_DISPATCHED, time_us);
    }
  else if (g_str_equal (type, "unit.status"))
    {
      const char *status = json_object_get_string_member_with_default (payload, "status", "");

      if (g_str_equal (status, "en-route"))
        _nigran_incident_reach (incident, NIGRAN_INCIDENT_EN_ROUTE, time_us);
      else if (g_str_equal (status, "on-scene"))
        _nigran_incident_reach (incident, NIGRAN_INCIDENT_ON_SCENE, time_us);
      else if (g_str_equal (status, "available") || g_str_equal (status, "off-duty"))
        {
          if (nigran_event_find_subject (event, "unit") != NULL)
            g_hash_table_remove (self->by_unit, nigran_event_find_subject (event, "unit"));
          return NULL;
        }
      else
        return NULL;
    }
  else if (g_str_equal (type, "incident.cleared"))
    _nigran_incident_reach (incident, NIGRAN_INCIDENT_CLEARED, time_us);
  else if (g_str_equal (type, "incident.closed"))
    _nigran_incident_reach (incident, NIGRAN_INCIDENT_CLOSED, time_us);
  else
    return NULL;
  return incident;
}

static int
compare_durations (gconstpointer a,
                   gconstpointer b)
{
  gint64 duration_a = *(const gint64 *) a, duration_b = *(const gint64 *) b;

  return (duration_a > duration_b) - (duration_a < duration_b);
}

/* Nearest-rank percentiles, as response-time standards (NFPA 1710, CAD reports) count them. */
static void
summarise (GArray              *durations,
           NigranDurationStats *stats)
{
  stats->n = durations->len;
  stats->median_us = stats->p90_us = 0;
  if (durations->len == 0)
    return;
  g_array_sort (durations, compare_durations);
  stats->median_us = g_array_index (durations, gint64, (guint) ceil (0.5 * durations->len) - 1);
  stats->p90_us = g_array_index (durations, gint64, (guint) ceil (0.9 * durations->len) - 1);
}

static void
add_gap (GArray         *durations,
         NigranIncident *incident,
         NigranIncidentState from,
         NigranIncidentState to)
{
  gint64 start_us = nigran_incident_get_time_us (incident, from);
  gint64 end_us = nigran_incident_get_time_us (incident, to);

  if (start_us > 0 && end_us >= start_us)
    {
      gint64 gap_us = end_us - start_us;
      g_array_append_val (durations, gap_us);
    }
}

/**
 * nigran_incidents_get_response_times:
 * @zone_id: (nullable): only incidents in this zone
 * @unit_kind: (nullable): only incidents whose unit is of this kind
 * @dispatch_target_us: counted in @times->dispatched_within_target
 */
void
nigran_incidents_get_response_times (NigranIncidents     *self,
                                     const char          *zone_id,
                                     const char          *unit_kind,
                                     gint64               dispatch_target_us,
                                     NigranResponseTimes *times)
{
  g_autoptr(GArray) to_dispatch = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) travel = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) on_scene = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) response = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_if_fail (NIGRAN_IS_INCIDENTS (self));

  times->dispatched_within_target = 0;
  for (guint i = 0; i < self->incidents->len; i++)
    {
      NigranIncident *incident = self->incidents->pdata[i];

      if ((zone_id != NULL && g_strcmp0 (nigran_incident_get_zone_id (incident), zone_id) != 0) ||
          (unit_kind != NULL && g_strcmp0 (nigran_incident_get_unit_kind (incident), unit_kind) != 0))
        continue;
      add_gap (to_dispatch, incident, NIGRAN_INCIDENT_CREATED, NIGRAN_INCIDENT_DISPATCHED);
      add_gap (travel, incident, NIGRAN_INCIDENT_DISPATCHED, NIGRAN_INCIDENT_ON_SCENE);
      add_gap (on_scene, incident, NIGRAN_INCIDENT_ON_SCENE, NIGRAN_INCIDENT_CLEARED);
      add_gap (response, incident, NIGRAN_INCIDENT_CREATED, NIGRAN_INCIDENT_ON_SCENE);
    }
  for (guint i = 0; i < to_dispatch->len; i++)
    if (g_array_index (to_dispatch, gint64, i) <= dispatch_target_us)
      times->dispatched_within_target++;
  summarise (to_dispatch, &times->to_dispatch);
  summarise (travel, &times->travel);
  summarise (on_scene, &times->on_scene);
  summarise (response, &times->response);
}

static NigranEvent *
incident_event_new (const char *type,
                    const char *incident_id,
                    const char *unit,
                    JsonObject *payload)
{
  g_autofree char *incident_subject = g_strconcat ("incident:", incident_id, NULL);
  g_autofree char *unit_subject = unit != NULL ? g_strconcat ("unit:", unit, NULL) : NULL;

  json_object_set_string_member (payload, "incident_id", incident_id);
  return nigran_event_new (type, (const char * const[]) { incident_subject, unit_subject, NULL }, payload);
}

NigranEvent *
nigran_incidents_opened_event_new (const NigranIncidentSpec *spec)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *id = spec->id != NULL ? g_strdup (spec->id) : g_uuid_string_random ();
  g_autofree char *incident_subject = g_strconcat ("incident:", id, NULL);
  g_autofree char *alert_subject = spec->alert_id != NULL ? g_strconcat ("alert:", spec->alert_id, NULL) : NULL;

  g_return_val_if_fail (spec->type != NULL && spec->title != NULL && spec->source != NULL, NULL);
  g_return_val_if_fail (spec->priority >= 1 && spec->priority <= 5, NULL);

  json_object_set_string_member (payload, "type", spec->type);
  json_object_set_string_member (payload, "title", spec->title);
  json_object_set_int_member (payload, "priority", spec->priority);
  json_object_set_string_member (payload, "source", spec->source);
  if (isfinite (spec->latitude) && isfinite (spec->longitude))
    {
      json_object_set_double_member (payload, "latitude", spec->latitude);
      json_object_set_double_member (payload, "longitude", spec->longitude);
    }
  if (spec->zone_id != NULL)
    json_object_set_string_member (payload, "zone", spec->zone_id);
  if (spec->alert_id != NULL)
    json_object_set_string_member (payload, "alert_id", spec->alert_id);
  if (spec->sos_site != NULL)
    json_object_set_string_member (payload, "sos_site", spec->sos_site);
  if (spec->notes != NULL)
    json_object_set_string_member (payload, "notes", spec->notes);
  if (spec->track_id != NULL)
    json_object_set_string_member (payload, "track_id", spec->track_id);
  if (spec->camera_ids != NULL)
    {
      JsonArray *cameras = json_array_new ();

      for (guint i = 0; spec->camera_ids[i] != NULL; i++)
        json_array_add_string_element (cameras, spec->camera_ids[i]);
      json_object_set_array_member (payload, "camera_ids", cameras);
    }
  return nigran_event_new ("incident.opened",
                           (const char * const[]) { incident_subject, alert_subject, NULL }, payload);
}

/**
 * nigran_incidents_dispatched_event_new:
 * @route: the unit sent and its estimated way
 * @packet: (nullable): the evidence the unit receives
 */
NigranEvent *
nigran_incidents_dispatched_event_new (const char            *incident_id,
                                       const NigranUnitRoute *route,
                                       JsonObject            *packet)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "unit_kind", nigran_unit_kind_to_string (nigran_unit_get_kind (route->unit)));
  json_object_set_double_member (payload, "distance_m", round (route->distance_m));
  json_object_set_double_member (payload, "travel_s", round (route->travel_s));
  json_object_set_boolean_member (payload, "by_road", route->by_road);
  if (packet != NULL)
    json_object_set_object_member (payload, "packet", json_object_ref (packet));
  return incident_event_new ("incident.dispatched", incident_id, nigran_unit_get_call_sign (route->unit), payload);
}

NigranEvent *
nigran_incidents_cleared_event_new (const char *incident_id)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  return incident_event_new ("incident.cleared", incident_id, NULL, payload);
}

NigranEvent *
nigran_incidents_closed_event_new (const char *incident_id)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  return incident_event_new ("incident.closed", incident_id, NULL, payload);
}
