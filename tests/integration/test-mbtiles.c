/* test-mbtiles.c: the offline base map, read from a real MBTiles file
 *
 * Every tile of ../shared/data/maps/world-raster is also there as an XYZ PNG file;
 * reading each through the source by its XYZ number must give that file's bytes,
 * which proves the TMS row flip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gui/nigran-mbtiles-source.h"
#include "test-utils.h"

static char *
world_raster (const char *relative)
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  char *path = shared != NULL ? g_build_filename (shared, "maps", "world-raster", relative, NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/maps/world-raster is absent");
      g_clear_pointer (&path, g_free);
    }
  return path;
}

typedef struct
{
  GBytes *bytes;
  GError *error;
  gboolean done;
  guint n_received;
} TileResult;

static void
on_received (ShumateDataSource *source G_GNUC_UNUSED,
             int                x G_GNUC_UNUSED,
             int                y G_GNUC_UNUSED,
             int                zoom G_GNUC_UNUSED,
             GBytes            *bytes G_GNUC_UNUSED,
             TileResult        *result)
{
  result->n_received++;
}

static void
on_tile (GObject      *source,
         GAsyncResult *async_result,
         gpointer      user_data)
{
  TileResult *result = user_data;

  result->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source), async_result, &result->error);
  result->done = TRUE;
}

static TileResult
read_tile (NigranMbtilesSource *source,
           int                  x,
           int                  y,
           int                  zoom)
{
  TileResult result = { 0 };
  gulong handler = g_signal_connect (source, "received-data", G_CALLBACK (on_received), &result);

  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, zoom, NULL, on_tile, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (source, handler);
  return result;
}

static void
test_world_raster (void)
{
  g_autofree char *mbtiles = world_raster ("countries_pakistan_z0-6.mbtiles");
  g_autofree char *tiles = world_raster ("tiles");
  g_autoptr(NigranMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;
  guint n_compared = 0;

  if (mbtiles == NULL || tiles == NULL)
    return;
  source = nigran_mbtiles_source_new (mbtiles, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_mbtiles_source_get_min_zoom (source), ==, 0);
  g_assert_cmpuint (nigran_mbtiles_source_get_max_zoom (source), ==, 6);
  g_assert_nonnull (strstr (nigran_mbtiles_source_get_attribution (source), "Natural Earth"));

  for (int zoom = 0; zoom <= 6; zoom++)
    for (int x = 0; x < (1 << zoom); x++)
      for (int y = 0; y < (1 << zoom); y++)
        {
          g_autofree char *png = g_strdup_printf ("%s/%d/%d/%d.png", tiles, zoom, x, y);
          g_autofree char *expected = NULL;
          gsize expected_length;
          TileResult result;

          if (!g_file_get_contents (png, &expected, &expected_length, NULL))
            continue;
          result = read_tile (source, x, y, zoom);
          g_assert_no_error (result.error);
          g_assert_cmpmem (g_bytes_get_data (result.bytes, NULL), g_bytes_get_size (result.bytes),
                           expected, expected_length);
          /* libshumate 1.0's raster renderer takes the tile from this signal */
          g_assert_cmpuint (result.n_received, ==, 1);
          g_bytes_unref (result.bytes);
          n_compared++;
        }
  g_assert_cmpuint (n_compared, ==, 107);

  {
    /* z6 holds only Pakistan's tiles: the Atlantic's is missing, which is no error
     * of the file's but a square the map leaves empty. */
    TileResult missing = read_tile (source, 0, 0, 6);
    TileResult outside = read_tile (source, 64, 0, 6);

    g_assert_error (missing.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_cmpuint (missing.n_received, ==, 0);
    g_assert_error (outside.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&missing.error);
    g_clear_error (&outside.error);
  }

  {
    g_autoptr(ShumateMapSource) map_source = nigran_mbtiles_source_new_map_source (source);

    g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 6);
    g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);
  }
}

static void
test_broken_files (void)
{
  g_autofree char *work = g_dir_make_tmp ("nigran-mbtiles-XXXXXX", NULL);
  g_autofree char *text = g_build_filename (work, "notes.mbtiles", NULL);
  g_autofree char *other = g_build_filename (work, "other.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranMbtilesSource) source = NULL;
  sqlite3 *database;

  source = nigran_mbtiles_source_new ("/nonexistent/karachi.mbtiles", &error);
  g_assert_null (source);
  g_assert_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "/nonexistent/karachi.mbtiles"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "not a map, just some words\n", -1, NULL));
  source = nigran_mbtiles_source_new (text, &error);
  g_assert_null (source);
  g_assert_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_OPEN);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (other, &database), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (database, "CREATE TABLE accounts (name TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (database);
  source = nigran_mbtiles_source_new (other, &error);
  g_assert_null (source);
  g_assert_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not MBTiles"));

  test_remove_directory (work);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mbtiles/world-raster", test_world_raster);
  g_test_add_func ("/mbtiles/broken-files", test_broken_files);
  return g_test_run ();
}
