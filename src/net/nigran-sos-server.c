/* nigran-sos-server.c: the SOS and AVL intake, an HTTP server in the console
 *
 *   POST /v1/sos  application/json             an SOS from a registered site
 *   POST /v1/cap  application/cap+xml, …/xml   the same as a CAP 1.2 alert
 *   POST /v1/avl  application/json             a unit's position and status
 *
 * Each request carries "Authorization: Bearer TOKEN": a site's token (site file,
 * "dispatch.sos") for the first two, the AVL feed's for the last.
 *
 * The server runs on a thread of its own with its own main context, so that a flood of
 * requests or a slow client never reaches the console's main loop: only the events of
 * accepted requests do. A request is refused as early as possible: per-source rate
 * limit, path and method, token, then size (from its headers, before the body is read),
 * then content type, then the body's schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-sos-server.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "core/nigran-alert.h"
#include "core/nigran-incidents.h"
#include "core/nigran-plate-sightings.h"
#include "core/nigran-units.h"
#include "nigran-sos-request.h"

/* An SOS opens the nearest cameras on the wall. */
#define N_NEAREST_CAMERAS 4
/* Sources remembered for rate limiting; past this the quietest are forgotten. */
#define MAX_SOURCES 4096
#define AVL_MAX_BODY 4096

typedef struct
{
  char   *site_id;
  char   *site_name;
  char   *token;
  double  latitude;
  double  longitude;
} SosSite;

typedef struct
{
  double tokens;
  gint64 refilled_us;
} Bucket;

/* What the main context's side needs, kept alive by whichever side lets go last. */
typedef struct
{
  NigranIntakeFunc  intake;
  gpointer          user_data;
  gint              stopped;
} Delivery;

struct _NigranSosServer
{
  GObject       parent_instance;

  GMainContext *main_context;
  Delivery     *delivery;

  /* Read-only once the thread runs. */
  NigranSiteFile *site_file;  /* its zones and cameras */
  GPtrArray    *sites;     /* SosSite */
  GHashTable   *units;     /* call sign → itself */
  char         *avl_token;

  /* The server thread's alone. */
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GHashTable   *buckets;   /* source address → Bucket */
  GSocket      *socket;

  GThread      *thread;
  guint16       port;
  double        burst;
  double        per_second;
};

G_DEFINE_FINAL_TYPE (NigranSosServer, nigran_sos_server, G_TYPE_OBJECT)

static void
free_sos_site (gpointer data)
{
  SosSite *site = data;

  g_free (site->site_id);
  g_free (site->site_name);
  g_free (site->token);
  g_free (site);
}

static void
delivery_release (Delivery *delivery)
{
  g_atomic_rc_box_release (delivery);
}

static void
nigran_sos_server_finalize (GObject *object)
{
  NigranSosServer *self = NIGRAN_SOS_SERVER (object);

  nigran_sos_server_stop (self);
  delivery_release (self->delivery);
  g_main_context_unref (self->main_context);
  g_object_unref (self->site_file);
  g_ptr_array_unref (self->sites);
  g_hash_table_unref (self->units);
  g_free (self->avl_token);
  G_OBJECT_CLASS (nigran_sos_server_parent_class)->finalize (object);
}

static void
nigran_sos_server_class_init (NigranSosServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_sos_server_finalize;
}

static void
nigran_sos_server_init (NigranSosServer *self)
{
  self->sites = g_ptr_array_new_with_free_func (free_sos_site);
  self->units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->burst = NIGRAN_SOS_SERVER_BURST;
  self->per_second = NIGRAN_SOS_SERVER_PER_SECOND;
}

/**
 * nigran_sos_server_new:
 * @intake: called on the calling thread's main context with each accepted request's events
 *
 * Copies the registered sites, their tokens and the units of @site_file, and keeps it
 * for its zones and cameras. Nothing listens until nigran_sos_server_listen().
 */
NigranSosServer *
nigran_sos_server_new (NigranSiteFile   *site_file,
                       NigranIntakeFunc  intake,
                       gpointer          user_data)
{
  NigranSosServer *self = g_object_new (NIGRAN_TYPE_SOS_SERVER, NULL);
  GPtrArray *registrations = nigran_site_file_get_sos_registrations (site_file);
  GListModel *units = nigran_site_file_get_units (site_file);

  self->main_context = g_main_context_ref_thread_default ();
  self->site_file = g_object_ref (site_file);
  self->delivery = g_atomic_rc_box_new0 (Delivery);
  self->delivery->intake = intake;
  self->delivery->user_data = user_data;

  for (guint i = 0; i < registrations->len; i++)
    {
      NigranSosRegistration *registration = registrations->pdata[i];
      NigranSite *site = nigran_site_file_lookup_site (site_file, registration->site_id);
      SosSite *copy = g_new0 (SosSite, 1);

      copy->site_id = g_strdup (registration->site_id);
      copy->site_name = g_strdup (nigran_site_get_name (site));
      copy->token = g_strdup (registration->token);
      copy->latitude = nigran_site_get_latitude (site);
      copy->longitude = nigran_site_get_longitude (site);
      g_ptr_array_add (self->sites, copy);
    }
  for (guint i = 0; i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr(NigranUnit) unit = g_list_model_get_item (units, i);
      char *call_sign = g_strdup (nigran_unit_get_call_sign (unit));

      g_hash_table_insert (self->units, call_sign, call_sign);
    }
  self->avl_token = g_strdup (nigran_site_file_get_avl_token (site_file));
  return self;
}

/* --- on the server's thread ---------------------------------------------------------- */

static void
reply (SoupServerMessage *message,
       guint              status,
       JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);
  g_autofree char *body = json_to_string (root, FALSE);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
refuse (SoupServerMessage *message,
        guint              status,
        const char        *why)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", why);
  reply (message, status, object);
}

static gboolean
take_token (NigranSosServer   *self,
            SoupServerMessage *message)
{
  const char *source = soup_server_message_get_remote_host (message);
  gint64 now_us = g_get_monotonic_time ();
  Bucket *bucket;

  if (source == NULL)
    source = "";
  bucket = g_hash_table_lookup (self->buckets, source);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->buckets) >= MAX_SOURCES)
        g_hash_table_remove_all (self->buckets);
      bucket = g_new (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->refilled_us = now_us;
      g_hash_table_insert (self->buckets, g_strdup (source), bucket);
    }
  bucket->tokens = MIN (self->burst, bucket->tokens + (now_us - bucket->refilled_us) * self->per_second / 1e6);
  bucket->refilled_us = now_us;
  if (bucket->tokens < 1)
    return FALSE;
  bucket->tokens -= 1;
  return TRUE;
}

/* Compares in time independent of where the strings differ, so that timing does not
 * reveal how much of a guessed token was right. */
static gboolean
tokens_equal (const char *given,
              const char *known)
{
  gsize given_length = strlen (given), known_length = strlen (known);
  guint8 difference = given_length != known_length;

  for (gsize i = 0; i < known_length; i++)
    difference |= (guint8) (known[i] ^ given[i < given_length ? i : 0]);
  return difference == 0;
}

static const char *
bearer_token (SoupServerMessage *message)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  return header + 7;
}

static void
on_got_chunk (SoupServerMessage *message,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  gsize limit = GPOINTER_TO_SIZE (user_data);

  if (body->length > (goffset) limit)
    {
      soup_message_body_set_accumulate (body, FALSE);
      soup_message_body_truncate (body);
      g_object_set_data (G_OBJECT (message), "nigran-too-large", GINT_TO_POINTER (TRUE));
    }
}

/* After the headers: everything that can be refused without reading the body. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  NigranSosServer *self = user_data;
  gboolean is_avl = g_str_equal (path, "/v1/avl");
  const char *token;
  goffset length;
  gsize limit = is_avl ? AVL_MAX_BODY : g_str_equal (path, "/v1/cap") ? NIGRAN_SOS_MAX_CAP : NIGRAN_SOS_MAX_JSON;

  if (!take_token (self, message))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Retry-After", "1");
      refuse (message, 429, "too many requests from this address; try again in a second");
      return;
    }
  if (!g_str_equal (path, "/v1/sos") && !g_str_equal (path, "/v1/cap") && !is_avl)
    {
      refuse (message, SOUP_STATUS_NOT_FOUND, "no such endpoint; the endpoints are /v1/sos, /v1/cap and /v1/avl");
      return;
    }
  if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow", "POST");
      refuse (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "only POST is accepted");
      return;
    }

  token = bearer_token (message);
  if (token != NULL && is_avl && self->avl_token != NULL && tokens_equal (token, self->avl_token))
    g_object_set_data (G_OBJECT (message), "nigran-avl", GINT_TO_POINTER (TRUE));
  for (guint i = 0; token != NULL && !is_avl && i < self->sites->len; i++)
    {
      SosSite *site = self->sites->pdata[i];

      if (tokens_equal (token, site->token))
        g_object_set_data (G_OBJECT (message), "nigran-site", site);
    }
  if (g_object_get_data (G_OBJECT (message), "nigran-site") == NULL &&
      g_object_get_data (G_OBJECT (message), "nigran-avl") == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "WWW-Authenticate",
                                    token == NULL ? "Bearer realm=\"nigran\"" : "Bearer realm=\"nigran\", error=\"invalid_token\"");
      refuse (message, SOUP_STATUS_UNAUTHORIZED,
              token == NULL ? "an “Authorization: Bearer …” header with the site’s token is required"
                            : "the token is not registered for this endpoint");
      return;
    }

  length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (message));
  if (length > (goffset) limit)
    {
      g_autofree char *why = g_strdup_printf ("the body may be at most %" G_GSIZE_FORMAT " bytes", limit);
      refuse (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, why);
      return;
    }
  /* A chunked body says no length up front: count it as it comes. */
  g_signal_connect (message, "got-chunk", G_CALLBACK (on_got_chunk), GSIZE_TO_POINTER (limit));
}

static gboolean
content_type_is (SoupServerMessage  *message,
                 const char * const *types)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (message), NULL);

  return type != NULL && g_strv_contains (types, type);
}

/* The events of an accepted SOS: the call as received, the alert operators see and the
 * incident it opens. */
static GPtrArray *
sos_events_new (NigranSosServer        *self,
                const SosSite          *site,
                const NigranSosRequest *request,
                const char             *format,
                const char             *source,
                const char             *incident_id)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *incident_subject = g_strconcat ("incident:", incident_id, NULL);
  g_autofree char *site_subject = g_strconcat ("site:", site->site_id, NULL);
  g_autofree char *title = g_strdup_printf ("SOS: %s", site->site_name);
  double latitude = request->has_position ? request->latitude : site->latitude;
  double longitude = request->has_position ? request->longitude : site->longitude;
  g_auto(GStrv) cameras = nigran_site_file_dup_nearest_cameras (self->site_file, latitude, longitude,
                                                                N_NEAREST_CAMERAS);
  NigranAlertSpec alert = { 0 };
  NigranIncidentSpec incident = { 0 };
  NigranEvent *alert_event;

  json_object_set_string_member (payload, "incident_id", incident_id);
  json_object_set_string_member (payload, "site", site->site_id);
  json_object_set_string_member (payload, "format", format);
  json_object_set_string_member (payload, "source_address", source);
  json_object_set_double_member (payload, "latitude", latitude);
  json_object_set_double_member (payload, "longitude", longitude);
  if (request->type != NULL)
    json_object_set_string_member (payload, "type", request->type);
  if (request->message != NULL)
    json_object_set_string_member (payload, "message", request->message);
  if (request->caller != NULL)
    json_object_set_string_member (payload, "caller", request->caller);
  if (request->people >= 0)
    json_object_set_int_member (payload, "people", request->people);
  if (request->sent_us > 0)
    json_object_set_int_member (payload, "sent_us", request->sent_us);
  if (request->cap_identifier != NULL)
    json_object_set_string_member (payload, "cap_identifier", request->cap_identifier);
  if (request->cap_sender != NULL)
    json_object_set_string_member (payload, "cap_sender", request->cap_sender);
  g_ptr_array_add (events, nigran_event_new ("sos.received",
                                             (const char * const[]) { incident_subject, site_subject, NULL },
                                             payload));

  alert.source = "sos";
  alert.kind = "sos";
  alert.priority = NIGRAN_ALERT_PRIORITY_CRITICAL;
  alert.title = title;
  alert.detail = request->message;
  alert.camera_id = cameras[0];
  alert.site_id = site->site_id;
  alert.score = -1;
  alert.frame_age_ms = -1;
  alert.tone = "siren";
  alert_event = nigran_alert_raised_event_new (&alert);
  g_ptr_array_add (events, alert_event);

  incident.id = incident_id;
  incident.type = request->type != NULL ? request->type : "ALRPANS";
  incident.title = title;
  incident.priority = 1;
  incident.source = "sos";
  incident.latitude = latitude;
  incident.longitude = longitude;
  incident.zone_id = nigran_site_file_find_zone (self->site_file, latitude, longitude);
  incident.alert_id = nigran_event_find_subject (alert_event, "alert");
  incident.sos_site = site->site_id;
  incident.camera_ids = (const char * const *) cameras;
  incident.notes = request->message;
  g_ptr_array_add (events, nigran_incidents_opened_event_new (&incident));
  return events;
}

typedef struct
{
  Delivery  *delivery;
  GPtrArray *events;
  char      *actor;
} Accepted;

static void
free_accepted (gpointer data)
{
  Accepted *accepted = data;

  delivery_release (accepted->delivery);
  g_ptr_array_unref (accepted->events);
  g_free (accepted->actor);
  g_free (accepted);
}

static gboolean
deliver (gpointer data)
{
  Accepted *accepted = data;

  if (!g_atomic_int_get (&accepted->delivery->stopped))
    accepted->delivery->intake (accepted->events, accepted->actor, accepted->delivery->user_data);
  return G_SOURCE_REMOVE;
}

static void
hand_over (NigranSosServer *self,
           GPtrArray       *events,
           const char      *actor)
{
  Accepted *accepted = g_new0 (Accepted, 1);

  accepted->delivery = g_atomic_rc_box_acquire (self->delivery);
  accepted->events = events;
  accepted->actor = g_strdup (actor);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, deliver, accepted, free_accepted);
}

static void
handle_avl (NigranSosServer   *self,
            SoupServerMessage *message,
            GBytes            *body)
{
  static const char * const json_types[] = { "application/json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  const char *call_sign, *status_name;
  NigranUnitStatus status;
  JsonObject *object;
  JsonNode *root;
  double latitude, longitude;

  if (!content_type_is (message, json_types))
    {
      refuse (message, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
      return;
    }
  if (!nigran_json_nesting_within (data, length, 4) ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      refuse (message, SOUP_STATUS_BAD_REQUEST, "the body must be a JSON object");
      return;
    }
  object = json_node_get_object (root);
  call_sign = json_object_get_string_member_with_default (object, "call_sign", NULL);
  if (call_sign == NULL || !g_hash_table_contains (self->units, call_sign))
    {
      refuse (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "“call_sign” must name a registered unit");
      return;
    }
  latitude = json_object_get_double_member_with_default (object, "latitude", NAN);
  longitude = json_object_get_double_member_with_default (object, "longitude", NAN);
  if (isfinite (latitude) && isfinite (longitude) && fabs (latitude) <= 90 && fabs (longitude) <= 180)
    g_ptr_array_add (events, nigran_units_position_event_new (call_sign, latitude, longitude));
  else if (json_object_has_member (object, "latitude") || json_object_has_member (object, "longitude"))
    {
      refuse (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "“latitude” and “longitude” must be a position on Earth");
      return;
    }
  status_name = json_object_get_string_member_with_default (object, "status", NULL);
  if (status_name != NULL)
    {
      if (!nigran_unit_status_from_string (status_name, &status))
        {
          refuse (message, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                  "“status” is one of available, dispatched, en-route, on-scene, returning, off-duty");
          return;
        }
      g_ptr_array_add (events, nigran_units_status_event_new (call_sign, status, NULL));
    }
  if (events->len == 0)
    {
      refuse (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "give a position, a status or both");
      return;
    }
  hand_over (self, g_steal_pointer (&events), "avl");
  {
    g_autoptr(JsonObject) answer = json_object_new ();

    json_object_set_string_member (answer, "status", "recorded");
    reply (message, SOUP_STATUS_ACCEPTED, answer);
  }
}

static void
handler (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  static const char * const json_types[] = { "application/json", NULL };
  static const char * const cap_types[] = { "application/cap+xml", "application/xml", "text/xml", NULL };
  NigranSosServer *self = user_data;
  SosSite *site = g_object_get_data (G_OBJECT (message), "nigran-site");
  gboolean is_cap = g_str_equal (path, "/v1/cap");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(NigranSosRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *incident_id = NULL;
  g_autofree char *actor = NULL;
  const char *data;
  gsize length;

  if (g_object_get_data (G_OBJECT (message), "nigran-too-large"))
    {
      refuse (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "the body is too large");
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  if (g_object_get_data (G_OBJECT (message), "nigran-avl"))
    {
      handle_avl (self, message, body);
      return;
    }
  if (!content_type_is (message, is_cap ? cap_types : json_types))
    {
      refuse (message, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
              is_cap ? "the body must be application/cap+xml" : "the body must be application/json");
      return;
    }
  data = g_bytes_get_data (body, &length);
  request = is_cap ? nigran_sos_request_parse_cap (data, length, &error)
                   : nigran_sos_request_parse_json (data, length, &error);
  if (request == NULL)
    {
      refuse (message, g_error_matches (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_TOO_LARGE)
                       ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }

  incident_id = g_uuid_string_random ();
  actor = g_strconcat ("sos:", site->site_id, NULL);
  hand_over (self, sos_events_new (self, site, request, is_cap ? "cap" : "json",
                                   soup_server_message_get_remote_host (message), incident_id), actor);
  {
    g_autoptr(JsonObject) answer = json_object_new ();

    json_object_set_string_member (answer, "incident_id", incident_id);
    json_object_set_string_member (answer, "status", "received");
    reply (message, SOUP_STATUS_CREATED, answer);
  }
}

static gpointer
serve (gpointer data)
{
  NigranSosServer *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let the connections just closed release their sources. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * nigran_sos_server_listen:
 * @address: "HOST:PORT"; port 0 picks a free one (see nigran_sos_server_get_port())
 * @certificate: (nullable): serve HTTPS with it; without, plain HTTP (keep that on loopback)
 */
gboolean
nigran_sos_server_listen (NigranSosServer  *self,
                          const char       *address,
                          GTlsCertificate  *certificate,
                          GError          **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (NIGRAN_IS_SOS_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  connectable = g_network_address_parse (address, 0, error);
  if (connectable == NULL)
    return FALSE;
  enumerator = g_socket_connectable_enumerate (connectable);
  /* A literal address or "localhost": no DNS query waits here. */
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (socket_address == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” names no address", address);
      return FALSE;
    }
  socket = g_socket_new (g_socket_address_get_family (socket_address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("server-header", "nigran-sos ", "tls-certificate", certificate, NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  if (!soup_server_listen_socket (self->server, socket, certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_main_context_pop_thread_default (self->context);
      g_clear_object (&self->server);
      return FALSE;
    }
  g_main_context_pop_thread_default (self->context);
  self->socket = g_steal_pointer (&socket);
  self->thread = g_thread_new ("nigran-sos", serve, self);
  return TRUE;
}

/* Before listening: each source may send @burst requests at once, then @per_second. */
void
nigran_sos_server_set_rate_limit (NigranSosServer *self,
                                  guint            burst,
                                  guint            per_second)
{
  g_return_if_fail (NIGRAN_IS_SOS_SERVER (self));
  g_return_if_fail (self->thread == NULL && burst > 0);
  self->burst = burst;
  self->per_second = per_second;
}

guint16
nigran_sos_server_get_port (NigranSosServer *self)
{
  g_return_val_if_fail (NIGRAN_IS_SOS_SERVER (self), 0);
  return self->port;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Stops listening; requests accepted but not yet delivered are dropped with it. */
void
nigran_sos_server_stop (NigranSosServer *self)
{
  g_return_if_fail (NIGRAN_IS_SOS_SERVER (self));

  g_atomic_int_set (&self->delivery->stopped, TRUE);
  if (self->thread == NULL)
    return;
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_object (&self->socket);
}
