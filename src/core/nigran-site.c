/* nigran-site.c: a place with cameras (a red zone, a hospital, a consulate …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-camera.h"
#include "nigran-site.h"
#include "nigran-site-file-private.h"

struct _NigranSite
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *kind;
  double      latitude;
  double      longitude;
  gboolean    approximate;
  GListStore *cameras;
};

G_DEFINE_FINAL_TYPE (NigranSite, nigran_site, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_APPROXIMATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
nigran_site_finalize (GObject *object)
{
  NigranSite *self = (NigranSite *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_object (&self->cameras);

  G_OBJECT_CLASS (nigran_site_parent_class)->finalize (object);
}

static void
nigran_site_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NigranSite *self = NIGRAN_SITE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_LATITUDE: g_value_set_double (value, self->latitude); break;
    case PROP_LONGITUDE: g_value_set_double (value, self->longitude); break;
    case PROP_APPROXIMATE: g_value_set_boolean (value, self->approximate); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_site_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NigranSite *self = NIGRAN_SITE (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_dup_string (value); break;
    case PROP_NAME: self->name = g_value_dup_string (value); break;
    case PROP_KIND: self->kind = g_value_dup_string (value); break;
    case PROP_LATITUDE: self->latitude = g_value_get_double (value); break;
    case PROP_LONGITUDE: self->longitude = g_value_get_double (value); break;
    case PROP_APPROXIMATE: self->approximate = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_site_class_init (NigranSiteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = nigran_site_finalize;
  object_class->get_property = nigran_site_get_property;
  object_class->set_property = nigran_site_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct_only);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct_only);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, construct_only);
  properties[PROP_LATITUDE] = g_param_spec_double ("latitude", NULL, NULL, -90, 90, 0, construct_only);
  properties[PROP_LONGITUDE] = g_param_spec_double ("longitude", NULL, NULL, -180, 180, 0, construct_only);
  properties[PROP_APPROXIMATE] = g_param_spec_boolean ("approximate", NULL, NULL, FALSE, construct_only);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nigran_site_init (NigranSite *self)
{
  self->cameras = g_list_store_new (NIGRAN_TYPE_CAMERA);
}

void
_nigran_site_add_camera (NigranSite   *self,
                         NigranCamera *camera)
{
  g_list_store_append (self->cameras, camera);
  _nigran_camera_set_site (camera, self);
}

const char *
nigran_site_get_id (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), NULL);
  return self->id;
}

const char *
nigran_site_get_name (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), NULL);
  return self->name;
}

const char *
nigran_site_get_kind (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), NULL);
  return self->kind;
}

double
nigran_site_get_latitude (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), 0);
  return self->latitude;
}

double
nigran_site_get_longitude (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), 0);
  return self->longitude;
}

gboolean
nigran_site_get_approximate (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), FALSE);
  return self->approximate;
}

GListModel *
nigran_site_get_cameras (NigranSite *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE (self), NULL);
  return G_LIST_MODEL (self->cameras);
}
