/* nigran-track.h: one subject's sightings across cameras, and how each was joined
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  NIGRAN_TRACK_LINK_START,            /* the track's first sighting */
  NIGRAN_TRACK_LINK_IDENTITY,         /* the same watchlist identity */
  NIGRAN_TRACK_LINK_PLATE,            /* the same registration */
  NIGRAN_TRACK_LINK_FACE_SIMILARITY,  /* an unknown face like one already on the track */
  NIGRAN_TRACK_LINK_MANUAL,           /* an operator's link */
} NigranTrackLinkSource;

typedef enum
{
  NIGRAN_SIGHTING_FACE,
  NIGRAN_SIGHTING_PLATE,
} NigranSightingKind;

typedef struct
{
  char                  *event_id;    /* the event that recorded it */
  NigranSightingKind     kind;
  char                  *camera_id;
  gint64                 time_us;     /* first seen at this camera */
  gint64                 last_time_us; /* last seen there, in the same stay */
  char                  *label;       /* the identity's name or the plate as read; nullable */
  char                  *crop;        /* nullable: an image file */
  NigranTrackLinkSource  link_source; /* how it joined the track */
  double                 link_score;  /* 1 for identity, plate and manual links */
  char                  *confirmed_by; /* nullable: who confirmed the link */
} NigranTrackSighting;

#define NIGRAN_TYPE_TRACK (nigran_track_get_type ())
G_DECLARE_FINAL_TYPE (NigranTrack, nigran_track, NIGRAN, TRACK, GObject)

const char                *nigran_track_get_id            (NigranTrack *self);
const char                *nigran_track_get_label         (NigranTrack *self);
guint                      nigran_track_get_n_sightings   (NigranTrack *self);
const NigranTrackSighting *nigran_track_get_sighting      (NigranTrack *self,
                                                           guint        index);
const NigranTrackSighting *nigran_track_get_last_sighting (NigranTrack *self);
gboolean                   nigran_track_has_kind          (NigranTrack       *self,
                                                           NigranSightingKind kind);

const char                *nigran_track_link_source_to_string (NigranTrackLinkSource source);

G_END_DECLS
