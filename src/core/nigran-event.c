/* nigran-event.c: one immutable fact or decision in the event log
 *
 * An event is made with its type, the things it is about ("camera:cam-07",
 * "alert:…") and a JSON payload. The log stamps it (time from the clock, workstation,
 * actor) and chains it: sequence number, previous hash, hash. From then on nothing
 * changes it.
 *
 * The chain hashes a digest of the payload rather than the payload, so that retention
 * can erase a payload and leave its digest, and the chain still verifies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "nigran-event-private.h"

struct _NigranEvent
{
  GObject     parent_instance;

  char       *uuid;
  gint64      sequence;        /* 0 until appended */
  gint64      time_us;
  char       *workstation;
  char       *actor;
  char       *type;
  GStrv       subjects;
  char       *subjects_text;   /* subjects joined by newlines, as stored and hashed */
  char       *payload_json;    /* NULL once erased by retention */
  JsonObject *payload;         /* parsed on first use */
  char       *payload_digest;
  char       *previous_hash;
  char       *hash;
};

G_DEFINE_FINAL_TYPE (NigranEvent, nigran_event, G_TYPE_OBJECT)

static GPrivate thread_parser = G_PRIVATE_INIT (g_object_unref);

static char *
serialize_payload (JsonObject *payload)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, payload);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
nigran_event_finalize (GObject *object)
{
  NigranEvent *self = NIGRAN_EVENT (object);

  g_free (self->uuid);
  g_free (self->workstation);
  g_free (self->actor);
  g_free (self->type);
  g_strfreev (self->subjects);
  g_free (self->subjects_text);
  g_free (self->payload_json);
  g_clear_pointer (&self->payload, json_object_unref);
  g_free (self->payload_digest);
  g_free (self->previous_hash);
  g_free (self->hash);

  G_OBJECT_CLASS (nigran_event_parent_class)->finalize (object);
}

static void
nigran_event_class_init (NigranEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_event_finalize;
}

static void
nigran_event_init (NigranEvent *self)
{
}

/**
 * nigran_event_new:
 * @type: what happened, as "noun.verb": "alert.raised", "camera.offline"
 * @subjects: (nullable): what it is about, each "kind:id"
 * @payload: (nullable): the details
 *
 * Returns: (transfer full): an event not yet appended to any log
 */
NigranEvent *
nigran_event_new (const char         *type,
                  const char * const *subjects,
                  JsonObject         *payload)
{
  NigranEvent *self;

  g_return_val_if_fail (type != NULL && *type != '\0', NULL);
  for (guint i = 0; subjects != NULL && subjects[i] != NULL; i++)
    g_return_val_if_fail (strchr (subjects[i], ':') != NULL && strchr (subjects[i], '\n') == NULL, NULL);

  self = g_object_new (NIGRAN_TYPE_EVENT, NULL);
  self->uuid = g_uuid_string_random ();
  self->type = g_strdup (type);
  self->subjects = g_strdupv ((GStrv)(subjects ? subjects : (const char * const[]) { NULL }));
  self->subjects_text = g_strjoinv ("\n", self->subjects);
  self->payload = payload ? json_object_ref (payload) : json_object_new ();
  self->payload_json = serialize_payload (self->payload);
  self->payload_digest = nigran_event_digest_payload (self->payload_json);
  return self;
}

NigranEvent *
_nigran_event_new_stored (gint64      sequence,
                          const char *uuid,
                          gint64      time_us,
                          const char *workstation,
                          const char *actor,
                          const char *type,
                          const char *subjects_text,
                          const char *payload_json,
                          const char *payload_digest,
                          const char *previous_hash,
                          const char *hash)
{
  NigranEvent *self = g_object_new (NIGRAN_TYPE_EVENT, NULL);

  self->sequence = sequence;
  self->uuid = g_strdup (uuid);
  self->time_us = time_us;
  self->workstation = g_strdup (workstation);
  self->actor = g_strdup (actor);
  self->type = g_strdup (type);
  self->subjects_text = g_strdup (subjects_text ? subjects_text : "");
  self->subjects = *self->subjects_text ? g_strsplit (self->subjects_text, "\n", -1) : g_new0 (char *, 1);
  self->payload_json = g_strdup (payload_json);
  self->payload_digest = g_strdup (payload_digest);
  self->previous_hash = g_strdup (previous_hash);
  self->hash = g_strdup (hash);
  return self;
}

void
_nigran_event_stamp (NigranEvent *self,
                     gint64       time_us,
                     const char  *workstation,
                     const char  *actor)
{
  g_return_if_fail (self->sequence == 0);

  self->time_us = time_us;
  g_free (self->workstation);
  self->workstation = g_strdup (workstation);
  g_free (self->actor);
  self->actor = g_strdup (actor);
}

void
_nigran_event_chain (NigranEvent *self,
                     gint64       sequence,
                     const char  *previous_hash)
{
  g_free (self->previous_hash);
  g_free (self->hash);
  self->sequence = sequence;
  self->previous_hash = g_strdup (previous_hash);
  self->hash = nigran_event_compute_hash (previous_hash, sequence, self->time_us,
                                          self->workstation, self->actor, self->type,
                                          self->uuid, self->subjects_text, self->payload_digest);
}

const char *
_nigran_event_get_subjects_text (NigranEvent *self)
{
  return self->subjects_text;
}

const char *nigran_event_get_uuid (NigranEvent *self) { return self->uuid; }
gint64 nigran_event_get_sequence (NigranEvent *self) { return self->sequence; }
gint64 nigran_event_get_time_us (NigranEvent *self) { return self->time_us; }
const char *nigran_event_get_workstation (NigranEvent *self) { return self->workstation; }
const char *nigran_event_get_actor (NigranEvent *self) { return self->actor; }
const char *nigran_event_get_event_type (NigranEvent *self) { return self->type; }
const char * const *nigran_event_get_subjects (NigranEvent *self) { return (const char * const *)self->subjects; }
const char *nigran_event_get_payload_json (NigranEvent *self) { return self->payload_json; }
const char *nigran_event_get_payload_digest (NigranEvent *self) { return self->payload_digest; }
const char *nigran_event_get_previous_hash (NigranEvent *self) { return self->previous_hash; }
const char *nigran_event_get_hash (NigranEvent *self) { return self->hash; }

/* The id of the first subject of @kind ("camera", "alert"), or NULL. */
const char *
nigran_event_find_subject (NigranEvent *self,
                           const char  *kind)
{
  gsize kind_length = strlen (kind);

  for (guint i = 0; self->subjects[i] != NULL; i++)
    if (strncmp (self->subjects[i], kind, kind_length) == 0 && self->subjects[i][kind_length] == ':')
      return self->subjects[i] + kind_length + 1;
  return NULL;
}

/**
 * nigran_event_get_payload:
 *
 * Returns: (transfer none): the payload; empty when retention erased it or it does
 *   not parse. Parsed on first use, so call it from one thread only.
 */
JsonObject *
nigran_event_get_payload (NigranEvent *self)
{
  JsonParser *parser;
  JsonNode *root;

  if (self->payload != NULL)
    return self->payload;

  /* Most decisions carry no details: no parser for them. */
  if (self->payload_json == NULL || g_str_equal (self->payload_json, "{}"))
    return self->payload = json_object_new ();

  /* One parser per thread: making one costs as much as a small payload's parse. */
  parser = g_private_get (&thread_parser);
  if (parser == NULL)
    {
      parser = json_parser_new_immutable ();
      g_private_set (&thread_parser, parser);
    }
  if (json_parser_load_from_data (parser, self->payload_json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    self->payload = json_object_ref (json_node_get_object (root));
  else
    self->payload = json_object_new ();
  return self->payload;
}

char *
nigran_event_digest_payload (const char *payload_json)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload_json ? payload_json : "", -1);
}

static void
checksum_add_field (GChecksum  *checksum,
                    const char *field)
{
  /* NUL-terminated fields, so that moving bytes from one field to the next changes
   * the hash. */
  field = field ? field : "";
  g_checksum_update (checksum, (const guchar *)field, strlen (field) + 1);
}

char *
nigran_event_compute_hash (const char *previous_hash,
                           gint64      sequence,
                           gint64      time_us,
                           const char *workstation,
                           const char *actor,
                           const char *type,
                           const char *uuid,
                           const char *subjects_text,
                           const char *payload_digest)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];

  checksum_add_field (checksum, previous_hash);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, sequence);
  checksum_add_field (checksum, number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, time_us);
  checksum_add_field (checksum, number);
  checksum_add_field (checksum, workstation);
  checksum_add_field (checksum, actor);
  checksum_add_field (checksum, type);
  checksum_add_field (checksum, uuid);
  checksum_add_field (checksum, subjects_text);
  checksum_add_field (checksum, payload_digest);
  return g_strdup (g_checksum_get_string (checksum));
}
