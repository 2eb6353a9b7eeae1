/* nigran-face-gallery.c: enrolled face embeddings, searched one against many
 *
 * Embeddings are unit length, so cosine similarity is a dot product. A search reads
 * every enrolled face, so its time is the time to read the gallery from memory: a
 * float copy takes 2 KiB a face (1 M faces: 150 ms a query here). Each face is
 * therefore also kept as 512 bytes (each number scaled to −127…127 by the face's own
 * largest), read by a first pass that keeps the closest few; the exact similarity of
 * those decides. A person enrolled from several photos scores the best of them.
 *
 * Beyond 50,000 faces even that pass is too slow (1 M: 60–90 ms), so a pass over the
 * embeddings' signs alone (64 bytes a face, compared by counting differing bits) comes
 * first and keeps a few thousand. Two unit vectors at angle θ differ in about θ/π of
 * their signs, with a spread of 11 bits, so a face of the same person (similarity
 * 0.45 and up, 63° or less: ~180 bits) stays far ahead of strangers (similarity 0.3
 * or less: ~205 bits and up), and the shortlist can afford to be generous.
 *
 * Debian's libfaiss 1.7.3 was measured for this and is not used: its IVF index found
 * the exhaustive search's best face for 89 % of probes at 9 ms a query (100 k faces),
 * against 100 % at 6–9 ms for the 8-bit pass, and its flat binary index took 41 ms a
 * query at 1 M against 7 ms for the sign pass here (a generic build, without AVX2 or
 * POPCNT).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nigran-engine.h"
#include "nigran-face-gallery.h"

struct _NigranFaceGallery
{
  GObject     parent_instance;

  GArray     *embeddings;   /* of float, NIGRAN_FACE_EMBEDDING_SIZE per entry */
  GArray     *codes;        /* of gint8, NIGRAN_FACE_EMBEDDING_SIZE per entry */
  GArray     *code_scales;  /* of float per entry: code × scale ≈ embedding */
  GArray     *signs;        /* of guint64, SIGN_WORDS per entry: bit set where positive */
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
  g_array_unref (self->signs);
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
  self->signs = g_array_new (FALSE, FALSE, sizeof (guint64));
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

#define SIGN_WORDS (NIGRAN_FACE_EMBEDDING_SIZE / 64)

static void
take_signs (const float *embedding,
            guint64     *signs)
{
  for (int word = 0; word < SIGN_WORDS; word++)
    {
      signs[word] = 0;
      for (int bit = 0; bit < 64; bit++)
        if (embedding[word * 64 + bit] > 0)
          signs[word] |= G_GUINT64_CONSTANT (1) << bit;
    }
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
  g_array_set_size (self->signs, self->signs->len + SIGN_WORDS);
  take_signs (embedding, &g_array_index (self->signs, guint64, self->signs->len - SIGN_WORDS));
}

/* Forgets every face of @identity; returns how many there were. */
guint
nigran_face_gallery_remove (NigranFaceGallery *self,
                            const char        *identity)
{
  const char *interned;
  guint kept = 0, n;

  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), 0);

  interned = g_hash_table_lookup (self->distinct, identity);
  if (interned == NULL)
    return 0;
  n = self->identities->len;
  for (guint i = 0; i < n; i++)
    {
      if (self->identities->pdata[i] == interned)
        continue;
      if (kept != i)
        {
          self->identities->pdata[kept] = self->identities->pdata[i];
          memmove (&g_array_index (self->embeddings, float, (gsize)kept * NIGRAN_FACE_EMBEDDING_SIZE),
                   &g_array_index (self->embeddings, float, (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE),
                   NIGRAN_FACE_EMBEDDING_SIZE * sizeof (float));
          memmove (&g_array_index (self->codes, gint8, (gsize)kept * NIGRAN_FACE_EMBEDDING_SIZE),
                   &g_array_index (self->codes, gint8, (gsize)i * NIGRAN_FACE_EMBEDDING_SIZE),
                   NIGRAN_FACE_EMBEDDING_SIZE);
          g_array_index (self->code_scales, float, kept) = g_array_index (self->code_scales, float, i);
          memmove (&g_array_index (self->signs, guint64, (gsize)kept * SIGN_WORDS),
                   &g_array_index (self->signs, guint64, (gsize)i * SIGN_WORDS),
                   SIGN_WORDS * sizeof (guint64));
        }
      kept++;
    }
  g_ptr_array_set_size (self->identities, kept);
  g_array_set_size (self->embeddings, (gsize)kept * NIGRAN_FACE_EMBEDDING_SIZE);
  g_array_set_size (self->codes, (gsize)kept * NIGRAN_FACE_EMBEDDING_SIZE);
  g_array_set_size (self->code_scales, kept);
  g_array_set_size (self->signs, (gsize)kept * SIGN_WORDS);
  g_hash_table_remove (self->distinct, identity);
  return n - kept;
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
/* From this gallery size on, the sign pass comes first and keeps about this many. */
#define SIGN_PASS_MIN_SIZE 50000
#define SIGN_SHORTLIST     4096

/* Without POPCNT (chosen when the program loads) each count is a library call. */
__attribute__ ((target_clones ("popcnt", "default")))
static void
count_differing_signs (const guint64 *probe,
                       const guint64 *signs,
                       guint          n,
                       guint16       *distances)
{
  for (guint i = 0; i < n; i++)
    {
      const guint64 *entry = signs + (gsize)i * SIGN_WORDS;
      int differing = 0;

      for (int word = 0; word < SIGN_WORDS; word++)
        differing += __builtin_popcountll (probe[word] ^ entry[word]);
      distances[i] = (guint16)differing;
    }
}

/* The entries whose signs differ least from @embedding's: about SIGN_SHORTLIST of them,
 * all of those as close as the farthest one kept. */
static GArray *
shortlist_by_signs (NigranFaceGallery *self,
                    const float       *embedding)
{
  guint64 probe[SIGN_WORDS];
  guint n = self->identities->len;
  g_autofree guint16 *distances = g_new (guint16, n);
  guint histogram[NIGRAN_FACE_EMBEDDING_SIZE + 1] = { 0 };
  guint cutoff = 0, kept = 0;
  GArray *shortlist = g_array_sized_new (FALSE, FALSE, sizeof (guint), SIGN_SHORTLIST + 256);

  take_signs (embedding, probe);
  count_differing_signs (probe, (const guint64 *)self->signs->data, n, distances);
  for (guint i = 0; i < n; i++)
    histogram[distances[i]]++;
  while (cutoff < NIGRAN_FACE_EMBEDDING_SIZE && kept + histogram[cutoff] < SIGN_SHORTLIST)
    kept += histogram[cutoff++];
  for (guint i = 0; i < n; i++)
    if (distances[i] <= cutoff)
      g_array_append_val (shortlist, i);
  return shortlist;
}

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
  guint n_candidates = 0, n_considered;
  g_autoptr(GArray) shortlist = NULL;
  const gint8 *codes;
  const float *scales, *entries;
  float best_score = -1;
  guint best = G_MAXUINT;

  g_return_val_if_fail (NIGRAN_IS_FACE_GALLERY (self), NULL);
  g_return_val_if_fail (embedding != NULL, NULL);

  if (self->identities->len <= N_CANDIDATES)
    return nigran_face_gallery_search_exhaustive (self, embedding, score);

  if (self->identities->len >= SIGN_PASS_MIN_SIZE)
    shortlist = shortlist_by_signs (self, embedding);
  n_considered = shortlist != NULL ? shortlist->len : self->identities->len;

  quantise (embedding, probe);
  codes = (const gint8 *)self->codes->data;
  scales = (const float *)self->code_scales->data;
  for (guint k = 0; k < n_considered; k++)
    {
      guint i = shortlist != NULL ? g_array_index (shortlist, guint, k) : k;
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
