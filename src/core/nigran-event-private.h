/* nigran-event-private.h: what the event log fills in when it appends or reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-event.h"

G_BEGIN_DECLS

/* The genesis link: what the first event's previous hash is. */
#define NIGRAN_EVENT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void         _nigran_event_stamp            (NigranEvent  *self,
                                             gint64        time_us,
                                             const char   *workstation,
                                             const char   *actor);
void         _nigran_event_chain            (NigranEvent  *self,
                                             gint64        sequence,
                                             const char   *previous_hash);
const char  *_nigran_event_get_subjects_text (NigranEvent *self);
NigranEvent *_nigran_event_new_stored       (gint64        sequence,
                                             const char   *uuid,
                                             gint64        time_us,
                                             const char   *workstation,
                                             const char   *actor,
                                             const char   *type,
                                             const char   *subjects_text,
                                             const char   *payload_json,
                                             const char   *payload_digest,
                                             const char   *previous_hash,
                                             const char   *hash);

G_END_DECLS
