/* nigran-sos-request.c: an SOS as a registered site posts it, as JSON or as a CAP 1.2 alert
 *
 * Both parsers read bodies from the network: every member is checked for type, size
 * and range, unknown JSON members are refused, and the XML parser never loads a DTD,
 * substitutes an entity, follows an XInclude or touches the network. A CAP document
 * with any DOCTYPE is refused outright: CAP needs none, and entity tricks need one.
 *
 * The JSON schema of POST /v1/sos (all members optional):
 *   { "type": APCO code, "message": text ≤ 2000, "caller": text ≤ 200,
 *     "people": 0–100000, "latitude": …, "longitude": …, "sent": ISO 8601 with zone }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-sos-request.h"

#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <string.h>

#include "core/nigran-types.h"

#define MAX_MESSAGE    2000
#define MAX_CALLER     200
#define MAX_TYPE       16
#define MAX_JSON_DEPTH 4
#define CAP_12_NAMESPACE "urn:oasis:names:tc:emergency:cap:1.2"

G_DEFINE_QUARK (nigran-sos-error-quark, nigran_sos_error)

void
nigran_sos_request_free (NigranSosRequest *request)
{
  g_free (request->type);
  g_free (request->message);
  g_free (request->caller);
  g_free (request->cap_identifier);
  g_free (request->cap_sender);
  g_free (request);
}

static NigranSosRequest *
sos_request_new (void)
{
  NigranSosRequest *request = g_new0 (NigranSosRequest, 1);

  request->people = -1;
  return request;
}

static gboolean
check_type_code (const char  *code,
                 GError     **error)
{
  gsize length = strlen (code);

  if (length == 0 || length > MAX_TYPE)
    goto bad;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p))
      goto bad;
  return TRUE;

bad:
  g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID,
               "“type” is an APCO incident code: up to %d capital letters and digits", MAX_TYPE);
  return FALSE;
}

static gboolean
read_text (JsonObject  *object,
           const char  *member,
           gsize        max_chars,
           char       **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "“%s” must be a string", member);
      return FALSE;
    }
  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > (glong) max_chars)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID,
                   "“%s” must be valid UTF-8 of at most %" G_GSIZE_FORMAT " characters", member, max_chars);
      return FALSE;
    }
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_number (JsonObject  *object,
             const char  *member,
             double       min,
             double       max,
             double      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if ((type != G_TYPE_INT64 && type != G_TYPE_DOUBLE) ||
      !isfinite (*out = json_node_get_double (node)) || *out < min || *out > max)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID,
                   "“%s” must be a number from %g to %g", member, min, max);
      return FALSE;
    }
  return TRUE;
}

static gint64
parse_time_us (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : 0;
}

NigranSosRequest *
nigran_sos_request_parse_json (const char  *data,
                               gsize        length,
                               GError     **error)
{
  static const char * const members[] = {
    "type", "message", "caller", "people", "latitude", "longitude", "sent", NULL
  };
  g_autoptr(NigranSosRequest) request = sos_request_new ();
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *sent = NULL;
  double latitude = NAN, longitude = NAN, people = -1;
  JsonNode *root;
  JsonObject *object;

  if (length > NIGRAN_SOS_MAX_JSON)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_TOO_LARGE,
                   "the body is larger than %d bytes", NIGRAN_SOS_MAX_JSON);
      return NULL;
    }
  if (!nigran_json_nesting_within (data, length, MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "the body is not valid JSON%s%s",
                   parse_error ? ": " : " (nested too deeply)", parse_error ? parse_error->message : "");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "the body must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  {
    g_autoptr(GList) names = json_object_get_members (object);

    for (GList *l = names; l != NULL; l = l->next)
      if (!g_strv_contains (members, l->data))
        {
          g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID,
                       "unknown member “%.40s”; the members are type, message, caller, people, latitude, "
                       "longitude and sent", (const char *) l->data);
          return NULL;
        }
  }
  if (!read_text (object, "type", MAX_TYPE, &request->type, error) ||
      (request->type != NULL && !check_type_code (request->type, error)) ||
      !read_text (object, "message", MAX_MESSAGE, &request->message, error) ||
      !read_text (object, "caller", MAX_CALLER, &request->caller, error) ||
      !read_number (object, "people", 0, 100000, &people, error) ||
      !read_number (object, "latitude", -90, 90, &latitude, error) ||
      !read_number (object, "longitude", -180, 180, &longitude, error) ||
      !read_text (object, "sent", 40, &sent, error))
    return NULL;
  if (isnan (latitude) != isnan (longitude))
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID,
                   "“latitude” and “longitude” come together or not at all");
      return NULL;
    }
  if (sent != NULL && (request->sent_us = parse_time_us (sent)) == 0)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID,
                   "“sent” must be an ISO 8601 time with its zone, such as 2026-11-21T14:05:00+05:00");
      return NULL;
    }
  request->people = people >= 0 ? (int) people : -1;
  request->has_position = !isnan (latitude);
  request->latitude = latitude;
  request->longitude = longitude;
  return g_steal_pointer (&request);
}

/* --- CAP 1.2 ----------------------------------------------------------------------- */

static gboolean
is_cap_element (xmlNode    *node,
                const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         g_strcmp0 ((const char *) node->ns->href, CAP_12_NAMESPACE) == 0 &&
         g_strcmp0 ((const char *) node->name, name) == 0;
}

static xmlNode *
find_child (xmlNode    *parent,
            const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (is_cap_element (child, name))
      return child;
  return NULL;
}

/* Returns: (transfer full): the trimmed text of the element, NULL if it is empty */
static char *
dup_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = content != NULL ? g_strstrip (g_strdup ((const char *) content)) : NULL;

  xmlFree (content);
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static gboolean G_GNUC_PRINTF (2, 3)
cap_invalid (GError    **error,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "not a valid CAP 1.2 alert: %s", message);
  return FALSE;
}

/* A required element with one of @allowed (NULL: any) values. */
static gboolean
check_value (xmlNode            *parent,
             const char         *parent_name,
             const char         *name,
             const char * const *allowed,
             char              **out,
             GError            **error)
{
  xmlNode *node = find_child (parent, name);
  g_autofree char *text = node != NULL ? dup_text (node) : NULL;

  if (text == NULL)
    return cap_invalid (error, "<%s> needs a non-empty <%s>", parent_name, name);
  if (allowed != NULL && !g_strv_contains (allowed, text))
    return cap_invalid (error, "<%s> “%.40s” is not one of the values CAP 1.2 allows", name, text);
  if (out != NULL)
    *out = g_steal_pointer (&text);
  return TRUE;
}

/* "lat,lon radius" or the first point of "lat,lon lat,lon …". */
static gboolean
parse_cap_point (const char *text,
                 double     *latitude,
                 double     *longitude)
{
  char *end;

  *latitude = g_ascii_strtod (text, &end);
  if (end == text || *end != ',')
    return FALSE;
  text = end + 1;
  *longitude = g_ascii_strtod (text, &end);
  return end != text && fabs (*latitude) <= 90 && fabs (*longitude) <= 180;
}

static gboolean
read_cap_info (xmlNode           *info,
               NigranSosRequest  *request,
               GError           **error)
{
  static const char * const categories[] = {
    "Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other", NULL
  };
  static const char * const urgencies[] = { "Immediate", "Expected", "Future", "Past", "Unknown", NULL };
  static const char * const severities[] = { "Extreme", "Severe", "Moderate", "Minor", "Unknown", NULL };
  static const char * const certainties[] = { "Observed", "Likely", "Possible", "Unlikely", "Unknown", NULL };
  g_autofree char *event = NULL;

  if (!check_value (info, "info", "category", categories, NULL, error) ||
      !check_value (info, "info", "event", NULL, &event, error) ||
      !check_value (info, "info", "urgency", urgencies, NULL, error) ||
      !check_value (info, "info", "severity", severities, NULL, error) ||
      !check_value (info, "info", "certainty", certainties, NULL, error))
    return FALSE;

  if (request->message == NULL)
    {
      xmlNode *headline = find_child (info, "headline");
      xmlNode *description = find_child (info, "description");
      g_autofree char *headline_text = headline != NULL ? dup_text (headline) : NULL;
      g_autofree char *description_text = description != NULL ? dup_text (description) : NULL;
      g_autofree char *message = g_strjoin (": ", headline_text ? headline_text : event,
                                            description_text, NULL);

      request->message = g_utf8_substring (message, 0, MIN (g_utf8_strlen (message, -1), MAX_MESSAGE));
    }

  for (xmlNode *area = info->children; area != NULL; area = area->next)
    {
      if (!is_cap_element (area, "area"))
        continue;
      if (!check_value (area, "area", "areaDesc", NULL, NULL, error))
        return FALSE;
      for (xmlNode *shape = area->children; shape != NULL && !request->has_position; shape = shape->next)
        if (is_cap_element (shape, "circle") || is_cap_element (shape, "polygon"))
          {
            g_autofree char *text = dup_text (shape);

            request->has_position = text != NULL && parse_cap_point (text, &request->latitude, &request->longitude);
          }
    }
  return TRUE;
}

static gboolean
read_cap_alert (xmlNode           *alert,
                NigranSosRequest  *request,
                GError           **error)
{
  static const char * const statuses[] = { "Actual", "Exercise", "System", "Test", "Draft", NULL };
  static const char * const message_types[] = { "Alert", "Update", "Cancel", "Ack", "Error", NULL };
  static const char * const scopes[] = { "Public", "Restricted", "Private", NULL };
  g_autofree char *sent = NULL;
  g_autofree char *message_type = NULL;
  g_autofree char *scope = NULL;

  if (!check_value (alert, "alert", "identifier", NULL, &request->cap_identifier, error) ||
      !check_value (alert, "alert", "sender", NULL, &request->cap_sender, error) ||
      !check_value (alert, "alert", "sent", NULL, &sent, error) ||
      !check_value (alert, "alert", "status", statuses, NULL, error) ||
      !check_value (alert, "alert", "msgType", message_types, &message_type, error) ||
      !check_value (alert, "alert", "scope", scopes, &scope, error))
    return FALSE;
  /* What the other values require (CAP 1.2, 3.2.1). */
  if ((!g_str_equal (message_type, "Alert") && !check_value (alert, "alert", "references", NULL, NULL, error)) ||
      (g_str_equal (scope, "Restricted") && !check_value (alert, "alert", "restriction", NULL, NULL, error)) ||
      (g_str_equal (scope, "Private") && !check_value (alert, "alert", "addresses", NULL, NULL, error)))
    return FALSE;
  if (strpbrk (request->cap_identifier, " ,<&") != NULL || strpbrk (request->cap_sender, " ,<&") != NULL)
    return cap_invalid (error, "<identifier> and <sender> hold no spaces, commas, “<” or “&”");
  if ((request->sent_us = parse_time_us (sent)) == 0)
    return cap_invalid (error, "<sent> “%.40s” is not a date and time with its zone", sent);
  if (g_utf8_strlen (request->cap_identifier, -1) > 200 || g_utf8_strlen (request->cap_sender, -1) > 200)
    return cap_invalid (error, "<identifier> or <sender> is longer than 200 characters");

  for (xmlNode *info = alert->children; info != NULL; info = info->next)
    if (is_cap_element (info, "info") && !read_cap_info (info, request, error))
      return FALSE;
  return TRUE;
}

NigranSosRequest *
nigran_sos_request_parse_cap (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(NigranSosRequest) request = sos_request_new ();
  xmlParserCtxt *context;
  xmlDoc *document;
  xmlNode *root;
  gboolean valid;

  if (length > NIGRAN_SOS_MAX_CAP)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_TOO_LARGE,
                   "the body is larger than %d bytes", NIGRAN_SOS_MAX_CAP);
      return NULL;
    }

  /* No DTD loading, no entity substitution, no network, no huge nodes; errors are
   * ours to report, not libxml2's to print. */
  xmlInitParser ();
  context = xmlNewParserCtxt ();
  if (context == NULL)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "out of memory");
      return NULL;
    }
  document = xmlCtxtReadMemory (context, data, (int) length, "sos.cap", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  xmlFreeParserCtxt (context);

  if (document == NULL)
    {
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "the body is not well-formed XML");
      return NULL;
    }
  if (document->intSubset != NULL || document->extSubset != NULL)
    {
      xmlFreeDoc (document);
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_UNSAFE,
                   "a DOCTYPE is refused: CAP needs none, and external entities could read files or the network");
      return NULL;
    }

  root = xmlDocGetRootElement (document);
  if (root == NULL || g_strcmp0 ((const char *) root->name, "alert") != 0)
    {
      xmlFreeDoc (document);
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_INVALID, "the root element is not a CAP <alert>");
      return NULL;
    }
  if (root->ns == NULL || g_strcmp0 ((const char *) root->ns->href, CAP_12_NAMESPACE) != 0)
    {
      xmlFreeDoc (document);
      g_set_error (error, NIGRAN_SOS_ERROR, NIGRAN_SOS_ERROR_VERSION,
                   "only CAP 1.2 (namespace %s) is accepted", CAP_12_NAMESPACE);
      return NULL;
    }
  valid = read_cap_alert (root, request, error);
  xmlFreeDoc (document);
  return valid ? g_steal_pointer (&request) : NULL;
}
