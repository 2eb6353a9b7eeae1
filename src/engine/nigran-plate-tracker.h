/* nigran-plate-tracker.h: one vehicle's plate followed across the frames of its pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "nigran-plate-reader.h"

G_BEGIN_DECLS

/* How many of a pass's readings (the surest) are voted over. */
#define NIGRAN_PLATE_TRACK_BEST_FRAMES 5

typedef struct
{
  int                x, y, width, height;   /* the plate's box in the frame */
  NigranPlateReading reading;
} NigranPlateObservation;

typedef struct
{
  guint              track_id;   /* unique within the tracker */
  guint              n_frames;   /* read so far in this pass */
  gboolean           is_best;    /* this frame's reading is the pass's surest so far */
  /* TRUE once, on the frame (or at the end of the pass) where the vote is settled:
   * that is when the pass's read is reported. */
  gboolean           decided;
  /* The character-by-character vote over the pass's surest readings. */
  NigranPlateReading vote;
} NigranPlateTrackUpdate;

#define NIGRAN_TYPE_PLATE_TRACKER (nigran_plate_tracker_get_type ())
G_DECLARE_FINAL_TYPE (NigranPlateTracker, nigran_plate_tracker, NIGRAN, PLATE_TRACKER, GObject)

NigranPlateTracker     *nigran_plate_tracker_new         (gint64                        max_gap_us);
NigranPlateTrackUpdate *nigran_plate_tracker_update      (NigranPlateTracker           *self,
                                                          const char                   *camera_id,
                                                          gint64                        capture_us,
                                                          const NigranPlateObservation *observations,
                                                          guint                         n_observations);
GArray                 *nigran_plate_tracker_end_passes  (NigranPlateTracker           *self,
                                                          const char                   *camera_id,
                                                          gint64                        capture_us);
guint                   nigran_plate_tracker_get_n_tracks (NigranPlateTracker          *self);
void                    nigran_plate_vote                (const NigranPlateReading     *readings,
                                                          guint                         n_readings,
                                                          NigranPlateReading           *vote);

G_END_DECLS
