/* nigran-plate-tracker.c: one vehicle's plate followed across the frames of its pass
 *
 * A frame's plate continues a track of its camera when its box overlaps the track's
 * last one, lies within two plate widths of it (a car moves about a plate's width
 * between analysed frames), or reads nearly the same. Each track keeps its surest
 * readings and votes over them character by character, weighted by Tesseract's
 * confidence in each character: one frame's misread 8 for B is outvoted by the
 * frames that read it right.
 *
 * The pass's read is settled, and reported once, as soon as two frames' votes agree
 * on a registration that fits a grammar (three frames for one that fits none): that
 * is a fraction of a second after the plate comes into view, not after the car has
 * gone. A track that never settles reports its vote when it ends, once its camera
 * has shown it no plate for max_gap_us.
 *
 * Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nigran-plate-tracker.h"

#define MAX_TRACK_DISTANCE_WIDTHS 2.0
#define FRAMES_TO_SETTLE          2
#define FRAMES_TO_SETTLE_ODD      3
/* A pass read in one frame only is reported when it ends if that frame was this sure. */
#define LONE_FRAME_CONFIDENCE     0.6f

typedef struct
{
  guint              id;
  guint              n_frames;
  gint64             last_us;
  int                box[4];
  gboolean           decided;
  char               last_vote[NIGRAN_PLATE_READER_MAX_TEXT];
  guint              n_best;
  NigranPlateReading best[NIGRAN_PLATE_TRACK_BEST_FRAMES];
} Track;

struct _NigranPlateTracker
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *cameras;     /* camera id → GPtrArray of Track */
  gint64      max_gap_us;
  guint       next_id;
};

G_DEFINE_FINAL_TYPE (NigranPlateTracker, nigran_plate_tracker, G_TYPE_OBJECT)

static void
nigran_plate_tracker_finalize (GObject *object)
{
  NigranPlateTracker *self = (NigranPlateTracker *)object;

  g_hash_table_unref (self->cameras);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (nigran_plate_tracker_parent_class)->finalize (object);
}

static void
nigran_plate_tracker_class_init (NigranPlateTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_plate_tracker_finalize;
}

static void
nigran_plate_tracker_init (NigranPlateTracker *self)
{
  g_mutex_init (&self->lock);
  self->cameras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  self->next_id = 1;
}

/* @max_gap_us: a plate unseen this long (capture time) has left its camera */
NigranPlateTracker *
nigran_plate_tracker_new (gint64 max_gap_us)
{
  NigranPlateTracker *self = g_object_new (NIGRAN_TYPE_PLATE_TRACKER, NULL);

  self->max_gap_us = max_gap_us;
  return self;
}

/* The letters and digits of @text, and how sure the reader was of the whole. */
static guint
compact (const NigranPlateReading *reading,
         char                     *out)
{
  guint n = 0;

  for (const char *c = reading->text; *c != '\0' && n + 1 < NIGRAN_PLATE_READER_MAX_TEXT; c++)
    if (g_ascii_isalnum (*c))
      out[n++] = *c;
  out[n] = '\0';
  return n;
}

static float
mean_confidence (const NigranPlateReading *reading)
{
  float sum = 0;

  if (reading->n_characters == 0)
    return 0;
  for (guint i = 0; i < reading->n_characters; i++)
    sum += reading->character_confidence[i];
  return sum / reading->n_characters;
}

/* A reading that fits a grammar counts for more than an odd one as sure. */
static float
reading_quality (const NigranPlateReading *reading)
{
  return mean_confidence (reading) * (reading->standard ? 1.0f : 0.8f);
}

/**
 * nigran_plate_vote:
 *
 * Votes over @readings character by character: among the readings of the most
 * supported length, each position takes the character with the most confidence
 * behind it. A character's confidence in the vote is the mean confidence of the
 * readings that agree on it, counting those that disagree as 0.
 */
void
nigran_plate_vote (const NigranPlateReading *readings,
                   guint                     n_readings,
                   NigranPlateReading       *vote)
{
  char texts[NIGRAN_PLATE_TRACK_BEST_FRAMES][NIGRAN_PLATE_READER_MAX_TEXT];
  guint lengths[NIGRAN_PLATE_TRACK_BEST_FRAMES];
  float length_support[NIGRAN_PLATE_READER_MAX_TEXT] = { 0 };
  guint length = 0, n_voters = 0, best = G_MAXUINT, k = 0;
  char voted[NIGRAN_PLATE_READER_MAX_TEXT];

  memset (vote, 0, sizeof *vote);
  n_readings = MIN (n_readings, NIGRAN_PLATE_TRACK_BEST_FRAMES);
  for (guint r = 0; r < n_readings; r++)
    {
      lengths[r] = compact (&readings[r], texts[r]);
      length_support[lengths[r]] += reading_quality (&readings[r]) + 1e-3f;
    }
  for (guint l = 1; l < NIGRAN_PLATE_READER_MAX_TEXT; l++)
    if (length_support[l] > length_support[length])
      length = l;
  if (length == 0)
    return;

  for (guint r = 0; r < n_readings; r++)
    if (lengths[r] == length)
      {
        n_voters++;
        if (best == G_MAXUINT || reading_quality (&readings[r]) > reading_quality (&readings[best]))
          best = r;
      }

  vote->confidence = 1;
  for (guint i = 0; i < length; i++)
    {
      float support[128] = { 0 };
      char winner = texts[best][i];

      for (guint r = 0; r < n_readings; r++)
        if (lengths[r] == length && i < readings[r].n_characters)
          support[(guchar)texts[r][i] & 0x7f] += readings[r].character_confidence[i];
      for (guint c = 0; c < G_N_ELEMENTS (support); c++)
        if (support[c] > support[(guchar)winner])
          winner = (char)c;
      voted[i] = winner;
      vote->character_confidence[i] = support[(guchar)winner] / n_voters;
      vote->confidence = MIN (vote->confidence, vote->character_confidence[i]);
    }
  voted[length] = '\0';
  vote->n_characters = length;

  /* Laid out as the surest reading was: its rows and gaps. */
  for (const char *c = readings[best].text; *c != '\0' && k < sizeof vote->text - 1; c++)
    {
      guint position = 0;

      for (const char *d = readings[best].text; d < c; d++)
        position += g_ascii_isalnum (*d) ? 1 : 0;
      vote->text[k++] = g_ascii_isalnum (*c) ? voted[position] : *c;
    }
  vote->text[k] = '\0';
  vote->standard = nigran_plate_parse (vote->text, &vote->plate);
}

/* Keeps the surest readings, surest first. */
static gboolean
keep_reading (Track                    *track,
              const NigranPlateReading *reading)
{
  float quality = reading_quality (reading);
  guint at = track->n_best;

  while (at > 0 && reading_quality (&track->best[at - 1]) < quality)
    at--;
  if (at >= NIGRAN_PLATE_TRACK_BEST_FRAMES)
    return FALSE;
  if (track->n_best == NIGRAN_PLATE_TRACK_BEST_FRAMES)
    track->n_best--;
  memmove (&track->best[at + 1], &track->best[at], (track->n_best - at) * sizeof track->best[0]);
  track->best[at] = *reading;
  track->n_best++;
  return at == 0;
}

/* The number of single-character changes from @a to @b, capped at 3. */
static guint
edit_distance (const char *a,
               const char *b)
{
  guint la = strlen (a), lb = strlen (b);
  guint row[NIGRAN_PLATE_READER_MAX_TEXT + 1];

  if (la > lb ? la - lb > 2 : lb - la > 2)
    return 3;
  for (guint j = 0; j <= lb; j++)
    row[j] = j;
  for (guint i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (guint j = 1; j <= lb; j++)
        {
          guint above = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }
  return MIN (row[lb], 3);
}

/* How well @observation continues @track: < 0 not at all, higher is better. */
static double
continuation (const Track                  *track,
              const NigranPlateObservation *observation)
{
  char text[NIGRAN_PLATE_READER_MAX_TEXT], track_text[NIGRAN_PLATE_READER_MAX_TEXT];
  double dx = (observation->x + observation->width / 2.0) - (track->box[0] + track->box[2] / 2.0);
  double dy = (observation->y + observation->height / 2.0) - (track->box[1] + track->box[3] / 2.0);
  double width = MAX (MAX (observation->width, track->box[2]), 1);
  double distance = sqrt (dx * dx + dy * dy) / width;
  guint edits;

  compact (&observation->reading, text);
  compact (&track->best[0], track_text);
  edits = edit_distance (text, track_text);
  if (distance > MAX_TRACK_DISTANCE_WIDTHS && edits > 1)
    return -1;
  /* Nearby and reading alike beats nearby alone. */
  return (MAX_TRACK_DISTANCE_WIDTHS - MIN (distance, MAX_TRACK_DISTANCE_WIDTHS)) + (3 - edits);
}

static gboolean
settles (const Track              *track,
         const NigranPlateReading *vote)
{
  return track->n_frames >= (vote->standard ? FRAMES_TO_SETTLE : FRAMES_TO_SETTLE_ODD) &&
         g_str_equal (vote->text, track->last_vote);
}

/**
 * nigran_plate_tracker_update:
 * @capture_us: when the frame was taken
 * @observations: the plates read in one frame of @camera_id
 *
 * Returns: (transfer full): one update per observation, in their order
 */
NigranPlateTrackUpdate *
nigran_plate_tracker_update (NigranPlateTracker           *self,
                             const char                   *camera_id,
                             gint64                        capture_us,
                             const NigranPlateObservation *observations,
                             guint                         n_observations)
{
  NigranPlateTrackUpdate *updates = g_new0 (NigranPlateTrackUpdate, n_observations + 1);
  g_autofree gboolean *taken = NULL;
  GPtrArray *tracks;

  g_return_val_if_fail (NIGRAN_IS_PLATE_TRACKER (self), updates);
  g_return_val_if_fail (camera_id != NULL, updates);

  g_mutex_lock (&self->lock);
  tracks = g_hash_table_lookup (self->cameras, camera_id);
  if (tracks == NULL)
    {
      tracks = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->cameras, g_strdup (camera_id), tracks);
    }
  taken = g_new0 (gboolean, tracks->len + n_observations + 1);

  for (guint o = 0; o < n_observations; o++)
    {
      const NigranPlateObservation *observation = &observations[o];
      NigranPlateTrackUpdate *update = &updates[o];
      Track *track = NULL;
      double best_score = -1;
      guint best_index = 0;

      for (guint t = 0; t < tracks->len; t++)
        {
          Track *candidate = tracks->pdata[t];
          double score;

          if (taken[t] || capture_us - candidate->last_us > self->max_gap_us)
            continue;
          score = continuation (candidate, observation);
          if (score > best_score)
            {
              best_score = score;
              best_index = t;
            }
        }
      if (best_score >= 0)
        track = tracks->pdata[best_index];
      else
        {
          track = g_new0 (Track, 1);
          track->id = self->next_id++;
          best_index = tracks->len;
          g_ptr_array_add (tracks, track);
        }
      taken[best_index] = TRUE;

      track->n_frames++;
      track->last_us = capture_us;
      track->box[0] = observation->x;
      track->box[1] = observation->y;
      track->box[2] = observation->width;
      track->box[3] = observation->height;
      update->is_best = keep_reading (track, &observation->reading);
      nigran_plate_vote (track->best, track->n_best, &update->vote);
      if (!track->decided && settles (track, &update->vote))
        track->decided = update->decided = TRUE;
      g_strlcpy (track->last_vote, update->vote.text, sizeof track->last_vote);
      update->track_id = track->id;
      update->n_frames = track->n_frames;
    }
  g_mutex_unlock (&self->lock);
  return updates;
}

/**
 * nigran_plate_tracker_end_passes:
 * @capture_us: the capture time of @camera_id's latest frame
 *
 * Ends the passes of @camera_id whose plate has been gone longer than the tracker's
 * gap.
 *
 * Returns: (transfer full) (element-type NigranPlateTrackUpdate): the ended passes
 *   that had not settled yet and are worth reporting, each decided
 */
GArray *
nigran_plate_tracker_end_passes (NigranPlateTracker *self,
                                 const char         *camera_id,
                                 gint64              capture_us)
{
  GArray *ended = g_array_new (FALSE, TRUE, sizeof (NigranPlateTrackUpdate));
  GPtrArray *tracks;

  g_return_val_if_fail (NIGRAN_IS_PLATE_TRACKER (self), ended);

  g_mutex_lock (&self->lock);
  tracks = g_hash_table_lookup (self->cameras, camera_id);
  for (guint t = 0; tracks != NULL && t < tracks->len;)
    {
      Track *track = tracks->pdata[t];
      NigranPlateTrackUpdate update = { .track_id = track->id, .n_frames = track->n_frames, .decided = TRUE };

      if (capture_us - track->last_us <= self->max_gap_us)
        {
          t++;
          continue;
        }
      nigran_plate_vote (track->best, track->n_best, &update.vote);
      if (!track->decided && update.vote.n_characters >= 4 &&
          (track->n_frames > 1 || update.vote.confidence >= LONE_FRAME_CONFIDENCE))
        g_array_append_val (ended, update);
      g_ptr_array_remove_index_fast (tracks, t);
    }
  g_mutex_unlock (&self->lock);
  return ended;
}

guint
nigran_plate_tracker_get_n_tracks (NigranPlateTracker *self)
{
  GHashTableIter iter;
  GPtrArray *tracks;
  guint n = 0;

  g_return_val_if_fail (NIGRAN_IS_PLATE_TRACKER (self), 0);

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->cameras);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&tracks))
    n += tracks->len;
  g_mutex_unlock (&self->lock);
  return n;
}
