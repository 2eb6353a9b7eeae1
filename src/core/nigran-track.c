/* nigran-track.c: one subject's sightings across cameras, and how each was joined
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-track-private.h"

struct _NigranTrack
{
  GObject    parent_instance;
  char      *id;
  char      *label;
  GPtrArray *sightings;  /* NigranTrackSighting, in time order */
};

G_DEFINE_TYPE (NigranTrack, nigran_track, G_TYPE_OBJECT)

void
nigran_track_sighting_free (NigranTrackSighting *sighting)
{
  g_free (sighting->event_id);
  g_free (sighting->camera_id);
  g_free (sighting->label);
  g_free (sighting->crop);
  g_free (sighting->confirmed_by);
  g_free (sighting);
}

static void
nigran_track_finalize (GObject *object)
{
  NigranTrack *self = NIGRAN_TRACK (object);

  g_free (self->id);
  g_free (self->label);
  g_ptr_array_unref (self->sightings);
  G_OBJECT_CLASS (nigran_track_parent_class)->finalize (object);
}

static void
nigran_track_class_init (NigranTrackClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_track_finalize;
}

static void
nigran_track_init (NigranTrack *self)
{
  self->sightings = g_ptr_array_new_with_free_func ((GDestroyNotify) nigran_track_sighting_free);
}

NigranTrack *
nigran_track_new (const char *id,
                  const char *label)
{
  NigranTrack *self = g_object_new (NIGRAN_TYPE_TRACK, NULL);

  self->id = g_strdup (id);
  self->label = g_strdup (label);
  return self;
}

/* Takes @sighting; sightings arrive nearly in time order, so the search for its
 * place starts from the end. */
void
nigran_track_add_sighting (NigranTrack         *self,
                           NigranTrackSighting *sighting)
{
  guint position = self->sightings->len;

  while (position > 0 &&
         ((NigranTrackSighting *) self->sightings->pdata[position - 1])->time_us > sighting->time_us)
    position--;
  g_ptr_array_insert (self->sightings, position, sighting);
}

/* Empties the track; returns its sightings. */
GPtrArray *
nigran_track_steal_sightings (NigranTrack *self)
{
  GPtrArray *sightings = g_steal_pointer (&self->sightings);

  self->sightings = g_ptr_array_new_with_free_func ((GDestroyNotify) nigran_track_sighting_free);
  return sightings;
}

NigranTrackSighting *
nigran_track_find_sighting (NigranTrack *self,
                            const char  *event_id)
{
  for (guint i = self->sightings->len; i > 0; i--)
    {
      NigranTrackSighting *sighting = self->sightings->pdata[i - 1];

      if (g_strcmp0 (sighting->event_id, event_id) == 0)
        return sighting;
    }
  return NULL;
}

const char *
nigran_track_get_id (NigranTrack *self)
{
  g_return_val_if_fail (NIGRAN_IS_TRACK (self), NULL);
  return self->id;
}

/* The subject, as the track's first sighting named it. */
const char *
nigran_track_get_label (NigranTrack *self)
{
  g_return_val_if_fail (NIGRAN_IS_TRACK (self), NULL);
  return self->label;
}

guint
nigran_track_get_n_sightings (NigranTrack *self)
{
  g_return_val_if_fail (NIGRAN_IS_TRACK (self), 0);
  return self->sightings->len;
}

const NigranTrackSighting *
nigran_track_get_sighting (NigranTrack *self,
                           guint        index)
{
  g_return_val_if_fail (NIGRAN_IS_TRACK (self), NULL);
  g_return_val_if_fail (index < self->sightings->len, NULL);
  return self->sightings->pdata[index];
}

const NigranTrackSighting *
nigran_track_get_last_sighting (NigranTrack *self)
{
  g_return_val_if_fail (NIGRAN_IS_TRACK (self), NULL);
  return self->sightings->len > 0 ? self->sightings->pdata[self->sightings->len - 1] : NULL;
}

gboolean
nigran_track_has_kind (NigranTrack       *self,
                       NigranSightingKind kind)
{
  g_return_val_if_fail (NIGRAN_IS_TRACK (self), FALSE);
  for (guint i = 0; i < self->sightings->len; i++)
    if (((NigranTrackSighting *) self->sightings->pdata[i])->kind == kind)
      return TRUE;
  return FALSE;
}

const char *
nigran_track_link_source_to_string (NigranTrackLinkSource source)
{
  switch (source)
    {
    case NIGRAN_TRACK_LINK_START:
      return "start";
    case NIGRAN_TRACK_LINK_IDENTITY:
      return "identity";
    case NIGRAN_TRACK_LINK_PLATE:
      return "plate";
    case NIGRAN_TRACK_LINK_FACE_SIMILARITY:
      return "face-similarity";
    case NIGRAN_TRACK_LINK_MANUAL:
      return "manual";
    default:
      g_return_val_if_reached (NULL);
    }
}
