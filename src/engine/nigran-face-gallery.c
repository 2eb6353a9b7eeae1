/* nigran-face-gallery.c: enrolled face embeddings, searched one against many
 *
 * Embeddings are unit length, so cosine similarity is a dot product. They lie in one
 * contiguous array and are searched by brute force, which the compiler vectorises:
 * a person enrolled from several photos scores the best of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-engine.h"
#include "nigran-face-gallery.h"

struct _NigranFaceGallery
{
  GObject     parent_instance;

  GArray     *embeddings;   /* of float, NIGRAN_FACE_EMBEDDING_SIZE per entry */
  GPtrArray  *identities;   /* per entry; interned */
  GHashTable *distinct;     /* identity → itself */
};

G_DEFINE_FINAL_TYPE (NigranFaceGallery, nigran_face_gallery, G_TYPE_OBJECT)

static void
nigran_face_gallery_finalize (GObject *object)
{
  NigranFaceGallery *self = (NigranFaceGallery *)object;

  g_array_unref (self->embeddings);
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
  self->identities = g_ptr_array_new ();
  self->distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

NigranFaceGallery *
nigran_face_gallery_new (void)
{
  return g_object_new (NIGRAN_TYPE_FACE_GALLERY, NULL);
}

/* @embedding: NIGRAN_FACE_EMBEDDING_SIZE floats of unit length */
void
nigran_face_gallery_add (NigranFaceGallery *self,
                         const char        *identity,
                         const float       *embedding)
{
  char *interned;

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
