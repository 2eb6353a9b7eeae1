/* nigran-plate-sightings.h: where and when each registration was last read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define NIGRAN_PLATE_SIGHTINGS_DEFAULT_TOP_SPEED_KMH 150.0
#define NIGRAN_PLATE_SIGHTINGS_DEFAULT_WINDOW_US     (24 * G_TIME_SPAN_HOUR)

typedef struct
{
  char   *registration;
  char   *text;          /* as read: "AC-4903" */
  char   *camera_id;
  double  latitude;
  double  longitude;
  gint64  time_us;       /* UTC capture time */
  char   *read_id;       /* nullable: the plate.read event's id, to find its crop */
} NigranPlateSighting;

#define NIGRAN_TYPE_PLATE_SIGHTINGS (nigran_plate_sightings_get_type ())
G_DECLARE_FINAL_TYPE (NigranPlateSightings, nigran_plate_sightings, NIGRAN, PLATE_SIGHTINGS, GObject)

NigranPlateSightings *nigran_plate_sightings_new           (void);
void                  nigran_plate_sightings_set_top_speed (NigranPlateSightings      *self,
                                                            double                     km_per_hour);
double                nigran_plate_sightings_get_top_speed (NigranPlateSightings      *self);
void                  nigran_plate_sightings_set_window    (NigranPlateSightings      *self,
                                                            gint64                     window_us);
NigranPlateSighting  *nigran_plate_sightings_add           (NigranPlateSightings      *self,
                                                            const NigranPlateSighting *sighting);
void                  nigran_plate_sightings_foreach       (NigranPlateSightings      *self,
                                                            GFunc                      func,
                                                            gpointer                   user_data);
guint                 nigran_plate_sightings_get_size      (NigranPlateSightings      *self);
double                nigran_geo_distance_m                (double                     latitude1,
                                                            double                     longitude1,
                                                            double                     latitude2,
                                                            double                     longitude2);
double                nigran_geo_bearing_deg               (double                     latitude1,
                                                            double                     longitude1,
                                                            double                     latitude2,
                                                            double                     longitude2);

NigranPlateSighting  *nigran_plate_sighting_copy           (const NigranPlateSighting *sighting);
void                  nigran_plate_sighting_free           (NigranPlateSighting       *sighting);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranPlateSighting, nigran_plate_sighting_free)

G_END_DECLS
