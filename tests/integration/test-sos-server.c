/* test-sos-server.c: the SOS and AVL intake, over HTTP on 127.0.0.1, into a real event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "net/nigran-sos-request.h"
#include "net/nigran-sos-server.h"
#include "store/nigran-event-log.h"
#include "test-utils.h"

#define CONSULATE_TOKEN "test-consulate-token-0123456789"
#define HOSPITAL_TOKEN  "test-hospital-token-9876543210"
#define AVL_TOKEN       "test-avl-token-abcdefabcdef"

static const char site_json[] =
  "{\"version\":1,\"name\":\"SOS test\","
  " \"sites\":["
  "  {\"id\":\"consulate-row\",\"name\":\"Consulate Row\",\"kind\":\"consulate\",\"latitude\":24.8468,\"longitude\":67.03},"
  "  {\"id\":\"jpmc\",\"name\":\"JPMC\",\"kind\":\"hospital\",\"latitude\":24.8522,\"longitude\":67.0444}],"
  " \"cameras\":["
  "  {\"id\":\"consulate-gate\",\"name\":\"Gate\",\"site\":\"consulate-row\",\"latitude\":24.8466,\"longitude\":67.0303,\"simulated\":{}},"
  "  {\"id\":\"jpmc-emergency\",\"name\":\"Emergency\",\"site\":\"jpmc\",\"latitude\":24.852,\"longitude\":67.045,\"simulated\":{}}],"
  " \"units\":[{\"call_sign\":\"ERV-1\",\"kind\":\"response-vehicle\",\"latitude\":24.85,\"longitude\":67.02}],"
  " \"dispatch\":{\"sos\":[{\"site\":\"consulate-row\",\"token\":\"" CONSULATE_TOKEN "\"},"
  "                      {\"site\":\"jpmc\",\"token\":\"" HOSPITAL_TOKEN "\"}],"
  "              \"avl_token\":\"" AVL_TOKEN "\"}}";

typedef struct
{
  char            *directory;
  NigranEventLog  *log;
  NigranSosServer *server;
  SoupSession     *session;
  GTlsCertificate *certificate;  /* HTTPS: the server's own, which the client pins */
  guint            pending_appends;
} Fixture;

static void
on_appended_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error), >, 0);
  g_assert_no_error (error);
  fixture->pending_appends--;
}

/* What the console does with accepted requests: record their events. */
static void
record_intake (GPtrArray  *events,
               const char *actor,
               gpointer    user_data)
{
  Fixture *fixture = user_data;

  for (guint i = 0; i < events->len; i++)
    {
      fixture->pending_appends++;
      nigran_event_log_append_async (fixture->log, events->pdata[i], actor, NULL, on_appended_cb, fixture);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranSiteFile) site_file = nigran_site_file_new_from_data (site_json, -1, "sos.json", NULL, &error);
  g_autoptr(NigranClock) clock = nigran_clock_new_system ();
  g_autoptr(NigranEventBus) bus = nigran_event_bus_new ();
  g_autofree char *log_path = NULL;

  g_assert_no_error (error);
  fixture->directory = g_dir_make_tmp ("nigran-sos-XXXXXX", &error);
  g_assert_no_error (error);
  log_path = g_build_filename (fixture->directory, "events.sqlite", NULL);
  fixture->log = nigran_event_log_open (log_path, clock, bus, "test", &error);
  g_assert_no_error (error);
  fixture->server = nigran_sos_server_new (site_file, record_intake, fixture);
  if (g_strcmp0 (data, "rate-limited") != 0)
    nigran_sos_server_set_rate_limit (fixture->server, 10000, 10000);
  if (g_strcmp0 (data, "https") == 0)
    {
      g_autofree char *pem = g_build_filename (g_getenv ("NIGRAN_TEST_DATA"), "sos-intake-test.pem", NULL);

      fixture->certificate = g_tls_certificate_new_from_file (pem, &error);
      g_assert_no_error (error);
    }
  g_assert_true (nigran_sos_server_listen (fixture->server, "127.0.0.1:0", fixture->certificate, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_sos_server_get_port (fixture->server), >, 0);
  fixture->session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
}

static void
wait_for_appends (Fixture *fixture)
{
  /* Deliveries come from the server's thread; give them a moment, then drain. */
  test_iterate_for (200 * 1000);
  while (fixture->pending_appends > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wait_for_appends (fixture);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->certificate);
  nigran_sos_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  nigran_event_log_close (fixture->log);
  g_clear_object (&fixture->log);
  test_remove_directory (fixture->directory);
  g_free (fixture->directory);
}

/* The test's certificate is its own authority: the client trusts exactly it. */
static gboolean
accept_pinned_certificate (SoupMessage          *message,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           Fixture              *fixture)
{
  return g_tls_certificate_is_same (certificate, fixture->certificate);
}

static SoupMessage *
request_new (Fixture    *fixture,
             const char *method,
             const char *path,
             const char *token,
             const char *content_type,
             GBytes     *body)
{
  g_autofree char *url = g_strdup_printf ("%s://127.0.0.1:%u%s", fixture->certificate != NULL ? "https" : "http",
                                          nigran_sos_server_get_port (fixture->server), path);
  SoupMessage *message = soup_message_new (method, url);

  if (fixture->certificate != NULL)
    g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_pinned_certificate), fixture);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);
  return message;
}

/* Returns: the status; @reply_out gets the reply's JSON object. */
static guint
post (Fixture     *fixture,
      const char  *path,
      const char  *token,
      const char  *content_type,
      const char  *body,
      gsize        length,
      JsonObject **reply_out)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, length);
  g_autoptr(SoupMessage) message = request_new (fixture, "POST", path, token, content_type, bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (fixture->session, message, NULL, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  /* Every answer, refusals too, is JSON that says what happened. */
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  if (reply_out != NULL)
    *reply_out = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return soup_message_get_status (message);
}

static guint
post_text (Fixture    *fixture,
           const char *path,
           const char *token,
           const char *content_type,
           const char *body)
{
  return post (fixture, path, token, content_type, body, strlen (body), NULL);
}

typedef struct
{
  const char *incident_id;
  guint       found;
} Finding;

static gboolean
find_incident (NigranEvent *event,
               gpointer     user_data)
{
  Finding *finding = user_data;

  if (g_strcmp0 (nigran_event_find_subject (event, "incident"), finding->incident_id) == 0)
    finding->found++;
  return TRUE;
}

static guint
count_events_of_incident (Fixture    *fixture,
                          const char *incident_id)
{
  static const char * const types[] = { "sos.received", "incident.opened", NULL };
  Finding finding = { incident_id, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (nigran_event_log_foreach_of_types (fixture->log, types, find_incident, &finding, &error));
  return finding.found;
}

static void
test_json_sos (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  const char *body = "{\"type\":\"ALRPANS\",\"message\":\"Armed men at the gate\",\"people\":3,"
                     "\"caller\":\"Duty guard\",\"sent\":\"2026-11-21T14:05:00+05:00\"}";
  const char *incident_id;
  g_autofree char *log_path = NULL;

  g_assert_cmpuint (post (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", body, strlen (body), &reply), ==,
                    SOUP_STATUS_CREATED);
  incident_id = json_object_get_string_member (reply, "incident_id");
  g_assert_true (g_uuid_string_is_valid (incident_id));
  wait_for_appends (fixture);
  /* The call as received and the incident it opens, both under the incident's id. */
  g_assert_cmpuint (count_events_of_incident (fixture, incident_id), ==, 2);
  log_path = g_strdup (nigran_event_log_get_path (fixture->log));
  g_assert_cmpuint (test_count_events (log_path, "alert.raised"), ==, 1);
}

/* Over HTTPS: the SOS is taken; a client that does not trust the certificate, or
 * speaks plain HTTP to the port, gets nothing in. */
static void
test_https (Fixture       *fixture,
            gconstpointer  data)
{
  static const char sos[] = "{\"type\":\"ALRPANS\",\"message\":\"Intruder at the gate\"}";
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *plain_url = g_strdup_printf ("http://127.0.0.1:%u/v1/sos", nigran_sos_server_get_port (fixture->server));
  g_autofree char *untrusted_url = g_strdup_printf ("https://127.0.0.1:%u/v1/sos",
                                                    nigran_sos_server_get_port (fixture->server));
  g_autoptr(SoupMessage) plain = soup_message_new ("POST", plain_url);
  g_autoptr(SoupMessage) untrusted = soup_message_new ("POST", untrusted_url);
  g_autoptr(GBytes) plain_reply = NULL;
  g_autoptr(GBytes) untrusted_reply = NULL;
  g_autoptr(GError) plain_error = NULL;
  g_autoptr(GError) untrusted_error = NULL;

  g_assert_cmpuint (post (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", sos, strlen (sos), &reply), ==, 201);
  wait_for_appends (fixture);
  g_assert_cmpuint (count_events_of_incident (fixture, json_object_get_string_member (reply, "incident_id")), ==, 2);

  plain_reply = soup_session_send_and_read (fixture->session, plain, NULL, &plain_error);
  g_assert_true (plain_error != NULL || soup_message_get_status (plain) >= 400);
  untrusted_reply = soup_session_send_and_read (fixture->session, untrusted, NULL, &untrusted_error);
  g_assert_error (untrusted_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

static void
test_cap_samples (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const accepted[] = {
    "oasiscap-fixtures/v1dot2_appendix_adot1.xml", "oasiscap-fixtures/v1dot2_appendix_adot2.xml",
    "oasiscap-fixtures/v1dot2_appendix_adot3.xml", "oasiscap-fixtures/v1dot2_appendix_adot4.xml",
    "oasiscap-fixtures/ipaws-5e6dd9de023f1930ef6548d9.xml", "oasiscap-fixtures/ipaws-5ea321f39fc226a7b44b6874.xml",
    "oasiscap-fixtures/ipaws-5e6ddbad023f1930ef6c1a5a.xml", "oasiscap-fixtures/ipaws-5e6dd964023f1930ef638846.xml",
    "oasiscap-fixtures/ipaws-5e7e0fc5023f1930efcf3deb.xml", "oasiscap-fixtures/google-PAAQ-4-mg5a94.xml",
    "google-cap-library/validator-examples/thunderstorm.cap", "google-cap-library/validator-examples/43b080713727.cap",
    "google-cap-library/testdata/canada.cap", "google-cap-library/testdata/canada_signed.cap",
    "google-cap-library/testdata/wcatwc-warning.cap", "google-cap-library/testdata/earthquake-iso8859-1.cap",
    "google-cap-library/testdata/australia.cap", NULL
  };
  /* Broken, not 1.2, or malicious (xee.*: external entities and XInclude). */
  static const char * const refused[] = {
    "google-cap-library/testdata/invalid.cap", "google-cap-library/testdata/canada_errors.cap",
    "google-cap-library/testdata/noaa_errors.cap", "google-cap-library/testdata/weather.cap",
    "oasiscap-fixtures/v1dot1_appendix_adot1.xml", "oasiscap-fixtures/v1dot0_appendix_adot1.xml",
    "google-cap-library/testdata/xee.cap", "google-cap-library/testdata/xee.atom",
    "google-cap-library/testdata/amber.atom", NULL
  };
  const char *shared = g_getenv ("NIGRAN_SHARED_DATA");
  g_autofree char *directory = shared != NULL ? g_build_filename (shared, "alerts", "cap", NULL) : NULL;

  if (directory == NULL || !g_file_test (directory, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/data/alerts/cap is absent");
      return;
    }
  for (guint refusing = 0; refusing < 2; refusing++)
    for (const char * const *name = refusing ? refused : accepted; *name != NULL; name++)
      {
        g_autofree char *path = g_build_filename (directory, *name, NULL);
        g_autofree char *contents = NULL;
        g_autoptr(JsonObject) reply = NULL;
        gsize length;
        guint status;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        status = post (fixture, "/v1/cap", HOSPITAL_TOKEN, "application/cap+xml", contents, length, &reply);
        g_test_message ("%s: %u %s", *name, status,
                        json_object_get_string_member_with_default (reply, refusing ? "error" : "incident_id", ""));
        g_assert_cmpuint (status, ==, refusing ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_CREATED);
        if (!refusing)
          {
            wait_for_appends (fixture);
            g_assert_cmpuint (count_events_of_incident (fixture, json_object_get_string_member (reply, "incident_id")), ==, 2);
          }
        if (g_str_has_prefix (*name, "google-cap-library/testdata/xee"))
          g_assert_nonnull (strstr (json_object_get_string_member (reply, "error"), "DOCTYPE"));
      }
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  const char *sos = "{\"message\":\"help\"}";
  g_autofree char *big_json = NULL;
  g_autofree char *big_cap = NULL;
  g_autofree char *log_path = g_strdup (nigran_event_log_get_path (fixture->log));

  /* Tokens. */
  g_assert_cmpuint (post_text (fixture, "/v1/sos", NULL, "application/json", sos), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", "guess-guess-guess-guess", "application/json", sos), ==,
                    SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", AVL_TOKEN, "application/json", sos), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (post_text (fixture, "/v1/avl", CONSULATE_TOKEN, "application/json", sos), ==,
                    SOUP_STATUS_UNAUTHORIZED);
  /* Where and how. */
  g_assert_cmpuint (post_text (fixture, "/v1/other", CONSULATE_TOKEN, "application/json", sos), ==,
                    SOUP_STATUS_NOT_FOUND);
  {
    g_autoptr(SoupMessage) message = request_new (fixture, "GET", "/v1/sos", CONSULATE_TOKEN, NULL, NULL);
    g_autoptr(GBytes) reply = soup_session_send_and_read (fixture->session, message, NULL, NULL);

    g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  }
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "text/plain", sos), ==,
                    SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpuint (post_text (fixture, "/v1/cap", CONSULATE_TOKEN, "application/json", sos), ==,
                    SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  /* Bodies. */
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "{\"message\":"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "[1,2]"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "{\"colour\":\"red\"}"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "{\"people\":\"many\"}"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "{\"latitude\":24.8}"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "{\"type\":\"<script>\"}"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json",
                               "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (post_text (fixture, "/v1/cap", CONSULATE_TOKEN, "application/cap+xml", "<alert"), ==,
                    SOUP_STATUS_BAD_REQUEST);
  /* Sizes: said up front, or only found out while reading. */
  big_json = g_strdup_printf ("{\"message\":\"%0*d\"}", NIGRAN_SOS_MAX_JSON, 0);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", big_json), ==,
                    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  big_cap = g_strnfill (NIGRAN_SOS_MAX_CAP + 10, ' ');
  g_assert_cmpuint (post_text (fixture, "/v1/cap", CONSULATE_TOKEN, "application/cap+xml", big_cap), ==,
                    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  /* AVL: a registered unit's position and status; not a stranger's. */
  g_assert_cmpuint (post_text (fixture, "/v1/avl", AVL_TOKEN, "application/json",
                               "{\"call_sign\":\"ERV-1\",\"latitude\":24.851,\"longitude\":67.021,\"status\":\"en-route\"}"),
                    ==, SOUP_STATUS_ACCEPTED);
  g_assert_cmpuint (post_text (fixture, "/v1/avl", AVL_TOKEN, "application/json", "{\"call_sign\":\"X-9\",\"status\":\"available\"}"),
                    ==, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  g_assert_cmpuint (post_text (fixture, "/v1/avl", AVL_TOKEN, "application/json", "{\"call_sign\":\"ERV-1\",\"status\":\"asleep\"}"),
                    ==, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  wait_for_appends (fixture);
  g_assert_cmpuint (test_count_events (log_path, "unit.position"), ==, 1);
  g_assert_cmpuint (test_count_events (log_path, "unit.status"), ==, 1);
  /* Nothing refused reached the log. */
  g_assert_cmpuint (test_count_events (log_path, "sos.received"), ==, 0);
}

typedef struct
{
  guint finished;
  guint created;
  guint limited;
  guint other;
} Burst;

static void
on_burst_reply_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = soup_message_get_status (message);

  burst->finished++;
  if (status == SOUP_STATUS_CREATED)
    burst->created++;
  else if (status == 429)
    burst->limited++;
  else
    burst->other++;
}

/* 1,000 SOS posts at once from one address: the first burst is taken, the rest are
 * told to slow down, and every one taken is in the log. */
static void
test_flood (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *log_path = g_strdup (nigran_event_log_get_path (fixture->log));
  Burst burst = { 0 };
  gint64 start_us = g_get_monotonic_time ();
  double seconds;

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static ("{\"message\":\"flood\"}", 19);
      g_autoptr(SoupMessage) message = request_new (fixture, "POST", "/v1/sos", CONSULATE_TOKEN, "application/json", body);

      soup_session_send_and_read_async (fixture->session, message, G_PRIORITY_DEFAULT, NULL, on_burst_reply_cb, &burst);
    }
  while (burst.finished < 1000)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start_us) / 1e6;
  wait_for_appends (fixture);
  g_test_message ("flood: %u created, %u rate-limited, %u other, in %.1f s", burst.created, burst.limited,
                  burst.other, seconds);
  g_assert_cmpuint (burst.other, ==, 0);
  g_assert_cmpuint (burst.created, >=, NIGRAN_SOS_SERVER_BURST);
  g_assert_cmpfloat (burst.created, <=, NIGRAN_SOS_SERVER_BURST + NIGRAN_SOS_SERVER_PER_SECOND * seconds + 1);
  g_assert_cmpuint (burst.created + burst.limited, ==, 1000);
  g_assert_cmpuint (test_count_events (log_path, "sos.received"), ==, burst.created);
  g_assert_cmpuint (test_count_events (log_path, "incident.opened"), ==, burst.created);

  /* The intake still answers once the flood has passed. */
  test_iterate_for (1200 * 1000);
  g_assert_cmpuint (post_text (fixture, "/v1/sos", CONSULATE_TOKEN, "application/json", "{}"), ==, SOUP_STATUS_CREATED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sos-server/json", Fixture, NULL, fixture_set_up, test_json_sos, fixture_tear_down);
  g_test_add ("/sos-server/https", Fixture, "https", fixture_set_up, test_https, fixture_tear_down);
  g_test_add ("/sos-server/cap-samples", Fixture, NULL, fixture_set_up, test_cap_samples, fixture_tear_down);
  g_test_add ("/sos-server/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/sos-server/flood", Fixture, "rate-limited", fixture_set_up, test_flood, fixture_tear_down);
  return g_test_run ();
}
