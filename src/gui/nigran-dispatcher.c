/* nigran-dispatcher.c: the operator's dispatch actions, from an alert or an incident
 *
 * "dispatch.alert" sends the quickest free unit to an alert's place in one action,
 * opening its incident on the way; "dispatch.incident", "dispatch.unit" (a unit chosen
 * from the ranking), "dispatch.show", "dispatch.clear" and "dispatch.close" act on an
 * incident of the board; "dispatch.new-incident" opens
 * one by hand. Every decision becomes an event in the operator's name; the projections
 * it reads are the log's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "core/nigran-plate-sightings.h"
#include "nigran-dispatcher.h"
#include "nigran-incident-dialog.h"

struct _NigranDispatcher
{
  GObject             parent_instance;

  NigranSiteFile     *site_file;
  NigranRecordFunc    record;
  gpointer            record_data;
  char               *operator_name;
  NigranAlertQueue   *alert_queue;
  NigranTracks       *tracks;
  NigranUnits        *units;       /* NULL until the log is read */
  NigranIncidents    *incidents;
  NigranRoadGraph    *roads;       /* nullable: no road data */
  NigranWindow       *window;      /* weak */
  GSimpleActionGroup *actions;
  GHashTable         *sent_for;    /* alert id → when a unit was sent, until the log has it */
};

G_DEFINE_FINAL_TYPE (NigranDispatcher, nigran_dispatcher, G_TYPE_OBJECT)

/* Long enough for the log to take a dispatch and the board to show it. */
#define SENT_PENDING_US (10 * G_USEC_PER_SEC)

enum
{
  SIGNAL_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
record (NigranDispatcher *self,
        NigranEvent      *event)
{
  self->record (event, self->operator_name, self->record_data);
}

static void
show_problem (NigranDispatcher *self,
              const char       *message)
{
  g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, message);
}

static gboolean
same_subject (const char *label,
              const char *matched)
{
  g_autoptr(GString) a = g_string_new (NULL), b = g_string_new (NULL);

  for (const char *c = label; c != NULL && *c != '\0'; c++)
    if (g_ascii_isalnum (*c))
      g_string_append_c (a, g_ascii_toupper (*c));
  for (const char *c = matched; c != NULL && *c != '\0'; c++)
    if (g_ascii_isalnum (*c))
      g_string_append_c (b, g_ascii_toupper (*c));
  return a->len > 0 && g_string_equal (a, b);
}

/* Returns: (transfer none) (nullable): the latest track of the alert's subject that
 * ends at the alert's camera */
static NigranTrack *
find_subject_track (NigranDispatcher *self,
                    NigranAlert      *alert)
{
  NigranTrack *found = NULL;

  for (guint i = 0; self->tracks != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->tracks)); i++)
    {
      g_autoptr(NigranTrack) track = g_list_model_get_item (G_LIST_MODEL (self->tracks), i);
      const NigranTrackSighting *end = nigran_track_get_last_sighting (track);

      if (end == NULL || g_strcmp0 (end->camera_id, nigran_alert_get_camera_id (alert)) != 0 ||
          !same_subject (end->label, nigran_alert_get_matched (alert)) ||
          (found != NULL && end->time_us < nigran_track_get_last_sighting (found)->time_us))
        continue;
      found = track;  /* the projection keeps it */
    }
  return found;
}

/* Which way the subject was going: from the camera that saw it before to the one that
 * raised the alert, on the track that ends there. */
static void
add_direction (NigranDispatcher *self,
               JsonObject       *packet,
               NigranAlert      *alert)
{
  static const char * const compass[] = {
    "north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west",
  };
  NigranTrack *track = find_subject_track (self, alert);
  const NigranTrackSighting *last, *before;
  NigranCamera *from, *to;
  double bearing;

  if (track == NULL || nigran_track_get_n_sightings (track) < 2)
    return;
  last = nigran_track_get_last_sighting (track);
  before = nigran_track_get_sighting (track, nigran_track_get_n_sightings (track) - 2);
  from = nigran_site_file_lookup_camera (self->site_file, before->camera_id);
  to = nigran_site_file_lookup_camera (self->site_file, last->camera_id);
  if (from == NULL || to == NULL || from == to)
    return;
  bearing = nigran_geo_bearing_deg (nigran_camera_get_latitude (from), nigran_camera_get_longitude (from),
                                    nigran_camera_get_latitude (to), nigran_camera_get_longitude (to));
  json_object_set_double_member (packet, "heading", bearing);
  json_object_set_string_member (packet, "direction", compass[(int) floor (fmod (bearing + 22.5, 360) / 45)]);
  json_object_set_string_member (packet, "seen_before_camera", nigran_camera_get_id (from));
  json_object_set_int_member (packet, "seen_before_us", before->time_us);
}

/* The evidence a unit receives: what was seen, where and when; who or what only once a
 * person has verified the match. */
static JsonObject *
evidence_packet_new (NigranDispatcher *self,
                     NigranAlert       *alert)
{
  JsonObject *packet = json_object_new ();
  NigranCamera *camera = nigran_alert_get_camera_id (alert) != NULL
                         ? nigran_site_file_lookup_camera (self->site_file, nigran_alert_get_camera_id (alert)) : NULL;
  NigranAlertState state = nigran_alert_get_state (alert);

  json_object_set_string_member (packet, "alert_id", nigran_alert_get_id (alert));
  json_object_set_string_member (packet, "what", nigran_alert_get_title (alert));
  if (nigran_alert_get_snapshot (alert) != NULL)
    json_object_set_string_member (packet, "still", nigran_alert_get_snapshot (alert));
  if (camera != NULL)
    {
      json_object_set_string_member (packet, "last_seen_camera", nigran_camera_get_id (camera));
      json_object_set_double_member (packet, "last_seen_latitude", nigran_camera_get_latitude (camera));
      json_object_set_double_member (packet, "last_seen_longitude", nigran_camera_get_longitude (camera));
      json_object_set_double_member (packet, "camera_heading", nigran_camera_get_heading (camera));
    }
  json_object_set_int_member (packet, "raised_us", nigran_alert_get_raised_us (alert));
  add_direction (self, packet, alert);
  if (nigran_alert_get_matched (alert) != NULL)
    {
      if (state == NIGRAN_ALERT_STATE_VERIFIED)
        json_object_set_string_member (packet, "identity", nigran_alert_get_matched (alert));
      else
        json_object_set_string_member (packet, "identity", "withheld until a person verifies the match");
    }
  return packet;
}

/* @call_sign (nullable): the unit the operator chose; otherwise the quickest free one
 * goes to the place, with @packet. */
static void
dispatch_unit (NigranDispatcher *self,
               const char       *incident_id,
               double            latitude,
               double            longitude,
               JsonObject       *packet,
               const char       *call_sign)
{
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(NigranEvent) dispatched = NULL;
  NigranUnitRoute *chosen = NULL;

  if (self->units == NULL)
    {
      show_problem (self, _("Dispatch is not ready yet: the units are still being read."));
      return;
    }
  routes = nigran_units_rank (self->units, self->roads, latitude, longitude);
  for (guint i = 0; i < routes->len && chosen == NULL; i++)
    if (call_sign == NULL || g_str_equal (nigran_unit_get_call_sign (((NigranUnitRoute *) routes->pdata[i])->unit),
                                          call_sign))
      chosen = routes->pdata[i];
  if (chosen == NULL)
    {
      g_autofree char *message = call_sign != NULL
                                 ? g_strdup_printf (_("%s is no longer free: choose another unit."), call_sign)
                                 : g_strdup (_("No unit is free: every unit is on a call or off duty."));

      show_problem (self, message);
      return;
    }
  dispatched = nigran_incidents_dispatched_event_new (incident_id, chosen, packet);
  record (self, dispatched);
}

/* The APCO code of the incident an alert opens. */
static const char *
incident_type_for (const char *alert_kind)
{
  static const struct { const char *kind; const char *type; } types[] = {
    { "plate.hit", "VEHSTLN" },
    { "plate.impossible-travel", "CNTRFT" },
    { "plate.non-standard", "VEHSUSP" },
    { "plate.unlisted", "VEHSUSP" },
    { "sos", "ALRPANS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (alert_kind, types[i].kind) == 0)
      return types[i].type;
  return g_str_has_prefix (alert_kind, "face") ? "PERWANT" : "SUSP";
}

/* One action: the quickest free unit goes to the alert's place. */
static void
dispatch_alert_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  NigranDispatcher *self = user_data;
  const char *alert_id = g_variant_get_string (parameter, NULL);
  NigranAlert *alert = self->alert_queue != NULL ? nigran_alert_queue_lookup (self->alert_queue, alert_id) : NULL;
  NigranIncident *incident;
  NigranCamera *camera;
  NigranTrack *track;
  g_autoptr(JsonObject) packet = NULL;
  g_autofree char *incident_id = NULL;
  double latitude, longitude;

  if (alert == NULL)
    {
      show_problem (self, _("That alert is no longer in the queue."));
      return;
    }
  if (self->units == NULL)
    {
      show_problem (self, _("Dispatch is not ready yet: the units are still being read."));
      return;
    }
  camera = nigran_alert_get_camera_id (alert) != NULL
           ? nigran_site_file_lookup_camera (self->site_file, nigran_alert_get_camera_id (alert)) : NULL;
  incident = nigran_incidents_find_by_alert (self->incidents, alert_id);
  /* A second click is not a second unit: more are sent from the incident board. The
   * first one's events may still be on their way to the log. */
  if (incident == NULL && g_get_monotonic_time () - (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (self->sent_for, alert_id))
                          < SENT_PENDING_US)
    {
      show_problem (self, _("A unit is being sent to this alert."));
      return;
    }
  if (incident != NULL && nigran_incident_get_state (incident) >= NIGRAN_INCIDENT_DISPATCHED &&
      nigran_incident_get_state (incident) < NIGRAN_INCIDENT_CLEARED)
    {
      g_autofree char *message = g_strdup_printf (_("%s is already on this alert’s incident; send more units from "
                                                    "the Dispatch page."), nigran_incident_get_unit (incident));

      show_problem (self, message);
      return;
    }
  if (incident != NULL)
    {
      latitude = nigran_incident_get_latitude (incident);
      longitude = nigran_incident_get_longitude (incident);
      incident_id = g_strdup (nigran_incident_get_id (incident));
    }
  else if (camera != NULL)
    {
      const char *cameras[] = { nigran_camera_get_id (camera), NULL };
      NigranIncidentSpec spec = { 0 };
      g_autoptr(NigranEvent) opened = NULL;

      latitude = nigran_camera_get_latitude (camera);
      longitude = nigran_camera_get_longitude (camera);
      incident_id = g_uuid_string_random ();
      spec.id = incident_id;
      spec.type = incident_type_for (nigran_alert_get_kind (alert));
      spec.title = nigran_alert_get_title (alert);
      spec.priority = nigran_alert_get_priority (alert) == NIGRAN_ALERT_PRIORITY_CRITICAL ? 1 : 2;
      spec.source = "alert";
      spec.latitude = latitude;
      spec.longitude = longitude;
      spec.zone_id = nigran_site_file_find_zone (self->site_file, latitude, longitude);
      spec.alert_id = alert_id;
      spec.camera_ids = cameras;
      track = find_subject_track (self, alert);
      spec.track_id = track != NULL ? nigran_track_get_id (track) : NULL;
      opened = nigran_incidents_opened_event_new (&spec);
      record (self, opened);
    }
  else
    {
      show_problem (self, _("This alert has no camera, so no place to send a unit to."));
      return;
    }

  packet = evidence_packet_new (self, alert);
  g_hash_table_insert (self->sent_for, g_strdup (alert_id), GSIZE_TO_POINTER (g_get_monotonic_time ()));
  dispatch_unit (self, incident_id, latitude, longitude, packet, NULL);
}

static NigranIncident *
lookup_incident (NigranDispatcher *self,
                 const char       *incident_id)
{
  NigranIncident *incident = self->incidents != NULL ? nigran_incidents_lookup (self->incidents, incident_id) : NULL;

  if (incident == NULL)
    show_problem (self, _("That incident is not on the board."));
  return incident;
}

/* From the incident board: its alert's evidence if it came from one, else what the
 * operator or the caller reported. */
static void
dispatch_to_incident (NigranDispatcher *self,
                      NigranIncident   *incident,
                      const char       *call_sign)
{
  NigranAlert *alert;
  g_autoptr(JsonObject) packet = NULL;

  alert = nigran_incident_get_alert_id (incident) != NULL && self->alert_queue != NULL
          ? nigran_alert_queue_lookup (self->alert_queue, nigran_incident_get_alert_id (incident)) : NULL;
  if (alert != NULL)
    packet = evidence_packet_new (self, alert);
  else
    {
      packet = json_object_new ();
      json_object_set_string_member (packet, "what", nigran_incident_get_title (incident));
      if (nigran_incident_get_notes (incident) != NULL)
        json_object_set_string_member (packet, "notes", nigran_incident_get_notes (incident));
    }
  dispatch_unit (self, nigran_incident_get_id (incident), nigran_incident_get_latitude (incident),
                 nigran_incident_get_longitude (incident), packet, call_sign);
}

static void
dispatch_incident_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  NigranIncident *incident = lookup_incident (user_data, g_variant_get_string (parameter, NULL));

  if (incident != NULL)
    dispatch_to_incident (user_data, incident, NULL);
}

/* @parameter: (incident id, call sign): the unit the operator chose from the ranking */
static void
dispatch_chosen_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  NigranDispatcher *self = user_data;
  const char *incident_id, *call_sign;
  NigranIncident *incident;

  g_variant_get (parameter, "(&s&s)", &incident_id, &call_sign);
  incident = lookup_incident (self, incident_id);
  if (incident != NULL)
    dispatch_to_incident (self, incident, call_sign);
}

static void
show_incident_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  NigranDispatcher *self = user_data;
  NigranIncident *incident = lookup_incident (self, g_variant_get_string (parameter, NULL));

  /* Asked for by the operator, unlike an SOS arriving: the map comes to the front. */
  if (incident != NULL && self->window != NULL)
    {
      nigran_window_show_incident (self->window, incident);
      nigran_window_show_page (self->window, "map");
    }
}

static void
record_incident_step (NigranDispatcher *self,
                      GVariant         *parameter,
                      NigranEvent     *(*step_event_new) (const char *incident_id))
{
  NigranIncident *incident = lookup_incident (self, g_variant_get_string (parameter, NULL));
  g_autoptr(NigranEvent) step = NULL;

  if (incident == NULL)
    return;
  step = step_event_new (nigran_incident_get_id (incident));
  record (self, step);
}

static void
clear_incident_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  record_incident_step (user_data, parameter, nigran_incidents_cleared_event_new);
}

static void
close_incident_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  record_incident_step (user_data, parameter, nigran_incidents_closed_event_new);
}

static void
on_incident_opened_cb (NigranIncidentDialog *dialog,
                       NigranEvent          *opened,
                       NigranDispatcher     *self)
{
  record (self, opened);
}

static void
new_incident_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  NigranDispatcher *self = user_data;
  ShumateViewport *viewport;
  NigranIncidentDialog *dialog;

  if (self->window == NULL || self->site_file == NULL)
    return;
  viewport = nigran_map_view_get_viewport (nigran_window_get_map_view (self->window));
  dialog = nigran_incident_dialog_new (GTK_WINDOW (self->window), self->site_file,
                                       shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                                       shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  g_signal_connect_object (dialog, "opened", G_CALLBACK (on_incident_opened_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}


static void
nigran_dispatcher_dispose (GObject *object)
{
  NigranDispatcher *self = NIGRAN_DISPATCHER (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->site_file);
  g_clear_object (&self->alert_queue);
  g_clear_object (&self->tracks);
  g_clear_object (&self->units);
  g_clear_object (&self->incidents);
  g_clear_object (&self->roads);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->sent_for, g_hash_table_unref);
  g_clear_pointer (&self->operator_name, g_free);
  G_OBJECT_CLASS (nigran_dispatcher_parent_class)->dispose (object);
}

static void
nigran_dispatcher_class_init (NigranDispatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nigran_dispatcher_dispose;

  /**
   * NigranDispatcher::problem:
   * @message: why an action could not be done, for the operator
   */
  signals[SIGNAL_PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
nigran_dispatcher_init (NigranDispatcher *self)
{
  static const GActionEntry entries[] = {
    { "alert", dispatch_alert_action, "s", NULL, NULL, { 0 } },
    { "incident", dispatch_incident_action, "s", NULL, NULL, { 0 } },
    { "unit", dispatch_chosen_action, "(ss)", NULL, NULL, { 0 } },
    { "show", show_incident_action, "s", NULL, NULL, { 0 } },
    { "clear", clear_incident_action, "s", NULL, NULL, { 0 } },
    { "close", close_incident_action, "s", NULL, NULL, { 0 } },
    { "new-incident", new_incident_action, NULL, NULL, NULL, { 0 } },
  };

  self->sent_for = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
}

/* @record: called on the main thread with each decision, to be logged */
NigranDispatcher *
nigran_dispatcher_new (NigranSiteFile   *site_file,
                       NigranRecordFunc  record_func,
                       gpointer          user_data)
{
  NigranDispatcher *self = g_object_new (NIGRAN_TYPE_DISPATCHER, NULL);

  self->site_file = g_object_ref (site_file);
  self->record = record_func;
  self->record_data = user_data;
  return self;
}

void
nigran_dispatcher_set_operator (NigranDispatcher *self,
                                const char       *operator_name)
{
  g_return_if_fail (NIGRAN_IS_DISPATCHER (self));
  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
}

/* The alerts a unit is sent to, and the tracks that tell which way their subject went. */
void
nigran_dispatcher_set_alerts (NigranDispatcher *self,
                              NigranAlertQueue *alert_queue,
                              NigranTracks     *tracks)
{
  g_return_if_fail (NIGRAN_IS_DISPATCHER (self));
  g_set_object (&self->alert_queue, alert_queue);
  g_set_object (&self->tracks, tracks);
}

void
nigran_dispatcher_set_projections (NigranDispatcher *self,
                                   NigranUnits      *units,
                                   NigranIncidents  *incidents,
                                   NigranRoadGraph  *roads)
{
  g_return_if_fail (NIGRAN_IS_DISPATCHER (self));
  g_set_object (&self->units, units);
  g_set_object (&self->incidents, incidents);
  g_set_object (&self->roads, roads);
}

/* @window: (nullable): the window that shows incidents and parents the dialog */
void
nigran_dispatcher_set_window (NigranDispatcher *self,
                              NigranWindow     *window)
{
  g_return_if_fail (NIGRAN_IS_DISPATCHER (self));
  g_set_weak_pointer (&self->window, window);
}

/* Returns: (transfer none): the actions, for a window's "dispatch" prefix */
GActionGroup *
nigran_dispatcher_get_actions (NigranDispatcher *self)
{
  g_return_val_if_fail (NIGRAN_IS_DISPATCHER (self), NULL);
  return G_ACTION_GROUP (self->actions);
}
