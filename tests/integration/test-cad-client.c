/* test-cad-client.c: incidents reach a CAD on 127.0.0.1 in order, once, through outages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "core/nigran-incidents.h"
#include "net/nigran-cad-client.h"
#include "store/nigran-event-log.h"
#include "test-utils.h"

typedef struct
{
  SoupServer *server;
  GPtrArray  *received;   /* the incident ids and statuses, as the CAD got them */
  GHashTable *keys;       /* Idempotency-Key → times seen */
} Cad;

static void
cad_handler (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Cad *cad = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Idempotency-Key");
  JsonObject *eido, *incident;

  g_assert_cmpstr (soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Authorization"), ==,
                   "Bearer cad-secret");
  g_assert_true (json_parser_load_from_data (parser, body->data, body->length, NULL));
  eido = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (eido, "eidoVersion"), ==, "1.0");
  incident = json_array_get_object_element (json_object_get_array_member (eido, "incidentComponent"), 0);
  g_ptr_array_add (cad->received, g_strdup_printf ("%s %s", json_object_get_string_member (incident, "internalIncidentId"),
                                                   json_object_get_string_member (incident, "incidentStatusInternalText")));
  g_hash_table_insert (cad->keys, g_strdup (key), GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (cad->keys, key)) + 1));
  soup_server_message_set_status (message, SOUP_STATUS_CREATED, NULL);
}

static void
record_event (NigranEvent *event,
              gpointer     user_data)
{
  nigran_event_log_append_async (user_data, event, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

typedef struct
{
  NigranCadClient *client;
  NigranIncidents *incidents;
  NigranEventLog  *log;
} Console;

/* What the console does with committed events: project them, queue incident news for the
 * CAD, and let the client follow its outbox. */
static void
on_event_cb (NigranEventBus *bus,
             NigranEvent    *event,
             Console        *console)
{
  NigranIncident *incident = nigran_incidents_apply (console->incidents, event);

  if (incident != NULL)
    {
      g_autoptr(NigranEvent) queued = nigran_cad_client_queue_event_new (event, incident);

      if (queued != NULL)
        record_event (queued, console->log);
    }
  nigran_cad_client_apply (console->client, event);
}

static void
dispatch_once (Console    *console,
               const char *id,
               NigranUnit *unit)
{
  NigranIncidentSpec spec = { .id = id, .type = "ROBBERY", .title = "Robbery at the gate", .priority = 1,
                              .source = "manual", .latitude = 24.8468, .longitude = 67.03 };
  NigranUnitRoute route = { unit, 1200, 110, TRUE };
  g_autoptr(NigranEvent) opened = nigran_incidents_opened_event_new (&spec);
  g_autoptr(NigranEvent) dispatched = nigran_incidents_dispatched_event_new (id, &route, NULL);

  record_event (opened, console->log);
  record_event (dispatched, console->log);
}

static gboolean
count_waiting (NigranEvent *event,
               gpointer     user_data)
{
  nigran_cad_client_apply (user_data, event);
  return TRUE;
}

static void
test_outage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("nigran-cad-XXXXXX", &error);
  g_autofree char *log_path = g_build_filename (directory, "events.sqlite", NULL);
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autoptr(NigranUnit) unit = nigran_unit_new ("ERV-1", NIGRAN_UNIT_RESPONSE_VEHICLE, 24.85, 67.02);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  Cad cad = { NULL, g_ptr_array_new_with_free_func (g_free), g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  Console console = { 0 };
  guint16 port;

  g_assert_no_error (error);
  console.log = nigran_event_log_open (log_path, clock, bus, "test", &error);
  g_assert_no_error (error);
  console.incidents = nigran_incidents_new ();

  /* A free port, then nothing listening on it: the CAD is down. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/eido", port);

  console.client = nigran_cad_client_new (url, record_event, console.log);
  nigran_cad_client_set_token (console.client, "cad-secret");
  nigran_cad_client_set_retry_delays (console.client, 100, 400);
  g_signal_connect (bus, "event", G_CALLBACK (on_event_cb), &console);
  nigran_cad_client_start (console.client);

  dispatch_once (&console, "incident-1", unit);
  dispatch_once (&console, "incident-2", unit);
  dispatch_once (&console, "incident-3", unit);
  test_iterate_for (1500 * 1000);
  g_assert_cmpuint (nigran_cad_client_get_n_waiting (console.client), ==, 6);
  g_assert_cmpuint (test_count_events (log_path, "cad.delivered"), ==, 0);

  /* The CAD comes back. */
  cad.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (cad.server, "/eido", cad_handler, &cad, NULL);
  g_assert_true (soup_server_listen_local (cad.server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 100 && nigran_cad_client_get_n_waiting (console.client) > 0; i++)
    test_iterate_for (100 * 1000);
  test_iterate_for (300 * 1000);

  g_assert_cmpuint (cad.received->len, ==, 6);
  g_assert_cmpstr (cad.received->pdata[0], ==, "incident-1 created");
  g_assert_cmpstr (cad.received->pdata[1], ==, "incident-1 dispatched");
  g_assert_cmpstr (cad.received->pdata[2], ==, "incident-2 created");
  g_assert_cmpstr (cad.received->pdata[3], ==, "incident-2 dispatched");
  g_assert_cmpstr (cad.received->pdata[4], ==, "incident-3 created");
  g_assert_cmpstr (cad.received->pdata[5], ==, "incident-3 dispatched");
  g_assert_cmpuint (g_hash_table_size (cad.keys), ==, 6);
  {
    GHashTableIter iter;
    gpointer times;

    g_hash_table_iter_init (&iter, cad.keys);
    while (g_hash_table_iter_next (&iter, NULL, &times))
      g_assert_cmpuint (GPOINTER_TO_UINT (times), ==, 1);
  }
  g_assert_cmpuint (test_count_events (log_path, "cad.delivered"), ==, 6);

  /* A console started afresh on this log finds nothing waiting. */
  {
    static const char * const types[] = { "cad.queued", "cad.delivered", "cad.refused", NULL };
    g_autoptr(NigranCadClient) restarted = nigran_cad_client_new (url, record_event, console.log);

    g_assert_true (nigran_event_log_foreach_of_types (console.log, types, count_waiting, restarted, &error));
    g_assert_cmpuint (nigran_cad_client_get_n_waiting (restarted), ==, 0);
  }

  g_signal_handlers_disconnect_by_data (bus, &console);
  soup_server_disconnect (cad.server);
  g_object_unref (cad.server);
  g_clear_object (&console.client);
  g_clear_object (&console.incidents);
  nigran_event_log_close (console.log);
  g_clear_object (&console.log);
  g_ptr_array_unref (cad.received);
  g_hash_table_unref (cad.keys);
  test_remove_directory (directory);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cad-client/outage", test_outage);
  return g_test_run ();
}
