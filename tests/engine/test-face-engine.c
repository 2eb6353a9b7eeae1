/* test-face-engine.c: the face engine on real photos, with the real models
 *
 * Needs the models (`make` fetches them into the build tree) and ../shared/data/faces;
 * each test that needs either skips with a message when it is absent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "engine/nigran-engine.h"
#include "engine/nigran-face-gallery.h"
#include "engine/nigran-face-tracker.h"

static char *
orl_photo (guint person,
           guint photo)
{
  g_autofree char *name = g_strdup_printf ("s%u/%u.pgm", person, photo);

  return g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "orl", name, NULL);
}

/* The engine with the build's models, or NULL after marking the test skipped. */
static NigranEngine *
engine_or_skip (NigranFaceResultFunc func,
                gpointer             data,
                guint                n_workers)
{
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *probe = orl_photo (1, 1);
  NigranEngineConfig config = { .models_dir = models_dir, .n_workers = n_workers };
  g_autoptr(GError) error = NULL;
  NigranEngine *engine;

  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/faces is absent");
      return NULL;
    }
  engine = nigran_engine_new (&config, func, data, &error);
  if (g_error_matches (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS))
    {
      g_test_skip (error->message);
      return NULL;
    }
  g_assert_no_error (error);
  return engine;
}

static GdkPixbuf *
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  return pixbuf;
}

static NigranFaceResult *
analyse (NigranEngine *engine,
         GdkPixbuf    *pixbuf)
{
  g_autoptr(GError) error = NULL;
  NigranFaceResult *result = nigran_engine_analyse (engine, NIGRAN_PIXEL_FORMAT_RGB,
                                                    gdk_pixbuf_read_pixels (pixbuf),
                                                    gdk_pixbuf_get_width (pixbuf),
                                                    gdk_pixbuf_get_height (pixbuf),
                                                    gdk_pixbuf_get_rowstride (pixbuf), &error);

  g_assert_no_error (error);
  return result;
}

static void
test_without_models (void)
{
  g_autofree char *empty = g_dir_make_tmp ("nigran-models-XXXXXX", NULL);
  NigranEngineConfig config = { .models_dir = empty };
  g_autoptr(GError) error = NULL;

  g_assert_null (nigran_engine_new (&config, NULL, NULL, &error));
  g_assert_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS);
  g_assert_nonnull (strstr (error->message, "face recognition is off"));
  g_rmdir (empty);
}

static void
test_corrupt_model (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nigran-models-XXXXXX", NULL);
  const char *names[] = { "fr_detect.onnx", "fr_landmark.onnx", "fr_feature.onnx" };
  NigranEngineConfig config = { .models_dir = dir };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_assert_true (g_file_set_contents (path, "not a model", -1, NULL));
    }
  g_assert_null (nigran_engine_new (&config, NULL, NULL, &error));
  g_assert_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_MODEL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_bad_frame (void)
{
  g_autoptr(GError) error = NULL;
  NigranEngine *engine = engine_or_skip (NULL, NULL, 0);
  guint8 pixels[64] = { 0 };

  if (engine == NULL)
    return;
  /* A stride shorter than a row. */
  g_assert_null (nigran_engine_analyse (engine, NIGRAN_PIXEL_FORMAT_RGB, pixels, 8, 2, 8, &error));
  g_assert_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME);
  nigran_engine_free (engine);
}

/* Mugshots fill the picture; the same person scores high, another person low. */
static void
test_same_and_other_person (void)
{
  NigranEngine *engine = engine_or_skip (NULL, NULL, 0);
  g_autofree char *path_a1 = orl_photo (1, 1), *path_a2 = orl_photo (1, 2), *path_b = orl_photo (2, 1);
  g_autoptr(GdkPixbuf) a1 = NULL, a2 = NULL, b = NULL;
  g_autoptr(NigranFaceResult) ra1 = NULL, ra2 = NULL, rb = NULL;
  float same, other, norm = 0;

  if (engine == NULL)
    return;
  a1 = load (path_a1);
  a2 = load (path_a2);
  b = load (path_b);
  ra1 = analyse (engine, a1);
  ra2 = analyse (engine, a2);
  rb = analyse (engine, b);
  g_assert_cmpuint (ra1->n_faces, ==, 1);
  g_assert_cmpuint (ra2->n_faces, ==, 1);
  g_assert_cmpuint (rb->n_faces, ==, 1);

  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    norm += ra1->faces[0].embedding[i] * ra1->faces[0].embedding[i];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-4);

  same = nigran_face_similarity (ra1->faces[0].embedding, ra2->faces[0].embedding);
  other = nigran_face_similarity (ra1->faces[0].embedding, rb->faces[0].embedding);
  g_test_message ("same person %.3f, other person %.3f", same, other);
  g_assert_cmpfloat (same, >, 0.5);
  g_assert_cmpfloat (other, <, 0.3);

  /* The box lies on the face: inside the (bordered) picture, landmarks inside it. */
  g_assert_cmpfloat (ra1->faces[0].size, >=, 40);
  g_assert_cmpfloat (ra1->faces[0].landmarks[30][0], >, ra1->faces[0].x);
  g_assert_cmpfloat (ra1->faces[0].landmarks[30][0], <, ra1->faces[0].x + ra1->faces[0].width);
  g_assert_cmpfloat (ABS (ra1->faces[0].yaw), <, 30);
  nigran_engine_free (engine);
}

/* A blurred copy of a photo is reported less sharp, and no face is found in a blank
 * picture. */
static void
test_quality (void)
{
  NigranEngine *engine = engine_or_skip (NULL, NULL, 0);
  g_autofree char *path = NULL;
  g_autoptr(GdkPixbuf) photo = NULL, small = NULL, blurred = NULL, blank = NULL;
  g_autoptr(NigranFaceResult) sharp_result = NULL, blurred_result = NULL, blank_result = NULL;

  if (engine == NULL)
    return;
  path = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", "dlib", "faces",
                           "Tom_Cruise_avp_2014_4.jpg", NULL);
  photo = load (path);
  small = gdk_pixbuf_scale_simple (photo, gdk_pixbuf_get_width (photo) / 6,
                                   gdk_pixbuf_get_height (photo) / 6, GDK_INTERP_BILINEAR);
  blurred = gdk_pixbuf_scale_simple (small, gdk_pixbuf_get_width (photo),
                                     gdk_pixbuf_get_height (photo), GDK_INTERP_BILINEAR);
  blank = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  gdk_pixbuf_fill (blank, 0x808080ff);

  sharp_result = analyse (engine, photo);
  blurred_result = analyse (engine, blurred);
  blank_result = analyse (engine, blank);
  g_assert_cmpuint (sharp_result->n_faces, ==, 1);
  g_assert_cmpuint (blurred_result->n_faces, ==, 1);
  g_test_message ("sharpness %.1f, blurred %.1f", sharp_result->faces[0].sharpness,
                  blurred_result->faces[0].sharpness);
  g_assert_cmpfloat (blurred_result->faces[0].sharpness, <, sharp_result->faces[0].sharpness / 2);
  g_assert_cmpuint (blank_result->n_faces, ==, 0);
  nigran_engine_free (engine);
}

typedef struct
{
  GMutex   lock;
  GCond    arrived;
  GThread *main_thread;
  gboolean on_main_thread;
  GArray  *capture_times;   /* gint64 */
} Collected;

static void
on_result (NigranFaceResult *result,
           gpointer          data)
{
  Collected *collected = data;

  g_mutex_lock (&collected->lock);
  if (g_thread_self () == collected->main_thread)
    collected->on_main_thread = TRUE;
  g_assert_cmpstr (result->camera_id, ==, "cam-1");
  g_assert_cmpuint (result->n_faces, ==, 1);
  g_array_append_val (collected->capture_times, result->capture_us);
  g_cond_signal (&collected->arrived);
  g_mutex_unlock (&collected->lock);
  nigran_face_result_free (result);
}

/* Submitting never waits for analysis; a waiting frame gives way to a newer one of
 * its camera; results come on a worker thread, in capture order, the newest last. */
static void
test_submit_newest_wins (void)
{
  Collected collected = { .main_thread = g_thread_self (),
                          .capture_times = g_array_new (FALSE, FALSE, sizeof (gint64)) };
  NigranEngine *engine = engine_or_skip (on_result, &collected, 1);
  g_autofree char *path = orl_photo (3, 1);
  g_autoptr(GdkPixbuf) photo = NULL;
  gint64 started, submitting_took, deadline;
  const guint n_frames = 20;

  if (engine == NULL)
    {
      g_array_unref (collected.capture_times);
      return;
    }
  photo = load (path);

  started = g_get_monotonic_time ();
  for (guint i = 1; i <= n_frames; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (nigran_engine_submit (engine, "cam-1", i, NIGRAN_PIXEL_FORMAT_RGB,
                                           gdk_pixbuf_read_pixels (photo),
                                           gdk_pixbuf_get_width (photo), gdk_pixbuf_get_height (photo),
                                           gdk_pixbuf_get_rowstride (photo), &error));
      g_assert_no_error (error);
    }
  submitting_took = g_get_monotonic_time () - started;

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_mutex_lock (&collected.lock);
  while ((collected.capture_times->len == 0 ||
          g_array_index (collected.capture_times, gint64, collected.capture_times->len - 1) != n_frames) &&
         g_cond_wait_until (&collected.arrived, &collected.lock, deadline))
    ;
  g_mutex_unlock (&collected.lock);
  nigran_engine_free (engine);

  g_test_message ("%u frames submitted in %" G_GINT64_FORMAT " µs; %u analysed",
                  n_frames, submitting_took, collected.capture_times->len);
  /* Twenty analyses take far longer than copying twenty small frames. */
  g_assert_cmpint (submitting_took, <, 20 * 1000);
  g_assert_false (collected.on_main_thread);
  g_assert_cmpuint (collected.capture_times->len, <, n_frames);
  g_assert_cmpint (g_array_index (collected.capture_times, gint64, collected.capture_times->len - 1), ==, n_frames);
  for (guint i = 1; i < collected.capture_times->len; i++)
    g_assert_cmpint (g_array_index (collected.capture_times, gint64, i), >,
                     g_array_index (collected.capture_times, gint64, i - 1));
  g_array_unref (collected.capture_times);
}

/* The gallery names the closest enrolled person, and the best of a person's photos. */
static void
test_gallery (void)
{
  g_autoptr(NigranFaceGallery) gallery = nigran_face_gallery_new ();
  float a[NIGRAN_FACE_EMBEDDING_SIZE] = { 0 }, b[NIGRAN_FACE_EMBEDDING_SIZE] = { 0 };
  float probe[NIGRAN_FACE_EMBEDDING_SIZE] = { 0 };
  float score = 0;

  g_assert_null (nigran_face_gallery_search (gallery, probe, &score));
  g_assert_cmpfloat (score, ==, -1);

  a[0] = 1;
  b[1] = 1;
  nigran_face_gallery_add (gallery, "alpha", a);
  nigran_face_gallery_add (gallery, "beta", b);
  nigran_face_gallery_add (gallery, "alpha", b);
  g_assert_cmpuint (nigran_face_gallery_get_size (gallery), ==, 3);
  g_assert_cmpuint (nigran_face_gallery_get_n_identities (gallery), ==, 2);

  probe[0] = 0.8f;
  probe[1] = 0.6f;
  g_assert_cmpstr (nigran_face_gallery_search (gallery, probe, &score), ==, "alpha");
  g_assert_cmpfloat_with_epsilon (score, 0.8, 1e-6);
  probe[0] = 0.6f;
  probe[1] = 0.8f;
  nigran_face_gallery_search (gallery, probe, &score);
  g_assert_cmpfloat_with_epsilon (score, 0.8, 1e-6);
}

/* The fast search names the same face as comparing with every one exactly, for
 * enrolled people (new photos at similarity about 0.8 and, near the threshold, 0.47) and for strangers. */
static void
assert_search_agrees (guint size,
                      guint n_queries)
{
  g_autoptr(NigranFaceGallery) gallery = nigran_face_gallery_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree float *all = g_new (float, (gsize)size * NIGRAN_FACE_EMBEDDING_SIZE);
  const float likeness[] = { 0.7f, 0.32f, 0 };
  const float expected[] = { 0.75f, 0.4f, -1 };

  for (guint i = 0; i < size; i++)
    {
      g_autofree char *identity = g_strdup_printf ("person-%u", i);
      float *vector = all + (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE;
      double norm = 0;

      for (guint k = 0; k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
        {
          vector[k] = (float)g_rand_double_range (rand, -1, 1);
          norm += vector[k] * vector[k];
        }
      for (guint k = 0; k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
        vector[k] /= (float)sqrt (norm);
      nigran_face_gallery_add (gallery, identity, vector);
    }

  for (guint q = 0; q < n_queries; q++)
    {
      float probe[NIGRAN_FACE_EMBEDDING_SIZE];
      const float *enrolled = all + (gsize)g_rand_int_range (rand, 0, size) * NIGRAN_FACE_EMBEDDING_SIZE;
      float fast_score, exact_score;
      double norm = 0;

      for (guint k = 0; k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
        {
          probe[k] = likeness[q % 3] * enrolled[k] + (float)g_rand_double_range (rand, -0.04, 0.04);
          norm += probe[k] * probe[k];
        }
      for (guint k = 0; k < NIGRAN_FACE_EMBEDDING_SIZE; k++)
        probe[k] /= (float)sqrt (norm);

      g_assert_cmpstr (nigran_face_gallery_search (gallery, probe, &fast_score), ==,
                       nigran_face_gallery_search_exhaustive (gallery, probe, &exact_score));
      g_assert_cmpfloat (fast_score, ==, exact_score);
      g_assert_cmpfloat (exact_score, >, expected[q % 3]);
    }
}

/* Beyond a few dozen faces the search reads 8-bit copies first. */
static void
test_gallery_large (void)
{
  assert_search_agrees (5000, 300);
}

/* Beyond 50,000 it reads the embeddings' signs before that. */
static void
test_gallery_sign_pass (void)
{
  assert_search_agrees (60000, 300);
}

static NigranFace
orl_face (NigranEngine *engine,
          guint         person,
          guint         photo)
{
  g_autofree char *path = orl_photo (person, photo);
  g_autoptr(GdkPixbuf) pixbuf = load (path);
  g_autoptr(NigranFaceResult) result = analyse (engine, pixbuf);

  g_assert_cmpuint (result->n_faces, ==, 1);
  return result->faces[0];
}

/* Two people walk past side by side and trade places half-way: each keeps their
 * track, which the camera's next person after a pause does not continue. */
static void
test_tracker_follows_people (void)
{
  g_autoptr(NigranEngine) engine = engine_or_skip (NULL, NULL, 1);
  g_autoptr(NigranFaceTracker) tracker = nigran_face_tracker_new (2 * G_USEC_PER_SEC);
  NigranFace faces[2];
  NigranFaceResult result = { .camera_id = (char *)"gate", .n_faces = 2, .faces = faces };
  guint ids[2] = { 0, 0 };

  if (engine == NULL)
    return;
  for (guint photo = 6; photo <= 10; photo++)
    {
      g_autofree NigranFaceTrackUpdate *updates = NULL;
      gboolean traded = photo >= 8;

      faces[0] = orl_face (engine, 1, photo);
      faces[1] = orl_face (engine, 2, photo);
      faces[traded ? 0 : 1].x += 100;
      result.capture_us = photo * G_USEC_PER_SEC / 5;
      updates = nigran_face_tracker_update (tracker, &result);
      for (guint f = 0; f < 2; f++)
        {
          if (ids[f] == 0)
            ids[f] = updates[f].track_id;
          g_assert_cmpuint (updates[f].track_id, ==, ids[f]);
          g_assert_cmpuint (updates[f].n_frames, ==, photo - 5);
        }
    }
  g_assert_cmpuint (ids[0], !=, ids[1]);
  g_assert_cmpuint (nigran_face_tracker_get_n_tracks (tracker), ==, 2);

  /* Person 1 again, after three seconds without a face: a new pass. */
  {
    g_autofree NigranFaceTrackUpdate *updates = NULL;

    result.capture_us += 3 * G_USEC_PER_SEC;
    result.n_faces = 1;
    faces[0] = orl_face (engine, 1, 6);
    updates = nigran_face_tracker_update (tracker, &result);
    g_assert_cmpuint (updates[0].track_id, !=, ids[0]);
    g_assert_cmpuint (updates[0].n_frames, ==, 1);
    g_assert_true (updates[0].is_best);
    g_assert_cmpuint (nigran_face_tracker_get_n_tracks (tracker), ==, 1);
  }
}

/* A track of photos 6–10 of each ORL person, against a gallery of photos 1–5: the
 * mean of the track's best frames names the person, and scores higher than its
 * frames do on average. */
static void
test_tracker_describes_over_best_frames (void)
{
  g_autoptr(NigranEngine) engine = engine_or_skip (NULL, NULL, 1);
  g_autoptr(NigranFaceGallery) gallery = nigran_face_gallery_new ();
  g_autoptr(NigranFaceTracker) tracker = nigran_face_tracker_new (2 * G_USEC_PER_SEC);
  const guint n_people = 30;
  guint n_named = 0, n_higher = 0, n_whole = 0;
  double single_sum = 0, fused_sum = 0;

  if (engine == NULL)
    return;
  for (guint person = 1; person <= n_people; person++)
    for (guint photo = 1; photo <= 5; photo++)
      {
        g_autofree char *identity = g_strdup_printf ("s%u", person);
        NigranFace face = orl_face (engine, person, photo);

        nigran_face_gallery_add (gallery, identity, face.embedding);
      }

  for (guint person = 1; person <= n_people; person++)
    {
      g_autofree char *camera = g_strdup_printf ("camera-%u", person);
      g_autofree char *identity = g_strdup_printf ("s%u", person);
      NigranFace face;
      NigranFaceResult result = { .camera_id = camera, .n_faces = 1, .faces = &face };
      double single = 0;
      float fused = 0;
      const char *named = NULL;

      for (guint photo = 6; photo <= 10; photo++)
        {
          g_autofree NigranFaceTrackUpdate *updates = NULL;
          float score;

          face = orl_face (engine, person, photo);
          result.capture_us = photo * G_USEC_PER_SEC / 5;
          updates = nigran_face_tracker_update (tracker, &result);
          n_whole += photo == 10 && updates[0].n_frames == 5;
          nigran_face_gallery_search (gallery, face.embedding, &score);
          single += score / 5;
          named = nigran_face_gallery_search (gallery, updates[0].embedding, &fused);
        }
      n_named += g_strcmp0 (named, identity) == 0;
      n_higher += fused > single;
      single_sum += single;
      fused_sum += fused;
    }
  /* ORL's photos of one person differ more than a video's frames: some tracks break. */
  g_test_message ("tracks whole: %u; named right: %u of %u; mean score of single frames %.3f, of tracks %.3f; "
                  "track above its frames' mean for %u", n_whole, n_named, n_people, single_sum / n_people,
                  fused_sum / n_people, n_higher);
  g_assert_cmpuint (n_named, ==, n_people);
  g_assert_cmpfloat (fused_sum, >, single_sum);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face-engine/without-models", test_without_models);
  g_test_add_func ("/face-engine/corrupt-model", test_corrupt_model);
  g_test_add_func ("/face-engine/bad-frame", test_bad_frame);
  g_test_add_func ("/face-engine/same-and-other-person", test_same_and_other_person);
  g_test_add_func ("/face-engine/quality", test_quality);
  g_test_add_func ("/face-engine/submit-newest-wins", test_submit_newest_wins);
  g_test_add_func ("/face-engine/gallery", test_gallery);
  g_test_add_func ("/face-engine/gallery-large", test_gallery_large);
  g_test_add_func ("/face-engine/gallery-sign-pass", test_gallery_sign_pass);
  g_test_add_func ("/face-engine/tracker-follows-people", test_tracker_follows_people);
  g_test_add_func ("/face-engine/tracker-describes-over-best-frames", test_tracker_describes_over_best_frames);

  return g_test_run ();
}
