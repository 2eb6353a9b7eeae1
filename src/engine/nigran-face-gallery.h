/* nigran-face-gallery.h: enrolled face embeddings, searched one against many
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define NIGRAN_TYPE_FACE_GALLERY (nigran_face_gallery_get_type ())
G_DECLARE_FINAL_TYPE (NigranFaceGallery, nigran_face_gallery, NIGRAN, FACE_GALLERY, GObject)

NigranFaceGallery *nigran_face_gallery_new        (void);
void               nigran_face_gallery_add        (NigranFaceGallery *self,
                                                   const char        *identity,
                                                   const float       *embedding);
guint              nigran_face_gallery_remove     (NigranFaceGallery *self,
                                                   const char        *identity);
guint              nigran_face_gallery_get_size   (NigranFaceGallery *self);
guint              nigran_face_gallery_get_n_identities (NigranFaceGallery *self);
const char        *nigran_face_gallery_get_identity (NigranFaceGallery *self,
                                                     guint              index);
const float       *nigran_face_gallery_get_embedding (NigranFaceGallery *self,
                                                      guint              index);
const char        *nigran_face_gallery_search     (NigranFaceGallery *self,
                                                   const float       *embedding,
                                                   float             *score);
const char        *nigran_face_gallery_search_exhaustive (NigranFaceGallery *self,
                                                          const float       *embedding,
                                                          float             *score);

float              nigran_face_similarity         (const float       *a,
                                                   const float       *b);

G_END_DECLS
