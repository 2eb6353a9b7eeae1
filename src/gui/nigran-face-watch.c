/* nigran-face-watch.c: live cameras checked against enrolled faces
 *
 * Each attached camera's analysis branch hands frames (5 a second by default) to the
 * engine from its streaming thread; the engine's workers search the gallery for each
 * face they found (the search reads every enrolled face: 6–9 ms at 100,000) and hand
 * the results on to the main thread, with at most one main-loop source pending for
 * all of them. Each face is followed across its camera's frames (NigranFaceTracker),
 * and it is the track, described by its best few frames, that is searched for: a
 * track of at least two frames that matches an enrolled person above the threshold
 * raises one alert for its pass, and that person raises no other at that camera for
 * a minute. The alert keeps a crop of the track's best frame around the face as its
 * evidence.
 *
 * "Stop recognition" stops every camera's analysis at its next frame and drops the
 * results still on their way; video goes on. Starting and stopping are events.
 *
 * An alert carries the face it saw. When a reviewer rejects it as the wrong person,
 * that face becomes a negative of the enrolled entry: a later match of that entry
 * whose face is close to one of its negatives raises nothing, so the same passer-by
 * does not set off the same false alert again. The watch follows this on the event
 * bus, and reads it back from the log when it starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <gst/video/video.h>

#include "core/nigran-alert.h"
#include "engine/nigran-face-gallery.h"
#include "engine/nigran-face-tracker.h"
#include "core/nigran-watchlist.h"
#include "nigran-evidence.h"
#include "nigran-face-watch.h"

/* A track names someone once this many of its frames describe them together. */
#define MATCHING_FRAMES   2
/* A face gone from its camera this long (capture time) has left: its pass is over. */
#define TRACK_GAP_US      (2 * G_USEC_PER_SEC)
#define DEFAULT_COOLDOWN_US (60 * G_USEC_PER_SEC)
/* The crop kept with an alert: the face box widened by this on each side. */
#define EVIDENCE_MARGIN   0.5

typedef struct
{
  char                *watchlist;
  /* Used when @watchlist is not defined (enrolments made before watchlists were). */
  NigranAlertPriority  priority;
  guint                verifiers_required;
  char                *record;    /* nullable: the person's record number */
  char                *notes;     /* nullable */
  char                *sort_key;  /* "Inmate 2" before "Inmate 10" */
  guint                n_photos;
  GdkTexture          *photo;     /* nullable: the first enrolled face, shown beside a match */
} Entry;

/* The last frames analysed of a camera, to crop evidence from the very frame a
 * result is about. */
#define N_KEPT_FRAMES 4

/* A face this close to a rejected one is taken to be that person again: the
 * similarity of one person's faces in different poses on one camera starts about
 * here (measured on the Intel head-pose clips), while different people stay below
 * 0.3. */
#define NEGATIVE_SIMILARITY 0.5

typedef struct
{
  char  *entry;
  float  probe[NIGRAN_FACE_EMBEDDING_SIZE];
} RaisedMatch;

static void
raised_match_free (gpointer data)
{
  RaisedMatch *match = data;

  g_free (match->entry);
  g_free (match);
}

typedef struct
{
  GstSample *samples[N_KEPT_FRAMES];
  gint64     capture_us[N_KEPT_FRAMES];
  guint      next;
} KeptFrames;

static void
kept_frames_free (gpointer data)
{
  KeptFrames *kept = data;

  for (guint i = 0; i < N_KEPT_FRAMES; i++)
    g_clear_pointer (&kept->samples[i], gst_sample_unref);
  g_free (kept);
}

/* An engine result with, for each face, its track, the enrolled entry closest to
 * the track's description and its score, and a crop of the face when it is the
 * track's best so far. */
typedef struct
{
  NigranFaceResult      *result;
  NigranFaceTrackUpdate *tracks;
  char                 **names;    /* NULL for an empty gallery: copies, the gallery may forget its own */
  float                 *scores;
  GdkTexture           **best_crops;
} Sighting;

static void
sighting_free (gpointer data)
{
  Sighting *sighting = data;

  for (guint i = 0; i < sighting->result->n_faces; i++)
    {
      g_clear_object (&sighting->best_crops[i]);
      g_free (sighting->names[i]);
    }
  nigran_face_result_free (sighting->result);
  g_free (sighting->tracks);
  g_free (sighting->names);
  g_free (sighting->scores);
  g_free (sighting->best_crops);
  g_free (sighting);
}

/* A face's embedding as events carry it: base64 of its floats in this machine's byte
 * order (x86-64 and ARM64: little-endian). Retention can erase it with the payload. */
static char *
encode_embedding (const float *embedding)
{
  return g_base64_encode ((const guchar *)embedding, NIGRAN_FACE_EMBEDDING_SIZE * sizeof (float));
}

/* FALSE for a missing or malformed one, as in an erased payload. */
static gboolean
decode_embedding (const char *encoded,
                  float      *embedding)
{
  g_autofree guchar *bytes = NULL;
  gsize length = 0;

  if (encoded == NULL || (bytes = g_base64_decode (encoded, &length)) == NULL ||
      length != NIGRAN_FACE_EMBEDDING_SIZE * sizeof (float))
    return FALSE;
  memcpy (embedding, bytes, length);
  return TRUE;
}

/* What the main thread knows of a track: the crop of its best face, and whom it
 * has named. */
typedef struct
{
  gint64      last_seen_us;   /* monotonic */
  GdkTexture *best_crop;      /* nullable */
  GHashTable *named;          /* entry names alerted for */
} Track;

static void
track_free (gpointer data)
{
  Track *track = data;

  g_clear_object (&track->best_crop);
  g_hash_table_unref (track->named);
  g_free (track);
}

struct _NigranFaceWatch
{
  GObject            parent_instance;

  NigranEventLog    *log;
  NigranEngine      *engine;
  NigranFaceGallery *gallery;
  NigranFaceTracker *tracker;
  GHashTable        *entries;        /* name → Entry */
  GHashTable        *tracks;         /* "camera\ntrack id" → Track */
  GHashTable        *last_alerts;    /* "camera\nentry" → gint64 monotonic time */
  GHashTable        *sites;          /* camera id → site id */
  GHashTable        *off_cameras;    /* camera ids where recognition is off */
  GListStore        *watchlists;     /* of NigranWatchlist, by name */
  guint64            n_faces_seen;
  gint64             first_result_us;
  GHashTable        *raised;         /* alert id → RaisedMatch, for rejections to come */
  GHashTable        *negatives;      /* entry → GArray of float[512] */
  guint              n_suppressed;
  gulong             bus_handler;
  GPtrArray         *streams;        /* weak: NigranCameraStream */
  char              *evidence_directory;
  double             threshold;
  gint64             cooldown_us;
  gboolean           running;        /* main thread */
  gint               accepting;      /* atomic: streaming threads and workers read it */
  gint               n_enrolled;     /* atomic */
  guint64            n_results;
  gint64             last_result_us;
  guint              n_alerts;

  GMutex             lock;
  GPtrArray         *pending;        /* of Sighting, under lock */
  /* Engine workers search the gallery; the main thread enrols. Only the main thread
   * writes, so it reads without the lock. */
  GRWLock            gallery_lock;
  GHashTable        *kept_frames;    /* camera id → KeptFrames, under lock */
  guint              pending_source; /* under lock */
};

G_DEFINE_FINAL_TYPE (NigranFaceWatch, nigran_face_watch, G_TYPE_OBJECT)

enum { SIGNAL_ENTRIES_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void enrol_with_photo (NigranFaceWatch     *self,
                              const char          *entry,
                              const char          *record,
                              const char          *watchlist,
                              NigranAlertPriority  priority,
                              guint                verifiers_required,
                              const NigranFace    *face,
                              GdkTexture          *photo);

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->watchlist);
  g_free (entry->record);
  g_free (entry->notes);
  g_free (entry->sort_key);
  g_clear_object (&entry->photo);
  g_free (entry);
}

static void
forget_stream (gpointer  data,
               GObject  *where_the_object_was)
{
  NigranFaceWatch *self = data;

  g_ptr_array_remove (self->streams, where_the_object_was);
}

static void
nigran_face_watch_dispose (GObject *object)
{
  NigranFaceWatch *self = NIGRAN_FACE_WATCH (object);

  g_atomic_int_set (&self->accepting, FALSE);
  /* After this no streaming thread calls on_frame() with this watch. */
  for (guint i = 0; i < self->streams->len; i++)
    {
      nigran_camera_stream_set_analysis (self->streams->pdata[i], 0, NULL, NULL, NULL);
      g_object_weak_unref (self->streams->pdata[i], forget_stream, self);
    }
  g_ptr_array_set_size (self->streams, 0);
  /* Joins the workers: no result arrives after this. */
  g_clear_pointer (&self->engine, nigran_engine_free);

  g_mutex_lock (&self->lock);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  g_hash_table_remove_all (self->kept_frames);
  g_mutex_unlock (&self->lock);

  if (self->log != NULL)
    g_clear_signal_handler (&self->bus_handler, nigran_event_log_get_bus (self->log));
  g_clear_object (&self->log);
  G_OBJECT_CLASS (nigran_face_watch_parent_class)->dispose (object);
}

static void
nigran_face_watch_finalize (GObject *object)
{
  NigranFaceWatch *self = NIGRAN_FACE_WATCH (object);

  g_clear_object (&self->gallery);
  g_clear_object (&self->tracker);
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->tracks);
  g_hash_table_unref (self->last_alerts);
  g_hash_table_unref (self->sites);
  g_hash_table_unref (self->off_cameras);
  g_object_unref (self->watchlists);
  g_hash_table_unref (self->raised);
  g_hash_table_unref (self->negatives);
  g_ptr_array_unref (self->streams);
  g_ptr_array_unref (self->pending);
  g_hash_table_unref (self->kept_frames);
  g_free (self->evidence_directory);
  g_mutex_clear (&self->lock);
  g_rw_lock_clear (&self->gallery_lock);

  G_OBJECT_CLASS (nigran_face_watch_parent_class)->finalize (object);
}

static void
nigran_face_watch_class_init (NigranFaceWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nigran_face_watch_dispose;
  object_class->finalize = nigran_face_watch_finalize;

  /* An entry was enrolled, changed or removed. */
  signals[SIGNAL_ENTRIES_CHANGED] = g_signal_new ("entries-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nigran_face_watch_init (NigranFaceWatch *self)
{
  self->gallery = nigran_face_gallery_new ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->tracker = nigran_face_tracker_new (TRACK_GAP_US);
  self->tracks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, track_free);
  self->last_alerts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->off_cameras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->watchlists = g_list_store_new (NIGRAN_TYPE_WATCHLIST);
  self->raised = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, raised_match_free);
  self->negatives = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
  self->streams = g_ptr_array_new ();
  self->pending = g_ptr_array_new_with_free_func (sighting_free);
  self->kept_frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, kept_frames_free);
  self->threshold = NIGRAN_FACE_WATCH_DEFAULT_THRESHOLD;
  self->cooldown_us = DEFAULT_COOLDOWN_US;
  g_mutex_init (&self->lock);
  g_rw_lock_init (&self->gallery_lock);
}

/* A copy of the picture around @face, widened by EVIDENCE_MARGIN on each side. */
GdkTexture *
nigran_face_watch_crop_face (const guint8     *pixels,
                             int               width,
                             int               height,
                             int               stride,
                             GdkMemoryFormat   format,
                             const NigranFace *face)
{
  g_autoptr(GBytes) bytes = NULL;
  int bytes_per_pixel = format == GDK_MEMORY_R8G8B8 || format == GDK_MEMORY_B8G8R8 ? 3 : 4;
  int x0, y0, x1, y1, crop_width, crop_height;
  guint8 *crop;

  x0 = CLAMP ((int)(face->x - EVIDENCE_MARGIN * face->width), 0, width - 1);
  y0 = CLAMP ((int)(face->y - EVIDENCE_MARGIN * face->height), 0, height - 1);
  x1 = CLAMP ((int)(face->x + (1 + EVIDENCE_MARGIN) * face->width), x0 + 1, width);
  y1 = CLAMP ((int)(face->y + (1 + EVIDENCE_MARGIN) * face->height), y0 + 1, height);
  crop_width = x1 - x0;
  crop_height = y1 - y0;
  crop = g_malloc ((gsize)crop_width * crop_height * bytes_per_pixel);
  for (int row = 0; row < crop_height; row++)
    memcpy (crop + (gsize)row * crop_width * bytes_per_pixel,
            pixels + (gsize)(y0 + row) * stride + (gsize)x0 * bytes_per_pixel,
            (gsize)crop_width * bytes_per_pixel);

  bytes = g_bytes_new_take (crop, (gsize)crop_width * crop_height * bytes_per_pixel);
  return gdk_memory_texture_new (crop_width, crop_height, format, bytes, (gsize)crop_width * bytes_per_pixel);
}

/* A crop of @sample (RGB) around @face, or NULL. */
static GdkTexture *
crop_evidence (GstSample        *sample,
               const NigranFace *face)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  GdkTexture *crop;

  if (sample == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return NULL;
  crop = nigran_face_watch_crop_face (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), GST_VIDEO_FRAME_WIDTH (&frame),
                                      GST_VIDEO_FRAME_HEIGHT (&frame), GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                                      GDK_MEMORY_R8G8B8, face);
  gst_video_frame_unmap (&frame);
  return crop;
}

#define EVIDENCE_HEIGHT 200
#define EVIDENCE_GAP    8

static GdkPixbuf *
scaled_to_height (GdkTexture *texture,
                  int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_get_from_texture (texture);
  int width = MAX (1, gdk_pixbuf_get_width (pixbuf) * height / gdk_pixbuf_get_height (pixbuf));

  return gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
}

/* The face seen (left) beside the enrolled one (right), so that the reviewer
 * compares them in one picture, which the alert keeps with its digest. */
static GdkTexture *
beside_enrolled (GdkTexture *seen,
                 GdkTexture *enrolled)
{
  g_autoptr(GdkPixbuf) left = scaled_to_height (seen, EVIDENCE_HEIGHT);
  g_autoptr(GdkPixbuf) right = scaled_to_height (enrolled, EVIDENCE_HEIGHT);
  int left_width = gdk_pixbuf_get_width (left), right_width = gdk_pixbuf_get_width (right);
  g_autoptr(GdkPixbuf) both = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                              left_width + EVIDENCE_GAP + right_width, EVIDENCE_HEIGHT);

  gdk_pixbuf_fill (both, 0x202020ff);
  gdk_pixbuf_composite (left, both, 0, 0, left_width, EVIDENCE_HEIGHT, 0, 0, 1, 1, GDK_INTERP_NEAREST, 255);
  gdk_pixbuf_composite (right, both, left_width + EVIDENCE_GAP, 0, right_width, EVIDENCE_HEIGHT,
                        left_width + EVIDENCE_GAP, 0, 1, 1, GDK_INTERP_NEAREST, 255);
  return gdk_texture_new_for_pixbuf (both);
}

static gboolean
find_watchlist (NigranFaceWatch *self,
                const char      *name,
                guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->watchlists));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NigranWatchlist) watchlist = g_list_model_get_item (G_LIST_MODEL (self->watchlists), i);

      if (g_strcmp0 (nigran_watchlist_get_name (watchlist), name) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* (transfer full) (nullable) */
static NigranWatchlist *
lookup_watchlist (NigranFaceWatch *self,
                  const char      *name)
{
  guint position;

  return find_watchlist (self, name, &position) ? g_list_model_get_item (G_LIST_MODEL (self->watchlists), position)
                                                : NULL;
}

static double
threshold_of (NigranFaceWatch *self,
              const char      *watchlist_name)
{
  g_autoptr(NigranWatchlist) watchlist = lookup_watchlist (self, watchlist_name);

  return watchlist != NULL ? nigran_watchlist_get_threshold (watchlist) : self->threshold;
}

static gint
compare_watchlists (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  return g_utf8_collate (nigran_watchlist_get_name ((NigranWatchlist *)a),
                         nigran_watchlist_get_name ((NigranWatchlist *)b));
}

static gboolean
same_definition (NigranWatchlist *a,
                 NigranWatchlist *b)
{
  g_autoptr(JsonObject) payload_a = nigran_watchlist_to_payload (a);
  g_autoptr(JsonObject) payload_b = nigran_watchlist_to_payload (b);
  g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), payload_a);
  g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), payload_b);

  return json_node_equal (node_a, node_b);
}

/* Takes @watchlist in, in place of the one of its name. A definition comes twice:
 * when it is made, and when its event is committed; the second changes nothing, and
 * must not make the list's views rebuild (and lose what they show). */
static void
put_watchlist (NigranFaceWatch *self,
               NigranWatchlist *watchlist)
{
  guint position;

  if (find_watchlist (self, nigran_watchlist_get_name (watchlist), &position))
    {
      g_autoptr(NigranWatchlist) current = g_list_model_get_item (G_LIST_MODEL (self->watchlists), position);

      if (!same_definition (current, watchlist))
        g_list_store_splice (self->watchlists, position, 1, (gpointer *)&watchlist, 1);
    }
  else
    g_list_store_insert_sorted (self->watchlists, watchlist, compare_watchlists, NULL);
}

static void
remove_entry (NigranFaceWatch *self,
              const char      *name)
{
  guint n_removed;

  if (!g_hash_table_remove (self->entries, name))
    return;
  g_rw_lock_writer_lock (&self->gallery_lock);
  n_removed = nigran_face_gallery_remove (self->gallery, name);
  g_rw_lock_writer_unlock (&self->gallery_lock);
  g_atomic_int_add (&self->n_enrolled, -(gint)n_removed);
  g_signal_emit (self, signals[SIGNAL_ENTRIES_CHANGED], 0);
}

static void
update_entry (NigranFaceWatch *self,
              const char      *name,
              const char      *record,
              const char      *notes)
{
  Entry *entry = g_hash_table_lookup (self->entries, name);

  if (entry == NULL)
    return;
  g_free (entry->record);
  entry->record = record != NULL && *record != '\0' ? g_strdup (record) : NULL;
  g_free (entry->notes);
  entry->notes = notes != NULL && *notes != '\0' ? g_strdup (notes) : NULL;
  g_signal_emit (self, signals[SIGNAL_ENTRIES_CHANGED], 0);
}

/* A crop of the frame of @result around @face, if that frame is still kept. */
static GdkTexture *
crop_from_kept_frame (NigranFaceWatch        *self,
                      const NigranFaceResult *result,
                      const NigranFace       *face)
{
  g_autoptr(GstSample) frame = NULL;
  KeptFrames *kept;

  g_mutex_lock (&self->lock);
  kept = g_hash_table_lookup (self->kept_frames, result->camera_id);
  for (guint i = 0; kept != NULL && i < N_KEPT_FRAMES && frame == NULL; i++)
    if (kept->samples[i] != NULL && kept->capture_us[i] == result->capture_us)
      frame = gst_sample_ref (kept->samples[i]);
  g_mutex_unlock (&self->lock);
  return crop_evidence (frame, face);
}

/* @probe: the description of the face's track; @best_crop: its best face, if kept */
static void
raise_alert (NigranFaceWatch        *self,
             const NigranFaceResult *result,
             const NigranFace       *face,
             const float            *probe,
             GdkTexture             *best_crop,
             const char             *name,
             const Entry            *entry,
             float                   score)
{
  /* The watchlist is beside it, in its colour. */
  g_autofree char *title = g_strdup_printf (_("Face match: %s"), name);
  const char *detail = _("Not verified: a person must compare the faces before anyone acts "
                          "on this match.");
  g_autoptr(GdkTexture) crop = NULL;
  g_autofree char *probe_template = encode_embedding (probe);
  g_autoptr(NigranWatchlist) watchlist = lookup_watchlist (self, entry->watchlist);
  NigranAlertSpec spec = {
    .source = "face",
    .kind = "face.match",
    .priority = watchlist != NULL ? nigran_watchlist_get_priority (watchlist) : entry->priority,
    .title = title,
    .detail = detail,
    .camera_id = result->camera_id,
    .site_id = g_hash_table_lookup (self->sites, result->camera_id),
    .matched = name,
    .score = score,
    .frame_age_ms = result->capture_us > 0 ? (g_get_real_time () - result->capture_us) / 1000 : -1,
    .captured_us = result->capture_us,
    .probe_template = probe_template,
    .verifiers_required = watchlist != NULL ? nigran_watchlist_get_verifiers_required (watchlist)
                                            : entry->verifiers_required,
    .watchlist = entry->watchlist,
    .colour = watchlist != NULL ? nigran_watchlist_get_colour (watchlist) : NULL,
    .tone = watchlist != NULL ? nigran_alert_tone_to_string (nigran_watchlist_get_tone (watchlist)) : NULL,
  };

  crop = best_crop != NULL ? g_object_ref (best_crop) : crop_from_kept_frame (self, result, face);
  if (crop != NULL && entry->photo != NULL)
    {
      g_autoptr(GdkTexture) seen = g_steal_pointer (&crop);

      crop = beside_enrolled (seen, entry->photo);
    }

  self->n_alerts++;
  nigran_evidence_raise_alert (self->log, &spec, crop, self->evidence_directory);
}

static gboolean
is_known_negative (NigranFaceWatch *self,
                   const char      *entry,
                   const float     *probe)
{
  GArray *negatives = g_hash_table_lookup (self->negatives, entry);

  for (guint i = 0; negatives != NULL && i < negatives->len / NIGRAN_FACE_EMBEDDING_SIZE; i++)
    if (nigran_face_similarity (probe, &g_array_index (negatives, float, i * NIGRAN_FACE_EMBEDDING_SIZE)) >= NEGATIVE_SIMILARITY)
      return TRUE;
  return FALSE;
}

/* Learns from the log: the faces of face alerts, and which of them reviewers
 * rejected as the wrong person. */
static void
learn_from_event (NigranFaceWatch *self,
                  NigranEvent     *event)
{
  const char *type = nigran_event_get_event_type (event);
  const char *alert_id = nigran_event_find_subject (event, "alert");
  const char *camera_id = nigran_event_find_subject (event, "camera");
  JsonObject *payload;

  if (g_str_equal (type, "watchlist.defined"))
    {
      g_autoptr(NigranWatchlist) watchlist = nigran_watchlist_new_from_payload (nigran_event_get_payload (event), NULL);

      if (watchlist != NULL)
        put_watchlist (self, watchlist);
      return;
    }
  if (g_str_equal (type, "watchlist.entry-updated") || g_str_equal (type, "watchlist.entry-removed"))
    {
      const char *name;

      payload = nigran_event_get_payload (event);
      name = json_object_get_string_member_with_default (payload, "entry", NULL);
      if (name == NULL)
        return;
      if (g_str_equal (type, "watchlist.entry-removed"))
        remove_entry (self, name);
      else
        update_entry (self, name, json_object_get_string_member_with_default (payload, "record", NULL),
                      json_object_get_string_member_with_default (payload, "notes", NULL));
      return;
    }
  if (camera_id != NULL && g_str_equal (type, "recognition.camera-stopped"))
    g_hash_table_add (self->off_cameras, g_strdup (camera_id));
  else if (camera_id != NULL && g_str_equal (type, "recognition.camera-started"))
    g_hash_table_remove (self->off_cameras, camera_id);
  if (alert_id == NULL)
    return;
  if (g_str_equal (type, "alert.raised"))
    {
      float probe[NIGRAN_FACE_EMBEDDING_SIZE];
      const char *matched;
      RaisedMatch *match;

      payload = nigran_event_get_payload (event);
      matched = json_object_get_string_member_with_default (payload, "matched", NULL);
      if (matched == NULL ||
          !decode_embedding (json_object_get_string_member_with_default (payload, "probe_template", NULL), probe))
        return;
      match = g_new0 (RaisedMatch, 1);
      match->entry = g_strdup (matched);
      memcpy (match->probe, probe, sizeof match->probe);
      g_hash_table_replace (self->raised, g_strdup (alert_id), match);
    }
  else if (g_str_equal (type, "alert.rejected"))
    {
      RaisedMatch *match = g_hash_table_lookup (self->raised, alert_id);
      GArray *negatives;

      payload = nigran_event_get_payload (event);
      if (match == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (payload, "reason", NULL),
                     nigran_reject_reason_to_string (NIGRAN_REJECT_REASON_WRONG_PERSON)) != 0)
        return;
      negatives = g_hash_table_lookup (self->negatives, match->entry);
      if (negatives == NULL)
        {
          negatives = g_array_new (FALSE, FALSE, sizeof (float));
          g_hash_table_insert (self->negatives, g_strdup (match->entry), negatives);
        }
      g_array_append_vals (negatives, match->probe, NIGRAN_FACE_EMBEDDING_SIZE);
    }
}

static void
on_committed_event (NigranEventBus  *bus,
                    NigranEvent     *event,
                    NigranFaceWatch *self)
{
  learn_from_event (self, event);
}

/* Tracks whose face has been gone a while: their pass is over. */
static void
forget_old_tracks (NigranFaceWatch *self,
                   gint64           now)
{
  GHashTableIter iter;
  Track *track;

  g_hash_table_iter_init (&iter, self->tracks);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&track))
    if (now - track->last_seen_us > 5 * TRACK_GAP_US)
      g_hash_table_iter_remove (&iter);
}

static void
take_sighting (NigranFaceWatch *self,
               const Sighting  *sighting)
{
  const NigranFaceResult *result = sighting->result;
  gint64 now = g_get_monotonic_time ();

  /* Turned off while this frame was on its way. */
  if (g_hash_table_contains (self->off_cameras, result->camera_id))
    return;
  self->n_results++;
  self->last_result_us = now;
  self->n_faces_seen += result->n_faces;
  if (self->first_result_us == 0)
    self->first_result_us = now;
  forget_old_tracks (self, now);

  for (guint i = 0; i < result->n_faces; i++)
    {
      const NigranFaceTrackUpdate *update = &sighting->tracks[i];
      float score = sighting->scores[i];
      const char *name = sighting->names[i];
      g_autofree char *track_key = g_strdup_printf ("%s\n%u", result->camera_id, update->track_id);
      g_autofree char *alert_key = NULL;
      Track *track = g_hash_table_lookup (self->tracks, track_key);
      gint64 *last_alert_us;
      Entry *entry;

      if (track == NULL)
        {
          track = g_new0 (Track, 1);
          track->named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (self->tracks, g_steal_pointer (&track_key), track);
        }
      track->last_seen_us = now;
      if (sighting->best_crops[i] != NULL)
        g_set_object (&track->best_crop, sighting->best_crops[i]);

      if (name == NULL || (entry = g_hash_table_lookup (self->entries, name)) == NULL ||
          score < threshold_of (self, entry->watchlist) || update->n_frames < MATCHING_FRAMES ||
          g_hash_table_contains (track->named, name))
        continue;
      if (is_known_negative (self, name, update->embedding))
        {
          self->n_suppressed++;
          continue;
        }
      /* One alert a pass; and a person who steps out of view and back is the same
       * pass for the cooldown's length. */
      g_hash_table_add (track->named, g_strdup (name));
      alert_key = g_strdup_printf ("%s\n%s", result->camera_id, name);
      last_alert_us = g_hash_table_lookup (self->last_alerts, alert_key);
      if (last_alert_us != NULL && now - *last_alert_us <= self->cooldown_us)
        continue;
      if (last_alert_us == NULL)
        {
          last_alert_us = g_new (gint64, 1);
          g_hash_table_insert (self->last_alerts, g_steal_pointer (&alert_key), last_alert_us);
        }
      *last_alert_us = now;
      raise_alert (self, result, &result->faces[i], update->embedding, track->best_crop, name, entry, score);
    }
}

static gboolean
take_pending_results (gpointer data)
{
  NigranFaceWatch *self = data;
  g_autoptr(GPtrArray) sightings = NULL;

  g_mutex_lock (&self->lock);
  sightings = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (sighting_free);
  self->pending_source = 0;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; self->running && i < sightings->len; i++)
    take_sighting (self, sightings->pdata[i]);
  return G_SOURCE_REMOVE;
}

/* An engine worker: searches the gallery here, not on the main thread. */
static void
on_result (NigranFaceResult *result,
           gpointer          data)
{
  NigranFaceWatch *self = data;
  Sighting *sighting;

  if (!g_atomic_int_get (&self->accepting))
    {
      nigran_face_result_free (result);
      return;
    }
  sighting = g_new0 (Sighting, 1);
  sighting->result = result;
  sighting->tracks = nigran_face_tracker_update (self->tracker, result);
  sighting->names = g_new0 (char *, result->n_faces + 1);
  sighting->scores = g_new0 (float, result->n_faces + 1);
  sighting->best_crops = g_new0 (GdkTexture *, result->n_faces + 1);
  g_rw_lock_reader_lock (&self->gallery_lock);
  for (guint i = 0; i < result->n_faces; i++)
    sighting->names[i] = g_strdup (nigran_face_gallery_search (self->gallery, sighting->tracks[i].embedding,
                                                               &sighting->scores[i]));
  g_rw_lock_reader_unlock (&self->gallery_lock);
  for (guint i = 0; i < result->n_faces; i++)
    if (sighting->tracks[i].is_best)
      sighting->best_crops[i] = crop_from_kept_frame (self, result, &result->faces[i]);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending, sighting);
  if (self->pending_source == 0)
    self->pending_source = g_idle_add_full (G_PRIORITY_DEFAULT, take_pending_results, self, NULL);
  g_mutex_unlock (&self->lock);
}

/* A camera's analysis branch, on its streaming thread. */
static void
on_frame (const char *camera_id,
          gint64      capture_us,
          GstSample  *sample,
          gpointer    data)
{
  NigranFaceWatch *self = data;
  GstVideoInfo info;
  GstVideoFrame frame;
  KeptFrames *kept;
  g_autoptr(GError) error = NULL;

  /* With no one enrolled there is no one to find: spare the CPU. */
  if (!g_atomic_int_get (&self->accepting) || g_atomic_int_get (&self->n_enrolled) == 0 ||
      !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return;
  /* Kept first: a worker may crop from it before nigran_engine_submit() returns. */
  g_mutex_lock (&self->lock);
  kept = g_hash_table_lookup (self->kept_frames, camera_id);
  if (kept == NULL)
    {
      kept = g_new0 (KeptFrames, 1);
      g_hash_table_insert (self->kept_frames, g_strdup (camera_id), kept);
    }
  g_clear_pointer (&kept->samples[kept->next], gst_sample_unref);
  kept->samples[kept->next] = gst_sample_ref (sample);
  kept->capture_us[kept->next] = capture_us;
  kept->next = (kept->next + 1) % N_KEPT_FRAMES;
  g_mutex_unlock (&self->lock);
  if (!nigran_engine_submit (self->engine, camera_id, capture_us, NIGRAN_PIXEL_FORMAT_RGB,
                             GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                             GST_VIDEO_FRAME_WIDTH (&frame), GST_VIDEO_FRAME_HEIGHT (&frame),
                             GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), &error))
    g_debug ("A frame of %s was not analysed: %s", camera_id, error->message);
  gst_video_frame_unmap (&frame);
}

/**
 * nigran_face_watch_new:
 *
 * Returns: (transfer full) (nullable): the watch, or %NULL with NIGRAN_ENGINE_ERROR_NO_MODELS
 *   when the models are missing: face recognition is then off
 */
NigranFaceWatch *
nigran_face_watch_new (NigranEventLog  *log,
                       const char      *models_dir,
                       GError         **error)
{
  g_autoptr(NigranFaceWatch) self = g_object_new (NIGRAN_TYPE_FACE_WATCH, NULL);
  NigranEngineConfig config = { .models_dir = models_dir, .n_workers = 1 };

  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (log), NULL);

  self->engine = nigran_engine_new (&config, on_result, self, error);
  if (self->engine == NULL)
    return NULL;
  self->log = g_object_ref (log);
  return g_steal_pointer (&self);
}

/* For enrolment from pictures: nigran_engine_analyse() on a worker thread. */
NigranEngine *
nigran_face_watch_get_engine (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), NULL);
  return self->engine;
}

void
nigran_face_watch_set_evidence_directory (NigranFaceWatch *self,
                                          const char      *directory)
{
  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_free (self->evidence_directory);
  self->evidence_directory = g_strdup (directory);
}

/* Enrols @face as @entry of @watchlist; more faces of the same entry add to it. */
void
nigran_face_watch_enrol (NigranFaceWatch     *self,
                         const char          *entry,
                         const char          *watchlist,
                         NigranAlertPriority  priority,
                         guint                verifiers_required,
                         const NigranFace    *face)
{
  enrol_with_photo (self, entry, NULL, watchlist, priority, verifiers_required, face, NULL);
}

static void
enrol_with_photo (NigranFaceWatch     *self,
                  const char          *entry,
                  const char          *record,
                  const char          *watchlist,
                  NigranAlertPriority  priority,
                  guint                verifiers_required,
                  const NigranFace    *face,
                  GdkTexture          *photo)
{
  Entry *details;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (entry != NULL && watchlist != NULL && face != NULL);
  g_return_if_fail (verifiers_required == 1 || verifiers_required == 2);

  /* Another photo of someone enrolled adds to their entry. */
  details = g_hash_table_lookup (self->entries, entry);
  if (details == NULL)
    {
      details = g_new0 (Entry, 1);
      details->sort_key = g_utf8_collate_key_for_filename (entry, -1);
      g_hash_table_insert (self->entries, g_strdup (entry), details);
    }
  g_free (details->watchlist);
  details->watchlist = g_strdup (watchlist);
  details->priority = priority;
  details->verifiers_required = verifiers_required;
  if (record != NULL && *record != '\0')
    {
      g_free (details->record);
      details->record = g_strdup (record);
    }
  if (details->photo == NULL && photo != NULL)
    details->photo = g_object_ref (photo);
  details->n_photos++;
  g_rw_lock_writer_lock (&self->gallery_lock);
  nigran_face_gallery_add (self->gallery, entry, face->embedding);
  g_rw_lock_writer_unlock (&self->gallery_lock);
  g_atomic_int_inc (&self->n_enrolled);
  g_signal_emit (self, signals[SIGNAL_ENTRIES_CHANGED], 0);
}

#define ENROL_MIN_FACE_SIZE 40
#define ENROL_MAX_YAW       35
/* The variance of the Laplacian of the aligned face: the 44 faces of 40 pixels and
 * more in the dlib photos measured 47 and up, the ORL photos 77 and up; blurred to a
 * sixth of their resolution, half the dlib faces and the ORL ones fell below 20. */
#define ENROL_MIN_SHARPNESS 20

typedef struct
{
  guint8 *pixels;
  int     width;
  int     height;
  char   *entry;
  char   *watchlist;
  char   *actor;
  char   *camera_id;
  char   *record;            /* nullable */
  GFile  *file;              /* nullable: a photo to read, instead of @pixels */
  char   *photo_directory;   /* nullable */
  gboolean face_chosen;      /* @face was picked by the operator: no analysis */
  /* the result, from the worker */
  NigranFace  face;
  GdkTexture *photo;
  char       *photo_path;
  char       *photo_sha256;
} Enrolment;

static void
enrolment_free (gpointer data)
{
  Enrolment *enrolment = data;

  g_free (enrolment->pixels);
  g_free (enrolment->entry);
  g_free (enrolment->watchlist);
  g_free (enrolment->actor);
  g_free (enrolment->camera_id);
  g_free (enrolment->record);
  g_clear_object (&enrolment->file);
  g_free (enrolment->photo_directory);
  g_clear_object (&enrolment->photo);
  g_free (enrolment->photo_path);
  g_free (enrolment->photo_sha256);
  g_free (enrolment);
}

/* A tile-sized picture: a copy of a megabyte at most, in gdk_texture_download()'s
 * layout: B, G, R, A bytes (opaque video, so premultiplying changes nothing). */
static void
enrolment_take_frame (Enrolment  *enrolment,
                      GdkTexture *frame)
{
  enrolment->width = gdk_texture_get_width (frame);
  enrolment->height = gdk_texture_get_height (frame);
  enrolment->pixels = g_malloc ((gsize)enrolment->width * enrolment->height * 4);
  gdk_texture_download (frame, enrolment->pixels, (gsize)enrolment->width * 4);
}

/* An enrolment of @entry, to be finished by nigran_face_watch_enrol_from_frame_finish(). */
static GTask *
enrolment_task_new (NigranFaceWatch     *self,
                    const char          *entry,
                    const char          *record,
                    const char          *watchlist,
                    const char          *actor,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    Enrolment          **enrolment)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, nigran_face_watch_enrol_from_frame_async);
  *enrolment = g_new0 (Enrolment, 1);
  (*enrolment)->entry = g_strdup (entry);
  (*enrolment)->record = g_strdup (record);
  (*enrolment)->watchlist = g_strdup (watchlist);
  (*enrolment)->actor = g_strdup (actor);
  (*enrolment)->photo_directory = nigran_face_watch_dup_photo_directory (self);
  g_task_set_task_data (task, *enrolment, enrolment_free);
  return task;
}

static void
enrol_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  NigranFaceWatch *self = source_object;
  Enrolment *enrolment = task_data;
  GError *error = NULL;
  g_autoptr(NigranFaceResult) result = NULL;
  const NigranFace *face;

  if (enrolment->file != NULL)
    {
      g_autoptr(GFileInputStream) stream = g_file_read (enrolment->file, cancellable, &error);
      g_autoptr(GdkPixbuf) loaded = stream ? gdk_pixbuf_new_from_stream (G_INPUT_STREAM (stream), cancellable, &error)
                                           : NULL;
      g_autoptr(GdkPixbuf) upright = NULL;
      g_autoptr(GdkTexture) photo = NULL;

      if (loaded == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* As a camera's EXIF says it was held. */
      upright = gdk_pixbuf_apply_embedded_orientation (loaded);
      photo = gdk_texture_new_for_pixbuf (upright);
      enrolment_take_frame (enrolment, photo);
    }
  if (enrolment->face_chosen)
    face = nigran_face_watch_check_face (&enrolment->face, &error) ? &enrolment->face : NULL;
  else if ((result = nigran_engine_analyse (self->engine, NIGRAN_PIXEL_FORMAT_BGRA, enrolment->pixels,
                                            enrolment->width, enrolment->height, enrolment->width * 4,
                                            &error)) != NULL)
    face = nigran_face_watch_check_quality (result, &error);
  else
    face = NULL;
  if (face == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  enrolment->face = *face;
  enrolment->photo = nigran_face_watch_crop_face (enrolment->pixels, enrolment->width, enrolment->height,
                                                  enrolment->width * 4, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, face);
  nigran_face_watch_keep_photo (enrolment->photo, enrolment->photo_directory,
                                &enrolment->photo_path, &enrolment->photo_sha256);
  g_task_return_boolean (task, TRUE);
}

/* Blocking: the enrolled face as a PNG beside the evidence, for the next start; a
 * photo that cannot be kept leaves the enrolment without it. */
void
nigran_face_watch_keep_photo (GdkTexture  *photo,
                              const char  *directory,
                              char       **path,
                              char       **sha256)
{
  g_autoptr(GError) error = NULL;

  if (directory != NULL && !nigran_evidence_save_texture (photo, directory, path, sha256, &error))
    g_message ("%s", error->message);
}

/* Where enrolled photos are kept, or NULL; for enrolments on worker threads. */
char *
nigran_face_watch_dup_photo_directory (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), NULL);
  return self->evidence_directory ? g_build_filename (self->evidence_directory, "enrolled", NULL) : NULL;
}

/**
 * nigran_face_watch_enrol_from_frame_async:
 * @frame: the picture, as a frozen tile shows it
 *
 * Enrols the one face in @frame as @entry of @watchlist, after a quality check: there
 * must be exactly one face, at least 40 pixels and turned less than 35°. Recorded as
 * an event of @actor.
 */
void
nigran_face_watch_enrol_from_frame_async (NigranFaceWatch     *self,
                                          GdkTexture          *frame,
                                          const char          *camera_id,
                                          const char          *entry,
                                          const char          *watchlist,
                                          const char          *actor,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (GDK_IS_TEXTURE (frame));

  nigran_face_watch_enrol_face_async (self, frame, NULL, camera_id, entry, NULL, watchlist, actor,
                                      cancellable, callback, user_data);
}

/**
 * nigran_face_watch_enrol_face_async:
 * @face: (nullable): the face the operator picked in @frame (as
 *   nigran_face_watch_find_faces_finish() gave it), or NULL for the one face there
 *   must be in @frame
 * @record: (nullable): the person's record number
 *
 * Enrols a face of @frame after the quality check. Finish with
 * nigran_face_watch_enrol_from_frame_finish().
 */
void
nigran_face_watch_enrol_face_async (NigranFaceWatch     *self,
                                    GdkTexture          *frame,
                                    const NigranFace    *face,
                                    const char          *camera_id,
                                    const char          *entry,
                                    const char          *record,
                                    const char          *watchlist,
                                    const char          *actor,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Enrolment *enrolment;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (GDK_IS_TEXTURE (frame));
  g_return_if_fail (entry != NULL && watchlist != NULL);

  task = enrolment_task_new (self, entry, record, watchlist, actor, cancellable, callback, user_data, &enrolment);
  enrolment_take_frame (enrolment, frame);
  if (face != NULL)
    {
      enrolment->face = *face;
      enrolment->face_chosen = TRUE;
    }
  enrolment->camera_id = g_strdup (camera_id);
  g_task_run_in_thread (task, enrol_thread);
}

/**
 * nigran_face_watch_enrol_file_async:
 * @file: a photo showing one face
 *
 * Another photo of @entry (or the first), read and checked on a worker. Finish with
 * nigran_face_watch_enrol_from_frame_finish().
 */
void
nigran_face_watch_enrol_file_async (NigranFaceWatch     *self,
                                    GFile               *file,
                                    const char          *entry,
                                    const char          *record,
                                    const char          *watchlist,
                                    const char          *actor,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Enrolment *enrolment;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (entry != NULL && watchlist != NULL);

  task = enrolment_task_new (self, entry, record, watchlist, actor, cancellable, callback, user_data, &enrolment);
  enrolment->file = g_object_ref (file);
  g_task_run_in_thread (task, enrol_thread);
}

static void
find_faces_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  NigranFaceWatch *self = source_object;
  Enrolment *picture = task_data;
  GError *error = NULL;
  NigranFaceResult *result = nigran_engine_analyse (self->engine, NIGRAN_PIXEL_FORMAT_BGRA, picture->pixels,
                                                    picture->width, picture->height, picture->width * 4, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)nigran_face_result_free);
}

/* The faces in a frozen frame, found on a worker, for the operator to pick one. */
void
nigran_face_watch_find_faces_async (NigranFaceWatch     *self,
                                    GdkTexture          *frame,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Enrolment *picture;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (GDK_IS_TEXTURE (frame));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nigran_face_watch_find_faces_async);
  picture = g_new0 (Enrolment, 1);
  enrolment_take_frame (picture, frame);
  g_task_set_task_data (task, picture, enrolment_free);
  g_task_run_in_thread (task, find_faces_thread);
}

/* Returns: (transfer full) (nullable): the faces, largest first, in @frame's pixels */
NigranFaceResult *
nigran_face_watch_find_faces_finish (NigranFaceWatch  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
nigran_face_watch_enrol_from_frame_finish (NigranFaceWatch  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  Enrolment *enrolment = g_task_get_task_data (G_TASK (result));
  g_autoptr(NigranWatchlist) watchlist = NULL;
  g_autofree char *subject = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (enrolment->file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (enrolment->file);

      subject = g_strconcat ("file:", uri, NULL);
    }
  else
    subject = g_strconcat ("camera:", enrolment->camera_id ? enrolment->camera_id : "unknown", NULL);
  watchlist = lookup_watchlist (self, enrolment->watchlist);
  nigran_face_watch_enrol_and_record (self, enrolment->entry, enrolment->record, enrolment->watchlist,
                                      watchlist ? nigran_watchlist_get_priority (watchlist) : NIGRAN_ALERT_PRIORITY_HIGH,
                                      watchlist ? nigran_watchlist_get_verifiers_required (watchlist) : 2,
                                      &enrolment->face, enrolment->photo, enrolment->photo_path,
                                      enrolment->photo_sha256, enrolment->file != NULL ? "photo" : "live tile",
                                      subject, enrolment->actor);
  return TRUE;
}

/**
 * nigran_face_watch_check_quality:
 *
 * The quality check of enrolment: exactly one face, at least 40 pixels, not blurred,
 * turned less than 35°.
 *
 * Returns: (nullable): the face to enrol, or %NULL with a sentence for the operator
 */
const NigranFace *
nigran_face_watch_check_quality (const NigranFaceResult  *faces,
                                 GError                 **error)
{
  const NigranFace *face;

  if (faces->n_faces != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   faces->n_faces == 0 ? _("No face was found in the picture; nobody was enrolled.")
                                       : _("The picture shows %u faces; enrolment needs a picture of one."),
                   faces->n_faces);
      return NULL;
    }
  face = &faces->faces[0];
  return nigran_face_watch_check_face (face, error) ? face : NULL;
}

/**
 * nigran_face_watch_check_face:
 *
 * The quality check of one face: at least 40 pixels, not blurred, turned less than 35°.
 *
 * Returns: whether @face may be enrolled; if not, a sentence for the operator says why
 */
gboolean
nigran_face_watch_check_face (const NigranFace  *face,
                              GError           **error)
{
  if (face->size < ENROL_MIN_FACE_SIZE || ABS (face->yaw) > ENROL_MAX_YAW)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The face is too small or turned away (%.0f pixels, turned %.0f°); "
                     "enrolment needs %d pixels and a face turned less than %d°."),
                   face->size, ABS (face->yaw), ENROL_MIN_FACE_SIZE, ENROL_MAX_YAW);
      return FALSE;
    }
  if (face->sharpness < ENROL_MIN_SHARPNESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The face is blurred (sharpness %.0f, enrolment needs %d); "
                     "choose a sharper picture."),
                   face->sharpness, ENROL_MIN_SHARPNESS);
      return FALSE;
    }
  return TRUE;
}

/**
 * nigran_face_watch_enrol_and_record:
 * @record: (nullable): the person's record number, as in the criminal-record database
 * @from: how: "live tile", "photo", "CSV import"
 * @subject: what the event is about ("camera:…", "file:…")
 *
 * Enrols @face and records it as an event of @actor that carries the embedding, so
 * that the next start enrols the same face (nigran_face_watch_restore()).
 */
void
nigran_face_watch_enrol_and_record (NigranFaceWatch     *self,
                                    const char          *entry,
                                    const char          *record,
                                    const char          *watchlist,
                                    NigranAlertPriority  priority,
                                    guint                verifiers_required,
                                    const NigranFace    *face,
                                    GdkTexture          *photo,
                                    const char          *photo_path,
                                    const char          *photo_sha256,
                                    const char          *from,
                                    const char          *subject,
                                    const char          *actor)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *embedding = NULL;
  g_autoptr(NigranWatchlist) existing = NULL;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));

  /* A watchlist first named by an enrolment is defined with it, so that a supervisor
   * finds it among the others. */
  existing = lookup_watchlist (self, watchlist);
  if (existing == NULL)
    {
      g_autoptr(NigranWatchlist) defined = nigran_watchlist_new (watchlist, "other");

      nigran_watchlist_set_priority (defined, priority);
      nigran_watchlist_set_verifiers_required (defined, verifiers_required);
      nigran_face_watch_define_watchlist (self, defined, actor);
    }
  enrol_with_photo (self, entry, record, watchlist, priority, verifiers_required, face, photo);
  if (photo_path != NULL && photo_sha256 != NULL)
    {
      json_object_set_string_member (payload, "photo", photo_path);
      json_object_set_string_member (payload, "photo_sha256", photo_sha256);
    }

  json_object_set_string_member (payload, "entry", entry);
  if (record != NULL)
    json_object_set_string_member (payload, "record", record);
  json_object_set_string_member (payload, "watchlist", watchlist);
  json_object_set_string_member (payload, "from", from);
  json_object_set_int_member (payload, "priority", priority);
  json_object_set_int_member (payload, "verifiers_required", verifiers_required);
  json_object_set_double_member (payload, "face_size", face->size);
  json_object_set_double_member (payload, "sharpness", face->sharpness);
  embedding = encode_embedding (face->embedding);
  json_object_set_string_member (payload, "embedding", embedding);
  event = nigran_event_new ("watchlist.enrolled", (const char * const[]) { subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

static gboolean
restore_enrolment (NigranEvent *event,
                   gpointer     data)
{
  NigranFaceWatch *self = data;
  JsonObject *payload;
  const char *entry, *watchlist, *photo_path;
  g_autoptr(GdkTexture) photo = NULL;
  g_autoptr(GError) error = NULL;
  NigranFace face = { 0 };
  gint64 priority, verifiers;

  learn_from_event (self, event);
  if (!g_str_equal (nigran_event_get_event_type (event), "watchlist.enrolled"))
    return TRUE;
  payload = nigran_event_get_payload (event);
  entry = json_object_get_string_member_with_default (payload, "entry", NULL);
  watchlist = json_object_get_string_member_with_default (payload, "watchlist", NULL);
  priority = json_object_get_int_member_with_default (payload, "priority", NIGRAN_ALERT_PRIORITY_HIGH);
  verifiers = json_object_get_int_member_with_default (payload, "verifiers_required", 2);
  /* An erased payload, or one this version does not know, enrols no one. */
  if (entry == NULL || watchlist == NULL ||
      !decode_embedding (json_object_get_string_member_with_default (payload, "embedding", NULL), face.embedding) ||
      priority < NIGRAN_ALERT_PRIORITY_CRITICAL || priority > NIGRAN_ALERT_PRIORITY_LOW ||
      (verifiers != 1 && verifiers != 2))
    {
      g_message ("Enrolment %" G_GINT64_FORMAT " of the event log is not restored: its details are missing",
                 nigran_event_get_sequence (event));
      return TRUE;
    }
  photo_path = json_object_get_string_member_with_default (payload, "photo", NULL);
  if (photo_path != NULL &&
      nigran_evidence_check_file (photo_path, json_object_get_string_member_with_default (payload, "photo_sha256", ""),
                                  &error))
    photo = gdk_texture_new_from_filename (photo_path, &error);
  if (error != NULL)
    g_message ("The photo of enrolment %" G_GINT64_FORMAT " is not shown: %s",
               nigran_event_get_sequence (event), error->message);
  enrol_with_photo (self, entry, json_object_get_string_member_with_default (payload, "record", NULL), watchlist,
                    (NigranAlertPriority)priority, (guint)verifiers, &face, photo);
  return TRUE;
}

/**
 * nigran_face_watch_restore:
 *
 * Enrols again the faces that the event log records as enrolled. Reads the log:
 * call it from a worker thread, before the watch is shared.
 */
gboolean
nigran_face_watch_restore (NigranFaceWatch  *self,
                           GError          **error)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), FALSE);
  static const char * const types[] = {
    "watchlist.defined", "watchlist.enrolled", "watchlist.entry-updated", "watchlist.entry-removed",
    "alert.raised", "alert.rejected",
    "recognition.camera-started", "recognition.camera-stopped", NULL
  };

  return nigran_event_log_foreach_of_types (self->log, types, restore_enrolment, self, error);
}

/* How long one person raises no second alert at one camera (default a minute). */
void
nigran_face_watch_set_cooldown (NigranFaceWatch *self,
                                gint64           cooldown_us)
{
  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (cooldown_us >= 0);
  self->cooldown_us = cooldown_us;
}

guint
nigran_face_watch_get_n_enrolled (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), 0);
  return (guint)g_atomic_int_get (&self->n_enrolled);
}

/* Before the stream starts: from then on it feeds the watch at 5 frames a second. */
void
nigran_face_watch_attach (NigranFaceWatch    *self,
                          NigranCameraStream *stream)
{
  NigranCamera *camera;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (NIGRAN_IS_CAMERA_STREAM (stream));

  camera = nigran_camera_stream_get_camera (stream);
  g_hash_table_replace (self->sites, g_strdup (nigran_camera_get_id (camera)),
                        g_strdup (nigran_camera_get_site_id (camera)));
  nigran_camera_stream_set_analysis (stream, NIGRAN_FACE_WATCH_DEFAULT_FPS, on_frame, self, NULL);
  nigran_camera_stream_set_analysis_enabled (stream, nigran_face_watch_is_analysing (self, nigran_camera_get_id (camera)));
  g_ptr_array_add (self->streams, stream);
  g_object_weak_ref (G_OBJECT (stream), forget_stream, self);
}

static void
update_streams (NigranFaceWatch *self)
{
  for (guint i = 0; i < self->streams->len; i++)
    {
      NigranCameraStream *stream = self->streams->pdata[i];
      NigranCamera *camera = nigran_camera_stream_get_camera (stream);

      nigran_camera_stream_set_analysis_enabled (stream, nigran_face_watch_is_analysing (self, nigran_camera_get_id (camera)));
    }
}

/**
 * nigran_face_watch_define_watchlist:
 *
 * Defines @watchlist, or redefines the one of its name, as @actor; recorded as an event.
 */
void
nigran_face_watch_define_watchlist (NigranFaceWatch *self,
                                    NigranWatchlist *watchlist,
                                    const char      *actor)
{
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(NigranEvent) event = NULL;
  g_autoptr(NigranWatchlist) kept = NULL;
  g_autofree char *subject = NULL;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (NIGRAN_IS_WATCHLIST (watchlist));

  /* A copy: the caller may go on changing its own. */
  kept = nigran_watchlist_copy (watchlist);
  put_watchlist (self, kept);
  payload = nigran_watchlist_to_payload (kept);
  subject = g_strconcat ("watchlist:", nigran_watchlist_get_name (kept), NULL);
  event = nigran_event_new ("watchlist.defined", (const char * const[]) { subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

/* The watchlists defined: a list of NigranWatchlist by name, changed only on the main thread. */
GListModel *
nigran_face_watch_get_watchlists (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), NULL);
  return G_LIST_MODEL (self->watchlists);
}

/* (transfer full) (nullable) */
NigranWatchlist *
nigran_face_watch_dup_watchlist (NigranFaceWatch *self,
                                 const char      *name)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), NULL);
  return lookup_watchlist (self, name);
}

typedef struct
{
  const char  *name;
  const Entry *entry;
} NamedEntry;

static gint
compare_named_entries (gconstpointer a,
                       gconstpointer b)
{
  return strcmp (((const NamedEntry *)a)->entry->sort_key, ((const NamedEntry *)b)->entry->sort_key);
}

/* The names of @watchlist's entries, sorted; free with g_strfreev(). */
char **
nigran_face_watch_dup_entries (NigranFaceWatch *self,
                               const char      *watchlist)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (NamedEntry));
  GHashTableIter iter;
  NamedEntry named;
  char **names;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), NULL);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, (gpointer *)&named.name, (gpointer *)&named.entry))
    if (g_strcmp0 (named.entry->watchlist, watchlist) == 0)
      g_array_append_val (found, named);
  g_array_sort (found, compare_named_entries);
  names = g_new (char *, found->len + 1);
  for (guint i = 0; i < found->len; i++)
    names[i] = g_strdup (g_array_index (found, NamedEntry, i).name);
  names[found->len] = NULL;
  return names;
}

/* How many people @watchlist has. */
guint
nigran_face_watch_count_entries (NigranFaceWatch *self,
                                 const char      *watchlist)
{
  GHashTableIter iter;
  Entry *entry;
  guint n = 0;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), 0);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    n += g_strcmp0 (entry->watchlist, watchlist) == 0;
  return n;
}

/**
 * nigran_face_watch_get_entry:
 * @record: (out) (optional) (transfer none) (nullable)
 * @notes: (out) (optional) (transfer none) (nullable)
 * @n_photos: (out) (optional)
 * @photo: (out) (optional) (transfer none) (nullable): the first photo enrolled
 *
 * Returns: FALSE if no one of that name is enrolled
 */
gboolean
nigran_face_watch_get_entry (NigranFaceWatch  *self,
                             const char       *name,
                             const char      **record,
                             const char      **notes,
                             guint            *n_photos,
                             GdkTexture      **photo)
{
  Entry *entry;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), FALSE);

  entry = g_hash_table_lookup (self->entries, name);
  if (entry == NULL)
    return FALSE;
  if (record != NULL)
    *record = entry->record;
  if (notes != NULL)
    *notes = entry->notes;
  if (n_photos != NULL)
    *n_photos = entry->n_photos;
  if (photo != NULL)
    *photo = entry->photo;
  return TRUE;
}

static void
record_entry_event (NigranFaceWatch *self,
                    const char      *type,
                    JsonObject      *payload,
                    const char      *name,
                    const char      *actor)
{
  g_autofree char *subject = g_strconcat ("entry:", name, NULL);
  g_autoptr(NigranEvent) event = NULL;

  json_object_set_string_member (payload, "entry", name);
  event = nigran_event_new (type, (const char * const[]) { subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

/* Changes an entry's record number and notes, as @actor; recorded as an event. */
void
nigran_face_watch_update_entry (NigranFaceWatch *self,
                                const char      *name,
                                const char      *record,
                                const char      *notes,
                                const char      *actor)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (g_hash_table_contains (self->entries, name));

  update_entry (self, name, record, notes);
  if (record != NULL && *record != '\0')
    json_object_set_string_member (payload, "record", record);
  if (notes != NULL && *notes != '\0')
    json_object_set_string_member (payload, "notes", notes);
  record_entry_event (self, "watchlist.entry-updated", payload, name, actor);
}

/* Takes someone off their watchlist, as @actor: their faces match no more. Recorded
 * as an event. */
void
nigran_face_watch_remove_entry (NigranFaceWatch *self,
                                const char      *name,
                                const char      *reason,
                                const char      *actor)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (g_hash_table_contains (self->entries, name));

  remove_entry (self, name);
  if (reason != NULL && *reason != '\0')
    json_object_set_string_member (payload, "reason", reason);
  record_entry_event (self, "watchlist.entry-removed", payload, name, actor);
}

/* The threshold at which @watchlist's entries match: its own, or the default. */
double
nigran_face_watch_get_threshold (NigranFaceWatch *self,
                                 const char      *watchlist)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), NIGRAN_FACE_WATCH_DEFAULT_THRESHOLD);
  return threshold_of (self, watchlist);
}

/* Faces seen an hour since the first result, or -1 before an hour's worth of a minute. */
double
nigran_face_watch_get_faces_per_hour (NigranFaceWatch *self)
{
  gint64 elapsed;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), -1);
  elapsed = self->last_result_us - self->first_result_us;
  if (self->first_result_us == 0 || elapsed < 60 * G_USEC_PER_SEC)
    return -1;
  return self->n_faces_seen * 3600.0 * G_USEC_PER_SEC / elapsed;
}

#define MAX_IMPOSTOR_PAIRS 20000
#define MIN_IMPOSTOR_PAIRS 30

/**
 * nigran_face_watch_estimate_false_hits:
 * @gallery_size: how many faces the gallery will hold
 * @faces_per_hour: passers-by seen an hour on all cameras
 *
 * How many false matches a shift of @hours would bring at @threshold. The chance
 * that a stranger's face scores @threshold against one enrolled face comes from the
 * faces enrolled here, compared with each other across entries (each entry being
 * someone else): their similarities are close to normally distributed, so the chance
 * is the normal tail above @threshold, or the share of pairs actually above it when
 * that is larger. A few hundred pairs cannot show a one-in-a-million event, but they
 * fix the distribution's mean and spread.
 *
 * Returns: the expected number, or -1 with fewer than 30 pairs of different people
 */
double
nigran_face_watch_estimate_false_hits (NigranFaceWatch *self,
                                       double           threshold,
                                       guint            gallery_size,
                                       double           faces_per_hour,
                                       double           hours)
{
  guint size, pairs = 0, above = 0;
  double sum = 0, sum_of_squares = 0, mean, deviation, rate;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), -1);

  size = nigran_face_gallery_get_size (self->gallery);
  for (guint i = 0; i < size && pairs < MAX_IMPOSTOR_PAIRS; i++)
    for (guint j = i + 1; j < size && pairs < MAX_IMPOSTOR_PAIRS; j++)
      {
        double similarity;

        if (g_str_equal (nigran_face_gallery_get_identity (self->gallery, i),
                         nigran_face_gallery_get_identity (self->gallery, j)))
          continue;
        similarity = nigran_face_similarity (nigran_face_gallery_get_embedding (self->gallery, i),
                                             nigran_face_gallery_get_embedding (self->gallery, j));
        pairs++;
        above += similarity >= threshold;
        sum += similarity;
        sum_of_squares += similarity * similarity;
      }
  if (pairs < MIN_IMPOSTOR_PAIRS)
    return -1;
  mean = sum / pairs;
  deviation = sqrt (MAX (1e-12, sum_of_squares / pairs - mean * mean));
  rate = MAX (0.5 * erfc ((threshold - mean) / (deviation * G_SQRT2)), (double)above / pairs);
  return faces_per_hour * hours * MIN (1.0, rate * gallery_size);
}

/* Whether @camera_id's frames are analysed now: recognition runs, and is not off for it. */
/* What retention takes away: found on a worker, recorded on the main thread, then
 * erased on a worker. */
typedef struct
{
  GHashTable *retention_days;   /* watchlist name → GUINT_TO_POINTER (days) */
  gint64      now_us;
  GArray     *sequences;        /* of gint64: events whose payloads go */
  GPtrArray  *files;            /* pictures to delete */
  GPtrArray  *alert_ids;        /* face matches past their watchlist's retention */
  GArray     *alert_days;       /* of guint, beside alert_ids */
  GHashTable *enrolments;       /* entry → GArray of gint64, while reading */
  guint       n_enrolments;     /* of people taken off a watchlist */
  GHashTable *enrolment_photos; /* sequence → photo path, while reading */
} Sweep;

static void
sweep_free (gpointer data)
{
  Sweep *sweep = data;

  g_hash_table_unref (sweep->retention_days);
  g_array_unref (sweep->sequences);
  g_ptr_array_unref (sweep->files);
  g_ptr_array_unref (sweep->alert_ids);
  g_array_unref (sweep->alert_days);
  g_hash_table_unref (sweep->enrolments);
  g_hash_table_unref (sweep->enrolment_photos);
  g_free (sweep);
}

static void
erase_event (Sweep       *sweep,
             gint64       sequence,
             const char  *file)
{
  g_array_append_val (sweep->sequences, sequence);
  if (file != NULL)
    g_ptr_array_add (sweep->files, g_strdup (file));
}

static gboolean
find_expired (NigranEvent *event,
              gpointer     data)
{
  Sweep *sweep = data;
  const char *type = nigran_event_get_event_type (event);
  JsonObject *payload = nigran_event_get_payload (event);
  gint64 sequence = nigran_event_get_sequence (event);

  /* Already erased. */
  if (json_object_get_size (payload) == 0)
    return TRUE;
  if (g_str_equal (type, "alert.raised"))
    {
      const char *watchlist = json_object_get_string_member_with_default (payload, "watchlist", NULL);
      const char *alert_id = nigran_event_find_subject (event, "alert");
      gpointer days_pointer;
      guint days = NIGRAN_WATCHLIST_DEFAULT_RETENTION_DAYS;

      if (g_strcmp0 (json_object_get_string_member_with_default (payload, "source", NULL), "face") != 0 ||
          alert_id == NULL)
        return TRUE;
      if (watchlist != NULL && g_hash_table_lookup_extended (sweep->retention_days, watchlist, NULL, &days_pointer))
        days = GPOINTER_TO_UINT (days_pointer);
      if (nigran_event_get_time_us (event) > sweep->now_us - (gint64)days * 24 * 3600 * G_USEC_PER_SEC)
        return TRUE;
      erase_event (sweep, sequence, json_object_get_string_member_with_default (payload, "snapshot", NULL));
      g_ptr_array_add (sweep->alert_ids, g_strdup (alert_id));
      g_array_append_val (sweep->alert_days, days);
    }
  else if (g_str_equal (type, "watchlist.enrolled"))
    {
      const char *entry = json_object_get_string_member_with_default (payload, "entry", NULL);
      GArray *sequences;

      if (entry == NULL)
        return TRUE;
      sequences = g_hash_table_lookup (sweep->enrolments, entry);
      if (sequences == NULL)
        {
          sequences = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (sweep->enrolments, g_strdup (entry), sequences);
        }
      g_array_append_val (sequences, sequence);
      g_hash_table_insert (sweep->enrolment_photos, g_memdup2 (&sequence, sizeof sequence),
                           g_strdup (json_object_get_string_member_with_default (payload, "photo", NULL)));
    }
  else if (g_str_equal (type, "watchlist.entry-removed"))
    {
      /* Someone taken off their watchlist: their photos and faces go now. */
      GArray *sequences = g_hash_table_lookup (sweep->enrolments,
                                               json_object_get_string_member_with_default (payload, "entry", ""));

      for (guint i = 0; sequences != NULL && i < sequences->len; i++)
        {
          gint64 enrolled = g_array_index (sequences, gint64, i);

          erase_event (sweep, enrolled, g_hash_table_lookup (sweep->enrolment_photos, &enrolled));
          sweep->n_enrolments++;
        }
      if (sequences != NULL)
        g_array_set_size (sequences, 0);
    }
  return TRUE;
}

static void
find_expired_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  NigranFaceWatch *self = source_object;
  static const char * const types[] = {
    "alert.raised", "watchlist.enrolled", "watchlist.entry-removed", NULL
  };
  GError *error = NULL;

  if (!nigran_event_log_foreach_of_types (self->log, types, find_expired, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
erase_expired_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  NigranFaceWatch *self = source_object;
  Sweep *sweep = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  for (guint i = 0; i < sweep->files->len; i++)
    if (g_unlink (sweep->files->pdata[i]) != 0 && errno != ENOENT)
      g_message ("Retention could not delete %s: %s", (char *)sweep->files->pdata[i], g_strerror (errno));
  if (!nigran_event_log_erase_payloads (self->log, sweep->sequences, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_expired_erased (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_expired_found (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  NigranFaceWatch *self = NIGRAN_FACE_WATCH (object);
  g_autoptr(GTask) task = data;
  Sweep *sweep = g_task_get_task_data (task);
  g_autoptr(GTask) erase = NULL;
  g_autoptr(JsonObject) summary = json_object_new ();
  g_autoptr(NigranEvent) applied = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (sweep->sequences->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Recorded before anything is erased: a crash in between leaves the payloads,
   * which the next sweep finds again. */
  for (guint i = 0; i < sweep->alert_ids->len; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autofree char *subject = g_strconcat ("alert:", (char *)sweep->alert_ids->pdata[i], NULL);
      g_autoptr(NigranEvent) event = NULL;

      json_object_set_int_member (payload, "retention_days", g_array_index (sweep->alert_days, guint, i));
      event = nigran_event_new ("alert.evidence-erased", (const char * const[]) { subject, NULL }, payload);
      nigran_event_log_append_async (self->log, event, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
    }
  json_object_set_int_member (summary, "face_matches", sweep->alert_ids->len);
  json_object_set_int_member (summary, "enrolments_of_removed", sweep->n_enrolments);
  applied = nigran_event_new ("retention.applied", (const char * const[]) { "policy:faces", NULL }, summary);
  nigran_event_log_append_async (self->log, applied, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);

  erase = g_task_new (self, g_task_get_cancellable (task), on_expired_erased, g_object_ref (task));
  g_task_set_task_data (erase, sweep, NULL);
  g_task_run_in_thread (erase, erase_expired_thread);
}
/**
 * nigran_face_watch_apply_retention_async:
 * @now_us: the time to measure ages from, UTC µs
 *
 * Erases what policy says may no longer be kept: the pictures and the faces seen of
 * face matches older than their watchlist's retention, and the photos and faces of
 * people taken off a watchlist. Each match's alert records that its evidence went
 * ("alert.evidence-erased"); the events stay in the chain with their digests. Faces
 * that matched no one are never written down, so there is nothing of them to erase.
 */
void
nigran_face_watch_apply_retention_async (NigranFaceWatch     *self,
                                         gint64               now_us,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) find = NULL;
  GListModel *watchlists;
  Sweep *sweep;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nigran_face_watch_apply_retention_async);
  sweep = g_new0 (Sweep, 1);
  sweep->retention_days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sweep->now_us = now_us;
  sweep->sequences = g_array_new (FALSE, FALSE, sizeof (gint64));
  sweep->files = g_ptr_array_new_with_free_func (g_free);
  sweep->alert_ids = g_ptr_array_new_with_free_func (g_free);
  sweep->alert_days = g_array_new (FALSE, FALSE, sizeof (guint));
  sweep->enrolments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
  sweep->enrolment_photos = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  watchlists = G_LIST_MODEL (self->watchlists);
  for (guint i = 0; i < g_list_model_get_n_items (watchlists); i++)
    {
      g_autoptr(NigranWatchlist) watchlist = g_list_model_get_item (watchlists, i);

      g_hash_table_insert (sweep->retention_days, g_strdup (nigran_watchlist_get_name (watchlist)),
                           GUINT_TO_POINTER (nigran_watchlist_get_retention_days (watchlist)));
    }
  g_task_set_task_data (task, sweep, sweep_free);

  find = g_task_new (self, cancellable, on_expired_found, g_object_ref (task));
  g_task_set_task_data (find, sweep, NULL);
  g_task_run_in_thread (find, find_expired_thread);
}

/**
 * nigran_face_watch_apply_retention_finish:
 * @n_matches: (out) (optional): face matches whose evidence was erased
 * @n_enrolments: (out) (optional): enrolments of removed people erased
 */
gboolean
nigran_face_watch_apply_retention_finish (NigranFaceWatch  *self,
                                          GAsyncResult     *result,
                                          guint            *n_matches,
                                          guint            *n_enrolments,
                                          GError          **error)
{
  Sweep *sweep;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sweep = g_task_get_task_data (G_TASK (result));
  if (n_matches != NULL)
    *n_matches = sweep->alert_ids->len;
  if (n_enrolments != NULL)
    *n_enrolments = sweep->n_enrolments;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Traffic assumed before the cameras have shown an hour's worth: a busy entrance. */
#define ASSUMED_FACES_PER_HOUR 1000
#define SHIFT_HOURS            8

/* For where a threshold is set: what it would cost a shift in false matches, with
 * the faces enrolled and the traffic seen. */
char *
nigran_face_watch_describe_false_hits (NigranFaceWatch *self,
                                       double           threshold)
{
  double faces_per_hour = nigran_face_watch_get_faces_per_hour (self);
  gboolean observed = faces_per_hour >= 0;
  guint gallery_size = MAX (1u, nigran_face_watch_get_n_enrolled (self));
  double false_hits;

  if (!observed)
    faces_per_hour = ASSUMED_FACES_PER_HOUR;
  false_hits = nigran_face_watch_estimate_false_hits (self, threshold, gallery_size, faces_per_hour, SHIFT_HOURS);
  if (false_hits < 0)
    return g_strdup (_("False matches a shift: estimated once ten people are enrolled."));
  return g_strdup_printf (observed
                          ? _("At %.2f: about %.1f false matches an 8-hour shift, with %u faces enrolled and "
                              "%.0f faces an hour seen on the cameras.")
                          : _("At %.2f: about %.1f false matches an 8-hour shift, with %u faces enrolled and "
                              "an assumed %.0f faces an hour (not yet measured here)."),
                          threshold, false_hits, gallery_size, faces_per_hour);
}

gboolean
nigran_face_watch_is_analysing (NigranFaceWatch *self,
                                const char      *camera_id)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), FALSE);
  return self->running && !g_hash_table_contains (self->off_cameras, camera_id);
}

/* Turns recognition off or on for one camera, as @actor, at its next frame: a camera
 * where identifying people is not allowed, say. Recorded, and so kept across starts. */
void
nigran_face_watch_set_camera_enabled (NigranFaceWatch *self,
                                      const char      *camera_id,
                                      gboolean         enabled,
                                      const char      *actor)
{
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *subject = NULL;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));
  g_return_if_fail (camera_id != NULL);

  if (enabled == !g_hash_table_contains (self->off_cameras, camera_id))
    return;
  if (enabled)
    g_hash_table_remove (self->off_cameras, camera_id);
  else
    g_hash_table_add (self->off_cameras, g_strdup (camera_id));
  update_streams (self);

  subject = g_strconcat ("camera:", camera_id, NULL);
  event = nigran_event_new (enabled ? "recognition.camera-started" : "recognition.camera-stopped",
                            (const char * const[]) { subject, NULL }, NULL);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

gboolean
nigran_face_watch_get_camera_enabled (NigranFaceWatch *self,
                                      const char      *camera_id)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), FALSE);
  return !g_hash_table_contains (self->off_cameras, camera_id);
}

/* Starts or stops recognition on every attached camera, as @actor; recorded as an
 * event. Stopping takes effect at each camera's next frame, and results still on their
 * way are dropped. */
void
nigran_face_watch_set_running (NigranFaceWatch *self,
                               gboolean         running,
                               const char      *actor)
{
  g_autoptr(NigranEvent) event = NULL;

  g_return_if_fail (NIGRAN_IS_FACE_WATCH (self));

  running = !!running;
  /* Here, on the main thread where the bus delivers, and not in nigran_face_watch_new(),
   * which may run on a worker thread that then restores from the log. */
  if (self->bus_handler == 0)
    self->bus_handler = g_signal_connect (nigran_event_log_get_bus (self->log), "event",
                                          G_CALLBACK (on_committed_event), self);
  if (self->running == running)
    return;
  self->running = running;
  g_atomic_int_set (&self->accepting, running);
  update_streams (self);

  event = nigran_event_new (running ? "recognition.started" : "recognition.stopped",
                            (const char * const[]) { "recognition:faces", NULL }, NULL);
  nigran_event_log_append_async (self->log, event, actor ? actor : NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

gboolean
nigran_face_watch_get_running (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), FALSE);
  return self->running;
}

/* Results taken up on the main thread. */
guint64
nigran_face_watch_get_n_results (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), 0);
  return self->n_results;
}

/* Monotonic time of the last result taken up, 0 before any. */
gint64
nigran_face_watch_get_last_result_us (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), 0);
  return self->last_result_us;
}

/* Matches not raised because a reviewer had rejected that face as the wrong person. */
guint
nigran_face_watch_get_n_suppressed (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), 0);
  return self->n_suppressed;
}

guint
nigran_face_watch_get_n_alerts (NigranFaceWatch *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (self), 0);
  return self->n_alerts;
}
