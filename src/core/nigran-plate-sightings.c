/* nigran-plate-sightings.c: where and when each registration was last read
 *
 * Two uses: a registration read at two cameras farther apart than a car could
 * drive in the time between (a straight line at the top speed, 150 km/h unless set)
 * is on two cars, one of them with a cloned plate; and an entry newly put on a
 * hotlist is checked against the reads of the last window (24 h unless set).
 *
 * Sightings come in capture-time order per camera but not across cameras, so the
 * window is trimmed against the newest time seen, not each one's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "nigran-plate-sightings.h"

/* Cameras this close are one place: GPS error and a wide junction. */
#define SAME_PLACE_M 500.0

struct _NigranPlateSightings
{
  GObject     parent_instance;

  GQueue      recent;        /* of NigranPlateSighting, oldest first */
  GHashTable *last;          /* registration → NigranPlateSighting in @recent */
  double      top_speed_kmh;
  gint64      window_us;
  gint64      newest_us;
};

G_DEFINE_FINAL_TYPE (NigranPlateSightings, nigran_plate_sightings, G_TYPE_OBJECT)

NigranPlateSighting *
nigran_plate_sighting_copy (const NigranPlateSighting *sighting)
{
  NigranPlateSighting *copy = g_new0 (NigranPlateSighting, 1);

  *copy = *sighting;
  copy->registration = g_strdup (sighting->registration);
  copy->text = g_strdup (sighting->text);
  copy->camera_id = g_strdup (sighting->camera_id);
  copy->read_id = g_strdup (sighting->read_id);
  return copy;
}

void
nigran_plate_sighting_free (NigranPlateSighting *sighting)
{
  if (sighting == NULL)
    return;
  g_free (sighting->registration);
  g_free (sighting->text);
  g_free (sighting->camera_id);
  g_free (sighting->read_id);
  g_free (sighting);
}

static void
nigran_plate_sightings_finalize (GObject *object)
{
  NigranPlateSightings *self = (NigranPlateSightings *)object;

  g_hash_table_unref (self->last);
  g_queue_clear_full (&self->recent, (GDestroyNotify)nigran_plate_sighting_free);

  G_OBJECT_CLASS (nigran_plate_sightings_parent_class)->finalize (object);
}

static void
nigran_plate_sightings_class_init (NigranPlateSightingsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_plate_sightings_finalize;
}

static void
nigran_plate_sightings_init (NigranPlateSightings *self)
{
  g_queue_init (&self->recent);
  self->last = g_hash_table_new (g_str_hash, g_str_equal);
  self->top_speed_kmh = NIGRAN_PLATE_SIGHTINGS_DEFAULT_TOP_SPEED_KMH;
  self->window_us = NIGRAN_PLATE_SIGHTINGS_DEFAULT_WINDOW_US;
}

NigranPlateSightings *
nigran_plate_sightings_new (void)
{
  return g_object_new (NIGRAN_TYPE_PLATE_SIGHTINGS, NULL);
}

void
nigran_plate_sightings_set_top_speed (NigranPlateSightings *self,
                                      double                km_per_hour)
{
  g_return_if_fail (NIGRAN_IS_PLATE_SIGHTINGS (self));
  g_return_if_fail (km_per_hour > 0);
  self->top_speed_kmh = km_per_hour;
}

double
nigran_plate_sightings_get_top_speed (NigranPlateSightings *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_SIGHTINGS (self), 0);
  return self->top_speed_kmh;
}

void
nigran_plate_sightings_set_window (NigranPlateSightings *self,
                                   gint64                window_us)
{
  g_return_if_fail (NIGRAN_IS_PLATE_SIGHTINGS (self));
  self->window_us = window_us;
}

/* Great-circle distance, in metres (haversine on a sphere of the Earth's mean radius). */
double
nigran_geo_distance_m (double latitude1,
                       double longitude1,
                       double latitude2,
                       double longitude2)
{
  double phi1 = latitude1 * G_PI / 180, phi2 = latitude2 * G_PI / 180;
  double dphi = phi2 - phi1, dlambda = (longitude2 - longitude1) * G_PI / 180;
  double a = sin (dphi / 2) * sin (dphi / 2) + cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);

  return 2 * 6371008.8 * asin (MIN (1.0, sqrt (a)));
}

/* Returns: the initial compass bearing from the first place to the second, 0 north to 360, clockwise */
double
nigran_geo_bearing_deg (double latitude1,
                        double longitude1,
                        double latitude2,
                        double longitude2)
{
  double phi1 = latitude1 * G_PI / 180, phi2 = latitude2 * G_PI / 180;
  double dlambda = (longitude2 - longitude1) * G_PI / 180;
  double bearing = atan2 (sin (dlambda) * cos (phi2), cos (phi1) * sin (phi2) - sin (phi1) * cos (phi2) * cos (dlambda));

  return fmod (bearing * 180 / G_PI + 360, 360);
}

static void
forget_old (NigranPlateSightings *self)
{
  NigranPlateSighting *oldest;

  while ((oldest = g_queue_peek_head (&self->recent)) != NULL && self->newest_us - oldest->time_us > self->window_us)
    {
      g_queue_pop_head (&self->recent);
      if (g_hash_table_lookup (self->last, oldest->registration) == oldest)
        g_hash_table_remove (self->last, oldest->registration);
      nigran_plate_sighting_free (oldest);
    }
}

/**
 * nigran_plate_sightings_add:
 *
 * Remembers @sighting as its registration's latest.
 *
 * Returns: (transfer full) (nullable): the registration's previous sighting when a
 *   car could not have driven from there to here in the time between: the plate is
 *   on two cars
 */
NigranPlateSighting *
nigran_plate_sightings_add (NigranPlateSightings      *self,
                            const NigranPlateSighting *sighting)
{
  NigranPlateSighting *previous, *kept;
  NigranPlateSighting *impossible = NULL;

  g_return_val_if_fail (NIGRAN_IS_PLATE_SIGHTINGS (self), NULL);
  g_return_val_if_fail (sighting != NULL && sighting->registration != NULL, NULL);

  previous = g_hash_table_lookup (self->last, sighting->registration);
  if (previous != NULL && g_strcmp0 (previous->camera_id, sighting->camera_id) != 0)
    {
      double metres = nigran_geo_distance_m (previous->latitude, previous->longitude,
                                             sighting->latitude, sighting->longitude);
      double hours = fabs ((double)(sighting->time_us - previous->time_us)) / G_TIME_SPAN_HOUR;

      if (metres > SAME_PLACE_M && metres / 1000 > self->top_speed_kmh * hours)
        impossible = nigran_plate_sighting_copy (previous);
    }

  kept = nigran_plate_sighting_copy (sighting);
  g_queue_push_tail (&self->recent, kept);
  if (previous == NULL || previous->time_us <= sighting->time_us)
    g_hash_table_replace (self->last, kept->registration, kept);
  self->newest_us = MAX (self->newest_us, sighting->time_us);
  forget_old (self);
  return impossible;
}

/* Calls @func with each sighting of the window, oldest first. */
void
nigran_plate_sightings_foreach (NigranPlateSightings *self,
                                GFunc                 func,
                                gpointer              user_data)
{
  g_return_if_fail (NIGRAN_IS_PLATE_SIGHTINGS (self));
  g_queue_foreach (&self->recent, func, user_data);
}

guint
nigran_plate_sightings_get_size (NigranPlateSightings *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_SIGHTINGS (self), 0);
  return self->recent.length;
}
