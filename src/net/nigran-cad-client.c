/* nigran-cad-client.c: incidents and dispatches sent to a computer-aided-dispatch system
 *
 * The outbox lives in the event log. What is to be sent is recorded first ("cad.queued",
 * with the whole body); the client sends the oldest waiting message, and only once
 * the CAD has taken it (2xx) and "cad.delivered" is recorded does it send the next.
 * So messages arrive in order, a CAD that is down loses nothing (the client retries
 * with a growing delay, and after a restart the log still holds what waits), and a
 * message is not sent again once delivered. Every message carries its id as an
 * Idempotency-Key: should the console stop between the CAD's answer and the record,
 * the one message sent again can be recognised.
 *
 * The bodies are shaped after NENA's Emergency Incident Data Object (NENA-STA-021,
 * JSON): an incident component, a location component and, for a dispatch, an emergency
 * resource component. TLS certificates are verified (libsoup's default, against the
 * system's trust store); the bearer token comes from the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-cad-client.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#define REQUEST_TIMEOUT_S 15

typedef struct
{
  char  *message_id;
  GBytes *body;
} Waiting;

struct _NigranCadClient
{
  GObject              parent_instance;

  char                *url;
  char                *token;
  NigranCadRecordFunc  record;
  gpointer             record_data;
  SoupSession         *session;
  GCancellable        *cancellable;

  GQueue               waiting;      /* Waiting, oldest first */
  GHashTable          *done;         /* ids delivered or refused */
  gboolean             started;
  gboolean             in_flight;    /* sent, or its outcome not yet recorded */
  guint                retry_source;
  guint                attempts;
  guint                first_retry_ms;
  guint                last_retry_ms;
};

G_DEFINE_FINAL_TYPE (NigranCadClient, nigran_cad_client, G_TYPE_OBJECT)

static void
free_waiting (gpointer data)
{
  Waiting *waiting = data;

  g_free (waiting->message_id);
  g_bytes_unref (waiting->body);
  g_free (waiting);
}

static void
nigran_cad_client_dispose (GObject *object)
{
  NigranCadClient *self = NIGRAN_CAD_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  G_OBJECT_CLASS (nigran_cad_client_parent_class)->dispose (object);
}

static void
nigran_cad_client_finalize (GObject *object)
{
  NigranCadClient *self = NIGRAN_CAD_CLIENT (object);

  g_free (self->url);
  g_free (self->token);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->waiting, free_waiting);
  g_hash_table_unref (self->done);
  G_OBJECT_CLASS (nigran_cad_client_parent_class)->finalize (object);
}

static void
nigran_cad_client_class_init (NigranCadClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nigran_cad_client_dispose;
  object_class->finalize = nigran_cad_client_finalize;
}

static void
nigran_cad_client_init (NigranCadClient *self)
{
  g_queue_init (&self->waiting);
  self->done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->first_retry_ms = NIGRAN_CAD_CLIENT_DEFAULT_FIRST_RETRY_MS;
  self->last_retry_ms = NIGRAN_CAD_CLIENT_DEFAULT_LAST_RETRY_MS;
}

/**
 * nigran_cad_client_new:
 * @url: where to POST each message
 * @record: records the client's own events ("cad.delivered", "cad.refused")
 *
 * Feed it every event (nigran_cad_client_apply()), first those of the log, then
 * nigran_cad_client_start(), then new ones as they are committed.
 */
NigranCadClient *
nigran_cad_client_new (const char          *url,
                       NigranCadRecordFunc  record,
                       gpointer             user_data)
{
  NigranCadClient *self = g_object_new (NIGRAN_TYPE_CAD_CLIENT, NULL);

  self->url = g_strdup (url);
  self->record = record;
  self->record_data = user_data;
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_S,
                                                 "user-agent", "Nigran/" PACKAGE_VERSION " ", NULL);
  return self;
}

void
nigran_cad_client_set_token (NigranCadClient *self,
                             const char      *token)
{
  g_return_if_fail (NIGRAN_IS_CAD_CLIENT (self));
  g_free (self->token);
  self->token = g_strdup (token);
}

/* After a failure the client waits @first_ms, then twice as long each time, up to @last_ms. */
void
nigran_cad_client_set_retry_delays (NigranCadClient *self,
                                    guint            first_ms,
                                    guint            last_ms)
{
  g_return_if_fail (NIGRAN_IS_CAD_CLIENT (self));
  g_return_if_fail (first_ms > 0 && last_ms >= first_ms);
  self->first_retry_ms = first_ms;
  self->last_retry_ms = last_ms;
}

guint
nigran_cad_client_get_n_waiting (NigranCadClient *self)
{
  g_return_val_if_fail (NIGRAN_IS_CAD_CLIENT (self), 0);
  return self->waiting.length;
}

static void send_next (NigranCadClient *self);

static gboolean
retry (gpointer data)
{
  NigranCadClient *self = data;

  self->retry_source = 0;
  send_next (self);
  return G_SOURCE_REMOVE;
}

static void
retry_later (NigranCadClient *self,
             const char      *why)
{
  guint delay_ms = self->first_retry_ms;

  for (guint i = 0; i < self->attempts && delay_ms < self->last_retry_ms; i++)
    delay_ms *= 2;
  delay_ms = MIN (delay_ms, self->last_retry_ms);
  self->attempts++;
  g_message ("The CAD did not take message %s (%s); trying again in %u ms",
             ((Waiting *) g_queue_peek_head (&self->waiting))->message_id, why, delay_ms);
  self->retry_source = g_timeout_add (delay_ms, retry, self);
}

static NigranEvent *
outcome_event_new (const char *type,
                   const char *message_id,
                   guint       status,
                   const char *reason)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *subject = g_strconcat ("cad-message:", message_id, NULL);

  json_object_set_string_member (payload, "message_id", message_id);
  json_object_set_int_member (payload, "status", status);
  if (reason != NULL)
    json_object_set_string_member (payload, "reason", reason);
  return nigran_event_new (type, (const char * const[]) { subject, NULL }, payload);
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NigranCadClient) self = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranEvent) outcome = NULL;
  Waiting *head;
  guint status;

  response = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  head = g_queue_peek_head (&self->waiting);
  if (response == NULL)
    {
      self->in_flight = FALSE;
      retry_later (self, error->message);
      return;
    }
  status = soup_message_get_status (message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    outcome = outcome_event_new ("cad.delivered", head->message_id, status, NULL);
  else if (status >= 400 && status < 500 && status != 408 && status != 429 && status != 401 && status != 403)
    {
      /* The CAD will never take this one; sending it again would block all that follow. */
      g_autofree char *reason = g_strndup (g_bytes_get_data (response, NULL), MIN (g_bytes_get_size (response), 500));
      g_warning ("The CAD refused message %s with HTTP %u: %s", head->message_id, status, reason);
      outcome = outcome_event_new ("cad.refused", head->message_id, status, g_utf8_validate (reason, -1, NULL) ? reason : NULL);
    }
  else
    {
      g_autofree char *why = g_strdup_printf ("HTTP %u", status);

      self->in_flight = FALSE;
      retry_later (self, why);
      return;
    }
  self->attempts = 0;
  /* in_flight stays until the outcome comes back recorded. */
  self->record (outcome, self->record_data);
}

static void
send_next (NigranCadClient *self)
{
  g_autoptr(SoupMessage) message = NULL;
  Waiting *head;

  if (!self->started || self->in_flight || self->retry_source != 0 ||
      (head = g_queue_peek_head (&self->waiting)) == NULL)
    return;

  message = soup_message_new ("POST", self->url);
  if (message == NULL)
    {
      g_warning ("The CAD address “%s” is not a URL; nothing is sent", self->url);
      return;
    }
  soup_message_set_request_body_from_bytes (message, "application/json", head->body);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key", head->message_id);
  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  self->in_flight = TRUE;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, self->cancellable,
                                    on_sent_cb, g_object_ref (self));
}

void
nigran_cad_client_start (NigranCadClient *self)
{
  g_return_if_fail (NIGRAN_IS_CAD_CLIENT (self));
  self->started = TRUE;
  send_next (self);
}

void
nigran_cad_client_apply (NigranCadClient *self,
                         NigranEvent     *event)
{
  const char *type = nigran_event_get_event_type (event);
  const char *message_id;
  JsonObject *payload;

  g_return_if_fail (NIGRAN_IS_CAD_CLIENT (self));

  if (!g_str_has_prefix (type, "cad."))
    return;
  payload = nigran_event_get_payload (event);
  message_id = json_object_get_string_member_with_default (payload, "message_id", NULL);
  if (message_id == NULL)
    return;

  if (g_str_equal (type, "cad.queued"))
    {
      JsonNode *body = json_object_get_member (payload, "body");
      g_autofree char *text = NULL;
      Waiting *waiting;

      if (body == NULL || g_hash_table_contains (self->done, message_id))
        return;
      text = json_to_string (body, FALSE);
      waiting = g_new0 (Waiting, 1);
      waiting->message_id = g_strdup (message_id);
      waiting->body = g_bytes_new (text, strlen (text));
      g_queue_push_tail (&self->waiting, waiting);
      send_next (self);
    }
  else if (g_str_equal (type, "cad.delivered") || g_str_equal (type, "cad.refused"))
    {
      Waiting *head = g_queue_peek_head (&self->waiting);
      gboolean was_head = head != NULL && g_str_equal (head->message_id, message_id);

      g_hash_table_add (self->done, g_strdup (message_id));
      for (GList *l = self->waiting.head; l != NULL; l = l->next)
        if (g_str_equal (((Waiting *) l->data)->message_id, message_id))
          {
            free_waiting (l->data);
            g_queue_delete_link (&self->waiting, l);
            break;
          }
      if (!was_head)
        return;
      self->in_flight = FALSE;
      send_next (self);
    }
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (time);
}

static JsonObject *
component_new (const char *id,
               gint64      time_us)
{
  JsonObject *component = json_object_new ();
  g_autofree char *stamp = format_time (time_us);

  json_object_set_string_member (component, "$id", id);
  json_object_set_string_member (component, "lastUpdateTimeStamp", stamp);
  return component;
}

static void
add_component (JsonObject *eido,
               const char *name,
               JsonObject *component)
{
  JsonArray *array = json_array_new ();

  json_array_add_object_element (array, component);
  json_object_set_array_member (eido, name, array);
}

static JsonObject *
reference_new (const char *id)
{
  JsonObject *reference = json_object_new ();

  json_object_set_string_member (reference, "$ref", id);
  return reference;
}

/**
 * nigran_cad_client_queue_event_new:
 * @incident_event: a committed "incident.opened" or "incident.dispatched"
 * @incident: the incident as it stands after @incident_event
 *
 * Returns: (transfer full) (nullable): the "cad.queued" event that puts the incident's
 * EIDO in the outbox; NULL for other events
 */
NigranEvent *
nigran_cad_client_queue_event_new (NigranEvent    *incident_event,
                                   NigranIncident *incident)
{
  const char *type = nigran_event_get_event_type (incident_event);
  gint64 time_us = nigran_event_get_time_us (incident_event);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(JsonObject) eido = json_object_new ();
  g_autofree char *message_id = g_strdup (nigran_event_get_uuid (incident_event));
  g_autofree char *incident_urn = g_strdup_printf ("urn:emergency:uid:incidentid:%s:nigran", nigran_incident_get_id (incident));
  g_autofree char *location_id = g_strdup_printf ("%s:location", incident_urn);
  g_autofree char *stamp = format_time (time_us);
  g_autofree char *subject = g_strconcat ("incident:", nigran_incident_get_id (incident), NULL);
  JsonObject *component;
  JsonArray *array;

  if (!g_str_equal (type, "incident.opened") && !g_str_equal (type, "incident.dispatched"))
    return NULL;

  json_object_set_string_member (eido, "$id", incident_urn);
  json_object_set_string_member (eido, "eidoVersion", "1.0");
  json_object_set_string_member (eido, "lastUpdateTimeStamp", stamp);
  json_object_set_string_member (eido, "issuingElementIdentification", "nigran");

  component = component_new (incident_urn, time_us);
  array = json_array_new ();
  json_array_add_string_element (array, nigran_incident_get_type_code (incident));
  json_object_set_array_member (component, "incidentTypeCommonRegistryText", array);
  json_object_set_string_member (component, "incidentTypeInternalText", nigran_incident_get_title (incident));
  json_object_set_string_member (component, "incidentStatusInternalText",
                                 g_str_equal (type, "incident.opened") ? "created" : "dispatched");
  json_object_set_string_member (component, "internalIncidentId", nigran_incident_get_id (incident));
  json_object_set_int_member (component, "incidentPriority", nigran_incident_get_priority (incident));
  array = json_array_new ();
  json_array_add_object_element (array, reference_new (location_id));
  json_object_set_array_member (component, "locationReference", array);
  add_component (eido, "incidentComponent", component);

  if (isfinite (nigran_incident_get_latitude (incident)))
    {
      char latitude[G_ASCII_DTOSTR_BUF_SIZE], longitude[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *geo = NULL;

      /* A geo URI's decimal point is ".", whatever the locale. */
      g_ascii_formatd (latitude, sizeof latitude, "%.6f", nigran_incident_get_latitude (incident));
      g_ascii_formatd (longitude, sizeof longitude, "%.6f", nigran_incident_get_longitude (incident));
      geo = g_strdup_printf ("geo:%s,%s", latitude, longitude);
      component = component_new (location_id, time_us);
      json_object_set_string_member (component, "locationTypeDescriptionRegistryText", "IncidentLocation");
      json_object_set_string_member (component, "locationByValue", geo);
      add_component (eido, "locationComponent", component);
    }

  if (g_str_equal (type, "incident.dispatched"))
    {
      JsonObject *dispatched = nigran_event_get_payload (incident_event);
      const char *call_sign = nigran_event_find_subject (incident_event, "unit");
      g_autofree char *resource_id = g_strdup_printf ("%s:unit:%s", incident_urn, call_sign);

      component = component_new (resource_id, time_us);
      json_object_set_string_member (component, "emergencyResourceName", call_sign);
      json_object_set_string_member (component, "emergencyResourceTypeInternalText",
                                     json_object_get_string_member_with_default (dispatched, "unit_kind", ""));
      json_object_set_string_member (component, "primaryUnitStatusRegistryText", "Dispatched");
      if (json_object_has_member (dispatched, "packet"))
        json_object_set_member (component, "nigranEvidencePacket",
                                json_node_copy (json_object_get_member (dispatched, "packet")));
      add_component (eido, "emergencyResourceComponent", component);
    }

  json_object_set_string_member (payload, "message_id", message_id);
  json_object_set_string_member (payload, "incident_id", nigran_incident_get_id (incident));
  json_object_set_object_member (payload, "body", g_steal_pointer (&eido));
  return nigran_event_new ("cad.queued", (const char * const[]) { subject, NULL }, payload);
}
