/* nigran-event.h: one immutable fact or decision in the event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NIGRAN_TYPE_EVENT (nigran_event_get_type ())
G_DECLARE_FINAL_TYPE (NigranEvent, nigran_event, NIGRAN, EVENT, GObject)

/* Length of a SHA-256 in hexadecimal, as the chain stores it. */
#define NIGRAN_EVENT_HASH_LENGTH 64

NigranEvent        *nigran_event_new               (const char         *type,
                                                    const char * const *subjects,
                                                    JsonObject         *payload);
const char         *nigran_event_get_uuid          (NigranEvent        *self);
gint64              nigran_event_get_sequence      (NigranEvent        *self);
gint64              nigran_event_get_time_us       (NigranEvent        *self);
const char         *nigran_event_get_workstation   (NigranEvent        *self);
const char         *nigran_event_get_actor         (NigranEvent        *self);
const char         *nigran_event_get_event_type    (NigranEvent        *self);
const char * const *nigran_event_get_subjects      (NigranEvent        *self);
const char         *nigran_event_find_subject      (NigranEvent        *self,
                                                    const char         *kind);
const char         *nigran_event_get_payload_json  (NigranEvent        *self);
JsonObject         *nigran_event_get_payload       (NigranEvent        *self);
const char         *nigran_event_get_payload_digest (NigranEvent       *self);
const char         *nigran_event_get_previous_hash (NigranEvent        *self);
const char         *nigran_event_get_hash          (NigranEvent        *self);

char               *nigran_event_compute_hash      (const char         *previous_hash,
                                                    gint64              sequence,
                                                    gint64              time_us,
                                                    const char         *workstation,
                                                    const char         *actor,
                                                    const char         *type,
                                                    const char         *uuid,
                                                    const char         *subjects_text,
                                                    const char         *payload_digest);
char               *nigran_event_digest_payload    (const char         *payload_json);

G_END_DECLS
