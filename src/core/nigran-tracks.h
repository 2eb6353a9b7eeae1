/* nigran-tracks.h: the tracks projection: sightings joined into tracks, from the event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-event.h"
#include "nigran-track.h"

G_BEGIN_DECLS

/* A subject unseen this long starts a new track when seen again. */
#define NIGRAN_TRACKS_DEFAULT_GAP_US          (G_TIME_SPAN_HOUR)
/* Cosine similarity above which two unknown faces are one person. */
#define NIGRAN_TRACKS_DEFAULT_FACE_SIMILARITY 0.55
/* Sightings at one camera closer together than this are one stay there. */
#define NIGRAN_TRACKS_STAY_US                 (2 * G_TIME_SPAN_MINUTE)

#define NIGRAN_TYPE_TRACKS (nigran_tracks_get_type ())
G_DECLARE_FINAL_TYPE (NigranTracks, nigran_tracks, NIGRAN, TRACKS, GObject)

NigranTracks *nigran_tracks_new                 (void);
void          nigran_tracks_set_gap             (NigranTracks *self,
                                                 gint64        gap_us);
void          nigran_tracks_set_face_similarity (NigranTracks *self,
                                                 double        threshold);
NigranTrack  *nigran_tracks_apply               (NigranTracks *self,
                                                 NigranEvent  *event);
NigranTrack  *nigran_tracks_find_by_sighting    (NigranTracks *self,
                                                 const char   *event_id);
guint         nigran_tracks_get_n_sightings     (NigranTracks *self);

NigranEvent  *nigran_tracks_link_event_new      (const char   *from_event_id,
                                                 const char   *to_event_id,
                                                 gboolean      confirmed);
NigranEvent  *nigran_tracks_face_seen_event_new (const char   *camera_id,
                                                 gint64        captured_us,
                                                 const float  *embedding,
                                                 guint         embedding_size,
                                                 const char   *crop);

G_END_DECLS
