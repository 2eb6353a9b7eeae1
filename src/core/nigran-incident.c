/* nigran-incident.c: one incident, from its opening to its closing
 *
 * An incident is a projection of its events (see nigran-incidents.c). It keeps the
 * first time it reached each state of its lifecycle: the response times are the gaps
 * between those times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "nigran-incident-private.h"

#define N_STATES (NIGRAN_INCIDENT_CLOSED + 1)

struct _NigranIncident
{
  GObject              parent_instance;

  char                *id;
  char                *type_code;
  char                *title;
  int                  priority;
  char                *source;     /* "alert", "sos", "manual" */
  double               latitude;
  double               longitude;
  char                *zone_id;
  char                *alert_id;
  char                *sos_site;
  char                *notes;
  char                *track_id;
  GStrv                camera_ids;
  char                *unit;
  char                *unit_kind;
  NigranIncidentState  state;
  gint64               times_us[N_STATES];  /* 0: not reached */
};

G_DEFINE_FINAL_TYPE (NigranIncident, nigran_incident, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
nigran_incident_finalize (GObject *object)
{
  NigranIncident *self = NIGRAN_INCIDENT (object);

  g_free (self->id);
  g_free (self->type_code);
  g_free (self->title);
  g_free (self->source);
  g_free (self->zone_id);
  g_free (self->alert_id);
  g_free (self->sos_site);
  g_free (self->notes);
  g_free (self->track_id);
  g_strfreev (self->camera_ids);
  g_free (self->unit);
  g_free (self->unit_kind);
  G_OBJECT_CLASS (nigran_incident_parent_class)->finalize (object);
}

static void
nigran_incident_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, NIGRAN_INCIDENT (object)->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_incident_class_init (NigranIncidentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nigran_incident_finalize;
  object_class->get_property = nigran_incident_get_property;
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, NIGRAN_INCIDENT_CREATED, NIGRAN_INCIDENT_CLOSED,
                                             NIGRAN_INCIDENT_CREATED,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nigran_incident_init (NigranIncident *self)
{
}

static char *
dup_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? g_strdup (json_node_get_string (node)) : NULL;
}

/* @opened: the payload of "incident.opened" */
NigranIncident *
_nigran_incident_new_opened (const char *id,
                             JsonObject *opened,
                             gint64      time_us)
{
  NigranIncident *self = g_object_new (NIGRAN_TYPE_INCIDENT, NULL);
  JsonNode *cameras = json_object_get_member (opened, "camera_ids");
  g_autoptr(GStrvBuilder) camera_ids = g_strv_builder_new ();

  self->id = g_strdup (id);
  self->type_code = dup_member (opened, "type");
  self->title = dup_member (opened, "title");
  self->priority = CLAMP (json_object_get_int_member_with_default (opened, "priority", 3), 1, 5);
  self->source = dup_member (opened, "source");
  self->latitude = json_object_get_double_member_with_default (opened, "latitude", NAN);
  self->longitude = json_object_get_double_member_with_default (opened, "longitude", NAN);
  self->zone_id = dup_member (opened, "zone");
  self->alert_id = dup_member (opened, "alert_id");
  self->sos_site = dup_member (opened, "sos_site");
  self->notes = dup_member (opened, "notes");
  self->track_id = dup_member (opened, "track_id");
  for (guint i = 0; cameras != NULL && JSON_NODE_HOLDS_ARRAY (cameras) &&
                    i < json_array_get_length (json_node_get_array (cameras)); i++)
    {
      JsonNode *camera = json_array_get_element (json_node_get_array (cameras), i);

      if (JSON_NODE_HOLDS_VALUE (camera) && json_node_get_value_type (camera) == G_TYPE_STRING)
        g_strv_builder_add (camera_ids, json_node_get_string (camera));
    }
  self->camera_ids = g_strv_builder_end (camera_ids);
  self->times_us[NIGRAN_INCIDENT_CREATED] = time_us;
  return self;
}

/* Records the first time the incident reached @state; the state itself only moves on. */
void
_nigran_incident_reach (NigranIncident      *self,
                        NigranIncidentState  state,
                        gint64               time_us)
{
  if (self->times_us[state] == 0)
    self->times_us[state] = time_us;
  if (state > self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

void
_nigran_incident_set_unit (NigranIncident *self,
                           const char     *call_sign,
                           const char     *kind)
{
  g_free (self->unit);
  self->unit = g_strdup (call_sign);
  g_free (self->unit_kind);
  self->unit_kind = g_strdup (kind);
}

const char *
nigran_incident_get_id (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->id;
}

/* An APCO incident code, such as "ALRPANA". */
const char *
nigran_incident_get_type_code (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->type_code;
}

const char *
nigran_incident_get_title (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->title;
}

int
nigran_incident_get_priority (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), 5);
  return self->priority;
}

const char *
nigran_incident_get_source (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->source;
}

double
nigran_incident_get_latitude (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NAN);
  return self->latitude;
}

double
nigran_incident_get_longitude (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NAN);
  return self->longitude;
}

const char *
nigran_incident_get_zone_id (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->zone_id;
}

const char *
nigran_incident_get_alert_id (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->alert_id;
}

const char *
nigran_incident_get_sos_site (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->sos_site;
}

/* Returns: (nullable): what the operator noted when opening it */
const char *
nigran_incident_get_notes (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->notes;
}

/* Returns: (nullable): the track of the subject it was opened for */
const char *
nigran_incident_get_track_id (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->track_id;
}

const char * const *
nigran_incident_get_camera_ids (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return (const char * const *) self->camera_ids;
}

/* The call sign of the unit sent last; NULL before any dispatch. */
const char *
nigran_incident_get_unit (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->unit;
}

const char *
nigran_incident_get_unit_kind (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NULL);
  return self->unit_kind;
}

NigranIncidentState
nigran_incident_get_state (NigranIncident *self)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), NIGRAN_INCIDENT_CREATED);
  return self->state;
}

/* Returns: when the incident first reached @state, in UTC µs; 0 if it has not. */
gint64
nigran_incident_get_time_us (NigranIncident      *self,
                             NigranIncidentState  state)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT (self), 0);
  g_return_val_if_fail (state <= NIGRAN_INCIDENT_CLOSED, 0);
  return self->times_us[state];
}

const char *
nigran_incident_state_get_label (NigranIncidentState state)
{
  static const char * const labels[] = {
    N_("Created"), N_("Dispatched"), N_("En route"), N_("On scene"), N_("Cleared"), N_("Closed"),
  };

  g_return_val_if_fail (state <= NIGRAN_INCIDENT_CLOSED, NULL);
  return _(labels[state]);
}

void
nigran_incident_type_free (NigranIncidentType *type)
{
  g_free (type->code);
  g_free (type->label);
  g_free (type);
}

/**
 * nigran_incident_types_parse:
 * @tsv: lines of "code<TAB>priority<TAB>label"; "#" starts a comment line
 *
 * Returns: (transfer container) (element-type NigranIncidentType): the types, in order
 */
GPtrArray *
nigran_incident_types_parse (const char  *tsv,
                             GError     **error)
{
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func ((GDestroyNotify) nigran_incident_type_free);
  g_auto(GStrv) lines = g_strsplit (tsv, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      NigranIncidentType *type;
      guint64 priority;

      g_strchomp (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (fields) != 3 || fields[0][0] == '\0' || fields[2][0] == '\0' ||
          !g_ascii_string_to_unsigned (fields[1], 10, 1, 5, &priority, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u: expected “code<TAB>priority 1–5<TAB>label”", i + 1);
          return NULL;
        }
      type = g_new0 (NigranIncidentType, 1);
      type->code = g_strdup (fields[0]);
      type->priority = (int) priority;
      type->label = g_strdup (fields[2]);
      g_ptr_array_add (types, type);
    }
  return g_steal_pointer (&types);
}
