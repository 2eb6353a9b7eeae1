/* nigran-tracks.c: the tracks projection: sightings joined into tracks, from the event log
 *
 * A sighting joins a track automatically only on evidence of the same kind: the same
 * watchlist identity, the same registration, or an unknown face close enough to a face
 * already on a track, each within the gap.  A plate and a face (a driver) are joined
 * only by an operator's confirmed link ("track.linked"), because nothing the cameras
 * see proves who drives a car.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-tracks.h"

#include <math.h>

#include "nigran-track-private.h"

/* A face recently seen, for joining unknown faces by likeness. */
typedef struct
{
  NigranTrack *track;       /* not owned: the projection's list keeps it */
  gint64       time_us;
  float       *embedding;   /* unit length */
  guint        size;
} RecentFace;

struct _NigranTracks
{
  GObject     parent_instance;

  GPtrArray  *tracks;        /* NigranTrack, in the order they started */
  GHashTable *by_key;        /* "identity:…" or "plate:…" → NigranTrack, the newest for it */
  GHashTable *by_sighting;   /* event id → NigranTrack */
  GQueue     *recent_faces;  /* RecentFace, oldest first */
  guint       n_sightings;

  gint64      gap_us;
  double      face_similarity;
};

static void nigran_tracks_list_model_init (GListModelInterface *iface);

G_DEFINE_TYPE_WITH_CODE (NigranTracks, nigran_tracks, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, nigran_tracks_list_model_init))

static GType
get_item_type (GListModel *model G_GNUC_UNUSED)
{
  return NIGRAN_TYPE_TRACK;
}

static guint
get_n_items (GListModel *model)
{
  return NIGRAN_TRACKS (model)->tracks->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  NigranTracks *self = NIGRAN_TRACKS (model);

  return position < self->tracks->len ? g_object_ref (self->tracks->pdata[position]) : NULL;
}

static void
nigran_tracks_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
recent_face_free (RecentFace *face)
{
  g_free (face->embedding);
  g_free (face);
}

static void
nigran_tracks_finalize (GObject *object)
{
  NigranTracks *self = NIGRAN_TRACKS (object);

  g_queue_free_full (self->recent_faces, (GDestroyNotify) recent_face_free);
  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->by_sighting);
  g_ptr_array_unref (self->tracks);
  G_OBJECT_CLASS (nigran_tracks_parent_class)->finalize (object);
}

static void
nigran_tracks_class_init (NigranTracksClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_tracks_finalize;
}

static void
nigran_tracks_init (NigranTracks *self)
{
  self->tracks = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_sighting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->recent_faces = g_queue_new ();
  self->gap_us = NIGRAN_TRACKS_DEFAULT_GAP_US;
  self->face_similarity = NIGRAN_TRACKS_DEFAULT_FACE_SIMILARITY;
}

NigranTracks *
nigran_tracks_new (void)
{
  return g_object_new (NIGRAN_TYPE_TRACKS, NULL);
}

void
nigran_tracks_set_gap (NigranTracks *self,
                       gint64        gap_us)
{
  g_return_if_fail (NIGRAN_IS_TRACKS (self));
  g_return_if_fail (gap_us > 0);
  self->gap_us = gap_us;
}

void
nigran_tracks_set_face_similarity (NigranTracks *self,
                                   double        threshold)
{
  g_return_if_fail (NIGRAN_IS_TRACKS (self));
  self->face_similarity = threshold;
}

guint
nigran_tracks_get_n_sightings (NigranTracks *self)
{
  g_return_val_if_fail (NIGRAN_IS_TRACKS (self), 0);
  return self->n_sightings;
}

NigranTrack *
nigran_tracks_find_by_sighting (NigranTracks *self,
                                const char   *event_id)
{
  g_return_val_if_fail (NIGRAN_IS_TRACKS (self), NULL);
  return g_hash_table_lookup (self->by_sighting, event_id);
}

static guint
position_of (NigranTracks *self,
             NigranTrack  *track)
{
  guint position = 0;

  /* Tracks that change are nearly always recent ones, at the end. */
  for (guint i = self->tracks->len; i > 0; i--)
    if (self->tracks->pdata[i - 1] == track)
      {
        position = i - 1;
        break;
      }
  return position;
}

static void
announce_change (NigranTracks *self,
                 NigranTrack  *track)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position_of (self, track), 1, 1);
}

/* Returns: (transfer full) (nullable): the embedding, scaled to unit length */
static float *
decode_embedding (const char *encoded,
                  guint      *size)
{
  g_autofree guchar *bytes = NULL;
  gsize length = 0;
  double norm = 0;
  float *embedding;

  if (encoded == NULL || (bytes = g_base64_decode (encoded, &length)) == NULL ||
      length == 0 || length % sizeof (float) != 0)
    return NULL;
  *size = length / sizeof (float);
  embedding = (float *) (void *) g_steal_pointer (&bytes);
  for (guint i = 0; i < *size; i++)
    norm += (double) embedding[i] * embedding[i];
  if (norm <= 0 || !isfinite (norm))
    {
      g_free (embedding);
      return NULL;
    }
  norm = sqrt (norm);
  for (guint i = 0; i < *size; i++)
    embedding[i] /= norm;
  return embedding;
}

static void
forget_old_faces (NigranTracks *self,
                  gint64        now_us)
{
  RecentFace *oldest;

  while ((oldest = g_queue_peek_head (self->recent_faces)) != NULL && oldest->time_us < now_us - self->gap_us)
    recent_face_free (g_queue_pop_head (self->recent_faces));
}

static NigranTrack *
find_similar_face (NigranTracks *self,
                   const float  *embedding,
                   guint         size,
                   gint64        time_us,
                   double       *score)
{
  NigranTrack *best = NULL;

  *score = self->face_similarity;
  for (GList *link = self->recent_faces->tail; link != NULL; link = link->prev)
    {
      RecentFace *face = link->data;
      double similarity = 0;

      if (face->size != size || ABS (face->time_us - time_us) > self->gap_us)
        continue;
      for (guint i = 0; i < size; i++)
        similarity += (double) face->embedding[i] * embedding[i];
      if (similarity >= *score)
        {
          *score = similarity;
          best = face->track;
        }
    }
  return best;
}

static void
remember_face (NigranTracks *self,
               NigranTrack  *track,
               float        *embedding,
               guint         size,
               gint64        time_us)
{
  RecentFace *face = g_new0 (RecentFace, 1);

  face->track = track;
  face->time_us = time_us;
  face->embedding = embedding;
  face->size = size;
  g_queue_push_tail (self->recent_faces, face);
}

/* Continues the newest track of @key, if it was seen within the gap. */
static NigranTrack *
track_of_key (NigranTracks *self,
              const char   *key,
              gint64        time_us)
{
  NigranTrack *track = key != NULL ? g_hash_table_lookup (self->by_key, key) : NULL;
  const NigranTrackSighting *last;

  if (track == NULL || (last = nigran_track_get_last_sighting (track)) == NULL ||
      time_us - last->last_time_us > self->gap_us)
    return NULL;
  return track;
}

/* Adds @sighting (taken) to @track, or to a new track when @track is NULL. */
static NigranTrack *
place_sighting (NigranTracks        *self,
                NigranTrack         *track,
                const char          *key,
                NigranTrackSighting *sighting)
{
  const NigranTrackSighting *last = track != NULL ? nigran_track_get_last_sighting (track) : NULL;

  if (last != NULL && g_str_equal (last->camera_id, sighting->camera_id) &&
      sighting->time_us >= last->time_us && sighting->time_us - last->last_time_us <= NIGRAN_TRACKS_STAY_US)
    {
      /* Still at the same camera: one stay, not a new sighting. */
      ((NigranTrackSighting *) last)->last_time_us = sighting->time_us;
      g_hash_table_insert (self->by_sighting, g_strdup (sighting->event_id), track);
      nigran_track_sighting_free (sighting);
      announce_change (self, track);
      return track;
    }

  self->n_sightings++;
  if (track == NULL)
    {
      g_autofree char *id = g_strconcat ("track:", sighting->event_id, NULL);

      sighting->link_source = NIGRAN_TRACK_LINK_START;
      sighting->link_score = 1;
      track = nigran_track_new (id, sighting->label);
      g_hash_table_insert (self->by_sighting, g_strdup (sighting->event_id), track);
      nigran_track_add_sighting (track, sighting);
      g_ptr_array_add (self->tracks, track);
      g_list_model_items_changed (G_LIST_MODEL (self), self->tracks->len - 1, 0, 1);
    }
  else
    {
      g_hash_table_insert (self->by_sighting, g_strdup (sighting->event_id), track);
      nigran_track_add_sighting (track, sighting);
      announce_change (self, track);
    }
  if (key != NULL)
    g_hash_table_insert (self->by_key, g_strdup (key), track);
  return track;
}

static NigranTrackSighting *
sighting_new (NigranEvent       *event,
              NigranSightingKind kind,
              const char        *label,
              const char        *crop)
{
  JsonObject *payload = nigran_event_get_payload (event);
  NigranTrackSighting *sighting = g_new0 (NigranTrackSighting, 1);
  gint64 captured_us = json_object_get_int_member_with_default (payload, "captured_us", 0);

  sighting->event_id = g_strdup (nigran_event_get_uuid (event));
  sighting->kind = kind;
  sighting->camera_id = g_strdup (nigran_event_find_subject (event, "camera"));
  sighting->time_us = captured_us > 0 ? captured_us : nigran_event_get_time_us (event);
  sighting->last_time_us = sighting->time_us;
  sighting->label = g_strdup (label);
  sighting->crop = g_strdup (crop);
  sighting->link_score = 1;
  return sighting;
}

static NigranTrack *
apply_plate_read (NigranTracks *self,
                  NigranEvent  *event)
{
  JsonObject *payload = nigran_event_get_payload (event);
  const char *registration = json_object_get_string_member_with_default (payload, "registration", NULL);
  g_autofree char *key = NULL;
  NigranTrackSighting *sighting;

  if (registration == NULL || *registration == '\0' || nigran_event_find_subject (event, "camera") == NULL)
    return NULL;
  key = g_strconcat ("plate:", registration, NULL);
  sighting = sighting_new (event, NIGRAN_SIGHTING_PLATE,
                           json_object_get_string_member_with_default (payload, "text", registration),
                           json_object_get_string_member_with_default (payload, "crop", NULL));
  sighting->link_source = NIGRAN_TRACK_LINK_PLATE;
  return place_sighting (self, track_of_key (self, key, sighting->time_us), key, sighting);
}

/* A face: of a watchlist identity (@key set), or unknown. */
static NigranTrack *
apply_face (NigranTracks *self,
            NigranEvent  *event,
            const char   *key,
            const char   *label,
            const char   *embedding_text,
            const char   *crop)
{
  NigranTrackSighting *sighting;
  NigranTrack *track;
  g_autofree float *embedding = NULL;
  guint size = 0;

  if (nigran_event_find_subject (event, "camera") == NULL)
    return NULL;
  sighting = sighting_new (event, NIGRAN_SIGHTING_FACE, label, crop);
  embedding = decode_embedding (embedding_text, &size);
  forget_old_faces (self, sighting->time_us);

  track = track_of_key (self, key, sighting->time_us);
  if (track != NULL)
    sighting->link_source = NIGRAN_TRACK_LINK_IDENTITY;
  else if (embedding != NULL)
    {
      double score;

      track = find_similar_face (self, embedding, size, sighting->time_us, &score);
      if (track != NULL)
        {
          sighting->link_source = NIGRAN_TRACK_LINK_FACE_SIMILARITY;
          sighting->link_score = score;
        }
    }
  track = place_sighting (self, track, key, sighting);
  if (embedding != NULL)
    remember_face (self, track, g_steal_pointer (&embedding), size, nigran_track_get_last_sighting (track)->last_time_us);
  return track;
}

/* Moves @from's sightings into @into and drops @from. */
static void
merge_tracks (NigranTracks *self,
              NigranTrack  *into,
              NigranTrack  *from)
{
  g_autoptr(GPtrArray) moved = nigran_track_steal_sightings (from);
  GHashTableIter iter;
  gpointer value;
  guint position = position_of (self, from);

  g_ptr_array_set_free_func (moved, NULL);
  for (guint i = 0; i < moved->len; i++)
    {
      NigranTrackSighting *sighting = moved->pdata[i];

      g_hash_table_insert (self->by_sighting, g_strdup (sighting->event_id), into);
      nigran_track_add_sighting (into, sighting);
    }
  g_hash_table_iter_init (&iter, self->by_key);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == from)
      g_hash_table_iter_replace (&iter, into);
  for (GList *link = self->recent_faces->head; link != NULL; link = link->next)
    if (((RecentFace *) link->data)->track == from)
      ((RecentFace *) link->data)->track = into;
  g_ptr_array_remove_index (self->tracks, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static NigranTrack *
apply_link (NigranTracks *self,
            NigranEvent  *event)
{
  JsonObject *payload = nigran_event_get_payload (event);
  const char *from_id = json_object_get_string_member_with_default (payload, "from", NULL);
  const char *to_id = json_object_get_string_member_with_default (payload, "to", NULL);
  gboolean confirmed = json_object_get_boolean_member_with_default (payload, "confirmed", FALSE);
  NigranTrack *from, *to;
  NigranTrackSighting *from_sighting, *to_sighting;

  if (from_id == NULL || to_id == NULL ||
      (from = g_hash_table_lookup (self->by_sighting, from_id)) == NULL ||
      (to = g_hash_table_lookup (self->by_sighting, to_id)) == NULL ||
      (from_sighting = nigran_track_find_sighting (from, from_id)) == NULL ||
      (to_sighting = nigran_track_find_sighting (to, to_id)) == NULL)
    return NULL;
  if (from_sighting->kind != to_sighting->kind && !confirmed)
    {
      g_debug ("An unconfirmed link of a plate to a face does not join tracks");
      return NULL;
    }
  to_sighting->link_source = NIGRAN_TRACK_LINK_MANUAL;
  to_sighting->link_score = 1;
  g_clear_pointer (&to_sighting->confirmed_by, g_free);
  if (confirmed)
    to_sighting->confirmed_by = g_strdup (nigran_event_get_actor (event));
  if (from != to)
    merge_tracks (self, from, to);
  announce_change (self, from);
  return from;
}

static NigranTrack *
apply_confirmation (NigranTracks *self,
                    NigranEvent  *event)
{
  const char *sighting_id = json_object_get_string_member_with_default (nigran_event_get_payload (event),
                                                                        "sighting", NULL);
  NigranTrack *track = sighting_id != NULL ? g_hash_table_lookup (self->by_sighting, sighting_id) : NULL;
  NigranTrackSighting *sighting = track != NULL ? nigran_track_find_sighting (track, sighting_id) : NULL;

  if (sighting == NULL)
    return NULL;
  g_free (sighting->confirmed_by);
  sighting->confirmed_by = g_strdup (nigran_event_get_actor (event));
  announce_change (self, track);
  return track;
}

/**
 * nigran_tracks_apply:
 *
 * Takes one event from the log: a plate read, a face match's alert, an unknown face
 * ("face.seen"), an operator's link ("track.linked") or a confirmation of a link
 * ("track.link-confirmed").  Other events are ignored.
 *
 * Returns: (transfer none) (nullable): the track the event changed
 */
NigranTrack *
nigran_tracks_apply (NigranTracks *self,
                     NigranEvent  *event)
{
  const char *type;
  JsonObject *payload;

  g_return_val_if_fail (NIGRAN_IS_TRACKS (self), NULL);
  g_return_val_if_fail (NIGRAN_IS_EVENT (event), NULL);

  type = nigran_event_get_event_type (event);
  if (g_str_equal (type, "plate.read"))
    return apply_plate_read (self, event);
  if (g_str_equal (type, "face.seen"))
    {
      payload = nigran_event_get_payload (event);
      return apply_face (self, event, NULL, NULL,
                         json_object_get_string_member_with_default (payload, "embedding", NULL),
                         json_object_get_string_member_with_default (payload, "crop", NULL));
    }
  if (g_str_equal (type, "alert.raised"))
    {
      const char *watchlist, *matched;
      g_autofree char *key = NULL;

      payload = nigran_event_get_payload (event);
      if (g_strcmp0 (json_object_get_string_member_with_default (payload, "kind", NULL), "face.match") != 0 ||
          (matched = json_object_get_string_member_with_default (payload, "matched", NULL)) == NULL)
        return NULL;
      watchlist = json_object_get_string_member_with_default (payload, "watchlist", "");
      key = g_strdup_printf ("identity:%s/%s", watchlist, matched);
      return apply_face (self, event, key, matched,
                         json_object_get_string_member_with_default (payload, "probe_template", NULL),
                         json_object_get_string_member_with_default (payload, "snapshot", NULL));
    }
  if (g_str_equal (type, "track.linked"))
    return apply_link (self, event);
  if (g_str_equal (type, "track.link-confirmed"))
    return apply_confirmation (self, event);
  return NULL;
}

/**
 * nigran_tracks_link_event_new:
 * @confirmed: whether the operator who records it vouches that both are one subject;
 *   a plate joins a face only when confirmed
 *
 * Returns: (transfer full): an operator's link of two sightings, to append to the log
 */
NigranEvent *
nigran_tracks_link_event_new (const char *from_event_id,
                              const char *to_event_id,
                              gboolean    confirmed)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *from_subject = g_strconcat ("sighting:", from_event_id, NULL);
  g_autofree char *to_subject = g_strconcat ("sighting:", to_event_id, NULL);

  json_object_set_string_member (payload, "from", from_event_id);
  json_object_set_string_member (payload, "to", to_event_id);
  json_object_set_boolean_member (payload, "confirmed", confirmed);
  return nigran_event_new ("track.linked", (const char * const[]) { from_subject, to_subject, NULL }, payload);
}

/* An unknown face, recorded so that tracks can follow it by likeness. */
NigranEvent *
nigran_tracks_face_seen_event_new (const char  *camera_id,
                                   gint64       captured_us,
                                   const float *embedding,
                                   guint        embedding_size,
                                   const char  *crop)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *camera_subject = g_strconcat ("camera:", camera_id, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) embedding, embedding_size * sizeof (float));

  json_object_set_int_member (payload, "captured_us", captured_us);
  json_object_set_string_member (payload, "embedding", encoded);
  if (crop != NULL)
    json_object_set_string_member (payload, "crop", crop);
  return nigran_event_new ("face.seen", (const char * const[]) { camera_subject, NULL }, payload);
}
