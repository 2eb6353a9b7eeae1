/* nigran-geo-layer.c: the features of one GeoJSON file, ready to draw and to route on
 *
 * Coordinates are copied out of json-glib's tree into flat arrays once, so that
 * drawing thousands of roads on every frame walks plain memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-geo-layer.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

struct _NigranGeoLayer
{
  GObject  parent_instance;
  char    *name;
  GArray  *features;   /* NigranGeoFeature */
};

G_DEFINE_TYPE (NigranGeoLayer, nigran_geo_layer, G_TYPE_OBJECT)
G_DEFINE_QUARK (nigran-geo-layer-error-quark, nigran_geo_layer_error)

/* What one feature's geometry collects while it is read. */
typedef struct
{
  const char *file;
  GArray     *points;       /* NigranGeoPoint */
  GArray     *part_starts;  /* guint */
} Reading;

static void
clear_feature (gpointer data)
{
  NigranGeoFeature *feature = data;

  g_free (feature->name);
  g_free (feature->name_ur);
  g_free (feature->kind);
  g_free (feature->points);
  g_free (feature->part_starts);
}

static void
nigran_geo_layer_finalize (GObject *object)
{
  NigranGeoLayer *self = NIGRAN_GEO_LAYER (object);

  g_free (self->name);
  g_array_unref (self->features);
  G_OBJECT_CLASS (nigran_geo_layer_parent_class)->finalize (object);
}

static void
nigran_geo_layer_class_init (NigranGeoLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_geo_layer_finalize;
}

static void
nigran_geo_layer_init (NigranGeoLayer *self)
{
  self->features = g_array_new (FALSE, TRUE, sizeof (NigranGeoFeature));
  g_array_set_clear_func (self->features, clear_feature);
}

static gboolean
invalid (GError    **error,
         const char *file,
         const char *path,
         const char *problem)
{
  g_set_error (error, NIGRAN_GEO_LAYER_ERROR, NIGRAN_GEO_LAYER_ERROR_INVALID,
               "%s: %s: %s", file, path, problem);
  return FALSE;
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64);
}

static gboolean
read_position (Reading    *reading,
               JsonNode   *node,
               const char *path,
               GError    **error)
{
  JsonArray *position;
  NigranGeoPoint point;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (position = json_node_get_array (node)) < 2 ||
      !is_number (json_array_get_element (position, 0)) || !is_number (json_array_get_element (position, 1)))
    return invalid (error, reading->file, path, _("expected a position [longitude, latitude]"));

  point.longitude = json_array_get_double_element (position, 0);
  point.latitude = json_array_get_double_element (position, 1);
  if (point.longitude < -180 || point.longitude > 180 || point.latitude < -90 || point.latitude > 90)
    return invalid (error, reading->file, path,
                    _("the position is off the globe (longitude comes first in GeoJSON)"));
  g_array_append_val (reading->points, point);
  return TRUE;
}

/* A run of positions: a line's or a ring's.  @minimum: fewest it may have. */
static gboolean
read_part (Reading    *reading,
           JsonNode   *node,
           const char *path,
           guint       minimum,
           GError    **error)
{
  JsonArray *positions;
  guint start = reading->points->len;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (positions = json_node_get_array (node)) < minimum)
    {
      g_autofree char *problem = g_strdup_printf (_("expected an array of at least %u positions"), minimum);

      return invalid (error, reading->file, path, problem);
    }
  g_array_append_val (reading->part_starts, start);
  for (guint i = 0; i < json_array_get_length (positions); i++)
    {
      g_autofree char *position_path = g_strdup_printf ("%s[%u]", path, i);

      if (!read_position (reading, json_array_get_element (positions, i), position_path, error))
        return FALSE;
    }
  return TRUE;
}

/* An array of parts (a polygon's rings, a MultiLineString's lines). */
static gboolean
read_parts (Reading    *reading,
            JsonNode   *node,
            const char *path,
            guint       minimum,
            GError    **error)
{
  JsonArray *parts;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (parts = json_node_get_array (node)) == 0)
    return invalid (error, reading->file, path, _("expected a non-empty array"));
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      g_autofree char *part_path = g_strdup_printf ("%s[%u]", path, i);

      if (!read_part (reading, json_array_get_element (parts, i), part_path, minimum, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_geometry (Reading          *reading,
               JsonObject       *geometry,
               const char       *path,
               NigranGeoFeature *feature,
               GError          **error)
{
  g_autofree char *coordinates_path = g_strdup_printf ("%s.coordinates", path);
  const char *type = json_object_get_string_member_with_default (geometry, "type", NULL);
  JsonNode *coordinates = json_object_get_member (geometry, "coordinates");

  if (type == NULL)
    return invalid (error, reading->file, path, _("the geometry has no “type”"));
  if (g_str_equal (type, "Point"))
    {
      guint start = 0;

      feature->shape = NIGRAN_GEO_POINT;
      g_array_append_val (reading->part_starts, start);
      return read_position (reading, coordinates, coordinates_path, error);
    }
  if (g_str_equal (type, "MultiPoint"))
    {
      feature->shape = NIGRAN_GEO_POINT;
      return read_part (reading, coordinates, coordinates_path, 1, error);
    }
  if (g_str_equal (type, "LineString"))
    {
      feature->shape = NIGRAN_GEO_LINE;
      return read_part (reading, coordinates, coordinates_path, 2, error);
    }
  if (g_str_equal (type, "MultiLineString"))
    {
      feature->shape = NIGRAN_GEO_LINE;
      return read_parts (reading, coordinates, coordinates_path, 2, error);
    }
  if (g_str_equal (type, "Polygon"))
    {
      feature->shape = NIGRAN_GEO_POLYGON;
      return read_parts (reading, coordinates, coordinates_path, 4, error);
    }
  if (g_str_equal (type, "MultiPolygon"))
    {
      JsonArray *polygons;

      feature->shape = NIGRAN_GEO_POLYGON;
      if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates) ||
          json_array_get_length (polygons = json_node_get_array (coordinates)) == 0)
        return invalid (error, reading->file, coordinates_path, _("expected an array of polygons"));
      for (guint i = 0; i < json_array_get_length (polygons); i++)
        {
          g_autofree char *polygon_path = g_strdup_printf ("%s[%u]", coordinates_path, i);

          if (!read_parts (reading, json_array_get_element (polygons, i), polygon_path, 4, error))
            return FALSE;
        }
      return TRUE;
    }
  {
    g_autofree char *problem = g_strdup_printf (_("the geometry type “%s” is not one this map draws"), type);

    return invalid (error, reading->file, path, problem);
  }
}

static char *
dup_string_property (JsonObject *properties,
                     const char *first_name,
                     const char *second_name)
{
  const char *names[] = { first_name, second_name };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = properties != NULL ? json_object_get_member (properties, names[i]) : NULL;

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) != '\0')
        return g_strdup (json_node_get_string (node));
    }
  return NULL;
}

static void
find_bounds (NigranGeoFeature *feature)
{
  feature->south_west = (NigranGeoPoint) { .latitude = 90, .longitude = 180 };
  feature->north_east = (NigranGeoPoint) { .latitude = -90, .longitude = -180 };
  for (guint i = 0; i < feature->n_points; i++)
    {
      feature->south_west.latitude = MIN (feature->south_west.latitude, feature->points[i].latitude);
      feature->south_west.longitude = MIN (feature->south_west.longitude, feature->points[i].longitude);
      feature->north_east.latitude = MAX (feature->north_east.latitude, feature->points[i].latitude);
      feature->north_east.longitude = MAX (feature->north_east.longitude, feature->points[i].longitude);
    }
}

/* FALSE with @error set for a broken feature; TRUE without adding one for a
 * feature without geometry, which GeoJSON allows. */
static gboolean
read_feature (NigranGeoLayer *self,
              const char     *file,
              JsonNode       *node,
              const char     *path,
              GError        **error)
{
  g_autofree char *geometry_path = g_strdup_printf ("%s.geometry", path);
  NigranGeoFeature feature = { 0 };
  JsonObject *object, *properties = NULL;
  JsonNode *geometry, *properties_node;
  Reading reading = { file, NULL, NULL };
  gboolean ok;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (json_object_get_string_member_with_default (object = json_node_get_object (node), "type", NULL), "Feature") != 0)
    return invalid (error, file, path, _("expected a GeoJSON Feature"));
  geometry = json_object_get_member (object, "geometry");
  if (geometry == NULL || JSON_NODE_HOLDS_NULL (geometry))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (geometry))
    return invalid (error, file, geometry_path, _("expected a geometry object or null"));
  properties_node = json_object_get_member (object, "properties");
  if (properties_node != NULL && JSON_NODE_HOLDS_OBJECT (properties_node))
    properties = json_node_get_object (properties_node);

  reading.points = g_array_new (FALSE, FALSE, sizeof (NigranGeoPoint));
  reading.part_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  ok = read_geometry (&reading, json_node_get_object (geometry), geometry_path, &feature, error);
  feature.n_points = reading.points->len;
  feature.points = (NigranGeoPoint *) (void *) g_array_free (reading.points, FALSE);
  feature.n_parts = reading.part_starts->len;
  feature.part_starts = (guint *) (void *) g_array_free (reading.part_starts, FALSE);
  if (!ok)
    {
      clear_feature (&feature);
      return FALSE;
    }
  feature.name = dup_string_property (properties, "name", "name:en");
  feature.name_ur = dup_string_property (properties, "name:ur", "name_ur");
  feature.kind = dup_string_property (properties, "kind", "highway");
  find_bounds (&feature);
  g_array_append_val (self->features, feature);
  return TRUE;
}

static gboolean
read_root (NigranGeoLayer *self,
           JsonNode       *root,
           GError        **error)
{
  const char *type;
  JsonNode *features;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (type = json_object_get_string_member_with_default (json_node_get_object (root), "type", NULL)) == NULL)
    return invalid (error, self->name, "$", _("expected a GeoJSON object with a “type”"));
  if (g_str_equal (type, "Feature"))
    return read_feature (self, self->name, root, "$", error);
  if (!g_str_equal (type, "FeatureCollection"))
    {
      g_autofree char *problem = g_strdup_printf (_("expected a FeatureCollection or a Feature, not “%s”"), type);

      return invalid (error, self->name, "$", problem);
    }
  features = json_object_get_member (json_node_get_object (root), "features");
  if (features == NULL || !JSON_NODE_HOLDS_ARRAY (features))
    return invalid (error, self->name, "$.features", _("expected an array of features"));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (features)); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.features[%u]", i);

      if (!read_feature (self, self->name, json_array_get_element (json_node_get_array (features), i), path, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * nigran_geo_layer_new_from_data:
 * @name: what error messages call the data, such as its file's name
 *
 * Returns: (transfer full) (nullable): the features, or %NULL with @error set
 * naming where in the data the first problem is
 */
NigranGeoLayer *
nigran_geo_layer_new_from_data (const char *data,
                                gssize      length,
                                const char *name,
                                GError    **error)
{
  g_autoptr(NigranGeoLayer) self = g_object_new (NIGRAN_TYPE_GEO_LAYER, NULL);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;

  self->name = g_strdup (name);
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, NIGRAN_GEO_LAYER_ERROR, NIGRAN_GEO_LAYER_ERROR_SYNTAX,
                   _("%s is not JSON: %s"), name, parse_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, NIGRAN_GEO_LAYER_ERROR, NIGRAN_GEO_LAYER_ERROR_SYNTAX, _("%s is empty"), name);
      return NULL;
    }
  if (!read_root (self, json_parser_get_root (parser), error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Reads the whole file: call it from a worker. */
NigranGeoLayer *
nigran_geo_layer_new_from_file (const char *path,
                                GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(GError) read_error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &read_error))
    {
      g_set_error (error, NIGRAN_GEO_LAYER_ERROR, NIGRAN_GEO_LAYER_ERROR_READ,
                   _("The map layer %s could not be read: %s"), path, read_error->message);
      return NULL;
    }
  return nigran_geo_layer_new_from_data (contents, length, basename, error);
}

const char *
nigran_geo_layer_get_name (NigranGeoLayer *self)
{
  g_return_val_if_fail (NIGRAN_IS_GEO_LAYER (self), NULL);
  return self->name;
}

guint
nigran_geo_layer_get_n_features (NigranGeoLayer *self)
{
  g_return_val_if_fail (NIGRAN_IS_GEO_LAYER (self), 0);
  return self->features->len;
}

const NigranGeoFeature *
nigran_geo_layer_get_feature (NigranGeoLayer *self,
                              guint           index)
{
  g_return_val_if_fail (NIGRAN_IS_GEO_LAYER (self), NULL);
  g_return_val_if_fail (index < self->features->len, NULL);
  return &g_array_index (self->features, NigranGeoFeature, index);
}

guint
nigran_geo_feature_get_part_length (const NigranGeoFeature *feature,
                                    guint                   part)
{
  guint end = part + 1 < feature->n_parts ? feature->part_starts[part + 1] : feature->n_points;

  return end - feature->part_starts[part];
}

G_LOCK_DEFINE_STATIC (shared_layers);
static GHashTable *shared_layers;  /* path → GWeakRef to the NigranGeoLayer read from it */

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/**
 * nigran_geo_layer_load_shared:
 *
 * As nigran_geo_layer_new_from_file(), but a file read by one part of the console and
 * still held is not read again by another: the map view and dispatch share the roads.
 * Two workers asking at once read it once; the second waits for the first.
 *
 * Returns: (transfer full) (nullable): the layer
 */
NigranGeoLayer *
nigran_geo_layer_load_shared (const char *path,
                              GError    **error)
{
  GWeakRef *held;
  NigranGeoLayer *layer;

  G_LOCK (shared_layers);
  if (shared_layers == NULL)
    shared_layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_weak_ref);
  held = g_hash_table_lookup (shared_layers, path);
  layer = held != NULL ? g_weak_ref_get (held) : NULL;
  if (layer == NULL)
    {
      layer = nigran_geo_layer_new_from_file (path, error);
      if (layer != NULL)
        {
          held = g_new0 (GWeakRef, 1);
          g_weak_ref_init (held, layer);
          g_hash_table_replace (shared_layers, g_strdup (path), held);
        }
    }
  G_UNLOCK (shared_layers);
  return layer;
}
