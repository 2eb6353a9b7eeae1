/* test-site-file.c: the site file loader on the demo site, good files and broken ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "core/nigran-site-file.h"

static char *
test_file (const char *name)
{
  return g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "sites", name, NULL);
}

static void
test_demo_site (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NIGRAN_DATADIR"), "demo-site.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_file (path, &error);
  GListModel *cameras, *sites, *zones;
  const char * const landmarks[] = { "sindh-assembly", "cm-house", "governor-house",
                                     "shahrah-e-faisal", "airport-corridor", "korangi-industrial", NULL };
  NigranZone *red_zone = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (site_file);

  cameras = nigran_site_file_get_cameras (site_file);
  sites = nigran_site_file_get_sites (site_file);
  zones = nigran_site_file_get_zones (site_file);
  g_assert_cmpuint (g_list_model_get_n_items (cameras), >=, 16);
  g_assert_cmpuint (g_list_model_get_n_items (zones), ==, 3);
  for (guint i = 0; i < g_list_model_get_n_items (zones); i++)
    {
      g_autoptr(NigranZone) zone = g_list_model_get_item (zones, i);

      g_assert_nonnull (nigran_zone_get_name_ur (zone));
    }
  /* The map's optional layers, relative to the site file. */
  g_assert_true (g_str_has_suffix (nigran_site_file_get_map_tiles (site_file), "countries_pakistan_z0-6.mbtiles"));
  g_assert_true (g_path_is_absolute (nigran_site_file_get_map_tiles (site_file)));
  g_assert_null (nigran_site_file_get_map_tile_url (site_file));
  g_assert_cmpuint (nigran_site_file_get_map_layers (site_file)->len, ==, 2);
  g_assert_cmpstr (((NigranMapLayerFile *) nigran_site_file_get_map_layers (site_file)->pdata[1])->style, ==, "roads");

  for (guint i = 0; landmarks[i] != NULL; i++)
    {
      NigranSite *site = nigran_site_file_lookup_site (site_file, landmarks[i]);

      g_assert_nonnull (site);
      g_assert_true (nigran_site_get_approximate (site));
      g_assert_cmpuint (g_list_model_get_n_items (nigran_site_get_cameras (site)), >=, 1);
    }

  for (guint i = 0; i < g_list_model_get_n_items (sites); i++)
    {
      g_autoptr(NigranSite) site = g_list_model_get_item (sites, i);

      /* Karachi */
      g_assert_cmpfloat (nigran_site_get_latitude (site), >, 24.7);
      g_assert_cmpfloat (nigran_site_get_latitude (site), <, 25.0);
      g_assert_cmpfloat (nigran_site_get_longitude (site), >, 66.9);
      g_assert_cmpfloat (nigran_site_get_longitude (site), <, 67.3);
    }

  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);

      g_assert_true (nigran_camera_get_simulated (camera));
      g_assert_nonnull (nigran_camera_get_site (camera));
      g_assert_null (nigran_camera_get_uri (camera, NIGRAN_STREAM_MAIN));
    }

  for (guint i = 0; i < g_list_model_get_n_items (zones); i++)
    {
      g_autoptr(NigranZone) zone = g_list_model_get_item (zones, i);

      if (g_str_equal (nigran_zone_get_id (zone), "red-zone"))
        red_zone = zone;
    }
  g_assert_nonnull (red_zone);
  /* Sindh Assembly is in the red zone; Jinnah airport is not. */
  g_assert_true (nigran_zone_contains (red_zone, 24.8528, 67.0106));
  g_assert_false (nigran_zone_contains (red_zone, 24.9008, 67.1681));
}

static void
test_good_minimal (void)
{
  g_autofree char *path = test_file ("good-minimal.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_file (path, &error);
  NigranCamera *camera;

  g_assert_no_error (error);
  camera = nigran_site_file_lookup_camera (site_file, "c1");
  g_assert_nonnull (camera);
  g_assert_cmpstr (nigran_camera_get_uri (camera, NIGRAN_STREAM_MAIN), ==, "rtsp://10.0.0.5/main");
  g_assert_cmpstr (nigran_camera_get_uri (camera, NIGRAN_STREAM_SUB), ==, "rtsp://10.0.0.5/sub");
  g_assert_cmpstr (nigran_camera_get_credential_ref (camera), ==, "keyring:cam-c1");
  g_assert_cmpfloat (nigran_camera_get_heading (camera), ==, 90);
  g_assert_cmpstr (nigran_site_get_name (nigran_camera_get_site (camera)), ==, "Site one");
  g_assert_false (nigran_camera_get_simulated (camera));
}

static void
test_sub_stream_falls_back_to_main (void)
{
  const char *json =
    "{\"version\":1,\"sites\":[{\"id\":\"s\",\"name\":\"S\",\"kind\":\"other\",\"latitude\":1,\"longitude\":2}],"
    "\"cameras\":[{\"id\":\"c\",\"name\":\"C\",\"site\":\"s\",\"latitude\":1,\"longitude\":2,"
    "\"streams\":{\"main\":\"rtsp://cam/only\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_data (json, -1, "inline", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (nigran_camera_get_uri (nigran_site_file_lookup_camera (site_file, "c"), NIGRAN_STREAM_SUB),
                   ==, "rtsp://cam/only");
}

typedef struct
{
  const char *file;
  int         code;
  const char *says;   /* part of the message: the JSON path and what is wrong */
} BrokenFile;

static const BrokenFile broken_files[] = {
  { "bad-camera-reads-plates.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].reads_plates: expected true or false, found a string" },
  { "bad-camera-scene.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].simulated.scene: the only scene is “traffic”, not “rain”" },
  { "bad-camera-scene-and-footage.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].simulated: a simulated camera shows either" },
  { "bad-zone-allow-list.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].properties.allow_list: expected a string" },
  { "bad-zone-nonstandard.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].properties.nonstandard_plate_alerts: expected true or false" },
  { "bad-version.json", NIGRAN_SITE_FILE_ERROR_VERSION, "$.version: this Nigran reads site files of version 1, not 2" },
  { "bad-version-type.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.version: expected a number, found a string" },
  { "bad-no-sites.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$: the member “sites” is missing" },
  { "bad-sites-object.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites: expected an array, found an object" },
  { "bad-site-not-object.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[0]: expected an object, found a number" },
  { "bad-site-kind.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[0].kind: “castle” is not one of" },
  { "bad-site-latitude.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[0].latitude: 124.5 is outside -90 to 90" },
  { "bad-site-longitude-string.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[0].longitude: expected a number, found a string" },
  { "bad-site-empty-name.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[0].name: must not be empty" },
  { "bad-site-id-chars.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[0].id: “s 1/../x” may hold only" },
  { "bad-duplicate-site.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.sites[1].id: “s1” is used twice" },
  { "bad-camera-unknown-site.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].site: no site has the id “nowhere”" },
  { "bad-camera-no-streams.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0]: the member “streams” is missing" },
  { "bad-camera-streams-array.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].streams: expected an object, found an array" },
  { "bad-camera-main-missing.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].streams: the member “main” is missing" },
  { "bad-camera-uri.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].streams.main: “not a uri” is not a URI" },
  { "bad-camera-scheme.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].streams.main: the scheme “ftp” is not one of" },
  { "bad-camera-password-uri.json", NIGRAN_SITE_FILE_ERROR_SECRET, "$.cameras[0].streams.main: the URI holds a password" },
  { "bad-camera-password-member.json", NIGRAN_SITE_FILE_ERROR_SECRET, "$.cameras[0]: a site file holds no passwords" },
  { "bad-camera-heading.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].heading: 400 is outside 0 to 360" },
  { "bad-camera-fov-null.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0].field_of_view: expected a number, found null" },
  { "bad-camera-both.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[0]: a camera has either “streams” or “simulated”" },
  { "bad-duplicate-camera.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.cameras[1].id: “c1” is used twice" },
  { "bad-zones-type.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.type: expected “FeatureCollection”, found “Feature”" },
  { "bad-zone-geometry-point.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].geometry.type: a zone is a “Polygon” or “MultiPolygon”" },
  { "bad-zone-open-ring.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].geometry.coordinates[0]: a ring must end where it starts" },
  { "bad-zone-short-ring.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].geometry.coordinates[0]: a ring needs at least 4 positions" },
  { "bad-zone-position.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].geometry.coordinates[0][0]: expected a position" },
  { "bad-zone-no-properties.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.zones.features[0].properties: expected an object" },
  { "bad-root-array.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$: expected an object, found an array" },
  { "bad-empty.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$: expected an object, found null" },
  { "bad-truncated.json", NIGRAN_SITE_FILE_ERROR_SYNTAX, "not valid JSON" },
  { "bad-deep-nesting.json", NIGRAN_SITE_FILE_ERROR_SYNTAX, "nested deeper than 64 levels" },
  { "bad-not-utf8.json", NIGRAN_SITE_FILE_ERROR_SYNTAX, "not valid JSON" },
  { "bad-trailing-garbage.json", NIGRAN_SITE_FILE_ERROR_SYNTAX, "not valid JSON" },
  { "does-not-exist.json", NIGRAN_SITE_FILE_ERROR_READ, "cannot read the site file" },
  { "bad-map-type.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.map: expected an object, found an array" },
  { "bad-map-style.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.map.layers[0].style: “streets” is not one of" },
  { "bad-map-layer-file.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.map.layers[0]" },
  { "bad-map-tile-url.json", NIGRAN_SITE_FILE_ERROR_INVALID, "$.map.tile_url: expected an http(s) address" },
  { "bad-map-tile-url-template.json", NIGRAN_SITE_FILE_ERROR_INVALID, "with {z}, {x} and {y}" },
};

static void
test_broken_file (gconstpointer data)
{
  const BrokenFile *broken = data;
  g_autofree char *path = test_file (broken->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_file (path, &error);

  g_assert_null (site_file);
  g_assert_error (error, NIGRAN_SITE_FILE_ERROR, broken->code);
  /* The message names the file, then the JSON path and the problem. */
  g_assert_true (g_str_has_prefix (error->message, path));
  if (strstr (error->message, broken->says) == NULL)
    g_error ("%s: expected “%s” in “%s”", broken->file, broken->says, error->message);
  /* A password never reaches a message that may be logged. */
  g_assert_null (strstr (error->message, "hunter2"));
}

/* Every broken file of the corpus above is checked; this makes sure none is missed. */
static void
test_corpus_complete (void)
{
  g_autofree char *dir_path = g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "sites", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_broken = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      if (!g_str_has_prefix (name, "bad-"))
        continue;
      n_broken++;
      for (guint i = 0; i < G_N_ELEMENTS (broken_files); i++)
        listed |= g_str_equal (broken_files[i].file, name);
      if (!listed)
        g_error ("%s is not checked by test-site-file.c", name);
    }
  g_assert_cmpuint (n_broken, >=, 30);
}

/* Truncations and byte flips of a real site file: any outcome but a crash or a
 * silent half-load is fine. */
static void
test_mutations (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NIGRAN_DATADIR"), "demo-site.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  static const char replacements[] = "{}[]\":,0a-.\\ \x01\xff";
  gsize length;
  guint n_rejected = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  for (gsize cut = 0; cut < length; cut += 61)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_data (contents, cut, "cut", NULL, &error);

      g_assert_true ((site_file == NULL) == (error != NULL));
      n_rejected += site_file == NULL;
    }

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *mutated = g_memdup2 (contents, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(NigranSiteFile) site_file = NULL;

      for (guint flips = g_rand_int_range (rand, 1, 4); flips > 0; flips--)
        mutated[g_rand_int_range (rand, 0, length)] = replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
      site_file = nigran_site_file_new_from_data (mutated, length, "mutated", NULL, &error);
      g_assert_true ((site_file == NULL) == (error != NULL));
      if (site_file != NULL)
        g_assert_cmpuint (g_list_model_get_n_items (nigran_site_file_get_cameras (site_file)), >=, 1);
    }

  g_assert_cmpuint (n_rejected, >, 0);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  NigranSiteFile **out = data;
  g_autoptr(GError) error = NULL;

  *out = nigran_site_file_load_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_load_async (void)
{
  g_autofree char *path = test_file ("good-minimal.json");
  g_autoptr(NigranSiteFile) site_file = NULL;

  nigran_site_file_load_async (path, NULL, on_loaded, &site_file);
  while (site_file == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (nigran_site_file_lookup_camera (site_file, "c1"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/site-file/demo-site", test_demo_site);
  g_test_add_func ("/site-file/good-minimal", test_good_minimal);
  g_test_add_func ("/site-file/sub-falls-back-to-main", test_sub_stream_falls_back_to_main);
  g_test_add_func ("/site-file/corpus-complete", test_corpus_complete);
  g_test_add_func ("/site-file/mutations", test_mutations);
  g_test_add_func ("/site-file/load-async", test_load_async);
  for (guint i = 0; i < G_N_ELEMENTS (broken_files); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/site-file/broken/%s", broken_files[i].file);
      g_test_add_data_func (test_path, &broken_files[i], test_broken_file);
    }

  return g_test_run ();
}
