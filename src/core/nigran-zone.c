/* nigran-zone.c: a named area of the map, from a GeoJSON polygon
 *
 * A zone keeps the outer rings of its polygons; holes are not used by anything yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-zone.h"
#include "nigran-site-file-private.h"

struct _NigranZone
{
  GObject    parent_instance;

  char      *id;
  char      *name;
  char      *kind;
  GPtrArray *rings; /* of GArray of NigranGeoPoint */
  gboolean   alerts_nonstandard_plates;
  char      *allow_list;
  char      *name_ur;
};

G_DEFINE_FINAL_TYPE (NigranZone, nigran_zone, G_TYPE_OBJECT)

static void
nigran_zone_finalize (GObject *object)
{
  NigranZone *self = (NigranZone *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->allow_list, g_free);
  g_clear_pointer (&self->name_ur, g_free);
  g_clear_pointer (&self->rings, g_ptr_array_unref);

  G_OBJECT_CLASS (nigran_zone_parent_class)->finalize (object);
}

static void
nigran_zone_class_init (NigranZoneClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_zone_finalize;
}

static void
nigran_zone_init (NigranZone *self)
{
  self->rings = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
}

NigranZone *
_nigran_zone_new (const char *id,
                  const char *name,
                  const char *kind)
{
  NigranZone *self = g_object_new (NIGRAN_TYPE_ZONE, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->kind = g_strdup (kind);
  return self;
}

void
_nigran_zone_add_ring (NigranZone *self,
                       GArray     *points)
{
  g_ptr_array_add (self->rings, g_array_ref (points));
}

const char *
nigran_zone_get_id (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), NULL);
  return self->id;
}

const char *
nigran_zone_get_name (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), NULL);
  return self->name;
}

const char *
nigran_zone_get_kind (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), NULL);
  return self->kind;
}

guint
nigran_zone_get_n_rings (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), 0);
  return self->rings->len;
}

const NigranGeoPoint *
nigran_zone_get_ring (NigranZone *self,
                      guint       ring,
                      guint      *n_points)
{
  GArray *points;

  g_return_val_if_fail (NIGRAN_IS_ZONE (self), NULL);
  g_return_val_if_fail (ring < self->rings->len, NULL);

  points = g_ptr_array_index (self->rings, ring);
  if (n_points != NULL)
    *n_points = points->len;
  return (const NigranGeoPoint *)(gpointer)points->data;
}

/* Even-odd ray casting over every ring; fine for city-sized polygons in degrees. */
gboolean
nigran_zone_contains (NigranZone *self,
                      double      latitude,
                      double      longitude)
{
  gboolean inside = FALSE;

  g_return_val_if_fail (NIGRAN_IS_ZONE (self), FALSE);

  for (guint r = 0; r < self->rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (self->rings, r);

      for (guint i = 0, j = ring->len - 1; i < ring->len; j = i++)
        {
          const NigranGeoPoint *a = &g_array_index (ring, NigranGeoPoint, i);
          const NigranGeoPoint *b = &g_array_index (ring, NigranGeoPoint, j);

          if ((a->latitude > latitude) != (b->latitude > latitude) &&
              longitude < (b->longitude - a->longitude) * (latitude - a->latitude) /
                          (b->latitude - a->latitude) + a->longitude)
            inside = !inside;
        }
    }
  return inside;
}

/* Whether a plate read in the zone that fits no issuing authority's grammar raises
 * an alert of its own ("plate.non-standard"): fake and fancy plates. */
gboolean
nigran_zone_get_alerts_nonstandard_plates (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), FALSE);
  return self->alerts_nonstandard_plates;
}

void
_nigran_zone_set_alerts_nonstandard_plates (NigranZone *self,
                                            gboolean    alerts)
{
  self->alerts_nonstandard_plates = alerts;
}

/* The hotlist of the vehicles allowed in the zone: any other plate read there raises
 * an alert ("plate.unlisted"). NULL: the zone has none. */
const char *
nigran_zone_get_allow_list (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), NULL);
  return self->allow_list;
}

void
_nigran_zone_set_allow_list (NigranZone *self,
                             const char *allow_list)
{
  g_free (self->allow_list);
  self->allow_list = g_strdup (allow_list);
}

/* Returns: (nullable): the zone's name in Urdu, where the site file gives it */
const char *
nigran_zone_get_name_ur (NigranZone *self)
{
  g_return_val_if_fail (NIGRAN_IS_ZONE (self), NULL);
  return self->name_ur;
}

void
_nigran_zone_set_name_ur (NigranZone *self,
                          const char *name_ur)
{
  g_free (self->name_ur);
  self->name_ur = g_strdup (name_ur);
}
