/* nigran-zone.h: a named area of the map, from a GeoJSON polygon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ZONE (nigran_zone_get_type ())
G_DECLARE_FINAL_TYPE (NigranZone, nigran_zone, NIGRAN, ZONE, GObject)

const char *nigran_zone_get_id        (NigranZone *self);
const char *nigran_zone_get_name      (NigranZone *self);
const char *nigran_zone_get_name_ur   (NigranZone *self);
const char *nigran_zone_get_kind      (NigranZone *self);
guint       nigran_zone_get_n_rings   (NigranZone *self);
const NigranGeoPoint *nigran_zone_get_ring (NigranZone *self,
                                            guint       ring,
                                            guint      *n_points);
gboolean    nigran_zone_get_alerts_nonstandard_plates (NigranZone *self);
const char *nigran_zone_get_allow_list (NigranZone *self);
gboolean    nigran_zone_contains      (NigranZone *self,
                                       double      latitude,
                                       double      longitude);

G_END_DECLS
