/* nigran-face-tracker.h: one camera's faces followed from frame to frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "nigran-engine.h"

G_BEGIN_DECLS

/* How many of a track's frames make up its description. */
#define NIGRAN_FACE_TRACK_BEST_FRAMES 3

typedef struct
{
  guint    track_id;     /* unique within the tracker */
  guint    n_frames;     /* of the track so far, this one included */
  gboolean is_best;      /* this face is the best-quality one of its track so far */
  /* The mean of the embeddings of the track's best frames, unit length. */
  float    embedding[NIGRAN_FACE_EMBEDDING_SIZE];
} NigranFaceTrackUpdate;

#define NIGRAN_TYPE_FACE_TRACKER (nigran_face_tracker_get_type ())
G_DECLARE_FINAL_TYPE (NigranFaceTracker, nigran_face_tracker, NIGRAN, FACE_TRACKER, GObject)

NigranFaceTracker     *nigran_face_tracker_new          (gint64                  max_gap_us);
NigranFaceTrackUpdate *nigran_face_tracker_update       (NigranFaceTracker      *self,
                                                         const NigranFaceResult *result);
guint                  nigran_face_tracker_get_n_tracks (NigranFaceTracker      *self);
float                  nigran_face_quality              (const NigranFace       *face);

G_END_DECLS
