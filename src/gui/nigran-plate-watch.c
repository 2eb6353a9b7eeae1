/* nigran-plate-watch.c: number-plate cameras read, and their plates checked against hotlists
 *
 * Each attached camera's analysis branch hands a frame to the watch five times a
 * second. One worker thread reads them: it finds plate-shaped regions
 * (nigran_plate_detect), reads the likeliest few with Tesseract, and follows each
 * plate through the frames of its pass (NigranPlateTracker), which votes over the
 * pass's surest readings. A camera's frame that arrives while its previous one is
 * still being read is dropped: the newest frame wins, and a slow read delays no
 * video.
 *
 * When a pass's vote settles, the worker keeps the crop of its surest frame as
 * evidence, and the main thread records one "plate.read" event for the pass and
 * checks the registration:
 *   - against the hotlists, tolerating the reader's confusions (O/0, B/8 …) and one
 *     lost or extra character, a hit being marked approximate then;
 *   - against its last sighting elsewhere: farther than a car could drive in the
 *     time between is a cloned plate ("plate.impossible-travel");
 *   - against the grammars of the issuing authorities, in zones that ask for it
 *     ("plate.non-standard");
 *   - against the allow-list a zone names: any other plate is "plate.unlisted".
 *
 * Reads that hit no hotlist are erased after a year (nigran_plate_watch_purge_reads_async).
 *
 * Hotlists are watchlists of vehicles ("hotlist.defined"); their entries are added
 * by hand or from a CSV file ("hotlist.entries-added", one event per change however
 * many rows) and removed with a reason ("hotlist.entry-removed"). A newly added entry
 * is also looked for among the reads of the last 24 hours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/video/video.h>
#include <string.h>

#include "core/nigran-alert.h"
#include "core/nigran-camera.h"
#include "core/nigran-csv.h"
#include "engine/nigran-plate-detector.h"
#include "engine/nigran-plate-index.h"
#include "engine/nigran-plate-reader.h"
#include "engine/nigran-plate-tracker.h"
#include "nigran-evidence.h"
#include "nigran-plate-watch.h"

/* A plate unseen this long (capture time) has left: its pass is over. */
#define PASS_GAP_US          (1500 * G_TIME_SPAN_MILLISECOND)
/* Regions read per frame, the most character-like first: a frame rarely shows more
 * plates near enough to read, and each read costs a Tesseract run. */
#define MAX_READS_PER_FRAME  3
/* A reading with fewer letters and digits is a fragment, not a plate. */
/* The evidence crop: the plate and this much of the car around it. */
#define CROP_MARGIN_X        0.45
#define CROP_MARGIN_Y        1.2
#define IMPOSSIBLE_TRAVEL_COOLDOWN_US G_TIME_SPAN_HOUR
#define CSV_MAX_LINE         4096

typedef struct
{
  char       *camera_id;
  gint64      capture_us;
  GstSample  *sample;
} Job;

/* A settled pass, from the worker to the main thread. */
typedef struct
{
  char       *camera_id;
  gint64      capture_us;
  char       *text;
  float       confidence;
  GdkTexture *crop;
  char       *crop_path;
  char       *crop_sha256;
} Read;

typedef struct
{
  GdkTexture *texture;
  gint64      last_us;   /* capture time of the track's latest frame */
} BestCrop;

static void
best_crop_free (gpointer data)
{
  BestCrop *crop = data;

  g_clear_object (&crop->texture);
  g_free (crop);
}

typedef struct
{
  NigranHotlistEntry *entry;
  guint               index_entry;
} Listed;

struct _NigranPlateWatch
{
  GObject               parent_instance;

  NigranEventLog       *log;
  GThreadPool          *pool;
  NigranPlateReader    *reader;        /* the pool's thread only */
  NigranPlateTracker   *tracker;
  GHashTable           *best_crops;    /* "camera\ntrack" → BestCrop; the pool's thread only */

  GMutex                lock;
  GHashTable           *busy;          /* camera ids being read; under lock */
  GPtrArray            *pending;       /* of Read; under lock */
  guint                 pending_source;
  char                 *evidence_directory; /* under lock */
  gint                  accepting;     /* atomic */
  guint                 n_frames;      /* atomic: frames read */

  /* The main thread's */
  gboolean              running;
  GPtrArray            *streams;       /* weak */
  GListStore           *hotlists;      /* of NigranWatchlist */
  NigranPlateIndex     *index;
  GHashTable           *listed;        /* "hotlist\nPATTERN" → Listed */
  GHashTable           *by_index;      /* index entry → Listed (not owned) */
  GHashTable           *cameras;       /* id → NigranCamera */
  GHashTable           *camera_zones;  /* camera id → GPtrArray of the NigranZone it stands in */
  NigranPlateSightings *sightings;
  GHashTable           *last_alerts;   /* key → gint64 monotonic µs */
  gint64                cooldown_us;
};

G_DEFINE_FINAL_TYPE (NigranPlateWatch, nigran_plate_watch, G_TYPE_OBJECT)

NigranHotlistEntry *
nigran_hotlist_entry_new (const char *hotlist,
                          const char *pattern,
                          const char *reason,
                          const char *source)
{
  NigranHotlistEntry *entry = g_new0 (NigranHotlistEntry, 1);

  entry->hotlist = g_strdup (hotlist);
  entry->pattern = g_strdup (pattern);
  entry->reason = g_strdup (reason != NULL && *reason != '\0' ? reason : NULL);
  entry->source = g_strdup (source != NULL && *source != '\0' ? source : NULL);
  return entry;
}

void
nigran_hotlist_entry_free (NigranHotlistEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->hotlist);
  g_free (entry->pattern);
  g_free (entry->reason);
  g_free (entry->source);
  g_free (entry);
}

void
nigran_import_problem_free (NigranImportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

static void
job_free (Job *job)
{
  g_free (job->camera_id);
  g_clear_pointer (&job->sample, gst_sample_unref);
  g_free (job);
}

static void
read_free (gpointer data)
{
  Read *read = data;

  g_free (read->camera_id);
  g_free (read->text);
  g_clear_object (&read->crop);
  g_free (read->crop_path);
  g_free (read->crop_sha256);
  g_free (read);
}

static void
listed_free (gpointer data)
{
  Listed *listed = data;

  nigran_hotlist_entry_free (listed->entry);
  g_free (listed);
}

static void
forget_stream (gpointer  data,
               GObject  *stream)
{
  NigranPlateWatch *self = data;

  g_ptr_array_remove_fast (self->streams, stream);
}

static void
nigran_plate_watch_dispose (GObject *object)
{
  NigranPlateWatch *self = (NigranPlateWatch *)object;

  g_atomic_int_set (&self->accepting, FALSE);
  for (guint i = 0; self->streams != NULL && i < self->streams->len; i++)
    {
      nigran_camera_stream_set_analysis (self->streams->pdata[i], 0, NULL, NULL, NULL);
      g_object_weak_unref (self->streams->pdata[i], forget_stream, self);
    }
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  /* Waits for the frame being read; the frames still queued are let go unread. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_clear_handle_id (&self->pending_source, g_source_remove);

  G_OBJECT_CLASS (nigran_plate_watch_parent_class)->dispose (object);
}

static void
nigran_plate_watch_finalize (GObject *object)
{
  NigranPlateWatch *self = (NigranPlateWatch *)object;

  g_clear_pointer (&self->reader, nigran_plate_reader_free);
  g_clear_object (&self->tracker);
  g_clear_object (&self->log);
  g_hash_table_unref (self->best_crops);
  g_hash_table_unref (self->busy);
  g_ptr_array_unref (self->pending);
  g_free (self->evidence_directory);
  g_clear_object (&self->hotlists);
  g_clear_object (&self->index);
  g_hash_table_unref (self->by_index);
  g_hash_table_unref (self->listed);
  g_hash_table_unref (self->cameras);
  g_hash_table_unref (self->camera_zones);
  g_clear_object (&self->sightings);
  g_hash_table_unref (self->last_alerts);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (nigran_plate_watch_parent_class)->finalize (object);
}

static void
nigran_plate_watch_class_init (NigranPlateWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nigran_plate_watch_dispose;
  object_class->finalize = nigran_plate_watch_finalize;
}

static void
nigran_plate_watch_init (NigranPlateWatch *self)
{
  g_mutex_init (&self->lock);
  self->tracker = nigran_plate_tracker_new (PASS_GAP_US);
  self->best_crops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, best_crop_free);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_ptr_array_new_with_free_func (read_free);
  self->streams = g_ptr_array_new ();
  self->hotlists = g_list_store_new (NIGRAN_TYPE_WATCHLIST);
  self->index = nigran_plate_index_new ();
  self->listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, listed_free);
  self->by_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->cameras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->camera_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  self->sightings = nigran_plate_sightings_new ();
  self->last_alerts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cooldown_us = NIGRAN_PLATE_WATCH_DEFAULT_COOLDOWN_US;
}

/* ---- the worker ---- */

static gboolean take_pending_reads (gpointer data);


static GdkTexture *
crop_texture (const GstVideoFrame *frame,
              int                  x,
              int                  y,
              int                  width,
              int                  height)
{
  const guint8 *pixels = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  int stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  int frame_width = GST_VIDEO_FRAME_WIDTH (frame), frame_height = GST_VIDEO_FRAME_HEIGHT (frame);
  int x0 = CLAMP (x, 0, frame_width - 1), y0 = CLAMP (y, 0, frame_height - 1);
  int x1 = CLAMP (x + width, x0 + 1, frame_width), y1 = CLAMP (y + height, y0 + 1, frame_height);
  g_autoptr(GBytes) bytes = NULL;
  guint8 *copy = g_malloc ((gsize)(x1 - x0) * 3 * (y1 - y0));

  for (int row = y0; row < y1; row++)
    memcpy (copy + (gsize)(row - y0) * (x1 - x0) * 3, pixels + (gsize)row * stride + x0 * 3, (gsize)(x1 - x0) * 3);
  bytes = g_bytes_new_take (copy, (gsize)(x1 - x0) * 3 * (y1 - y0));
  return gdk_memory_texture_new (x1 - x0, y1 - y0, GDK_MEMORY_R8G8B8, bytes, (gsize)(x1 - x0) * 3);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const NigranPlateCandidate *ca = a, *cb = b;

  return cb->n_characters - ca->n_characters;
}

static char *
track_key (const char *camera_id,
           guint       track_id)
{
  return g_strdup_printf ("%s\n%u", camera_id, track_id);
}

static void
post_read (NigranPlateWatch             *self,
           const char                   *camera_id,
           gint64                        capture_us,
           const NigranPlateTrackUpdate *update)
{
  g_autofree char *key = track_key (camera_id, update->track_id);
  g_autofree char *directory = NULL;
  g_autoptr(GError) error = NULL;
  Read *read = g_new0 (Read, 1);
  BestCrop *best;

  read->camera_id = g_strdup (camera_id);
  read->capture_us = capture_us;
  read->text = g_strdup (update->vote.standard ? update->vote.plate.display : update->vote.text);
  read->confidence = update->vote.confidence;
  best = g_hash_table_lookup (self->best_crops, key);
  if (best != NULL)
    read->crop = g_object_ref (best->texture);

  g_mutex_lock (&self->lock);
  directory = g_strdup (self->evidence_directory);
  g_mutex_unlock (&self->lock);
  if (read->crop != NULL && directory != NULL &&
      !nigran_evidence_save_texture (read->crop, directory, &read->crop_path, &read->crop_sha256, &error))
    g_message ("The picture of a plate read at %s is not kept: %s", camera_id, error->message);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending, read);
  if (self->pending_source == 0)
    self->pending_source = g_idle_add_full (G_PRIORITY_DEFAULT, take_pending_reads, self, NULL);
  g_mutex_unlock (&self->lock);
}

/* The crops of @camera_id's passes that have ended. */
static void
forget_old_crops (NigranPlateWatch *self,
                  const char       *camera_id,
                  gint64            capture_us)
{
  g_autofree char *prefix = g_strconcat (camera_id, "\n", NULL);
  GHashTableIter iter;
  const char *key;
  BestCrop *crop;

  g_hash_table_iter_init (&iter, self->best_crops);
  while (g_hash_table_iter_next (&iter, (gpointer *)&key, (gpointer *)&crop))
    if (g_str_has_prefix (key, prefix) && capture_us - crop->last_us > PASS_GAP_US)
      g_hash_table_iter_remove (&iter);
}

/* Whether @c lies mostly inside or around one of @chosen: the detector often finds a plate twice, alone and
 * with its frame, and two reads of one plate would make two passes of one car. */
static gboolean
overlaps_chosen (GArray                     *chosen,
                 const NigranPlateCandidate *c)
{
  for (guint j = 0; j < chosen->len; j++)
    {
      const NigranPlateCandidate *d = &g_array_index (chosen, NigranPlateCandidate, j);
      int overlap_w = MIN (c->x + c->width, d->x + d->width) - MAX (c->x, d->x);
      int overlap_h = MIN (c->y + c->height, d->y + d->height) - MAX (c->y, d->y);
      double smaller = MIN ((double)c->width * c->height, (double)d->width * d->height);

      if (overlap_w > 0 && overlap_h > 0 && overlap_w * (double)overlap_h > 0.5 * smaller)
        return TRUE;
    }
  return FALSE;
}

static void
read_frame (NigranPlateWatch *self,
            Job              *job,
            GstVideoFrame    *frame)
{
  const guint8 *pixels = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  int stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  int width = GST_VIDEO_FRAME_WIDTH (frame), height = GST_VIDEO_FRAME_HEIGHT (frame);
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GArray) observations = g_array_new (FALSE, TRUE, sizeof (NigranPlateObservation));
  g_autoptr(GArray) ended = NULL;
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (NigranPlateCandidate));
  g_autofree NigranPlateTrackUpdate *updates = NULL;
  g_autoptr(GError) error = NULL;

  candidates = nigran_plate_detect (NIGRAN_PIXEL_FORMAT_RGB, pixels, width, height, stride, &error);
  if (candidates == NULL)
    {
      g_debug ("No plates looked for in a frame of %s: %s", job->camera_id, error->message);
      return;
    }
  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len && chosen->len < MAX_READS_PER_FRAME; i++)
    {
      const NigranPlateCandidate *candidate = &g_array_index (candidates, NigranPlateCandidate, i);
      NigranPlateObservation observation = {
        .x = candidate->x, .y = candidate->y, .width = candidate->width, .height = candidate->height,
      };

      if (overlaps_chosen (chosen, candidate))
        continue;
      /* A plate cut by the frame's edge reads as a shorter one: "C-4903" for AC-4903. */
      if (candidate->x <= width / 100 || candidate->x + candidate->width >= width - width / 100 ||
          candidate->y <= height / 100 || candidate->y + candidate->height >= height - height / 100)
        continue;
      if (!nigran_plate_reader_read (self->reader, NIGRAN_PIXEL_FORMAT_RGB,
                                     pixels + (gsize)candidate->y * stride + candidate->x * 3,
                                     candidate->width, candidate->height, stride, &observation.reading, &error))
        {
          g_debug ("A plate of %s was not read: %s", job->camera_id, error->message);
          g_clear_error (&error);
          continue;
        }
      g_array_append_val (chosen, *candidate);
      if (nigran_plate_reading_is_plate (&observation.reading))
        g_array_append_val (observations, observation);
    }

  updates = nigran_plate_tracker_update (self->tracker, job->camera_id, job->capture_us,
                                         (NigranPlateObservation *)observations->data, observations->len);
  for (guint i = 0; i < observations->len; i++)
    {
      const NigranPlateObservation *observation = &g_array_index (observations, NigranPlateObservation, i);

      g_autofree char *key = track_key (job->camera_id, updates[i].track_id);
      BestCrop *best = g_hash_table_lookup (self->best_crops, key);

      if (best == NULL)
        {
          best = g_new0 (BestCrop, 1);
          g_hash_table_insert (self->best_crops, g_strdup (key), best);
        }
      best->last_us = job->capture_us;
      if (updates[i].is_best || best->texture == NULL)
        {
          int margin_x = observation->width * CROP_MARGIN_X, margin_y = observation->height * CROP_MARGIN_Y;

          g_clear_object (&best->texture);
          best->texture = crop_texture (frame, observation->x - margin_x, observation->y - margin_y,
                                        observation->width + 2 * margin_x, observation->height + 2 * margin_y);
        }
      if (updates[i].decided)
        post_read (self, job->camera_id, job->capture_us, &updates[i]);
    }

  ended = nigran_plate_tracker_end_passes (self->tracker, job->camera_id, job->capture_us);
  for (guint i = 0; i < ended->len; i++)
    post_read (self, job->camera_id, job->capture_us, &g_array_index (ended, NigranPlateTrackUpdate, i));
  forget_old_crops (self, job->camera_id, job->capture_us);
}

static void
work (gpointer data,
      gpointer user_data)
{
  NigranPlateWatch *self = user_data;
  Job *job = data;
  GstVideoInfo info;
  GstVideoFrame frame;

  if (g_atomic_int_get (&self->accepting) &&
      gst_video_info_from_caps (&info, gst_sample_get_caps (job->sample)) &&
      gst_video_frame_map (&frame, &info, gst_sample_get_buffer (job->sample), GST_MAP_READ))
    {
      read_frame (self, job, &frame);
      gst_video_frame_unmap (&frame);
      g_atomic_int_inc (&self->n_frames);
    }

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->busy, job->camera_id);
  g_mutex_unlock (&self->lock);
  job_free (job);
}

/* A camera's analysis branch, on its streaming thread. */
static void
on_frame (const char *camera_id,
          gint64      capture_us,
          GstSample  *sample,
          gpointer    data)
{
  NigranPlateWatch *self = data;
  Job *job;

  if (!g_atomic_int_get (&self->accepting))
    return;
  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (self->busy, camera_id))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  g_hash_table_add (self->busy, g_strdup (camera_id));
  g_mutex_unlock (&self->lock);

  job = g_new0 (Job, 1);
  job->camera_id = g_strdup (camera_id);
  job->capture_us = capture_us > 0 ? capture_us : g_get_real_time ();
  job->sample = gst_sample_ref (sample);
  g_thread_pool_push (self->pool, job, NULL);
}

/* ---- the main thread ---- */

static NigranWatchlist *
find_hotlist (NigranPlateWatch *self,
              const char       *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->hotlists));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NigranWatchlist) hotlist = g_list_model_get_item (G_LIST_MODEL (self->hotlists), i);

      if (g_strcmp0 (nigran_watchlist_get_name (hotlist), name) == 0)
        return hotlist;
    }
  return NULL;
}

static gboolean
cooled_down (NigranPlateWatch *self,
             const char       *key,
             gint64            cooldown_us)
{
  gint64 now = g_get_monotonic_time ();
  gint64 *last = g_hash_table_lookup (self->last_alerts, key);

  if (last != NULL && now - *last <= cooldown_us)
    return FALSE;
  if (last == NULL)
    {
      last = g_new (gint64, 1);
      g_hash_table_insert (self->last_alerts, g_strdup (key), last);
    }
  *last = now;
  return TRUE;
}

static const char *
site_of (NigranPlateWatch *self,
         const char       *camera_id)
{
  NigranCamera *camera = g_hash_table_lookup (self->cameras, camera_id);

  return camera != NULL ? nigran_camera_get_site_id (camera) : NULL;
}

static const char *
camera_name (NigranPlateWatch *self,
             const char       *camera_id)
{
  NigranCamera *camera = g_hash_table_lookup (self->cameras, camera_id);

  return camera != NULL ? nigran_camera_get_name (camera) : camera_id;
}

static void
raise_plate_alert (NigranPlateWatch    *self,
                   const char          *kind,
                   NigranAlertPriority  priority,
                   const char          *title,
                   const char          *detail,
                   const char          *camera_id,
                   gint64               capture_us,
                   const char          *matched,
                   NigranWatchlist     *hotlist,
                   double               score,
                   GdkTexture          *crop)
{
  g_autofree char *directory = NULL;
  NigranAlertSpec spec = {
    .source = "plate",
    .kind = kind,
    .priority = hotlist != NULL ? nigran_watchlist_get_priority (hotlist) : priority,
    .title = title,
    .detail = detail,
    .camera_id = camera_id,
    .site_id = site_of (self, camera_id),
    .matched = matched,
    .score = score,
    .frame_age_ms = capture_us > 0 ? (g_get_real_time () - capture_us) / 1000 : -1,
    .captured_us = capture_us,
    /* A person looks at the plate before anyone stops the car. */
    .verifiers_required = 1,
    .watchlist = hotlist != NULL ? nigran_watchlist_get_name (hotlist) : NULL,
    .colour = hotlist != NULL ? nigran_watchlist_get_colour (hotlist) : NULL,
    .tone = hotlist != NULL ? nigran_alert_tone_to_string (nigran_watchlist_get_tone (hotlist)) : NULL,
  };

  g_mutex_lock (&self->lock);
  directory = g_strdup (self->evidence_directory);
  g_mutex_unlock (&self->lock);
  nigran_evidence_raise_alert (self->log, &spec, crop, directory);
}

static gboolean
entry_expired (NigranPlateWatch *self,
               const Listed     *listed,
               gint64            now_us)
{
  NigranWatchlist *hotlist = find_hotlist (self, listed->entry->hotlist);
  guint days = hotlist != NULL ? nigran_watchlist_get_expiry_days (hotlist) : 0;

  return days > 0 && now_us - listed->entry->added_us > (gint64)days * G_TIME_SPAN_DAY;
}

/* @seen_us: when the plate was read; @late: found only now, in an older read */
static void
raise_hit (NigranPlateWatch   *self,
           const Listed       *listed,
           gboolean            approximate,
           const char         *text,
           const char         *camera_id,
           gint64              seen_us,
           GdkTexture         *crop,
           gboolean            late)
{
  NigranWatchlist *hotlist = find_hotlist (self, listed->entry->hotlist);
  const char *list_name = hotlist != NULL ? nigran_watchlist_category_describe (nigran_watchlist_get_category (hotlist))
                                          : listed->entry->hotlist;
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s", camera_id, listed->entry->hotlist, listed->entry->pattern);
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GDateTime) seen = g_date_time_new_from_unix_local (seen_us / G_USEC_PER_SEC);

  if (!late && !cooled_down (self, key, self->cooldown_us))
    return;
  title = approximate ? g_strdup_printf (_("%s (approximate): %s"), list_name, text)
                      : g_strdup_printf (_("%s: %s"), list_name, text);
  when = g_date_time_format (seen, "%H:%M:%S");
  if (approximate)
    g_string_append_printf (detail, _("Approximate: read “%s”, listed as “%s” (a confusable or missing character). "),
                            text, listed->entry->pattern);
  if (late)
    g_string_append_printf (detail, _("Seen at %s before the entry was listed. "), when);
  if (listed->entry->reason != NULL)
    g_string_append_printf (detail, _("Reason: %s. "), listed->entry->reason);
  if (listed->entry->source != NULL)
    g_string_append_printf (detail, _("Source: %s. "), listed->entry->source);
  g_string_append (detail, _("Compare the plate in the picture before anyone acts."));
  raise_plate_alert (self, "plate.hit", NIGRAN_ALERT_PRIORITY_HIGH, title, detail->str, camera_id, seen_us,
                     listed->entry->pattern, hotlist, approximate ? 0.5 : 1.0, crop);
}

static gboolean
is_allow_list (NigranPlateWatch *self,
               const char       *name)
{
  NigranWatchlist *hotlist = find_hotlist (self, name);

  return hotlist != NULL && nigran_watchlist_is_allow_list (hotlist);
}

/* In a zone with an allow-list, every plate not on it raises an alert. */
static void
check_allow_lists (NigranPlateWatch *self,
                   const char       *registration,
                   const char       *text,
                   const char       *camera_id,
                   gint64            capture_us,
                   GdkTexture       *crop)
{
  GPtrArray *zones = g_hash_table_lookup (self->camera_zones, camera_id);
  g_autoptr(GArray) hits = NULL;

  for (guint i = 0; zones != NULL && i < zones->len; i++)
    {
      NigranZone *zone = zones->pdata[i];
      const char *allow_list = nigran_zone_get_allow_list (zone);
      NigranWatchlist *hotlist = allow_list != NULL ? find_hotlist (self, allow_list) : NULL;
      gboolean allowed = FALSE;
      g_autofree char *key = NULL;
      g_autofree char *title = NULL;
      g_autofree char *detail = NULL;

      if (hotlist == NULL || !nigran_watchlist_is_allow_list (hotlist))
        continue;
      if (hits == NULL)
        hits = nigran_plate_index_lookup (self->index, registration);
      /* An approximate match counts as allowed: a misread listed car is no intruder. */
      for (guint h = 0; h < hits->len && !allowed; h++)
        {
          Listed *listed = g_hash_table_lookup (self->by_index,
                                                GUINT_TO_POINTER (g_array_index (hits, NigranPlateHit, h).entry));

          allowed = listed != NULL && g_strcmp0 (listed->entry->hotlist, allow_list) == 0 &&
                    !entry_expired (self, listed, g_get_real_time ());
        }
      key = g_strdup_printf ("unlisted\n%s\n%s", camera_id, registration);
      if (allowed || !cooled_down (self, key, self->cooldown_us))
        continue;
      title = g_strdup_printf (_("Not on the allow-list: %s"), text);
      detail = g_strdup_printf (_("Read in %s, where only the vehicles of “%s” are expected. Compare the plate "
                                  "in the picture before anyone acts."), nigran_zone_get_name (zone), allow_list);
      raise_plate_alert (self, "plate.unlisted", NIGRAN_ALERT_PRIORITY_HIGH, title, detail, camera_id, capture_us,
                         registration, hotlist, -1, crop);
    }
}

/* Returns: whether @registration is on a hotlist */
static gboolean
check_hotlists (NigranPlateWatch *self,
                const char       *registration,
                const char       *text,
                const char       *camera_id,
                gint64            capture_us,
                GdkTexture       *crop)
{
  g_autoptr(GArray) hits = nigran_plate_index_lookup (self->index, registration);
  gint64 now = g_get_real_time ();
  gboolean listed_now = FALSE;

  for (guint i = 0; i < hits->len; i++)
    {
      const NigranPlateHit *hit = &g_array_index (hits, NigranPlateHit, i);
      Listed *listed = g_hash_table_lookup (self->by_index, GUINT_TO_POINTER (hit->entry));

      if (listed != NULL && !entry_expired (self, listed, now) && !is_allow_list (self, listed->entry->hotlist))
        {
          raise_hit (self, listed, hit->approximate, text, camera_id, capture_us, crop, FALSE);
          listed_now = TRUE;
        }
    }
  return listed_now;
}

static gboolean
alerts_nonstandard (NigranPlateWatch *self,
                    const char       *camera_id)
{
  GPtrArray *zones = g_hash_table_lookup (self->camera_zones, camera_id);

  for (guint i = 0; zones != NULL && i < zones->len; i++)
    if (nigran_zone_get_alerts_nonstandard_plates (zones->pdata[i]))
      return TRUE;
  return FALSE;
}

static void
check_travel (NigranPlateWatch          *self,
              const NigranPlateSighting *sighting,
              GdkTexture                *crop)
{
  g_autoptr(NigranPlateSighting) before = nigran_plate_sightings_add (self->sightings, sighting);
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *then_text = NULL;
  g_autofree char *now_text = NULL;
  double km, minutes;

  if (before == NULL)
    return;
  key = g_strdup_printf ("travel\n%s", sighting->registration);
  if (!cooled_down (self, key, IMPOSSIBLE_TRAVEL_COOLDOWN_US))
    return;
  km = nigran_geo_distance_m (before->latitude, before->longitude, sighting->latitude, sighting->longitude) / 1000;
  minutes = ABS (sighting->time_us - before->time_us) / (double)G_TIME_SPAN_MINUTE;
  then = g_date_time_new_from_unix_local (before->time_us / G_USEC_PER_SEC);
  now = g_date_time_new_from_unix_local (sighting->time_us / G_USEC_PER_SEC);
  then_text = g_date_time_format (then, "%H:%M:%S");
  now_text = g_date_time_format (now, "%H:%M:%S");
  title = g_strdup_printf (_("Impossible travel: %s"), sighting->text);
  detail = g_strdup_printf (_("Read at %s (%s) at %s and at %s (%s) at %s: %.1f km in %.1f min would take "
                              "%.0f km/h, above the %.0f km/h any car drives here. One of the two plates "
                              "may be cloned."),
                            camera_name (self, before->camera_id), before->text, then_text,
                            camera_name (self, sighting->camera_id), sighting->text, now_text,
                            km, minutes, minutes > 0 ? km / (minutes / 60) : INFINITY,
                            nigran_plate_sightings_get_top_speed (self->sightings));
  raise_plate_alert (self, "plate.impossible-travel", NIGRAN_ALERT_PRIORITY_HIGH, title, detail,
                     sighting->camera_id, sighting->time_us, sighting->registration, NULL, -1, crop);
}

/* Records one vehicle pass's read, and checks it.
 * @text: the pass's voted reading, as read ("AC-4903", or an odd "BOSS 1")
 * @crop: (nullable): the plate and the car around it, from the pass's surest frame */
static void
take_read (NigranPlateWatch *self,
           const char       *camera_id,
           gint64            capture_us,
           const char       *text,
           float             confidence,
           GdkTexture       *crop,
           const char       *crop_path,
           const char       *crop_sha256)
{
  NigranPlate plate = { 0 };
  gboolean standard = nigran_plate_parse (text, &plate);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *camera_subject = g_strconcat ("camera:", camera_id, NULL);
  g_autofree char *plate_subject = NULL;
  const char *registration = plate.registration;
  const char *shown = standard ? plate.display : text;
  NigranCamera *camera = g_hash_table_lookup (self->cameras, camera_id);
  const char *site_id = site_of (self, camera_id);

  /* An odd plate's registration is its letters and digits. */
  if (*registration == '\0')
    return;

  plate_subject = g_strconcat ("plate:", registration, NULL);
  json_object_set_string_member (payload, "text", shown);
  json_object_set_string_member (payload, "registration", registration);
  if (standard && plate.year[0] != '\0')
    json_object_set_string_member (payload, "year", plate.year);
  json_object_set_string_member (payload, "authority", standard ? nigran_plate_authority_to_string (plate.authority) : NULL);
  json_object_set_double_member (payload, "confidence", confidence);
  json_object_set_int_member (payload, "captured_us", capture_us);
  if (site_id != NULL)
    json_object_set_string_member (payload, "site", site_id);
  if (camera != NULL)
    {
      json_object_set_double_member (payload, "latitude", nigran_camera_get_latitude (camera));
      json_object_set_double_member (payload, "longitude", nigran_camera_get_longitude (camera));
    }
  if (crop_path != NULL)
    {
      json_object_set_string_member (payload, "crop", crop_path);
      json_object_set_string_member (payload, "crop_sha256", crop_sha256);
    }
  /* A hit is kept as long as its alert; other reads for the read retention only. */
  json_object_set_boolean_member (payload, "hit", check_hotlists (self, registration, shown,
                                                                  camera_id, capture_us, crop));
  event = nigran_event_new ("plate.read", (const char * const[]) { camera_subject, plate_subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
  check_allow_lists (self, registration, shown, camera_id, capture_us, crop);
  if (!standard && alerts_nonstandard (self, camera_id))
    {
      g_autofree char *key = g_strdup_printf ("odd\n%s\n%s", camera_id, registration);
      g_autofree char *title = g_strdup_printf (_("Non-standard plate: %s"), text);

      if (cooled_down (self, key, self->cooldown_us))
        raise_plate_alert (self, "plate.non-standard", NIGRAN_ALERT_PRIORITY_MEDIUM, title,
                           _("The plate fits no issuing authority’s format: a fake or fancy plate, or a "
                             "misread. Compare the picture."),
                           camera_id, capture_us, registration, NULL, confidence, crop);
    }
  if (camera != NULL)
    {
      NigranPlateSighting sighting = {
        .registration = (char *)registration,
        .text = (char *)shown,
        .camera_id = (char *)camera_id,
        .latitude = nigran_camera_get_latitude (camera),
        .longitude = nigran_camera_get_longitude (camera),
        .time_us = capture_us,
      };

      check_travel (self, &sighting, crop);
    }
}

static gboolean
take_pending_reads (gpointer data)
{
  NigranPlateWatch *self = data;
  g_autoptr(GPtrArray) reads = NULL;

  g_mutex_lock (&self->lock);
  reads = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (read_free);
  self->pending_source = 0;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; self->running && i < reads->len; i++)
    {
      Read *read = reads->pdata[i];

      take_read (self, read->camera_id, read->capture_us, read->text, read->confidence, read->crop,
                 read->crop_path, read->crop_sha256);
    }
  return G_SOURCE_REMOVE;
}

/**
 * nigran_plate_watch_new:
 * @tessdata_dir: (nullable): where Tesseract's eng.traineddata is; NULL for Tesseract's own place
 *
 * Blocking: reads Tesseract's model.
 *
 * Returns: (transfer full) (nullable): the watch, or NULL when Tesseract or its
 *   English model is missing; plates are read once it runs
 */
NigranPlateWatch *
nigran_plate_watch_new (NigranEventLog  *log,
                        const char      *tessdata_dir,
                        GError         **error)
{
  g_autoptr(NigranPlateWatch) self = g_object_new (NIGRAN_TYPE_PLATE_WATCH, NULL);

  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (log), NULL);

  self->log = g_object_ref (log);
  /* Tesseract reads its model here: a moment, so create the watch off the main thread. */
  self->reader = nigran_plate_reader_new (tessdata_dir, error);
  if (self->reader == NULL)
    return NULL;
  self->pool = g_thread_pool_new (work, self, 1, FALSE, error);
  if (self->pool == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
nigran_plate_watch_set_evidence_directory (NigranPlateWatch *self,
                                           const char       *directory)
{
  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));

  g_mutex_lock (&self->lock);
  g_free (self->evidence_directory);
  self->evidence_directory = g_strdup (directory);
  g_mutex_unlock (&self->lock);
}

/* The cameras (for their places) and zones (for their plate rules) of the site. */
void
nigran_plate_watch_set_site (NigranPlateWatch *self,
                             GListModel       *cameras,
                             GListModel       *zones)
{
  guint n;

  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));

  g_hash_table_remove_all (self->cameras);
  g_hash_table_remove_all (self->camera_zones);
  n = cameras != NULL ? g_list_model_get_n_items (cameras) : 0;
  for (guint i = 0; i < n; i++)
    {
      NigranCamera *camera = g_list_model_get_item (cameras, i);
      GPtrArray *inside = g_ptr_array_new_with_free_func (g_object_unref);

      /* Cameras do not move: which zones they stand in is worked out once. */
      for (guint z = 0; zones != NULL && z < g_list_model_get_n_items (zones); z++)
        {
          g_autoptr(NigranZone) zone = g_list_model_get_item (zones, z);

          if (nigran_zone_contains (zone, nigran_camera_get_latitude (camera), nigran_camera_get_longitude (camera)))
            g_ptr_array_add (inside, g_steal_pointer (&zone));
        }
      g_hash_table_replace (self->camera_zones, g_strdup (nigran_camera_get_id (camera)), inside);
      g_hash_table_replace (self->cameras, g_strdup (nigran_camera_get_id (camera)), camera);
    }
}

NigranPlateSightings *
nigran_plate_watch_get_sightings (NigranPlateWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), NULL);
  return self->sightings;
}

void
nigran_plate_watch_set_cooldown (NigranPlateWatch *self,
                                 gint64            cooldown_us)
{
  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));
  self->cooldown_us = cooldown_us;
}

/* Before the stream starts: from then on it feeds the watch. */
void
nigran_plate_watch_attach (NigranPlateWatch   *self,
                           NigranCameraStream *stream)
{
  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (stream));

  nigran_camera_stream_set_analysis (stream, NIGRAN_PLATE_WATCH_DEFAULT_FPS, on_frame, self, NULL);
  nigran_camera_stream_set_analysis_enabled (stream, self->running);
  g_ptr_array_add (self->streams, stream);
  g_object_weak_ref (G_OBJECT (stream), forget_stream, self);
}

void
nigran_plate_watch_set_running (NigranPlateWatch *self,
                                gboolean          running,
                                const char       *actor)
{
  g_autoptr(NigranEvent) event = NULL;

  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));

  running = !!running;
  if (self->running == running)
    return;
  self->running = running;
  g_atomic_int_set (&self->accepting, running);
  for (guint i = 0; i < self->streams->len; i++)
    nigran_camera_stream_set_analysis_enabled (self->streams->pdata[i], running);

  event = nigran_event_new (running ? "recognition.started" : "recognition.stopped",
                            (const char * const[]) { "recognition:plates", NULL }, NULL);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

gboolean
nigran_plate_watch_get_running (NigranPlateWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), FALSE);
  return self->running;
}

/* ---- hotlists ---- */

static void
put_hotlist (NigranPlateWatch *self,
             NigranWatchlist  *hotlist)
{
  NigranWatchlist *old = find_hotlist (self, nigran_watchlist_get_name (hotlist));
  guint position;

  if (old != NULL && g_list_store_find (self->hotlists, old, &position))
    g_list_store_splice (self->hotlists, position, 1, (gpointer *)&hotlist, 1);
  else
    g_list_store_append (self->hotlists, hotlist);
}

/* Defines @hotlist, a watchlist of one of the vehicle categories, or redefines the one
 * of its name, as @actor; recorded as an event. */
void
nigran_plate_watch_define_hotlist (NigranPlateWatch *self,
                                   NigranWatchlist  *hotlist,
                                   const char       *actor)
{
  g_autoptr(NigranWatchlist) kept = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *subject = NULL;

  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));
  g_return_if_fail (NIGRAN_IS_WATCHLIST (hotlist));

  kept = nigran_watchlist_copy (hotlist);
  put_hotlist (self, kept);
  payload = nigran_watchlist_to_payload (kept);
  subject = g_strconcat ("hotlist:", nigran_watchlist_get_name (kept), NULL);
  event = nigran_event_new ("hotlist.defined", (const char * const[]) { subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

GListModel *
nigran_plate_watch_get_hotlists (NigranPlateWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), NULL);
  return G_LIST_MODEL (self->hotlists);
}

/* Returns: (transfer full) (nullable): the hotlist of @name */
NigranWatchlist *
nigran_plate_watch_dup_hotlist (NigranPlateWatch *self,
                                const char       *name)
{
  NigranWatchlist *hotlist;

  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), NULL);
  hotlist = find_hotlist (self, name);
  return hotlist != NULL ? g_object_ref (hotlist) : NULL;
}

/* "hotlist\nAC4903": one pattern of one hotlist, however it was written. */
static char *
listed_key (const char *hotlist,
            const char *pattern)
{
  g_autofree char *normalised = nigran_plate_index_normalise (pattern, NULL);

  return g_strconcat (hotlist, "\n", normalised != NULL ? normalised : pattern, NULL);
}

/* Puts @entry on its list; takes it. A pattern already listed takes the new reason. */
static gboolean
list_entry (NigranPlateWatch    *self,
            NigranHotlistEntry  *entry,
            GError             **error)
{
  g_autofree char *key = listed_key (entry->hotlist, entry->pattern);
  Listed *listed = g_hash_table_lookup (self->listed, key);
  guint index_entry;

  if (listed != NULL)
    {
      entry->added_us = MAX (entry->added_us, listed->entry->added_us);
      nigran_hotlist_entry_free (g_steal_pointer (&listed->entry));
      listed->entry = entry;
      return TRUE;
    }
  if (!nigran_plate_index_add (self->index, entry->pattern, &index_entry, error))
    {
      nigran_hotlist_entry_free (entry);
      return FALSE;
    }
  listed = g_new0 (Listed, 1);
  listed->entry = entry;
  listed->index_entry = index_entry;
  g_hash_table_insert (self->listed, g_steal_pointer (&key), listed);
  g_hash_table_insert (self->by_index, GUINT_TO_POINTER (index_entry), listed);
  return TRUE;
}

static gboolean
unlist_entry (NigranPlateWatch *self,
              const char       *hotlist,
              const char       *pattern)
{
  g_autofree char *key = listed_key (hotlist, pattern);
  Listed *listed = g_hash_table_lookup (self->listed, key);

  if (listed == NULL)
    return FALSE;
  nigran_plate_index_remove (self->index, listed->index_entry);
  g_hash_table_remove (self->by_index, GUINT_TO_POINTER (listed->index_entry));
  g_hash_table_remove (self->listed, key);
  return TRUE;
}

typedef struct
{
  NigranPlateWatch *self;
  NigranPlateIndex *index;     /* of the new entries alone */
  const char       *hotlist;
} Lookback;

static void
look_back (gpointer data,
           gpointer user_data)
{
  NigranPlateSighting *sighting = data;
  Lookback *lookback = user_data;
  g_autoptr(GArray) hits = nigran_plate_index_lookup (lookback->index, sighting->registration);

  for (guint i = 0; i < hits->len; i++)
    {
      const NigranPlateHit *hit = &g_array_index (hits, NigranPlateHit, i);
      g_autofree char *key = listed_key (lookback->hotlist, nigran_plate_index_get_pattern (lookback->index, hit->entry));
      Listed *listed = g_hash_table_lookup (lookback->self->listed, key);

      if (listed != NULL)
        raise_hit (lookback->self, listed, hit->approximate, sighting->text, sighting->camera_id,
                   sighting->time_us, NULL, TRUE);
    }
}

/* Thread-safe: the one event that records @entries' listing. */
static NigranEvent *
entries_added_event_new (const char *hotlist,
                         GPtrArray  *entries,
                         const char *how)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(JsonArray) rows = json_array_sized_new (entries->len);
  g_autofree char *subject = g_strconcat ("hotlist:", hotlist, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      NigranHotlistEntry *entry = entries->pdata[i];
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "pattern", entry->pattern);
      if (entry->reason != NULL)
        json_object_set_string_member (row, "reason", entry->reason);
      if (entry->source != NULL)
        json_object_set_string_member (row, "source", entry->source);
      json_array_add_object_element (rows, row);
    }
  json_object_set_string_member (payload, "hotlist", hotlist);
  json_object_set_string_member (payload, "how", how != NULL ? how : "by hand");
  json_object_set_array_member (payload, "entries", g_steal_pointer (&rows));
  return nigran_event_new ("hotlist.entries-added", (const char * const[]) { subject, NULL }, payload);
}

static void
list_entries (NigranPlateWatch *self,
              const char       *hotlist,
              GPtrArray        *entries,
              guint             from,
              guint             to,
              gint64            now_us)
{
  for (guint i = from; i < to; i++)
    {
      NigranHotlistEntry *entry = entries->pdata[i];
      NigranHotlistEntry *kept = nigran_hotlist_entry_new (hotlist, entry->pattern, entry->reason, entry->source);

      kept->added_us = now_us;
      list_entry (self, kept, NULL);
    }
}

/* The last day's reads that the newly listed entries (@fresh) match raise their
 * alerts now. */
static void
look_back_for (NigranPlateWatch *self,
               const char       *hotlist,
               NigranPlateIndex *fresh)
{
  Lookback lookback = { self, fresh, hotlist };

  nigran_plate_sightings_foreach (self->sightings, look_back, &lookback);
}

/* Thread-safe. Returns: (transfer full) (nullable): an index of @entries alone,
 * to look back with; NULL, with @error, for an entry that is no valid pattern. */
static NigranPlateIndex *
index_entries (GPtrArray  *entries,
               GError    **error)
{
  g_autoptr(NigranPlateIndex) index = nigran_plate_index_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      guint entry;

      if (!nigran_plate_index_add (index, ((NigranHotlistEntry *)entries->pdata[i])->pattern, &entry, error))
        {
          g_prefix_error (error, _("Entry %u: "), i + 1);
          return NULL;
        }
    }
  return g_steal_pointer (&index);
}

/**
 * nigran_plate_watch_add_entries:
 * @entries: (element-type NigranHotlistEntry): to put on @hotlist; their hotlist is ignored
 * @how: (nullable): "by hand", or the file they were imported from
 *
 * Puts @entries on @hotlist as @actor, records that as one event, and raises an
 * alert for each of the last 24 hours' reads that an entry matches. For a few
 * entries: nigran_plate_watch_import_async() lists many without holding up the
 * main thread.
 *
 * Returns: FALSE, adding nothing, if @hotlist is not defined or an entry is not a
 *   valid pattern
 */
gboolean
nigran_plate_watch_add_entries (NigranPlateWatch  *self,
                                const char        *hotlist,
                                GPtrArray         *entries,
                                const char        *how,
                                const char        *actor,
                                GError           **error)
{
  g_autoptr(NigranEvent) event = NULL;
  g_autoptr(NigranPlateIndex) fresh = NULL;

  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), FALSE);
  g_return_val_if_fail (hotlist != NULL && entries != NULL, FALSE);

  if (find_hotlist (self, hotlist) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no hotlist “%s”"), hotlist);
      return FALSE;
    }
  /* All or nothing: every entry is checked before any is listed. */
  fresh = index_entries (entries, error);
  if (fresh == NULL)
    return FALSE;
  list_entries (self, hotlist, entries, 0, entries->len, g_get_real_time ());
  event = entries_added_event_new (hotlist, entries, how);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
  look_back_for (self, hotlist, fresh);
  return TRUE;
}

typedef struct
{
  char                 *hotlist;
  GPtrArray            *entries;
  char                 *how;
  char                 *actor;
  NigranEvent          *event;
  NigranPlateIndex     *fresh;
  guint                 next;
  gint64                added_us;
  GFileProgressCallback progress;
  gpointer              progress_data;
} Import;

static void
import_free (Import *import)
{
  g_free (import->hotlist);
  g_ptr_array_unref (import->entries);
  g_free (import->how);
  g_free (import->actor);
  g_clear_object (&import->event);
  g_clear_object (&import->fresh);
  g_free (import);
}

/* A few milliseconds' worth: the wall goes on drawing between two. */
#define IMPORT_CHUNK 5000

static gboolean
import_next_chunk (gpointer data)
{
  GTask *task = data;
  NigranPlateWatch *self = g_task_get_source_object (task);
  Import *import = g_task_get_task_data (task);
  guint to = MIN (import->next + IMPORT_CHUNK, import->entries->len);

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  list_entries (self, import->hotlist, import->entries, import->next, to, import->added_us);
  import->next = to;
  if (import->progress != NULL)
    import->progress (to, import->entries->len, import->progress_data);
  if (to < import->entries->len)
    return G_SOURCE_CONTINUE;

  nigran_event_log_append_async (self->log, import->event, import->actor, NULL, NULL, NULL);
  look_back_for (self, import->hotlist, import->fresh);
  g_task_return_int (task, import->entries->len);
  return G_SOURCE_REMOVE;
}

static void
import_event_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Import *import = task_data;
  GError *error = NULL;

  import->fresh = index_entries (import->entries, &error);
  if (import->fresh == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  import->event = entries_added_event_new (import->hotlist, import->entries, import->how);
  g_task_return_boolean (task, TRUE);
}

static void
on_import_event_built (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, import_next_chunk, task, g_object_unref);
}

/**
 * nigran_plate_watch_import_async:
 * @entries: (element-type NigranHotlistEntry): as nigran_plate_watch_read_csv_finish() gave them
 * @how: the file they come from
 * @progress: (nullable): told how many entries are listed so far, on the main thread
 *
 * Puts @entries on @hotlist as nigran_plate_watch_add_entries() does, but a hundred
 * thousand of them: they are checked and indexed, and their event is made, on a
 * worker thread; they are listed a few thousand at a time between the main loop's
 * other work.
 */
void
nigran_plate_watch_import_async (NigranPlateWatch     *self,
                                 const char           *hotlist,
                                 GPtrArray            *entries,
                                 const char           *how,
                                 const char           *actor,
                                 GCancellable         *cancellable,
                                 GFileProgressCallback progress,
                                 gpointer              progress_data,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) build = NULL;
  Import *import;

  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));

  g_task_set_source_tag (task, nigran_plate_watch_import_async);
  if (find_hotlist (self, hotlist) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no hotlist “%s”"), hotlist);
      g_object_unref (task);
      return;
    }
  import = g_new0 (Import, 1);
  import->hotlist = g_strdup (hotlist);
  import->entries = g_ptr_array_ref (entries);
  import->how = g_strdup (how);
  import->actor = g_strdup (actor ? actor : NIGRAN_ACTOR_SYSTEM);
  import->added_us = g_get_real_time ();
  import->progress = progress;
  import->progress_data = progress_data;
  g_task_set_task_data (task, import, (GDestroyNotify)import_free);

  build = g_task_new (self, cancellable, on_import_event_built, task);
  g_task_set_task_data (build, import, NULL);
  g_task_run_in_thread (build, import_event_thread);
}

/* Returns: how many entries were listed, or -1 with @error */
gssize
nigran_plate_watch_import_finish (NigranPlateWatch  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* Takes @pattern off @hotlist as @actor, for @reason; recorded as an event. */
gboolean
nigran_plate_watch_remove_entry (NigranPlateWatch  *self,
                                 const char        *hotlist,
                                 const char        *pattern,
                                 const char        *reason,
                                 const char        *actor,
                                 GError           **error)
{
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), FALSE);

  if (reason == NULL || *reason == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Say why the entry is taken off the hotlist"));
      return FALSE;
    }
  if (!unlist_entry (self, hotlist, pattern))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” is not on the hotlist “%s”"), pattern, hotlist);
      return FALSE;
    }
  payload = json_object_new ();
  json_object_set_string_member (payload, "hotlist", hotlist);
  json_object_set_string_member (payload, "pattern", pattern);
  json_object_set_string_member (payload, "reason", reason);
  subject = g_strconcat ("hotlist:", hotlist, NULL);
  event = nigran_event_new ("hotlist.entry-removed", (const char * const[]) { subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
  return TRUE;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const NigranHotlistEntry *ea = *(NigranHotlistEntry **)a, *eb = *(NigranHotlistEntry **)b;

  return g_strcmp0 (ea->pattern, eb->pattern);
}

/* Returns: (transfer full) (element-type NigranHotlistEntry): @hotlist's entries, by pattern */
GPtrArray *
nigran_plate_watch_dup_entries (NigranPlateWatch *self,
                                const char       *hotlist)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_hotlist_entry_free);
  GHashTableIter iter;
  Listed *listed;

  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), entries);

  g_hash_table_iter_init (&iter, self->listed);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&listed))
    if (g_strcmp0 (listed->entry->hotlist, hotlist) == 0)
      {
        NigranHotlistEntry *copy = nigran_hotlist_entry_new (hotlist, listed->entry->pattern, listed->entry->reason,
                                                             listed->entry->source);

        copy->added_us = listed->entry->added_us;
        g_ptr_array_add (entries, copy);
      }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

guint
nigran_plate_watch_count_entries (NigranPlateWatch *self,
                                  const char       *hotlist)
{
  GHashTableIter iter;
  Listed *listed;
  guint n = 0;

  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), 0);

  g_hash_table_iter_init (&iter, self->listed);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&listed))
    n += g_strcmp0 (listed->entry->hotlist, hotlist) == 0;
  return n;
}

/* The last day's reads, for a newly listed entry and for cloned plates. */
static void
restore_sighting (NigranPlateWatch *self,
                  NigranEvent      *event,
                  JsonObject       *payload)
{
  NigranPlateSighting sighting = {
    .registration = (char *)json_object_get_string_member_with_default (payload, "registration", NULL),
    .text = (char *)json_object_get_string_member_with_default (payload, "text", NULL),
    .camera_id = (char *)nigran_event_find_subject (event, "camera"),
    .latitude = json_object_get_double_member_with_default (payload, "latitude", 0),
    .longitude = json_object_get_double_member_with_default (payload, "longitude", 0),
    .time_us = json_object_get_int_member_with_default (payload, "captured_us", 0),
  };

  if (sighting.registration == NULL || sighting.text == NULL || sighting.camera_id == NULL ||
      !json_object_has_member (payload, "latitude"))
    return;
  nigran_plate_sighting_free (nigran_plate_sightings_add (self->sightings, &sighting));
}

static gboolean
restore_event (NigranEvent *event,
               gpointer     data)
{
  NigranPlateWatch *self = data;
  const char *type = nigran_event_get_event_type (event);
  JsonObject *payload = nigran_event_get_payload (event);
  const char *hotlist;

  if (payload == NULL)
    return TRUE;
  if (g_str_equal (type, "plate.read"))
    {
      restore_sighting (self, event, payload);
      return TRUE;
    }
  if (g_str_equal (type, "hotlist.defined"))
    {
      g_autoptr(NigranWatchlist) defined = nigran_watchlist_new_from_payload (payload, NULL);

      if (defined != NULL)
        put_hotlist (self, defined);
      return TRUE;
    }
  hotlist = json_object_get_string_member_with_default (payload, "hotlist", NULL);
  if (hotlist == NULL)
    return TRUE;
  if (g_str_equal (type, "hotlist.entry-removed"))
    unlist_entry (self, hotlist, json_object_get_string_member_with_default (payload, "pattern", ""));
  else if (g_str_equal (type, "hotlist.entries-added") && json_object_has_member (payload, "entries"))
    {
      JsonArray *rows = json_object_get_array_member (payload, "entries");

      for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          const char *pattern = row ? json_object_get_string_member_with_default (row, "pattern", NULL) : NULL;
          NigranHotlistEntry *entry;

          if (pattern == NULL)
            continue;
          entry = nigran_hotlist_entry_new (hotlist, pattern,
                                            json_object_get_string_member_with_default (row, "reason", NULL),
                                            json_object_get_string_member_with_default (row, "source", NULL));
          entry->added_us = nigran_event_get_time_us (event);
          list_entry (self, entry, NULL);
        }
    }
  return TRUE;
}

/**
 * nigran_plate_watch_restore:
 *
 * Reads back the hotlists and their entries from the event log, and the last day's
 * reads. Reads the log: call it from a worker thread, before the watch is shared.
 */
gboolean
nigran_plate_watch_restore (NigranPlateWatch  *self,
                            GError           **error)
{
  static const char * const hotlist_types[] = {
    "hotlist.defined", "hotlist.entries-added", "hotlist.entry-removed", NULL
  };
  static const char * const read_types[] = { "plate.read", NULL };

  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), FALSE);
  return nigran_event_log_foreach_of_types (self->log, hotlist_types, restore_event, self, error) &&
         nigran_event_log_foreach_of_types_between (self->log, read_types,
                                                    g_get_real_time () - NIGRAN_PLATE_SIGHTINGS_DEFAULT_WINDOW_US,
                                                    0, restore_event, self, error);
}

/* ---- CSV import ---- */

typedef struct
{
  GFileProgressCallback progress;
  gpointer              progress_data;
  goffset               current;
  goffset               total;
} Progress;

static gboolean
report_progress (gpointer data)
{
  Progress *progress = data;

  progress->progress (progress->current, progress->total, progress->progress_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GPtrArray *entries;
  GPtrArray *problems;
} Imported;

static void
imported_free (Imported *imported)
{
  g_clear_pointer (&imported->entries, g_ptr_array_unref);
  g_clear_pointer (&imported->problems, g_ptr_array_unref);
  g_free (imported);
}

static void
add_problem (GPtrArray  *problems,
             guint       line,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
add_problem (GPtrArray  *problems,
             guint       line,
             const char *format,
             ...)
{
  NigranImportProblem *problem = g_new0 (NigranImportProblem, 1);
  va_list args;

  va_start (args, format);
  problem->line = line;
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, problem);
}

static void
read_csv_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GFile *file = G_FILE (source);
  Progress *progress = task_data;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Imported *imported = g_new0 (Imported, 1);
  GError *error = NULL;
  guint line_number = 0;
  goffset read_bytes = 0;
  gint64 last_report = 0;
  char *line;
  gsize length;

  imported->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_hotlist_entry_free);
  imported->problems = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_import_problem_free);
  input = g_file_read (file, cancellable, &error);
  if (input != NULL)
    info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (input == NULL)
    {
      imported_free (imported);
      g_task_return_error (task, error);
      return;
    }
  lines = g_data_input_stream_new (G_INPUT_STREAM (input));
  progress->total = info != NULL ? g_file_info_get_size (info) : 0;

  while ((line = g_data_input_stream_read_line_utf8 (lines, &length, cancellable, &error)) != NULL)
    {
      g_autofree char *owned = line;
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) invalid = NULL;
      const char *pattern;
      g_autofree char *key = NULL;

      line_number++;
      read_bytes += length + 1;
      if (progress->progress != NULL && g_get_monotonic_time () - last_report > 50 * G_TIME_SPAN_MILLISECOND)
        {
          Progress *report = g_memdup2 (progress, sizeof *progress);

          report->current = read_bytes;
          last_report = g_get_monotonic_time ();
          g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, report_progress, report, g_free);
        }
      g_strstrip (line);
      if (*line == '\0' || *line == '#')
        continue;
      if (length > CSV_MAX_LINE)
        {
          add_problem (imported->problems, line_number, _("the line is longer than %d characters"), CSV_MAX_LINE);
          continue;
        }
      fields = nigran_csv_split_record (line);
      pattern = fields->len > 0 ? g_strstrip ((char *)fields->pdata[0]) : "";
      /* A header names its columns. */
      if (line_number == 1 && (g_ascii_strcasecmp (pattern, "plate") == 0 ||
                               g_ascii_strcasecmp (pattern, "registration") == 0))
        continue;
      if (fields->len > 3)
        {
          add_problem (imported->problems, line_number, _("%u columns: expected plate, reason, source"), fields->len);
          continue;
        }
      key = nigran_plate_index_normalise (pattern, &invalid);
      if (key == NULL)
        {
          add_problem (imported->problems, line_number, "%s", invalid->message);
          continue;
        }
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        {
          add_problem (imported->problems, line_number, _("“%s” is listed again: the first row is kept"), pattern);
          continue;
        }
      g_ptr_array_add (imported->entries,
                       nigran_hotlist_entry_new (NULL, pattern,
                                                 fields->len > 1 ? g_strstrip ((char *)fields->pdata[1]) : NULL,
                                                 fields->len > 2 ? g_strstrip ((char *)fields->pdata[2]) : NULL));
    }
  if (error != NULL)
    {
      g_prefix_error (&error, _("Line %u: "), line_number + 1);
      imported_free (imported);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, imported, (GDestroyNotify)imported_free);
}

/**
 * nigran_plate_watch_read_csv_async:
 * @progress: (nullable): called on the caller's main context as the file is read
 *
 * Reads hotlist entries from a CSV file on a worker thread: one entry a line, its
 * plate or pattern first, then an optional reason and source; a first line
 * "plate,…" is a header. Rows that cannot be entries are reported, not fatal.
 */
void
nigran_plate_watch_read_csv_async (GFile                *file,
                                   GCancellable         *cancellable,
                                   GFileProgressCallback progress,
                                   gpointer              progress_data,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (file, cancellable, callback, user_data);
  Progress *reporting = g_new0 (Progress, 1);

  reporting->progress = progress;
  reporting->progress_data = progress_data;
  g_task_set_source_tag (task, nigran_plate_watch_read_csv_async);
  g_task_set_task_data (task, reporting, g_free);
  g_task_run_in_thread (task, read_csv_thread);
}

/**
 * nigran_plate_watch_read_csv_finish:
 * @problems: (out) (element-type NigranImportProblem): the rows left out, and why
 *
 * Returns: (transfer full) (element-type NigranHotlistEntry): the entries read, or
 *   NULL if the file could not be read
 */
GPtrArray *
nigran_plate_watch_read_csv_finish (GAsyncResult  *result,
                                    GPtrArray    **problems,
                                    GError       **error)
{
  Imported *imported = g_task_propagate_pointer (G_TASK (result), error);
  GPtrArray *entries;

  if (imported == NULL)
    return NULL;
  entries = g_steal_pointer (&imported->entries);
  if (problems != NULL)
    *problems = g_steal_pointer (&imported->problems);
  imported_free (imported);
  return entries;
}

/* ---- retention ---- */

typedef struct
{
  gint64     before_us;
  GArray    *sequences;   /* of gint64: plate.read events to erase */
  GPtrArray *crops;       /* their crops' files */
} Purge;

static void
purge_free (Purge *purge)
{
  g_array_unref (purge->sequences);
  g_ptr_array_unref (purge->crops);
  g_free (purge);
}

static gboolean
find_purgeable (NigranEvent *event,
                gpointer     data)
{
  Purge *purge = data;
  JsonObject *payload = nigran_event_get_payload (event);
  gint64 sequence = nigran_event_get_sequence (event);
  const char *crop;

  /* Erased already, or a read that hit a hotlist: kept with its alert. */
  if (payload == NULL || json_object_get_boolean_member_with_default (payload, "hit", FALSE) ||
      json_object_get_int_member_with_default (payload, "captured_us", nigran_event_get_time_us (event)) >= purge->before_us)
    return TRUE;
  g_array_append_val (purge->sequences, sequence);
  crop = json_object_get_string_member_with_default (payload, "crop", NULL);
  if (crop != NULL)
    g_ptr_array_add (purge->crops, g_strdup (crop));
  return TRUE;
}

static void
find_purgeable_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  static const char * const types[] = { "plate.read", NULL };
  NigranPlateWatch *self = source_object;
  GError *error = NULL;

  Purge *purge = task_data;

  /* A read is recorded within seconds of its capture: an hour's margin is plenty. */
  if (!nigran_event_log_foreach_of_types_between (self->log, types, 0, purge->before_us + G_TIME_SPAN_HOUR,
                                                  find_purgeable, purge, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
erase_purgeable_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  NigranPlateWatch *self = source_object;
  Purge *purge = task_data;
  GError *error = NULL;

  for (guint i = 0; i < purge->crops->len; i++)
    if (g_unlink (purge->crops->pdata[i]) != 0 && errno != ENOENT)
      g_message ("Retention could not delete %s: %s", (char *)purge->crops->pdata[i], g_strerror (errno));
  if (!nigran_event_log_erase_payloads (self->log, purge->sequences, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, purge->sequences->len);
}

static void
on_purgeable_erased (GObject      *object,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);

  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

/* Recorded before anything is erased, so that the log says why reads are gone. */
static void
on_purgeable_found (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  NigranPlateWatch *self = NIGRAN_PLATE_WATCH (object);
  g_autoptr(GTask) task = data;
  Purge *purge = g_task_get_task_data (task);
  g_autoptr(GTask) erase = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(NigranEvent) event = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (purge->sequences->len == 0)
    {
      g_task_return_int (task, 0);
      return;
    }
  payload = json_object_new ();
  json_object_set_int_member (payload, "reads", purge->sequences->len);
  json_object_set_int_member (payload, "before_us", purge->before_us);
  json_object_set_int_member (payload, "retention_days", NIGRAN_PLATE_WATCH_READ_RETENTION_DAYS);
  event = nigran_event_new ("plate.reads-purged", (const char * const[]) { "retention:plates", NULL }, payload);
  nigran_event_log_append_async (self->log, event, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);

  erase = g_task_new (self, g_task_get_cancellable (task), on_purgeable_erased, g_object_ref (task));
  g_task_set_task_data (erase, purge, NULL);
  g_task_run_in_thread (erase, erase_purgeable_thread);
}

/**
 * nigran_plate_watch_purge_reads_async:
 * @now_us: the present, UTC
 *
 * Erases the reads that hit no hotlist and are older than the retention
 * (NIGRAN_PLATE_WATCH_READ_RETENTION_DAYS): their payloads in the log, digests
 * kept, and their crops. Reads the log on worker threads.
 */
void
nigran_plate_watch_purge_reads_async (NigranPlateWatch    *self,
                                      gint64               now_us,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) find = NULL;
  Purge *purge = g_new0 (Purge, 1);

  g_return_if_fail (NIGRAN_IS_PLATE_WATCH (self));

  purge->before_us = now_us - (gint64)NIGRAN_PLATE_WATCH_READ_RETENTION_DAYS * G_TIME_SPAN_DAY;
  purge->sequences = g_array_new (FALSE, FALSE, sizeof (gint64));
  purge->crops = g_ptr_array_new_with_free_func (g_free);
  g_task_set_source_tag (task, nigran_plate_watch_purge_reads_async);
  g_task_set_task_data (task, purge, (GDestroyNotify)purge_free);
  find = g_task_new (self, cancellable, on_purgeable_found, task);
  g_task_set_task_data (find, purge, NULL);
  g_task_run_in_thread (find, find_purgeable_thread);
}

/* Returns: how many reads were erased, or -1 with @error */
gssize
nigran_plate_watch_purge_reads_finish (NigranPlateWatch  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

guint
nigran_plate_watch_get_n_frames (NigranPlateWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_WATCH (self), 0);
  return (guint)g_atomic_int_get (&self->n_frames);
}

