/* nigran-plate-search.c: past plate reads found again, each search audited
 *
 * A search reads the log's plate.read events on a worker thread. The plate asked
 * for is matched on letters and digits alone ("ac 4903" finds AC-4903): with a `*`
 * or `?` as a wildcard pattern, otherwise as a part of the registration, whole
 * matches first. An operator sees the last 90 days; further back needs a
 * supervisor and a stated reason. Every search is recorded, before its results are
 * shown, as a "plate.searched" event with its parameters, its reason and how many
 * reads it found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "nigran-evidence.h"
#include "nigran-plate-search.h"

typedef struct
{
  NigranEventLog *log;
  char           *pattern;      /* upper case letters, digits, * and ? */
  gboolean        wildcard;
  char           *camera_id;
  char           *site_id;
  gint64          from_us;
  gint64          to_us;
  gboolean        limited;      /* reads before the operators' limit were left out */
  char           *reason;
  char           *actor;
  gboolean        supervisor;
  GPtrArray      *hits;
} Search;

void
nigran_plate_search_hit_free (NigranPlateSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->text);
  g_free (hit->registration);
  g_free (hit->camera_id);
  g_free (hit->site_id);
  g_clear_object (&hit->crop);
  g_free (hit);
}

static void
search_free (Search *search)
{
  g_clear_object (&search->log);
  g_free (search->pattern);
  g_free (search->camera_id);
  g_free (search->site_id);
  g_free (search->reason);
  g_free (search->actor);
  g_clear_pointer (&search->hits, g_ptr_array_unref);
  g_free (search);
}

static gboolean
consider (NigranEvent *event,
          gpointer     data)
{
  Search *search = data;
  JsonObject *payload = nigran_event_get_payload (event);
  const char *registration, *camera_id, *site_id, *crop_path;
  NigranPlateSearchHit *hit;
  gint64 captured;
  gboolean exact;

  if (payload == NULL)
    return TRUE;
  registration = json_object_get_string_member_with_default (payload, "registration", NULL);
  captured = json_object_get_int_member_with_default (payload, "captured_us", nigran_event_get_time_us (event));
  camera_id = nigran_event_find_subject (event, "camera");
  site_id = json_object_get_string_member_with_default (payload, "site", NULL);
  if (registration == NULL || captured < search->from_us || captured > search->to_us ||
      (search->camera_id != NULL && g_strcmp0 (search->camera_id, camera_id) != 0) ||
      (search->site_id != NULL && g_strcmp0 (search->site_id, site_id) != 0))
    return TRUE;
  exact = g_str_equal (registration, search->pattern);
  if (search->wildcard ? !g_pattern_match_simple (search->pattern, registration)
                       : strstr (registration, search->pattern) == NULL)
    return TRUE;

  hit = g_new0 (NigranPlateSearchHit, 1);
  hit->text = g_strdup (json_object_get_string_member_with_default (payload, "text", registration));
  hit->registration = g_strdup (registration);
  hit->camera_id = g_strdup (camera_id);
  hit->site_id = g_strdup (site_id);
  hit->captured_us = captured;
  hit->confidence = json_object_get_double_member_with_default (payload, "confidence", 0);
  hit->exact = exact || search->wildcard;
  crop_path = json_object_get_string_member_with_default (payload, "crop", NULL);
  if (crop_path != NULL &&
      nigran_evidence_check_file (crop_path, json_object_get_string_member_with_default (payload, "crop_sha256", ""), NULL))
    hit->crop = gdk_texture_new_from_filename (crop_path, NULL);
  g_ptr_array_add (search->hits, hit);
  return TRUE;
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const NigranPlateSearchHit *ha = *(NigranPlateSearchHit **)a, *hb = *(NigranPlateSearchHit **)b;

  if (ha->exact != hb->exact)
    return ha->exact ? -1 : 1;
  return ha->captured_us < hb->captured_us ? 1 : ha->captured_us > hb->captured_us ? -1 : 0;
}

static void
search_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  static const char * const types[] = { "plate.read", NULL };
  Search *search = task_data;
  GError *error = NULL;

  /* A read is recorded after its capture: none captured in the span was recorded before it. */
  if (!nigran_event_log_foreach_of_types_between (search->log, types, search->from_us, 0, consider, search, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_sort (search->hits, compare_hits);
  g_task_return_pointer (task, g_ptr_array_ref (search->hits), (GDestroyNotify)g_ptr_array_unref);
}

static void
record_search (Search *search)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(NigranEvent) event = NULL;

  json_object_set_string_member (payload, "plate", search->pattern);
  if (search->camera_id != NULL)
    json_object_set_string_member (payload, "camera", search->camera_id);
  if (search->site_id != NULL)
    json_object_set_string_member (payload, "site", search->site_id);
  json_object_set_int_member (payload, "from_us", search->from_us);
  json_object_set_int_member (payload, "to_us", search->to_us);
  if (search->reason != NULL)
    json_object_set_string_member (payload, "reason", search->reason);
  json_object_set_boolean_member (payload, "supervisor", search->supervisor);
  event = nigran_event_new ("plate.searched", (const char * const[]) { "search:plates", NULL }, payload);
  nigran_event_log_append_async (search->log, event, search->actor, NULL, NULL, NULL);
}

/**
 * nigran_plate_search_async:
 * @actor: who searches, as the audit records it
 *
 * Fails with G_IO_ERROR_PERMISSION_DENIED when @query reaches back beyond the
 * operators' limit without a supervisor and a reason, and G_IO_ERROR_INVALID_ARGUMENT
 * for a plate with no letter or digit; both are recorded as refused searches too.
 */
void
nigran_plate_search_async (NigranEventLog         *log,
                           const NigranPlateQuery *query,
                           const char             *actor,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (log, cancellable, callback, user_data);
  Search *search = g_new0 (Search, 1);
  GString *pattern = g_string_new (NULL);
  gint64 now = g_get_real_time ();
  gint64 operator_limit = now - (gint64)NIGRAN_PLATE_SEARCH_OPERATOR_DAYS * G_TIME_SPAN_DAY;
  g_autofree char *reason = g_strstrip (g_strdup (query->reason != NULL ? query->reason : ""));
  gboolean has_reason = *reason != '\0';

  g_return_if_fail (NIGRAN_IS_EVENT_LOG (log));
  g_return_if_fail (query != NULL && query->plate != NULL);

  g_task_set_source_tag (task, nigran_plate_search_async);
  for (const char *c = query->plate; *c != '\0'; c++)
    if (g_ascii_isalnum (*c) || *c == '*' || *c == '?')
      g_string_append_c (pattern, g_ascii_toupper (*c));
  search->log = g_object_ref (log);
  search->pattern = g_string_free (pattern, FALSE);
  search->wildcard = strpbrk (search->pattern, "*?") != NULL;
  search->camera_id = g_strdup (query->camera_id);
  search->site_id = g_strdup (query->site_id);
  search->from_us = query->from_us;
  search->to_us = query->to_us > 0 ? query->to_us : now;
  search->reason = has_reason ? g_steal_pointer (&reason) : NULL;
  search->actor = g_strdup (actor ? actor : NIGRAN_ACTOR_SYSTEM);
  search->supervisor = query->supervisor;
  search->hits = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_plate_search_hit_free);
  g_task_set_task_data (task, search, (GDestroyNotify)search_free);

  record_search (search);
  if (strspn (search->pattern, "*?") == strlen (search->pattern) && strlen (search->pattern) < 2)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Give at least two letters or digits of the plate"));
      return;
    }
  if (search->from_us < operator_limit)
    {
      if (query->supervisor && !has_reason)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                   _("Reads older than %d days are shown only with a stated reason"),
                                   NIGRAN_PLATE_SEARCH_OPERATOR_DAYS);
          return;
        }
      if (!query->supervisor)
        {
          if (query->from_us != 0)
            {
              g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                       _("Reads older than %d days need a supervisor"),
                                       NIGRAN_PLATE_SEARCH_OPERATOR_DAYS);
              return;
            }
          search->from_us = operator_limit;
          search->limited = TRUE;
        }
    }
  g_task_run_in_thread (task, search_thread);
}

/**
 * nigran_plate_search_finish:
 * @limited: (out) (optional): set when reads older than the operators' limit were left out
 *
 * Returns: (transfer full) (element-type NigranPlateSearchHit): whole matches first,
 *   newest first
 */
GPtrArray *
nigran_plate_search_finish (GAsyncResult  *result,
                            gboolean      *limited,
                            GError       **error)
{
  Search *search = g_task_get_task_data (G_TASK (result));

  if (limited != NULL)
    *limited = search->limited;
  return g_task_propagate_pointer (G_TASK (result), error);
}
