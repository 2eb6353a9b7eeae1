/* nigran-face-tracker.c: one camera's faces followed from frame to frame
 *
 * At 5 frames a second a walking person's face moves by up to its own width between
 * frames, so the box alone does not tell who is who: a face continues a track when
 * its embedding is close to the track's last one or to its description, and the
 * box's overlap only breaks ties. Different people's faces score below 0.3 against
 * each other in the Intel clips and the dlib photos (at most 0.44 between ORL
 * mugshots), one person's in two poses mostly above 0.5.
 *
 * Each track keeps the embeddings of its few best frames (large, sharp, frontal) and
 * describes the person by their mean: one blurred or turned frame cannot make a
 * match, and several good ones agree more with an enrolled photo than any one does.
 * A track ends when its camera has shown no face of it for max_gap_us.
 *
 * Thread-safe: engine workers update it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nigran-face-gallery.h"
#include "nigran-face-tracker.h"

#define SAME_PERSON_SIMILARITY 0.5f
#define NEARBY_SIMILARITY      0.3f
#define NEARBY_OVERLAP         0.3f
/* Overlap only breaks ties between faces that look alike. */
#define OVERLAP_WEIGHT         0.25f

typedef struct
{
  float embedding[NIGRAN_FACE_EMBEDDING_SIZE];
  float quality;
} TrackFrame;

typedef struct
{
  guint      id;
  guint      n_frames;
  gint64     last_us;
  float      box[4];
  float      last_embedding[NIGRAN_FACE_EMBEDDING_SIZE];
  float      description[NIGRAN_FACE_EMBEDDING_SIZE];
  guint      n_best;
  TrackFrame best[NIGRAN_FACE_TRACK_BEST_FRAMES];
} Track;

struct _NigranFaceTracker
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *cameras;     /* camera id → GPtrArray of Track */
  gint64      max_gap_us;
  guint       next_id;
};

G_DEFINE_FINAL_TYPE (NigranFaceTracker, nigran_face_tracker, G_TYPE_OBJECT)

static void
nigran_face_tracker_finalize (GObject *object)
{
  NigranFaceTracker *self = (NigranFaceTracker *)object;

  g_hash_table_unref (self->cameras);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (nigran_face_tracker_parent_class)->finalize (object);
}

static void
nigran_face_tracker_class_init (NigranFaceTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_face_tracker_finalize;
}

static void
nigran_face_tracker_init (NigranFaceTracker *self)
{
  g_mutex_init (&self->lock);
  self->cameras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
  self->next_id = 1;
}

NigranFaceTracker *
nigran_face_tracker_new (gint64 max_gap_us)
{
  NigranFaceTracker *self = g_object_new (NIGRAN_TYPE_FACE_TRACKER, NULL);

  self->max_gap_us = max_gap_us;
  return self;
}

/**
 * nigran_face_quality:
 *
 * How well a face shows who it is, 0–1: full marks from 80 pixels, a sharpness of 60
 * (the variance of the Laplacian of the aligned face) and a frontal pose; nothing at
 * 60° turned away.
 */
float
nigran_face_quality (const NigranFace *face)
{
  float size = MIN (face->size / 80.0f, 1.0f);
  float sharpness = MIN (face->sharpness / 60.0f, 1.0f);
  float yaw = MAX (1.0f - fabsf (face->yaw) / 60.0f, 0.0f);
  float pitch = MAX (1.0f - fabsf (face->pitch) / 60.0f, 0.0f);

  return size * sharpness * yaw * pitch;
}

static float
overlap (const float *box,
         const NigranFace *face)
{
  float left = MAX (box[0], face->x), top = MAX (box[1], face->y);
  float right = MIN (box[0] + box[2], face->x + face->width);
  float bottom = MIN (box[1] + box[3], face->y + face->height);
  float shared = MAX (right - left, 0) * MAX (bottom - top, 0);
  float both = box[2] * box[3] + face->width * face->height - shared;

  return both > 0 ? shared / both : 0;
}

/* Keeps @face among the track's best frames if it is one; TRUE if it is the best. */
static gboolean
keep_if_best (Track            *track,
              const NigranFace *face)
{
  float quality = nigran_face_quality (face);
  guint worst = 0;
  gboolean best = TRUE;

  for (guint i = 0; i < track->n_best; i++)
    {
      if (track->best[i].quality >= quality)
        best = FALSE;
      if (track->best[i].quality < track->best[worst].quality)
        worst = i;
    }
  if (track->n_best < NIGRAN_FACE_TRACK_BEST_FRAMES)
    worst = track->n_best++;
  else if (track->best[worst].quality >= quality)
    return FALSE;
  memcpy (track->best[worst].embedding, face->embedding, sizeof face->embedding);
  track->best[worst].quality = quality;
  return best;
}

static void
describe (const Track *track,
          float       *embedding)
{
  double norm = 0;

  memset (embedding, 0, NIGRAN_FACE_EMBEDDING_SIZE * sizeof (float));
  for (guint i = 0; i < track->n_best; i++)
    for (guint k = 0; k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
      embedding[k] += track->best[i].embedding[k];
  for (guint k = 0; k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
    norm += (double)embedding[k] * embedding[k];
  norm = sqrt (norm);
  for (guint k = 0; norm > 0 && k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
    embedding[k] = (float)(embedding[k] / norm);
}

/**
 * nigran_face_tracker_update:
 *
 * Follows the faces of @result, a frame of one camera later than the last one given of
 * that camera.
 *
 * Returns: (transfer full): one update for each face of @result, in its order; free
 *   with g_free()
 */
NigranFaceTrackUpdate *
nigran_face_tracker_update (NigranFaceTracker      *self,
                            const NigranFaceResult *result)
{
  NigranFaceTrackUpdate *updates = g_new0 (NigranFaceTrackUpdate, MAX (result->n_faces, 1));
  g_autofree Track **assigned = g_new0 (Track *, MAX (result->n_faces, 1));
  GPtrArray *tracks;
  guint n_tracks;
  g_autofree gboolean *taken = NULL;

  g_return_val_if_fail (NIGRAN_IS_FACE_TRACKER (self), updates);

  g_mutex_lock (&self->lock);
  tracks = g_hash_table_lookup (self->cameras, result->camera_id);
  if (tracks == NULL)
    {
      tracks = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->cameras, g_strdup (result->camera_id), tracks);
    }
  for (guint t = tracks->len; t-- > 0;)
    if (result->capture_us - ((Track *)tracks->pdata[t])->last_us > self->max_gap_us)
      g_ptr_array_remove_index_fast (tracks, t);
  n_tracks = tracks->len;
  taken = g_new0 (gboolean, MAX (n_tracks, 1));

  /* Greedy: the closest pair of face and track first, until no pair is close. */
  for (;;)
    {
      float best_affinity = 0;
      guint best_face = 0, best_track = 0;

      for (guint f = 0; f < result->n_faces; f++)
        for (guint t = 0; assigned[f] == NULL && t < n_tracks; t++)
          {
            Track *track = tracks->pdata[t];
            float similarity, shared, affinity;

            if (taken[t])
              continue;
            similarity = MAX (nigran_face_similarity (result->faces[f].embedding, track->last_embedding),
                              nigran_face_similarity (result->faces[f].embedding, track->description));
            shared = overlap (track->box, &result->faces[f]);
            if (similarity < SAME_PERSON_SIMILARITY &&
                (similarity < NEARBY_SIMILARITY || shared < NEARBY_OVERLAP))
              continue;
            affinity = similarity + OVERLAP_WEIGHT * shared;
            if (affinity > best_affinity)
              {
                best_affinity = affinity;
                best_face = f;
                best_track = t;
              }
          }
      if (best_affinity == 0)
        break;
      assigned[best_face] = tracks->pdata[best_track];
      taken[best_track] = TRUE;
    }

  for (guint f = 0; f < result->n_faces; f++)
    {
      const NigranFace *face = &result->faces[f];
      Track *track = assigned[f];

      if (track == NULL)
        {
          track = g_new0 (Track, 1);
          track->id = self->next_id++;
          g_ptr_array_add (tracks, track);
        }
      track->n_frames++;
      track->last_us = result->capture_us;
      track->box[0] = face->x;
      track->box[1] = face->y;
      track->box[2] = face->width;
      track->box[3] = face->height;
      memcpy (track->last_embedding, face->embedding, sizeof face->embedding);

      updates[f].track_id = track->id;
      updates[f].n_frames = track->n_frames;
      updates[f].is_best = keep_if_best (track, face);
      describe (track, track->description);
      memcpy (updates[f].embedding, track->description, sizeof track->description);
    }
  g_mutex_unlock (&self->lock);
  return updates;
}

guint
nigran_face_tracker_get_n_tracks (NigranFaceTracker *self)
{
  GHashTableIter iter;
  gpointer tracks;
  guint n = 0;

  g_return_val_if_fail (NIGRAN_IS_FACE_TRACKER (self), 0);

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->cameras);
  while (g_hash_table_iter_next (&iter, NULL, &tracks))
    n += ((GPtrArray *)tracks)->len;
  g_mutex_unlock (&self->lock);
  return n;
}
