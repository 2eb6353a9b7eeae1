/* nigran-face-gallery.c: enrolled face embeddings, searched one against many
 *
 * Embeddings are unit length, so cosine similarity is a dot product. A search reads
 * every enrolled face, so its time is the time to read the gallery from memory: a
 * float copy takes 2 KiB a face (1 M faces: 150 ms a query here). Each face is
 * therefore also kept as 512 bytes (each number scaled to −127…127 by the face's own
 * largest), read by a first pass that keeps the closest few; the exact similarity of
 * those decides. A person enrolled from several photos scores the best of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "nigran-engine.h"
#include "nigran-face-gallery.h"

struct _NigranFaceGallery
{
  GObject     parent_instance;

  GArray     *embeddings;   /* of float, NIGRAN_FACE_EMBEDDING_SIZE per entry */
  GArray     *codes;        /* of gint8, NIGRAN_FACE_EMBEDDING_SIZE per entry */
  GArray     *code_scales;  /* of float per entry: code × scale ≈ embedding */
  GPtrArray  *identities;   /* per entry; interned */
  GHashTable *distinct;     /* identity → itself */
};

G_DEFINE_FINAL_TYPE (NigranFaceGallery, nigran_face_gallery, G_TYPE_OBJECT)

static void
nigran_face_gallery_finalize (GObject *object)
{
  NigranFaceGallery *self = (NigranFaceGallery *)object;

  g_array_unref (self->embeddings);
  g_array_unref (self->codes);
  g_array_unref (self->code_scales);
  g_ptr_array_unref (self->identities);
  g_hash_table_unref (self->distinct);

  G_OBJECT_CLASS (nigran_face_gallery_parent_class)->finalize (object);
}

static void
nigran_face_gallery_class_init (NigranFaceGalleryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_face_gallery_finalize;
}

static void
nigran_face_gallery_init (NigranFaceGallery *self)
{
  self->embeddings = g_array_new (FALSE, FALSE, sizeof (float));
  self->codes = g_array_new (FALSE, FALSE, sizeof (gint8));
  self->code_scales = g_array_new (FALSE, FALSE, sizeof (float));
  self->identities = g_ptr_array_new ();
  self->distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

NigranFaceGallery *
nigran_face_gallery_new (void)
{
  return g_object_new (NIGRAN_TYPE_FACE_GALLERY, NULL);
}

static float
quantise (const float *embedding,
          gint8       *code)
{
  float largest = 0;

  for (int i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    largest = MAX (largest, fabsf (embedding[i]));
  if (largest == 0)
    largest = 1;
  for (int i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    code[i] = (gint8)lrintf (embedding[i] * 127 / largest);
  return largest / 127;
}

/* @embedding: NIGRAN_FACE_EMBEDDING_SIZE floats of unit length */
void
nigran_face_gallery_add (NigranFaceGallery *self,
                         const char        *identity,
                         const float       *embedding)
{
  char *interned;
  float scale;

  g_return_if_fail (NIGRAN_IS_FACE_GALLERY (self));
  g_return_if_fail (identity != NULL && embedding != NULL);

  interned = g_hash_table_lookup (self->distinct, identity);
  if (interned == NULL)
    {
      interned = g_strdup (identity);
      g_hash_table_add (self->distinct, interned);
    }
  g_ptr_array_add (self->identities, interned);
  g_array_append_vals (self->embeddings, embedding, NIGRAN_FACE_EMBEDDING_SIZE);
  g_array_set_size (self->codes, self->codes->len + NIGRAN_FACE_EMBEDDING_SIZE);
  scale = quantise (embedding, &g_array_index (self->codes, gint8, self->codes->len - NIGRAN_FACE_EMBEDDING_SIZE));
  g_array_append_val (self->code_scales, scale);
}

guint
nigran_face_gallery_get_size (NigranFaceGallery *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), 0);
  return self->identities->len;
}

guint
nigran_face_gallery_get_n_identities (NigranFaceGallery *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), 0);
  return g_hash_table_size (self->distinct);
}

/* Eight running sums let the compiler use vector registers without reordering a
 * single floating-point sum. */
static float
dot (const float *a,
     const float *b)
{
  float sums[8] = { 0 };
  float total = 0;

  for (int i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i += 8)
    for (int lane = 0; lane < 8; lane++)
      sums[lane] += a[i + lane] * b[i + lane];
  for (int lane = 0; lane < 8; lane++)
    total += sums[lane];
  return total;
}

/* Cosine similarity of two unit-length embeddings: 1 is the same face. */
float
nigran_face_similarity (const float *a,
                        const float *b)
{
  return dot (a, b);
}

/* At -O2 GCC leaves this loop scalar; vectorised it is 1.5 times as fast, and twice
 * again with AVX2 where the processor has it (chosen when the program loads). */
__attribute__ ((optimize ("O3"), target_clones ("avx2", "default")))
static gint32
dot_codes (const gint8 *a,
           const gint8 *b)
{
  gint32 sum = 0;

  for (int i = 0; i < NIGRAN_FACE_EMBEDDING_SIZE; i++)
    sum += a[i] * b[i];
  return sum;
}

/**
 * nigran_face_gallery_search_exhaustive:
 * @score: (out) (optional): the best similarity, -1 for an empty gallery
 *
 * Compares with every enrolled face exactly; for measuring the faster search.
 *
 * Returns: (nullable): as nigran_face_gallery_search()
 */
const char *
nigran_face_gallery_search_exhaustive (NigranFaceGallery *self,
                                       const float       *embedding,
                                       float             *score)
{
  const float *entries;
  float best_score = -1;
  guint best = G_MAXUINT;

  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), NULL);
  g_return_val_if_fail (embedding != NULL, NULL);

  entries = (const float *)self->embeddings->data;
  for (guint i = 0; i < self->identities->len; i++)
    {
      float similarity = dot (embedding, entries + (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE);

      if (similarity > best_score)
        {
          best_score = similarity;
          best = i;
        }
    }
  if (score != NULL)
    *score = best_score;
  return best == G_MAXUINT ? NULL : self->identities->pdata[best];
}

/* How many of the closest by the first pass the exact similarity decides between. */
#define N_CANDIDATES 32

/**
 * nigran_face_gallery_search:
 * @score: (out) (optional): the best similarity, -1 for an empty gallery
 *
 * Returns: (nullable): the identity of the closest enrolled face, valid while the
 *   gallery lives; %NULL for an empty gallery. The caller applies its threshold.
 */
const char *
nigran_face_gallery_search (NigranFaceGallery *self,
                            const float       *embedding,
                            float             *score)
{
  gint8 probe[NIGRAN_FACE_EMBEDDING_SIZE];
  float candidate_scores[N_CANDIDATES];
  guint candidates[N_CANDIDATES];
  guint n_candidates = 0;
  const gint8 *codes;
  const float *scales, *entries;
  float best_score = -1;
  guint best = G_MAXUINT;

  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), NULL);
  g_return_val_if_fail (embedding != NULL, NULL);

  if (self->identities->len <= N_CANDIDATES)
    return nigran_face_gallery_search_exhaustive (self, embedding, score);

  quantise (embedding, probe);
  codes = (const gint8 *)self->codes->data;
  scales = (const float *)self->code_scales->data;
  for (guint i = 0; i < self->identities->len; i++)
    {
      float approximate = dot_codes (probe, codes + (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE) * scales[i];
      guint slot;

      if (n_candidates == N_CANDIDATES && approximate <= candidate_scores[N_CANDIDATES - 1])
        continue;
      /* Kept in descending order; the smallest drops off the end. */
      slot = n_candidates < N_CANDIDATES ? n_candidates++ : N_CANDIDATES - 1;
      while (slot > 0 && candidate_scores[slot - 1] < approximate)
        {
          candidate_scores[slot] = candidate_scores[slot - 1];
          candidates[slot] = candidates[slot - 1];
          slot--;
        }
      candidate_scores[slot] = approximate;
      candidates[slot] = i;
    }

  entries = (const float *)self->embeddings->data;
  for (guint k = 0; k < n_candidates; k++)
    {
      float similarity = dot (embedding, entries + (gsize)candidates[k] * NIGRAN_FACE_EMBEDDING_SIZE);

      if (similarity > best_score)
        {
          best_score = similarity;
          best = candidates[k];
        }
    }
  if (score != NULL)
    *score = best_score;
  return self->identities->pdata[best];
}

/* The identity of enrolled face @index, valid while the gallery lives. */
const char *
nigran_face_gallery_get_identity (NigranFaceGallery *self,
                                  guint              index)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), NULL);
  g_return_val_if_fail (index < self->identities->len, NULL);
  return self->identities->pdata[index];
}

/* The embedding of enrolled face @index: NIGRAN_FACE_EMBEDDING_SIZE floats. */
const float *
nigran_face_gallery_get_embedding (NigranFaceGallery *self,
                                   guint              index)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), NULL);
  g_return_val_if_fail (index < self->identities->len, NULL);
  return &g_array_index (self->embeddings, float, (gsize)index * NIGRAN_FACE_EMBEDDING_SIZE);
}
