/* nigran-camera.c: one camera of the site file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-camera.h"
#include "nigran-site-file-private.h"

struct _NigranCamera
{
  GObject             parent_instance;

  char               *id;
  char               *name;
  char               *site_id;
  NigranSite         *site;  /* weak: the site file owns both */
  double              latitude;
  double              longitude;
  double              heading;
  double              field_of_view;
  char               *main_uri;
  char               *sub_uri;
  char               *credential_ref;
  char               *footage;
  gboolean            simulated;
  gboolean            reads_plates;
  NigranCameraStatus  status;
  GHashTable         *reports;   /* reporter → NigranCameraStatus, for the streams showing it */
};

G_DEFINE_FINAL_TYPE (NigranCamera, nigran_camera, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SITE_ID,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_HEADING,
  PROP_FIELD_OF_VIEW,
  PROP_MAIN_URI,
  PROP_SUB_URI,
  PROP_CREDENTIAL_REF,
  PROP_FOOTAGE,
  PROP_SIMULATED,
  PROP_READS_PLATES,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
nigran_camera_finalize (GObject *object)
{
  NigranCamera *self = (NigranCamera *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->site_id, g_free);
  g_clear_pointer (&self->main_uri, g_free);
  g_clear_pointer (&self->sub_uri, g_free);
  g_clear_pointer (&self->credential_ref, g_free);
  g_clear_pointer (&self->footage, g_free);
  g_clear_pointer (&self->reports, g_hash_table_unref);

  G_OBJECT_CLASS (nigran_camera_parent_class)->finalize (object);
}

static void
nigran_camera_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  NigranCamera *self = NIGRAN_CAMERA (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SITE_ID: g_value_set_string (value, self->site_id); break;
    case PROP_LATITUDE: g_value_set_double (value, self->latitude); break;
    case PROP_LONGITUDE: g_value_set_double (value, self->longitude); break;
    case PROP_HEADING: g_value_set_double (value, self->heading); break;
    case PROP_FIELD_OF_VIEW: g_value_set_double (value, self->field_of_view); break;
    case PROP_MAIN_URI: g_value_set_string (value, self->main_uri); break;
    case PROP_SUB_URI: g_value_set_string (value, self->sub_uri); break;
    case PROP_CREDENTIAL_REF: g_value_set_string (value, self->credential_ref); break;
    case PROP_FOOTAGE: g_value_set_string (value, self->footage); break;
    case PROP_SIMULATED: g_value_set_boolean (value, self->simulated); break;
    case PROP_READS_PLATES: g_value_set_boolean (value, self->reads_plates); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_camera_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  NigranCamera *self = NIGRAN_CAMERA (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_dup_string (value); break;
    case PROP_NAME: self->name = g_value_dup_string (value); break;
    case PROP_SITE_ID: self->site_id = g_value_dup_string (value); break;
    case PROP_LATITUDE: self->latitude = g_value_get_double (value); break;
    case PROP_LONGITUDE: self->longitude = g_value_get_double (value); break;
    case PROP_HEADING: self->heading = g_value_get_double (value); break;
    case PROP_FIELD_OF_VIEW: self->field_of_view = g_value_get_double (value); break;
    case PROP_MAIN_URI: self->main_uri = g_value_dup_string (value); break;
    case PROP_SUB_URI: self->sub_uri = g_value_dup_string (value); break;
    case PROP_CREDENTIAL_REF: self->credential_ref = g_value_dup_string (value); break;
    case PROP_FOOTAGE: self->footage = g_value_dup_string (value); break;
    case PROP_SIMULATED: self->simulated = g_value_get_boolean (value); break;
    case PROP_READS_PLATES: self->reads_plates = g_value_get_boolean (value); break;
    case PROP_STATUS: nigran_camera_set_status (self, g_value_get_enum (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_camera_class_init (NigranCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = nigran_camera_finalize;
  object_class->get_property = nigran_camera_get_property;
  object_class->set_property = nigran_camera_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct_only);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct_only);
  properties[PROP_SITE_ID] = g_param_spec_string ("site-id", NULL, NULL, NULL, construct_only);
  properties[PROP_LATITUDE] = g_param_spec_double ("latitude", NULL, NULL, -90, 90, 0, construct_only);
  properties[PROP_LONGITUDE] = g_param_spec_double ("longitude", NULL, NULL, -180, 180, 0, construct_only);
  properties[PROP_HEADING] = g_param_spec_double ("heading", NULL, NULL, 0, 360, 0, construct_only);
  properties[PROP_FIELD_OF_VIEW] = g_param_spec_double ("field-of-view", NULL, NULL, 0, 360, 60, construct_only);
  properties[PROP_MAIN_URI] = g_param_spec_string ("main-uri", NULL, NULL, NULL, construct_only);
  properties[PROP_SUB_URI] = g_param_spec_string ("sub-uri", NULL, NULL, NULL, construct_only);
  properties[PROP_CREDENTIAL_REF] = g_param_spec_string ("credential-ref", NULL, NULL, NULL, construct_only);
  properties[PROP_FOOTAGE] = g_param_spec_string ("footage", NULL, NULL, NULL, construct_only);
  properties[PROP_SIMULATED] = g_param_spec_boolean ("simulated", NULL, NULL, FALSE, construct_only);
  /* A number-plate camera: its plates are read, its faces not looked for. */
  properties[PROP_READS_PLATES] = g_param_spec_boolean ("reads-plates", NULL, NULL, FALSE, construct_only);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       NIGRAN_TYPE_CAMERA_STATUS, NIGRAN_CAMERA_STATUS_IDLE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nigran_camera_init (NigranCamera *self)
{
  self->field_of_view = 60;
}

void
_nigran_camera_set_site (NigranCamera *self,
                         NigranSite   *site)
{
  self->site = site;
}

const char *
nigran_camera_get_id (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);
  return self->id;
}

const char *
nigran_camera_get_name (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);
  return self->name;
}

const char *
nigran_camera_get_site_id (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);
  return self->site_id;
}

NigranSite *
nigran_camera_get_site (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);
  return self->site;
}

double
nigran_camera_get_latitude (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), 0);
  return self->latitude;
}

double
nigran_camera_get_longitude (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), 0);
  return self->longitude;
}

double
nigran_camera_get_heading (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), 0);
  return self->heading;
}

double
nigran_camera_get_field_of_view (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), 0);
  return self->field_of_view;
}

/* A camera without a sub stream shows its main stream on the wall. */
const char *
nigran_camera_get_uri (NigranCamera        *self,
                       NigranStreamVariant  variant)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);

  if (variant == NIGRAN_STREAM_SUB && self->sub_uri != NULL)
    return self->sub_uri;
  return self->main_uri;
}

const char *
nigran_camera_get_credential_ref (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);
  return self->credential_ref;
}

const char *
nigran_camera_get_footage (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NULL);
  return self->footage;
}

gboolean
nigran_camera_get_simulated (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), FALSE);
  return self->simulated;
}

gboolean
nigran_camera_get_reads_plates (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), FALSE);
  return self->reads_plates;
}

/* Simulated cameras learn their addresses only once the simulator listens. */
void
nigran_camera_set_uris (NigranCamera *self,
                        const char   *main_uri,
                        const char   *sub_uri)
{
  g_return_if_fail (NIGRAN_IS_CAMERA (self));

  g_free (self->main_uri);
  self->main_uri = g_strdup (main_uri);
  g_free (self->sub_uri);
  self->sub_uri = g_strdup (sub_uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_URI]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUB_URI]);
}

NigranCameraStatus
nigran_camera_get_status (NigranCamera *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAMERA (self), NIGRAN_CAMERA_STATUS_IDLE);
  return self->status;
}

void
nigran_camera_set_status (NigranCamera       *self,
                          NigranCameraStatus  status)
{
  g_return_if_fail (NIGRAN_IS_CAMERA (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/**
 * nigran_camera_report_status:
 * @reporter: whatever shows the camera: a stream, a tile
 * @status: what @reporter sees; %NIGRAN_CAMERA_STATUS_IDLE when it stops showing it
 *
 * A camera on two tiles has two streams; its status is the best of what they
 * report: live, then connecting, stalled, offline, idle.
 */
void
nigran_camera_report_status (NigranCamera       *self,
                             gconstpointer       reporter,
                             NigranCameraStatus  status)
{
  static const NigranCameraStatus best_first[] = {
    NIGRAN_CAMERA_STATUS_LIVE, NIGRAN_CAMERA_STATUS_CONNECTING, NIGRAN_CAMERA_STATUS_STALLED,
    NIGRAN_CAMERA_STATUS_OFFLINE,
  };
  NigranCameraStatus overall = NIGRAN_CAMERA_STATUS_IDLE;
  GHashTableIter iter;
  gpointer value;
  guint best = G_N_ELEMENTS (best_first);

  g_return_if_fail (NIGRAN_IS_CAMERA (self));

  if (self->reports == NULL)
    self->reports = g_hash_table_new (NULL, NULL);
  if (status == NIGRAN_CAMERA_STATUS_IDLE)
    g_hash_table_remove (self->reports, reporter);
  else
    g_hash_table_insert (self->reports, (gpointer)reporter, GINT_TO_POINTER (status));

  g_hash_table_iter_init (&iter, self->reports);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    for (guint i = 0; i < best; i++)
      if (best_first[i] == (NigranCameraStatus)GPOINTER_TO_INT (value))
        {
          best = i;
          overall = best_first[i];
          break;
        }
  nigran_camera_set_status (self, overall);
}
