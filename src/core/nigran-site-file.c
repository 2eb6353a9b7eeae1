/* nigran-site-file.c: sites, cameras and zones read from a JSON site file
 *
 * Every member is type-checked before it is read. An error names the file, the JSON
 * path of the offending member and what is wrong with it, so that whoever maintains
 * the site file can fix it without reading code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "nigran-site-file.h"
#include "nigran-site-file-private.h"
#include "nigran-plate-sightings.h"
#include "nigran-zone.h"

/* Deeper nesting than any site file needs; json-glib's parser recurses. */
#define MAX_NESTING      64
#define MAX_FILE_SIZE    (64 * 1024 * 1024)
#define MAX_ID_LENGTH    64

struct _NigranSiteFile
{
  GObject     parent_instance;

  char       *name;
  GListStore *sites;
  GListStore *cameras;
  GListStore *zones;
  GHashTable *cameras_by_id; /* id → NigranCamera, borrowed from cameras */
  GHashTable *sites_by_id;   /* id → NigranSite, borrowed from sites */

  char       *map_tiles;     /* nullable: an MBTiles file */
  char       *map_tile_url;  /* nullable: a tile server's {z}/{x}/{y} template */
  GPtrArray  *map_layers;    /* NigranMapLayerFile */

  GListStore *units;
  GHashTable *units_by_call_sign;
  GPtrArray  *sos_registrations; /* NigranSosRegistration */
  char       *avl_token;     /* nullable: the AVL feed's bearer token */
  char       *cad_url;       /* nullable: where incidents and dispatches are sent */
  char       *cad_credential; /* nullable: the keyring reference of the CAD's token */
};

G_DEFINE_FINAL_TYPE (NigranSiteFile, nigran_site_file, G_TYPE_OBJECT)

G_DEFINE_QUARK (nigran-site-file-error-quark, nigran_site_file_error)

static const char * const site_kinds[] = {
  "red-zone", "airport-corridor", "hospital", "consulate", "industrial-estate",
  "government", "transport", "commercial", "residential", "other", NULL
};

static const char * const uri_schemes[] = {
  "rtsp", "rtsps", "rtspt", "http", "https", "file", NULL
};

typedef struct
{
  const char     *display_name;
  const char     *base_dir;
  NigranSiteFile *result;
} Loader;

static gboolean G_GNUC_PRINTF (4, 5)
fail (const Loader  *loader,
      GError       **error,
      int            code,
      const char    *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, NIGRAN_SITE_FILE_ERROR, code, "%s: %s", loader->display_name, message);
  return FALSE;
}

static const char *
describe_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return "a string";
    case G_TYPE_BOOLEAN: return "a boolean";
    default: return "a number";
    }
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static char *
resolve_path (const Loader *loader,
              const char   *path)
{
  return g_path_is_absolute (path) || loader->base_dir == NULL ? g_strdup (path)
                                                               : g_build_filename (loader->base_dir, path, NULL);
}

static gboolean
check_nesting (const char   *data,
               gsize         length,
               const Loader *loader,
               GError      **error)
{
  if (!nigran_json_nesting_within (data, length, MAX_NESTING))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_SYNTAX,
                 "nested deeper than %d levels; a site file never needs that", MAX_NESTING);
  return TRUE;
}

static gboolean
read_string (const Loader  *loader,
             JsonObject    *object,
             const char    *path,
             const char    *member,
             gboolean       required,
             const char   **out,
             GError       **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: the member “%s” is missing", path, member);
      return TRUE;
    }
  if (!node_is_string (node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: expected a string, found %s", path, member, describe_node (node));
  *out = json_node_get_string (node);
  if (required && **out == '\0')
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: must not be empty", path, member);
  if (!g_utf8_validate (*out, -1, NULL))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: is not valid UTF-8", path, member);
  return TRUE;
}

static gboolean
read_number (const Loader  *loader,
             JsonObject    *object,
             const char    *path,
             const char    *member,
             gboolean       required,
             double         min,
             double         max,
             double        *out,
             GError       **error)
{
  JsonNode *node = json_object_get_member (object, member);
  double value;

  if (node == NULL)
    {
      if (required)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: the member “%s” is missing", path, member);
      return TRUE;
    }
  if (!node_is_number (node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: expected a number, found %s", path, member, describe_node (node));
  value = json_node_get_double (node);
  if (!isfinite (value) || value < min || value > max)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: %g is outside %g to %g", path, member, value, min, max);
  *out = value;
  return TRUE;
}

static gboolean
read_boolean (const Loader  *loader,
              JsonObject    *object,
              const char    *path,
              const char    *member,
              gboolean      *out,
              GError       **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: expected true or false, found %s", path, member, describe_node (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_array (const Loader  *loader,
            JsonObject    *object,
            const char    *path,
            const char    *member,
            gboolean       required,
            JsonArray    **out,
            GError       **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: the member “%s” is missing", path, member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.%s: expected an array, found %s", path, member, describe_node (node));
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
object_at (const Loader  *loader,
           JsonArray     *array,
           guint          index,
           const char    *path,
           JsonObject   **out,
           GError       **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: expected an object, found %s", path, describe_node (node));
  *out = json_node_get_object (node);
  return TRUE;
}

typedef gboolean (*LoadObjectFunc) (const Loader  *loader,
                                    JsonObject    *object,
                                    const char    *path,
                                    GError       **error);

/* Loads each element of an array, which must be an object, naming it by its path. */
static gboolean
load_each_object (const Loader    *loader,
                  JsonArray       *array,
                  const char      *array_path,
                  LoadObjectFunc   load,
                  GError         **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", array_path, i);
      JsonObject *object = NULL;

      if (!object_at (loader, array, i, path, &object, error) ||
          !load (loader, object, path, error))
        return FALSE;
    }
  return TRUE;
}

/* Ids end up in RTSP paths and GSettings, so they stay plain. */
static gboolean
check_id (const Loader *loader,
          const char   *path,
          const char   *id,
          GHashTable   *seen,
          GError      **error)
{
  if (strlen (id) > MAX_ID_LENGTH)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.id: longer than %d characters", path, MAX_ID_LENGTH);
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                   "%s.id: “%s” may hold only letters, digits, “-”, “_” and “.”", path, id);
  if (g_hash_table_contains (seen, id))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.id: “%s” is used twice", path, id);
  return TRUE;
}

static gboolean
check_uri (const Loader *loader,
           const char   *path,
           const char   *uri,
           GError      **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *password;

  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (parsed == NULL)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: “%s” is not a URI (%s)", path, uri, local_error->message);

  /* Say where the password is, never what it is: this message may reach a log. */
  password = g_uri_get_password (parsed);
  if (password != NULL && *password != '\0')
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_SECRET,
                 "%s: the URI holds a password; remove it and name a credential "
                 "reference in the camera’s “credential” member instead", path);
  if (!g_strv_contains (uri_schemes, g_uri_get_scheme (parsed)))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: the scheme “%s” is not one of rtsp, rtsps, rtspt, http, https, file",
                 path, g_uri_get_scheme (parsed));
  return TRUE;
}

static gboolean
load_site (const Loader  *loader,
           JsonObject    *object,
           const char    *path,
           GError       **error)
{
  NigranSiteFile *self = loader->result;
  g_autoptr(NigranSite) site = NULL;
  const char *id, *name, *kind;
  double latitude = 0, longitude = 0;
  gboolean approximate = FALSE;

  if (!read_string (loader, object, path, "id", TRUE, &id, error) ||
      !check_id (loader, path, id, self->sites_by_id, error) ||
      !read_string (loader, object, path, "name", TRUE, &name, error) ||
      !read_string (loader, object, path, "kind", TRUE, &kind, error) ||
      !read_number (loader, object, path, "latitude", TRUE, -90, 90, &latitude, error) ||
      !read_number (loader, object, path, "longitude", TRUE, -180, 180, &longitude, error) ||
      !read_boolean (loader, object, path, "approximate", &approximate, error))
    return FALSE;

  if (!g_strv_contains (site_kinds, kind))
    {
      g_autofree char *kinds = g_strjoinv (", ", (char **)site_kinds);
      return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                   "%s.kind: “%s” is not one of %s", path, kind, kinds);
    }

  site = g_object_new (NIGRAN_TYPE_SITE,
                       "id", id,
                       "name", name,
                       "kind", kind,
                       "latitude", latitude,
                       "longitude", longitude,
                       "approximate", approximate,
                       NULL);
  g_hash_table_insert (self->sites_by_id, (char *)nigran_site_get_id (site), site);
  g_list_store_append (self->sites, site);
  return TRUE;
}

static gboolean
load_camera (const Loader  *loader,
             JsonObject    *object,
             const char    *path,
             GError       **error)
{
  NigranSiteFile *self = loader->result;
  g_autoptr(NigranCamera) camera = NULL;
  g_autofree char *footage_path = NULL;
  const char *id, *name, *site_id, *credential = NULL;
  const char *main_uri = NULL, *sub_uri = NULL, *footage = NULL, *scene = NULL;
  gboolean reads_plates = FALSE;
  double latitude = 0, longitude = 0, heading = 0, field_of_view = 60;
  JsonNode *streams_node, *simulated_node;
  NigranSite *site;

  if (!read_string (loader, object, path, "id", TRUE, &id, error) ||
      !check_id (loader, path, id, self->cameras_by_id, error) ||
      !read_string (loader, object, path, "name", TRUE, &name, error) ||
      !read_string (loader, object, path, "site", TRUE, &site_id, error) ||
      !read_number (loader, object, path, "latitude", TRUE, -90, 90, &latitude, error) ||
      !read_number (loader, object, path, "longitude", TRUE, -180, 180, &longitude, error) ||
      !read_number (loader, object, path, "heading", FALSE, 0, 360, &heading, error) ||
      !read_number (loader, object, path, "field_of_view", FALSE, 1, 360, &field_of_view, error) ||
      !read_string (loader, object, path, "credential", FALSE, &credential, error) ||
      !read_boolean (loader, object, path, "reads_plates", &reads_plates, error))
    return FALSE;

  if (json_object_has_member (object, "password") || json_object_has_member (object, "passwd"))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_SECRET,
                 "%s: a site file holds no passwords; store the password in the keyring "
                 "and name its reference in “credential”", path);

  site = g_hash_table_lookup (self->sites_by_id, site_id);
  if (site == NULL)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.site: no site has the id “%s”", path, site_id);

  streams_node = json_object_get_member (object, "streams");
  simulated_node = json_object_get_member (object, "simulated");

  if (streams_node != NULL && simulated_node != NULL)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: a camera has either “streams” or “simulated”, not both", path);
  if (streams_node == NULL && simulated_node == NULL)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: the member “streams” is missing (or “simulated” for a demo camera)", path);

  if (streams_node != NULL)
    {
      g_autofree char *streams_path = g_strdup_printf ("%s.streams", path);
      g_autofree char *main_path = g_strdup_printf ("%s.main", streams_path);
      g_autofree char *sub_path = g_strdup_printf ("%s.sub", streams_path);
      JsonObject *streams;

      if (!JSON_NODE_HOLDS_OBJECT (streams_node))
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: expected an object, found %s", streams_path, describe_node (streams_node));
      streams = json_node_get_object (streams_node);
      if (!read_string (loader, streams, streams_path, "main", TRUE, &main_uri, error) ||
          !check_uri (loader, main_path, main_uri, error) ||
          !read_string (loader, streams, streams_path, "sub", FALSE, &sub_uri, error) ||
          (sub_uri != NULL && !check_uri (loader, sub_path, sub_uri, error)))
        return FALSE;
    }
  else
    {
      g_autofree char *simulated_path = g_strdup_printf ("%s.simulated", path);

      if (!JSON_NODE_HOLDS_OBJECT (simulated_node))
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: expected an object, found %s", simulated_path,
                     describe_node (simulated_node));
      if (!read_string (loader, json_node_get_object (simulated_node), simulated_path,
                        "footage", FALSE, &footage, error) ||
          !read_string (loader, json_node_get_object (simulated_node), simulated_path,
                        "scene", FALSE, &scene, error))
        return FALSE;
      if (footage != NULL && scene != NULL)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: a simulated camera shows either “footage” or a “scene”, not both", simulated_path);
      if (scene != NULL && g_strcmp0 (scene, "traffic") != 0)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s.scene: the only scene is “traffic”, not “%s”", simulated_path, scene);
      if (scene != NULL)
        footage_path = g_strconcat (NIGRAN_CAMERA_SCENE_PREFIX, scene, NULL);
      if (footage != NULL && *footage != '\0')
        footage_path = resolve_path (loader, footage);
    }

  camera = g_object_new (NIGRAN_TYPE_CAMERA,
                         "id", id,
                         "name", name,
                         "site-id", site_id,
                         "latitude", latitude,
                         "longitude", longitude,
                         "heading", heading,
                         "field-of-view", field_of_view,
                         "main-uri", main_uri,
                         "sub-uri", sub_uri,
                         "credential-ref", credential,
                         "footage", footage_path,
                         "simulated", simulated_node != NULL,
                         "reads-plates", reads_plates,
                         NULL);
  g_hash_table_insert (self->cameras_by_id, (char *)nigran_camera_get_id (camera), camera);
  g_list_store_append (self->cameras, camera);
  _nigran_site_add_camera (site, camera);
  return TRUE;
}

static gboolean
load_ring (const Loader  *loader,
           JsonNode      *node,
           const char    *path,
           NigranZone    *zone,
           GError       **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NigranGeoPoint));
  JsonArray *ring;
  NigranGeoPoint *first, *last;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: expected a ring of positions, found %s", path, describe_node (node));
  ring = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (ring); i++)
    {
      JsonNode *position_node = json_array_get_element (ring, i);
      NigranGeoPoint point;
      JsonArray *position;

      if (!JSON_NODE_HOLDS_ARRAY (position_node) ||
          json_array_get_length (position = json_node_get_array (position_node)) < 2 ||
          !node_is_number (json_array_get_element (position, 0)) ||
          !node_is_number (json_array_get_element (position, 1)))
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s[%u]: expected a position [longitude, latitude]", path, i);

      point.longitude = json_array_get_double_element (position, 0);
      point.latitude = json_array_get_double_element (position, 1);
      if (fabs (point.longitude) > 180 || fabs (point.latitude) > 90)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s[%u]: [%g, %g] is not a [longitude, latitude] on Earth",
                     path, i, point.longitude, point.latitude);
      g_array_append_val (points, point);
    }

  if (points->len < 4)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: a ring needs at least 4 positions, found %u", path, points->len);
  first = &g_array_index (points, NigranGeoPoint, 0);
  last = &g_array_index (points, NigranGeoPoint, points->len - 1);
  if (first->longitude != last->longitude || first->latitude != last->latitude)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: a ring must end where it starts", path);

  _nigran_zone_add_ring (zone, points);
  return TRUE;
}

/* Only the outer ring of each polygon is kept: see nigran-zone.c. */
static gboolean
load_polygon (const Loader  *loader,
              JsonNode      *node,
              const char    *path,
              NigranZone    *zone,
              GError       **error)
{
  g_autofree char *ring_path = g_strdup_printf ("%s[0]", path);
  JsonArray *rings;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (rings = json_node_get_array (node)) == 0)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: expected a polygon (an array of rings)", path);
  return load_ring (loader, json_array_get_element (rings, 0), ring_path, zone, error);
}

static gboolean
load_zone (const Loader  *loader,
           JsonObject    *feature,
           const char    *path,
           GError       **error)
{
  g_autofree char *properties_path = g_strdup_printf ("%s.properties", path);
  g_autofree char *geometry_path = g_strdup_printf ("%s.geometry", path);
  g_autofree char *coordinates_path = NULL;
  g_autoptr(NigranZone) zone = NULL;
  const char *type, *id, *name, *kind, *geometry_type;
  JsonNode *properties_node, *geometry_node, *coordinates;
  JsonObject *properties, *geometry;
  gboolean alerts_nonstandard = FALSE;
  const char *allow_list = NULL, *name_ur = NULL;

  if (!read_string (loader, feature, path, "type", TRUE, &type, error))
    return FALSE;
  if (g_strcmp0 (type, "Feature") != 0)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.type: expected “Feature”, found “%s”", path, type);

  properties_node = json_object_get_member (feature, "properties");
  if (properties_node == NULL || !JSON_NODE_HOLDS_OBJECT (properties_node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: expected an object with the zone’s id, name and kind", properties_path);
  properties = json_node_get_object (properties_node);
  if (!read_string (loader, properties, properties_path, "id", TRUE, &id, error) ||
      !read_string (loader, properties, properties_path, "name", TRUE, &name, error) ||
      !read_string (loader, properties, properties_path, "kind", TRUE, &kind, error))
    return FALSE;

  geometry_node = json_object_get_member (feature, "geometry");
  if (geometry_node == NULL || !JSON_NODE_HOLDS_OBJECT (geometry_node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: expected a GeoJSON geometry object", geometry_path);
  geometry = json_node_get_object (geometry_node);
  if (!read_string (loader, geometry, geometry_path, "type", TRUE, &geometry_type, error))
    return FALSE;
  coordinates = json_object_get_member (geometry, "coordinates");
  coordinates_path = g_strdup_printf ("%s.coordinates", geometry_path);
  if (coordinates == NULL)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: the member “coordinates” is missing", geometry_path);

  zone = _nigran_zone_new (id, name, kind);
  if (!read_boolean (loader, properties, properties_path, "nonstandard_plate_alerts", &alerts_nonstandard, error) ||
      !read_string (loader, properties, properties_path, "allow_list", FALSE, &allow_list, error) ||
      !read_string (loader, properties, properties_path, "name_ur", FALSE, &name_ur, error))
    return FALSE;
  _nigran_zone_set_alerts_nonstandard_plates (zone, alerts_nonstandard);
  _nigran_zone_set_allow_list (zone, allow_list);
  _nigran_zone_set_name_ur (zone, name_ur);

  if (g_strcmp0 (geometry_type, "Polygon") == 0)
    {
      if (!load_polygon (loader, coordinates, coordinates_path, zone, error))
        return FALSE;
    }
  else if (g_strcmp0 (geometry_type, "MultiPolygon") == 0)
    {
      JsonArray *polygons;

      if (!JSON_NODE_HOLDS_ARRAY (coordinates) ||
          json_array_get_length (polygons = json_node_get_array (coordinates)) == 0)
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: expected an array of polygons", coordinates_path);
      for (guint i = 0; i < json_array_get_length (polygons); i++)
        {
          g_autofree char *polygon_path = g_strdup_printf ("%s[%u]", coordinates_path, i);

          if (!load_polygon (loader, json_array_get_element (polygons, i), polygon_path, zone, error))
            return FALSE;
        }
    }
  else
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.type: a zone is a “Polygon” or “MultiPolygon”, not “%s”",
                 geometry_path, geometry_type);

  g_list_store_append (loader->result->zones, zone);
  return TRUE;
}

static gboolean
load_zones (const Loader  *loader,
            JsonObject    *root,
            GError       **error)
{
  JsonNode *zones_node = json_object_get_member (root, "zones");
  JsonObject *collection;
  JsonArray *features;
  const char *type;

  if (zones_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (zones_node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "$.zones: expected a GeoJSON FeatureCollection, found %s",
                 describe_node (zones_node));
  collection = json_node_get_object (zones_node);
  if (!read_string (loader, collection, "$.zones", "type", TRUE, &type, error))
    return FALSE;
  if (g_strcmp0 (type, "FeatureCollection") != 0)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "$.zones.type: expected “FeatureCollection”, found “%s”", type);
  return read_array (loader, collection, "$.zones", "features", TRUE, &features, error) &&
         load_each_object (loader, features, "$.zones.features", load_zone, error);
}

static gboolean
load_map_layer (const Loader  *loader,
                JsonObject    *object,
                const char    *path,
                GError       **error)
{
  static const char * const styles[] = { "districts", "roads", "landmarks", NULL };
  const char *file = NULL, *style = NULL;
  NigranMapLayerFile *layer;

  if (!read_string (loader, object, path, "file", TRUE, &file, error) ||
      !read_string (loader, object, path, "style", TRUE, &style, error))
    return FALSE;
  if (!g_strv_contains (styles, style))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.style: “%s” is not one of districts, roads, landmarks", path, style);
  layer = g_new0 (NigranMapLayerFile, 1);
  layer->path = resolve_path (loader, file);
  layer->style = g_strdup (style);
  g_ptr_array_add (loader->result->map_layers, layer);
  return TRUE;
}

/* The optional "map": base tiles (a file, or a tile server on the network) and
 * GeoJSON layers drawn over them. */
static gboolean
load_map (const Loader  *loader,
          JsonObject    *root,
          GError       **error)
{
  JsonNode *map_node = json_object_get_member (root, "map");
  const char *tiles = NULL, *tile_url = NULL;
  JsonObject *map;
  JsonArray *layers = NULL;

  if (map_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (map_node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID, "$.map: expected an object, found %s",
                 describe_node (map_node));
  map = json_node_get_object (map_node);
  if (!read_string (loader, map, "$.map", "tiles", FALSE, &tiles, error) ||
      !read_string (loader, map, "$.map", "tile_url", FALSE, &tile_url, error) ||
      !read_array (loader, map, "$.map", "layers", FALSE, &layers, error))
    return FALSE;
  if (tile_url != NULL && ((!g_str_has_prefix (tile_url, "http://") && !g_str_has_prefix (tile_url, "https://")) ||
                           strstr (tile_url, "{z}") == NULL || strstr (tile_url, "{x}") == NULL ||
                           strstr (tile_url, "{y}") == NULL))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "$.map.tile_url: expected an http(s) address with {z}, {x} and {y} in it");
  if (tiles != NULL)
    loader->result->map_tiles = resolve_path (loader, tiles);
  loader->result->map_tile_url = g_strdup (tile_url);
  return layers == NULL || load_each_object (loader, layers, "$.map.layers", load_map_layer, error);
}

static gboolean
load_unit (const Loader  *loader,
           JsonObject    *object,
           const char    *path,
           GError       **error)
{
  NigranSiteFile *self = loader->result;
  const char *call_sign, *kind_name, *status_name = NULL;
  double latitude = 0, longitude = 0;
  NigranUnitKind kind;
  NigranUnitStatus status = NIGRAN_UNIT_AVAILABLE;
  g_autoptr(NigranUnit) unit = NULL;

  if (!read_string (loader, object, path, "call_sign", TRUE, &call_sign, error) ||
      !read_string (loader, object, path, "kind", TRUE, &kind_name, error) ||
      !read_number (loader, object, path, "latitude", TRUE, -90, 90, &latitude, error) ||
      !read_number (loader, object, path, "longitude", TRUE, -180, 180, &longitude, error) ||
      !read_string (loader, object, path, "status", FALSE, &status_name, error))
    return FALSE;
  if (strlen (call_sign) > MAX_ID_LENGTH)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.call_sign: longer than %d characters", path, MAX_ID_LENGTH);
  if (g_hash_table_contains (self->units_by_call_sign, call_sign))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.call_sign: “%s” is used twice", path, call_sign);
  if (!nigran_unit_kind_from_string (kind_name, &kind))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.kind: “%s” is not one of patrol-car, motorcycle, response-vehicle, rangers", path, kind_name);
  if (status_name != NULL && !nigran_unit_status_from_string (status_name, &status))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.status: “%s” is not a unit status (available, off-duty …)", path, status_name);

  unit = nigran_unit_new (call_sign, kind, latitude, longitude);
  nigran_unit_set_status (unit, status, NULL, 0);
  g_hash_table_insert (self->units_by_call_sign, (char *) nigran_unit_get_call_sign (unit), unit);
  g_list_store_append (self->units, unit);
  return TRUE;
}

/* Short tokens can be guessed by whoever may reach the SOS intake. */
#define MIN_TOKEN_LENGTH 16

static gboolean
check_token (const Loader *loader,
             const char   *path,
             const char   *token,
             GError      **error)
{
  if (strlen (token) < MIN_TOKEN_LENGTH)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s: a token needs at least %d characters", path, MIN_TOKEN_LENGTH);
  for (const char *p = token; *p; p++)
    if (!g_ascii_isgraph (*p))
      return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                   "%s: a token holds printable ASCII characters only", path);
  return TRUE;
}

static gboolean
load_sos_registration (const Loader  *loader,
                       JsonObject    *object,
                       const char    *path,
                       GError       **error)
{
  g_autofree char *token_path = g_strdup_printf ("%s.token", path);
  const char *site_id, *token;
  NigranSosRegistration *registration;

  if (!read_string (loader, object, path, "site", TRUE, &site_id, error) ||
      !read_string (loader, object, path, "token", TRUE, &token, error) ||
      !check_token (loader, token_path, token, error))
    return FALSE;
  if (!g_hash_table_contains (loader->result->sites_by_id, site_id))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "%s.site: no site has the id “%s”", path, site_id);
  for (guint i = 0; i < loader->result->sos_registrations->len; i++)
    {
      NigranSosRegistration *other = loader->result->sos_registrations->pdata[i];

      if (g_str_equal (other->token, token))
        return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                     "%s: two sites share one token; each site needs its own", token_path);
    }
  registration = g_new0 (NigranSosRegistration, 1);
  registration->site_id = g_strdup (site_id);
  registration->token = g_strdup (token);
  g_ptr_array_add (loader->result->sos_registrations, registration);
  return TRUE;
}

/* The optional "dispatch": SOS sites, the AVL feed's token and the CAD link. */
static gboolean
load_dispatch (const Loader  *loader,
               JsonObject    *root,
               GError       **error)
{
  JsonNode *dispatch_node = json_object_get_member (root, "dispatch");
  const char *avl_token = NULL, *cad_url = NULL, *cad_credential = NULL;
  JsonArray *sos = NULL;
  JsonObject *dispatch;

  if (dispatch_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (dispatch_node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID, "$.dispatch: expected an object, found %s",
                 describe_node (dispatch_node));
  dispatch = json_node_get_object (dispatch_node);
  if (!read_array (loader, dispatch, "$.dispatch", "sos", FALSE, &sos, error) ||
      !read_string (loader, dispatch, "$.dispatch", "avl_token", FALSE, &avl_token, error) ||
      (avl_token != NULL && !check_token (loader, "$.dispatch.avl_token", avl_token, error)) ||
      !read_string (loader, dispatch, "$.dispatch", "cad_url", FALSE, &cad_url, error) ||
      !read_string (loader, dispatch, "$.dispatch", "cad_credential", FALSE, &cad_credential, error))
    return FALSE;
  if (cad_url != NULL && !g_str_has_prefix (cad_url, "https://") && !g_str_has_prefix (cad_url, "http://"))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "$.dispatch.cad_url: expected an https address, found “%s”", cad_url);
  loader->result->avl_token = g_strdup (avl_token);
  loader->result->cad_url = g_strdup (cad_url);
  loader->result->cad_credential = g_strdup (cad_credential);
  return sos == NULL || load_each_object (loader, sos, "$.dispatch.sos", load_sos_registration, error);
}

static gboolean
load_root (const Loader  *loader,
           JsonNode      *root_node,
           GError       **error)
{
  JsonObject *root;
  JsonArray *sites, *cameras, *units = NULL;
  double version = 0;
  const char *name = NULL;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_INVALID,
                 "$: expected an object, found %s", describe_node (root_node));
  root = json_node_get_object (root_node);

  if (!read_number (loader, root, "$", "version", TRUE, 0, G_MAXINT, &version, error))
    return FALSE;
  if (version != NIGRAN_SITE_FILE_VERSION)
    return fail (loader, error, NIGRAN_SITE_FILE_ERROR_VERSION,
                 "$.version: this Nigran reads site files of version %d, not %g",
                 NIGRAN_SITE_FILE_VERSION, version);
  if (!read_string (loader, root, "$", "name", FALSE, &name, error))
    return FALSE;
  loader->result->name = g_strdup (name);

  return read_array (loader, root, "$", "sites", TRUE, &sites, error) &&
         load_each_object (loader, sites, "$.sites", load_site, error) &&
         read_array (loader, root, "$", "cameras", TRUE, &cameras, error) &&
         load_each_object (loader, cameras, "$.cameras", load_camera, error) &&
         load_zones (loader, root, error) &&
         load_map (loader, root, error) &&
         read_array (loader, root, "$", "units", FALSE, &units, error) &&
         (units == NULL || load_each_object (loader, units, "$.units", load_unit, error)) &&
         load_dispatch (loader, root, error);
}

static void
free_map_layer (gpointer data)
{
  NigranMapLayerFile *layer = data;

  g_free (layer->path);
  g_free (layer->style);
  g_free (layer);
}

static void
free_sos_registration (gpointer data)
{
  NigranSosRegistration *registration = data;

  g_free (registration->site_id);
  g_free (registration->token);
  g_free (registration);
}

static void
nigran_site_file_finalize (GObject *object)
{
  NigranSiteFile *self = (NigranSiteFile *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->cameras_by_id, g_hash_table_unref);
  g_clear_pointer (&self->sites_by_id, g_hash_table_unref);
  g_clear_object (&self->sites);
  g_clear_object (&self->cameras);
  g_clear_object (&self->zones);
  g_clear_pointer (&self->map_tiles, g_free);
  g_clear_pointer (&self->map_tile_url, g_free);
  g_clear_pointer (&self->map_layers, g_ptr_array_unref);
  g_clear_pointer (&self->units_by_call_sign, g_hash_table_unref);
  g_clear_object (&self->units);
  g_clear_pointer (&self->sos_registrations, g_ptr_array_unref);
  g_clear_pointer (&self->avl_token, g_free);
  g_clear_pointer (&self->cad_url, g_free);
  g_clear_pointer (&self->cad_credential, g_free);

  G_OBJECT_CLASS (nigran_site_file_parent_class)->finalize (object);
}

static void
nigran_site_file_class_init (NigranSiteFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_site_file_finalize;
}

static void
nigran_site_file_init (NigranSiteFile *self)
{
  self->sites = g_list_store_new (NIGRAN_TYPE_SITE);
  self->cameras = g_list_store_new (NIGRAN_TYPE_CAMERA);
  self->zones = g_list_store_new (NIGRAN_TYPE_ZONE);
  self->cameras_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->sites_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->map_layers = g_ptr_array_new_with_free_func (free_map_layer);
  self->units = g_list_store_new (NIGRAN_TYPE_UNIT);
  self->units_by_call_sign = g_hash_table_new (g_str_hash, g_str_equal);
  self->sos_registrations = g_ptr_array_new_with_free_func (free_sos_registration);
}

/* display_name names the source in errors; base_dir resolves relative footage paths. */
NigranSiteFile *
nigran_site_file_new_from_data (const char  *data,
                                gssize       length,
                                const char  *display_name,
                                const char  *base_dir,
                                GError     **error)
{
  g_autoptr(NigranSiteFile) self = g_object_new (NIGRAN_TYPE_SITE_FILE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  Loader loader = { display_name ? display_name : "site file", base_dir, self };

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = strlen (data);

  if (!check_nesting (data, length, &loader, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      fail (&loader, error, NIGRAN_SITE_FILE_ERROR_SYNTAX, "not valid JSON: %s",
            parse_error->message);
      return NULL;
    }

  if (!load_root (&loader, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

NigranSiteFile *
nigran_site_file_new_from_file (const char  *path,
                                GError     **error)
{
  g_autoptr(GError) read_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base_dir = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &read_error))
    {
      g_set_error (error, NIGRAN_SITE_FILE_ERROR, NIGRAN_SITE_FILE_ERROR_READ,
                   "%s: cannot read the site file: %s", path, read_error->message);
      return NULL;
    }
  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, NIGRAN_SITE_FILE_ERROR, NIGRAN_SITE_FILE_ERROR_READ,
                   "%s: larger than %d MiB; this is not a site file", path,
                   MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  base_dir = g_path_get_dirname (path);
  return nigran_site_file_new_from_data (contents, length, path, base_dir, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  NigranSiteFile *site_file = nigran_site_file_new_from_file (task_data, &error);

  if (site_file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, site_file, g_object_unref);
}

void
nigran_site_file_load_async (const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, nigran_site_file_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

NigranSiteFile *
nigran_site_file_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
nigran_site_file_get_name (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->name;
}

GListModel *
nigran_site_file_get_sites (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return G_LIST_MODEL (self->sites);
}

GListModel *
nigran_site_file_get_cameras (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return G_LIST_MODEL (self->cameras);
}

GListModel *
nigran_site_file_get_zones (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return G_LIST_MODEL (self->zones);
}

NigranCamera *
nigran_site_file_lookup_camera (NigranSiteFile *self,
                                const char     *camera_id)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return camera_id ? g_hash_table_lookup (self->cameras_by_id, camera_id) : NULL;
}

NigranSite *
nigran_site_file_lookup_site (NigranSiteFile *self,
                              const char     *site_id)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return site_id ? g_hash_table_lookup (self->sites_by_id, site_id) : NULL;
}

/* Returns: (nullable): the MBTiles file of the map's base layer */
const char *
nigran_site_file_get_map_tiles (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->map_tiles;
}

/* Returns: (nullable): a tile server's address template, for a network that runs one */
const char *
nigran_site_file_get_map_tile_url (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->map_tile_url;
}

/* Returns: (element-type NigranMapLayerFile): the GeoJSON layers drawn over the map */
GPtrArray *
nigran_site_file_get_map_layers (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->map_layers;
}

/* Returns: (transfer none): the registered units (#NigranUnit), as the site file sets them out */
GListModel *
nigran_site_file_get_units (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return G_LIST_MODEL (self->units);
}

/* Returns: (transfer none) (element-type NigranSosRegistration): the sites that may post an SOS */
GPtrArray *
nigran_site_file_get_sos_registrations (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->sos_registrations;
}

const char *
nigran_site_file_get_avl_token (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->avl_token;
}

const char *
nigran_site_file_get_cad_url (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->cad_url;
}

const char *
nigran_site_file_get_cad_credential (NigranSiteFile *self)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  return self->cad_credential;
}

/**
 * nigran_site_file_find_zone:
 *
 * A loaded site file does not change: this and nigran_site_file_dup_nearest_cameras()
 * may be called from any thread.
 *
 * Returns: (nullable): the id of the first zone that contains the place
 */
const char *
nigran_site_file_find_zone (NigranSiteFile *self,
                            double          latitude,
                            double          longitude)
{
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (self), NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->zones)); i++)
    {
      g_autoptr(NigranZone) zone = g_list_model_get_item (G_LIST_MODEL (self->zones), i);

      if (nigran_zone_contains (zone, latitude, longitude))
        return nigran_zone_get_id (zone);
    }
  return NULL;
}

static int
compare_by_distance (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  const double *distances = user_data;
  guint index_a = *(const guint *) a, index_b = *(const guint *) b;

  return (distances[index_a] > distances[index_b]) - (distances[index_a] < distances[index_b]);
}

/* Returns: (transfer full): the ids of the @n cameras nearest to the place, nearest first */
GStrv
nigran_site_file_dup_nearest_cameras (NigranSiteFile *self,
                                      double          latitude,
                                      double          longitude,
                                      guint           n)
{
  GListModel *cameras = G_LIST_MODEL (self->cameras);
  guint n_cameras = g_list_model_get_n_items (cameras);
  g_autofree double *distances = g_new (double, n_cameras);
  g_autofree guint *order = g_new (guint, n_cameras);
  g_autoptr(GStrvBuilder) nearest = g_strv_builder_new ();

  for (guint i = 0; i < n_cameras; i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);

      distances[i] = nigran_geo_distance_m (latitude, longitude, nigran_camera_get_latitude (camera),
                                            nigran_camera_get_longitude (camera));
      order[i] = i;
    }
  g_qsort_with_data (order, n_cameras, sizeof (guint), compare_by_distance, distances);
  for (guint i = 0; i < MIN (n_cameras, n); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, order[i]);

      g_strv_builder_add (nearest, nigran_camera_get_id (camera));
    }
  return g_strv_builder_end (nearest);
}
