/* nigran-geo-layer.h: the features of one GeoJSON file, ready to draw and to route on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_GEO_LAYER_ERROR (nigran_geo_layer_error_quark ())

typedef enum
{
  NIGRAN_GEO_LAYER_ERROR_READ,     /* the file could not be read */
  NIGRAN_GEO_LAYER_ERROR_SYNTAX,   /* not JSON */
  NIGRAN_GEO_LAYER_ERROR_INVALID,  /* JSON, but not GeoJSON this loader understands */
} NigranGeoLayerError;

typedef enum
{
  NIGRAN_GEO_POINT,
  NIGRAN_GEO_LINE,
  NIGRAN_GEO_POLYGON,
} NigranGeoShape;

/* A polygon's rings (outer and holes), a line's parts, or the points of a
 * MultiPoint: each run of points starts at part_starts[i]. */
typedef struct
{
  NigranGeoShape  shape;
  char           *name;      /* nullable: "name" or "name:en" */
  char           *name_ur;   /* nullable: "name:ur" or "name_ur" */
  char           *kind;      /* nullable: "kind", else OpenStreetMap's "highway" */
  guint           n_points;
  NigranGeoPoint *points;
  guint           n_parts;
  guint          *part_starts;
  NigranGeoPoint  south_west;
  NigranGeoPoint  north_east;
} NigranGeoFeature;

#define NIGRAN_TYPE_GEO_LAYER (nigran_geo_layer_get_type ())
G_DECLARE_FINAL_TYPE (NigranGeoLayer, nigran_geo_layer, NIGRAN, GEO_LAYER, GObject)

GQuark                  nigran_geo_layer_error_quark     (void);
NigranGeoLayer         *nigran_geo_layer_load_shared     (const char          *path,
                                                         GError             **error);
NigranGeoLayer         *nigran_geo_layer_new_from_file   (const char          *path,
                                                          GError             **error);
NigranGeoLayer         *nigran_geo_layer_new_from_data   (const char          *data,
                                                          gssize               length,
                                                          const char          *name,
                                                          GError             **error);
const char             *nigran_geo_layer_get_name        (NigranGeoLayer      *self);
guint                   nigran_geo_layer_get_n_features  (NigranGeoLayer      *self);
const NigranGeoFeature *nigran_geo_layer_get_feature     (NigranGeoLayer      *self,
                                                          guint                index);
guint                   nigran_geo_feature_get_part_length (const NigranGeoFeature *feature,
                                                            guint                   part);

G_END_DECLS
