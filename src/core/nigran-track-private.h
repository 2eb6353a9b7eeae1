/* nigran-track-private.h: what the tracks projection changes in a track
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-track.h"

G_BEGIN_DECLS

NigranTrack         *nigran_track_new            (const char          *id,
                                                  const char          *label);
void                 nigran_track_add_sighting   (NigranTrack         *self,
                                                  NigranTrackSighting *sighting);
GPtrArray           *nigran_track_steal_sightings (NigranTrack        *self);
NigranTrackSighting *nigran_track_find_sighting  (NigranTrack         *self,
                                                  const char          *event_id);
void                 nigran_track_sighting_free  (NigranTrackSighting *sighting);

G_END_DECLS
