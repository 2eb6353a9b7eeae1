/* nigran-mbtiles-source.h: map tiles from an MBTiles file, for libshumate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define NIGRAN_MBTILES_SOURCE_ERROR (nigran_mbtiles_source_error_quark ())

typedef enum
{
  NIGRAN_MBTILES_SOURCE_ERROR_OPEN,     /* missing, unreadable, or not SQLite */
  NIGRAN_MBTILES_SOURCE_ERROR_INVALID,  /* SQLite, but not MBTiles */
} NigranMbtilesSourceError;

#define NIGRAN_TYPE_MBTILES_SOURCE (nigran_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (NigranMbtilesSource, nigran_mbtiles_source, NIGRAN, MBTILES_SOURCE, ShumateDataSource)

GQuark               nigran_mbtiles_source_error_quark    (void);
NigranMbtilesSource *nigran_mbtiles_source_new            (const char          *path,
                                                           GError             **error);
const char          *nigran_mbtiles_source_get_name       (NigranMbtilesSource *self);
const char          *nigran_mbtiles_source_get_attribution (NigranMbtilesSource *self);
guint                nigran_mbtiles_source_get_min_zoom   (NigranMbtilesSource *self);
guint                nigran_mbtiles_source_get_max_zoom   (NigranMbtilesSource *self);
ShumateMapSource    *nigran_mbtiles_source_new_map_source (NigranMbtilesSource *self);

G_END_DECLS
