/* nigran-mbtiles-source.c: map tiles from an MBTiles file, for libshumate
 *
 * MBTiles numbers rows from the south (TMS) where libshumate numbers them from the
 * north (XYZ): row = 2^zoom − 1 − y.  Tiles are read on worker threads; a tile the
 * file does not have is reported as not found, and the map leaves that square empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-mbtiles-source.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

struct _NigranMbtilesSource
{
  ShumateDataSource  parent_instance;

  GMutex             lock;      /* guards the statement */
  sqlite3           *database;
  sqlite3_stmt      *select_tile;

  char              *name;
  char              *attribution;
  guint              min_zoom;
  guint              max_zoom;
};

G_DEFINE_TYPE (NigranMbtilesSource, nigran_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)
G_DEFINE_QUARK (nigran-mbtiles-source-error-quark, nigran_mbtiles_source_error)

typedef struct
{
  int x;
  int y;
  int zoom;
} TileRequest;

static GBytes *
read_tile (NigranMbtilesSource *self,
           const TileRequest   *request,
           GError             **error)
{
  GBytes *bytes = NULL;
  int status;

  if (request->zoom < 0 || request->zoom > 30 || request->x < 0 || request->y < 0 ||
      request->x >= (1 << request->zoom) || request->y >= (1 << request->zoom))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No tile %d/%d/%d", request->zoom, request->x, request->y);
      return NULL;
    }

  g_mutex_lock (&self->lock);
  sqlite3_bind_int (self->select_tile, 1, request->zoom);
  sqlite3_bind_int (self->select_tile, 2, request->x);
  sqlite3_bind_int (self->select_tile, 3, (1 << request->zoom) - 1 - request->y);
  status = sqlite3_step (self->select_tile);
  if (status == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (self->select_tile, 0), sqlite3_column_bytes (self->select_tile, 0));
  else if (status == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The map file has no tile %d/%d/%d",
                 request->zoom, request->x, request->y);
  else
    g_set_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_INVALID,
                 _("The map file could not be read: %s"), sqlite3_errmsg (self->database));
  sqlite3_reset (self->select_tile);
  sqlite3_clear_bindings (self->select_tile);
  g_mutex_unlock (&self->lock);
  return bytes;
}

static void
read_tile_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable G_GNUC_UNUSED)
{
  GError *error = NULL;
  GBytes *bytes = read_tile (source_object, task_data, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/* Back on the map's thread: libshumate 1.0's raster renderer takes the tile from the
 * "received-data" signal, the caller learns from the result that it is done. */
static void
on_tile_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  const TileRequest *request = g_task_get_task_data (outer);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  g_signal_emit_by_name (source, "received-data", request->x, request->y, request->zoom, bytes);
  g_task_return_pointer (outer, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
get_tile_data_async (ShumateDataSource   *source,
                     int                  x,
                     int                  y,
                     int                  zoom_level,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) outer = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (source, cancellable, on_tile_read, g_object_ref (outer));
  TileRequest *request = g_new (TileRequest, 1);

  *request = (TileRequest) { x, y, zoom_level };
  g_task_set_source_tag (outer, get_tile_data_async);
  g_task_set_task_data (outer, request, g_free);
  g_task_set_task_data (inner, g_memdup2 (request, sizeof *request), g_free);
  g_task_run_in_thread (inner, read_tile_in_thread);
}

static GBytes *
get_tile_data_finish (ShumateDataSource *source,
                      GAsyncResult      *result,
                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
nigran_mbtiles_source_finalize (GObject *object)
{
  NigranMbtilesSource *self = NIGRAN_MBTILES_SOURCE (object);

  sqlite3_finalize (self->select_tile);
  sqlite3_close (self->database);
  g_mutex_clear (&self->lock);
  g_free (self->name);
  g_free (self->attribution);
  G_OBJECT_CLASS (nigran_mbtiles_source_parent_class)->finalize (object);
}

static void
nigran_mbtiles_source_class_init (NigranMbtilesSourceClass *klass)
{
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nigran_mbtiles_source_finalize;
  source_class->get_tile_data_async = get_tile_data_async;
  source_class->get_tile_data_finish = get_tile_data_finish;
}

static void
nigran_mbtiles_source_init (NigranMbtilesSource *self)
{
  g_mutex_init (&self->lock);
  self->max_zoom = 18;
}

static void
read_metadata (NigranMbtilesSource *self)
{
  sqlite3_stmt *statement = NULL;

  if (sqlite3_prepare_v2 (self->database, "SELECT name, value FROM metadata", -1, &statement, NULL) != SQLITE_OK)
    return;  /* the metadata table is optional in practice */
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (statement, 0);
      const char *value = (const char *) sqlite3_column_text (statement, 1);

      if (key == NULL || value == NULL)
        continue;
      if (g_str_equal (key, "name"))
        {
          g_free (self->name);
          self->name = g_strdup (value);
        }
      else if (g_str_equal (key, "attribution"))
        {
          g_free (self->attribution);
          self->attribution = g_strdup (value);
        }
      else if (g_str_equal (key, "minzoom"))
        self->min_zoom = MIN (g_ascii_strtoull (value, NULL, 10), 30);
      else if (g_str_equal (key, "maxzoom"))
        self->max_zoom = MIN (g_ascii_strtoull (value, NULL, 10), 30);
    }
  sqlite3_finalize (statement);
  if (self->min_zoom > self->max_zoom)
    self->min_zoom = 0;
}

/**
 * nigran_mbtiles_source_new:
 *
 * Opens @path read-only.  Call it from a worker.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL with @error set
 */
NigranMbtilesSource *
nigran_mbtiles_source_new (const char *path,
                           GError    **error)
{
  g_autoptr(NigranMbtilesSource) self = g_object_new (NIGRAN_TYPE_MBTILES_SOURCE, NULL);
  g_autofree char *basename = g_path_get_basename (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_OPEN,
                   _("The map file %s does not exist"), path);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &self->database, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK ||
      sqlite3_exec (self->database, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_OPEN,
                   _("The map file %s could not be opened: %s"), path, sqlite3_errmsg (self->database));
      return NULL;
    }
  if (sqlite3_prepare_v2 (self->database,
                          "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                          -1, &self->select_tile, NULL) != SQLITE_OK)
    {
      g_set_error (error, NIGRAN_MBTILES_SOURCE_ERROR, NIGRAN_MBTILES_SOURCE_ERROR_INVALID,
                   _("The map file %s is not MBTiles: %s"), path, sqlite3_errmsg (self->database));
      return NULL;
    }
  self->name = g_strdup (basename);
  read_metadata (self);
  return g_steal_pointer (&self);
}

const char *
nigran_mbtiles_source_get_name (NigranMbtilesSource *self)
{
  g_return_val_if_fail (NIGRAN_IS_MBTILES_SOURCE (self), NULL);
  return self->name;
}

const char *
nigran_mbtiles_source_get_attribution (NigranMbtilesSource *self)
{
  g_return_val_if_fail (NIGRAN_IS_MBTILES_SOURCE (self), NULL);
  return self->attribution;
}

guint
nigran_mbtiles_source_get_min_zoom (NigranMbtilesSource *self)
{
  g_return_val_if_fail (NIGRAN_IS_MBTILES_SOURCE (self), 0);
  return self->min_zoom;
}

guint
nigran_mbtiles_source_get_max_zoom (NigranMbtilesSource *self)
{
  g_return_val_if_fail (NIGRAN_IS_MBTILES_SOURCE (self), 0);
  return self->max_zoom;
}

/* Returns: (transfer full): a raster map source drawing this file's tiles */
ShumateMapSource *
nigran_mbtiles_source_new_map_source (NigranMbtilesSource *self)
{
  g_return_val_if_fail (NIGRAN_IS_MBTILES_SOURCE (self), NULL);
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("nigran-mbtiles", self->name,
                                                              self->attribution, NULL,
                                                              self->min_zoom, self->max_zoom, 256,
                                                              SHUMATE_MAP_PROJECTION_MERCATOR,
                                                              SHUMATE_DATA_SOURCE (self)));
}
