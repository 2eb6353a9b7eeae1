/* bench-faces.c: how fast the face engine and the gallery search are on this machine
 *
 * 1. Analysis on one core: the dlib photos (43 marked faces in 9 photos, 320–500 px)
 *    and ORL mugshots, each analysed repeatedly; frames per second and faces per
 *    second of one thread's CPU time.
 * 2. 1:N search over 10 k, 100 k and 1 M random unit embeddings: time per query of
 *    the gallery's search (a pass over 8-bit copies, then exact similarity for the
 *    closest few) against the exhaustive float search in the same run, and how often
 *    both name the same face, for probes that are new photos of enrolled people and
 *    for strangers.
 *
 * Targets: search ≤ 2 ms at 10 k, ≤ 10 ms at 100 k, ≤ 50 ms at 1 M per query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <sys/resource.h>

#include "engine/nigran-engine.h"
#include "engine/nigran-face-gallery.h"

static double
thread_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static GPtrArray *
load_photos (void)
{
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  g_autofree char *dlib = g_build_filename (shared ? shared : "../shared/data", "faces", "dlib", "faces", NULL);
  g_autofree char *orl = g_build_filename (shared ? shared : "../shared/data", "faces", "orl", NULL);
  g_autoptr(GDir) dir = g_dir_open (dlib, 0, NULL);
  GPtrArray *photos = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dlib, name, NULL);
      GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, NULL);

      if (pixbuf != NULL)
        g_ptr_array_add (photos, pixbuf);
    }
  for (guint person = 1; person <= 10; person++)
    {
      g_autofree char *path = g_strdup_printf ("%s/s%u/1.pgm", orl, person);
      GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, NULL);

      if (pixbuf != NULL)
        g_ptr_array_add (photos, pixbuf);
    }
  return photos;
}

static void
bench_analysis (NigranEngine *engine)
{
  g_autoptr(GPtrArray) photos = load_photos ();
  guint64 frames = 0, faces = 0;
  double cpu_start, cpu;

  if (photos->len == 0)
    {
      g_print ("analysis: skipped, ../shared/data/faces is absent\n");
      return;
    }
  cpu_start = thread_cpu_seconds ();
  for (guint round = 0; round < 5; round++)
    for (guint i = 0; i < photos->len; i++)
      {
        GdkPixbuf *photo = photos->pdata[i];
        g_autoptr(NigranFaceResult) result =
          nigran_engine_analyse (engine,
                                 gdk_pixbuf_get_has_alpha (photo) ? NIGRAN_PIXEL_FORMAT_RGBA : NIGRAN_PIXEL_FORMAT_RGB,
                                 gdk_pixbuf_read_pixels (photo), gdk_pixbuf_get_width (photo),
                                 gdk_pixbuf_get_height (photo), gdk_pixbuf_get_rowstride (photo), NULL);

        frames++;
        faces += result ? result->n_faces : 0;
      }
  cpu = thread_cpu_seconds () - cpu_start;
  g_print ("analysis on one core: %" G_GUINT64_FORMAT " photos with %" G_GUINT64_FORMAT " faces in %.2f s CPU: "
           "%.1f photos/s, %.1f faces/s, %.1f ms per photo\n",
           frames, faces, cpu, frames / cpu, faces / cpu, 1000 * cpu / frames);
}

static void
random_unit_vector (GRand *rand,
                    float *vector)
{
  double norm = 0;

  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    {
      vector[i] = (float)g_rand_double_range (rand, -1, 1);
      norm += vector[i] * vector[i];
    }
  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    vector[i] /= (float)sqrt (norm);
}

/* A probe close to enrolled face @index, as a new photo of an enrolled person is:
 * similarity about 0.7. */
static void
noisy_copy (GRand       *rand,
            const float *enrolled,
            float       *probe)
{
  float noise[NIGRAN_FACE_EMBEDDING_SIZE];
  double norm = 0;

  random_unit_vector (rand, noise);
  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    {
      probe[i] = 0.7f * enrolled[i] + 0.71f * noise[i];
      norm += probe[i] * probe[i];
    }
  for (guint i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    probe[i] /= (float)sqrt (norm);
}

static void
bench_search (GRand *rand,
              guint  size)
{
  g_autoptr(NigranFaceGallery) gallery = nigran_face_gallery_new ();
  g_autofree float *all = g_new (float, (gsize)size * NIGRAN_FACE_EMBEDDING_SIZE);
  guint n_queries = size >= 1000000 ? 10 : size >= 100000 ? 30 : 200;
  g_autofree float *probes = g_new (float, (gsize)2 * n_queries * NIGRAN_FACE_EMBEDDING_SIZE);
  guint agree_enrolled = 0, agree_stranger = 0;
  volatile float sink = 0;
  gint64 start;
  double fast_ms, exhaustive_ms, read_ms;

  for (guint i = 0; i < size; i++)
    {
      g_autofree char *identity = g_strdup_printf ("person-%u", i);
      float *vector = all + (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE;

      random_unit_vector (rand, vector);
      nigran_face_gallery_add (gallery, identity, vector);
    }
  /* Half the probes are new photos of enrolled people, half are strangers. */
  for (guint q = 0; q < n_queries; q++)
    {
      noisy_copy (rand, all + (gsize)g_rand_int_range (rand, 0, size) * NIGRAN_FACE_EMBEDDING_SIZE,
                  probes + (gsize)(2 * q) * NIGRAN_FACE_EMBEDDING_SIZE);
      random_unit_vector (rand, probes + (gsize)(2 * q + 1) * NIGRAN_FACE_EMBEDDING_SIZE);
    }

  start = g_get_monotonic_time ();
  for (guint q = 0; q < 2 * n_queries; q++)
    nigran_face_gallery_search (gallery, probes + (gsize)q * NIGRAN_FACE_EMBEDDING_SIZE, NULL);
  fast_ms = (g_get_monotonic_time () - start) / 1000.0 / (2 * n_queries);

  start = g_get_monotonic_time ();
  for (guint q = 0; q < 2 * n_queries; q++)
    nigran_face_gallery_search_exhaustive (gallery, probes + (gsize)q * NIGRAN_FACE_EMBEDDING_SIZE, NULL);
  exhaustive_ms = (g_get_monotonic_time () - start) / 1000.0 / (2 * n_queries);

  for (guint q = 0; q < 2 * n_queries; q++)
    {
      const float *probe = probes + (gsize)q * NIGRAN_FACE_EMBEDDING_SIZE;
      float fast_score, exact_score;
      const char *fast = nigran_face_gallery_search (gallery, probe, &fast_score);
      const char *exact = nigran_face_gallery_search_exhaustive (gallery, probe, &exact_score);

      if (g_strcmp0 (fast, exact) == 0)
        {
          if (q % 2 == 0)
            agree_enrolled++;
          else
            agree_stranger++;
        }
    }

  /* The floor for reading the float copy: touching every number once. */
  start = g_get_monotonic_time ();
  for (guint q = 0; q < n_queries; q++)
    {
      float sums[8] = { 0 };

      for (gsize i = 0; i < (gsize)size * NIGRAN_FACE_EMBEDDING_SIZE; i += 8)
        for (guint lane = 0; lane < 8; lane++)
          sums[lane] += all[i + lane];
      for (guint lane = 0; lane < 8; lane++)
        sink += sums[lane];
    }
  read_ms = (g_get_monotonic_time () - start) / 1000.0 / n_queries;

  g_print ("search %7u faces: %.2f ms per query; exhaustive float %.2f ms (ratio %.2f), "
           "reading the floats once %.2f ms; same top-1 as exhaustive: enrolled %u/%u, strangers %u/%u\n",
           size, fast_ms, exhaustive_ms, fast_ms / exhaustive_ms, read_ms,
           agree_enrolled, n_queries, agree_stranger, n_queries);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  NigranEngineConfig config = { .models_dir = models_dir };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  NigranEngine *engine = nigran_engine_new (&config, NULL, NULL, &error);

  if (engine == NULL)
    g_print ("analysis: skipped, %s\n", error->message);
  else
    {
      bench_analysis (engine);
      nigran_engine_free (engine);
    }

  bench_search (rand, 10000);
  bench_search (rand, 100000);
  bench_search (rand, 1000000);
  return 0;
}
