/* nigran-alert.c: one alert and where it is in its review
 *
 * An alert is a projection of its events: "alert.raised" makes it; acknowledged,
 * assigned, verified, rejected, escalated, noted and closed move it on. The rules
 * live here, once: nigran_alert_can() says whether an operator may take an action
 * before it is recorded, and _nigran_alert_apply() follows the log, which is the
 * truth, ignoring what the rules do not allow (two workstations may race).
 *
 * Identity matches need verifiers. With two required (the four-eyes rule), decisions
 * are taken blind and from two different people: two "match" confirm it, two "no
 * match" reject it, one of each escalates it to a supervisor, whose decision, as a
 * third person, settles it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-alert-private.h"

struct _NigranAlert
{
  GObject              parent_instance;

  char                *id;
  gint64               sequence;
  const char          *source;        /* interned */
  const char          *kind;          /* interned */
  const char          *camera_id;     /* interned */
  const char          *site_id;       /* interned */
  NigranAlertPriority  priority;
  char                *title;
  char                *detail;
  char                *matched;
  char                *snapshot;
  char                *snapshot_sha256;
  double               score;
  gint64               frame_age_ms;
  guint                verifiers_required;
  char                *watchlist;
  char                *colour;
  const char          *tone;          /* interned */
  gboolean             demo;
  gint64               raised_us;

  NigranAlertState     state;
  const char          *acknowledged_by;  /* interned */
  gint64               acknowledged_us;
  gint64               decided_us;
  gint64               closed_us;
  const char          *assignee;         /* interned */
  char                *escalation_reason;
  GArray              *decisions;        /* NigranAlertDecision, made on first use */
  GArray              *notes;            /* NigranAlertNote, made on first use */
};

G_DEFINE_FINAL_TYPE (NigranAlert, nigran_alert, G_TYPE_OBJECT)

G_DEFINE_QUARK (nigran-alert-error-quark, nigran_alert_error)

enum { PROP_0, PROP_STATE, PROP_ASSIGNEE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const action_types[] = {
  [NIGRAN_ALERT_ACTION_ACKNOWLEDGE] = "alert.acknowledged",
  [NIGRAN_ALERT_ACTION_ASSIGN] = "alert.assigned",
  [NIGRAN_ALERT_ACTION_VERIFY] = "alert.verified",
  [NIGRAN_ALERT_ACTION_REJECT] = "alert.rejected",
  [NIGRAN_ALERT_ACTION_ESCALATE] = "alert.escalated",
  [NIGRAN_ALERT_ACTION_NOTE] = "alert.noted",
  [NIGRAN_ALERT_ACTION_CLOSE] = "alert.closed",
};

static void
decision_clear (gpointer data)
{
  NigranAlertDecision *decision = data;

  g_free (decision->actor);
}

static void
note_clear (gpointer data)
{
  NigranAlertNote *note = data;

  g_free (note->actor);
  g_free (note->text);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gint64
get_int (JsonObject *object,
         const char *member,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
         ? json_node_get_int (node) : fallback;
}

static double
get_double (JsonObject *object,
            const char *member,
            double      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return fallback;
}

static void
nigran_alert_finalize (GObject *object)
{
  NigranAlert *self = NIGRAN_ALERT (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->matched);
  g_free (self->watchlist);
  g_free (self->colour);
  g_free (self->snapshot);
  g_free (self->snapshot_sha256);
  g_free (self->escalation_reason);
  g_clear_pointer (&self->decisions, g_array_unref);
  g_clear_pointer (&self->notes, g_array_unref);

  G_OBJECT_CLASS (nigran_alert_parent_class)->finalize (object);
}

static void
nigran_alert_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NigranAlert *self = NIGRAN_ALERT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ASSIGNEE:
      g_value_set_string (value, self->assignee);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_alert_class_init (NigranAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nigran_alert_finalize;
  object_class->get_property = nigran_alert_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, NIGRAN_TYPE_ALERT_STATE, NIGRAN_ALERT_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSIGNEE] =
    g_param_spec_string ("assignee", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NigranAlert::changed:
   *
   * An event moved the alert on: a decision, a note, an assignment.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nigran_alert_init (NigranAlert *self)
{
  self->state = NIGRAN_ALERT_STATE_NEW;
  self->score = -1;
  self->frame_age_ms = -1;
}

/**
 * nigran_alert_raised_event_new:
 *
 * Returns: (transfer full): the event that raises a new alert as @spec says
 */
NigranEvent *
nigran_alert_raised_event_new (const NigranAlertSpec *spec)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *alert_id = g_uuid_string_random ();
  g_autofree char *alert_subject = g_strconcat ("alert:", alert_id, NULL);
  g_autofree char *camera_subject = spec->camera_id ? g_strconcat ("camera:", spec->camera_id, NULL) : NULL;
  g_autofree char *site_subject = spec->site_id ? g_strconcat ("site:", spec->site_id, NULL) : NULL;
  const char *subjects[4] = { alert_subject, NULL, NULL, NULL };
  guint n_subjects = 1;

  g_return_val_if_fail (spec->source != NULL && spec->kind != NULL && spec->title != NULL, NULL);
  g_return_val_if_fail (spec->priority >= NIGRAN_ALERT_PRIORITY_CRITICAL &&
                        spec->priority <= NIGRAN_ALERT_PRIORITY_LOW, NULL);
  g_return_val_if_fail (spec->verifiers_required <= 2, NULL);

  if (camera_subject != NULL)
    subjects[n_subjects++] = camera_subject;
  if (site_subject != NULL)
    subjects[n_subjects++] = site_subject;

  json_object_set_string_member (payload, "source", spec->source);
  json_object_set_string_member (payload, "kind", spec->kind);
  json_object_set_int_member (payload, "priority", spec->priority);
  json_object_set_string_member (payload, "title", spec->title);
  if (spec->detail != NULL)
    json_object_set_string_member (payload, "detail", spec->detail);
  if (spec->matched != NULL)
    json_object_set_string_member (payload, "matched", spec->matched);
  if (spec->score >= 0)
    json_object_set_double_member (payload, "score", spec->score);
  if (spec->frame_age_ms >= 0)
    json_object_set_int_member (payload, "frame_age_ms", spec->frame_age_ms);
  if (spec->captured_us > 0)
    json_object_set_int_member (payload, "captured_us", spec->captured_us);
  if (spec->probe_template != NULL)
    json_object_set_string_member (payload, "probe_template", spec->probe_template);
  if (spec->snapshot != NULL)
    json_object_set_string_member (payload, "snapshot", spec->snapshot);
  if (spec->snapshot_sha256 != NULL)
    json_object_set_string_member (payload, "snapshot_sha256", spec->snapshot_sha256);
  if (spec->verifiers_required > 0)
    json_object_set_int_member (payload, "verifiers_required", spec->verifiers_required);
  if (spec->watchlist != NULL)
    json_object_set_string_member (payload, "watchlist", spec->watchlist);
  if (spec->colour != NULL)
    json_object_set_string_member (payload, "colour", spec->colour);
  if (spec->tone != NULL)
    json_object_set_string_member (payload, "tone", spec->tone);
  if (spec->demo)
    json_object_set_boolean_member (payload, "demo", TRUE);

  return nigran_event_new ("alert.raised", subjects, payload);
}

/**
 * nigran_alert_action_event_new:
 * @text: (nullable): the note, the escalation's reason, the assignee, or a rejection's
 *   comment
 * @reason: why, for %NIGRAN_ALERT_ACTION_REJECT
 *
 * Returns: (transfer full): the event that records @action on @self
 */
NigranEvent *
nigran_alert_action_event_new (NigranAlert        *self,
                               NigranAlertAction   action,
                               const char         *text,
                               NigranRejectReason  reason)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *alert_subject = g_strconcat ("alert:", self->id, NULL);
  const char * const subjects[] = { alert_subject, NULL };

  g_return_val_if_fail ((guint)action < G_N_ELEMENTS (action_types), NULL);
  g_return_val_if_fail (action != NIGRAN_ALERT_ACTION_NOTE || (text && *text), NULL);
  g_return_val_if_fail (action != NIGRAN_ALERT_ACTION_ASSIGN || (text && *text), NULL);

  if (action == NIGRAN_ALERT_ACTION_REJECT)
    json_object_set_string_member (payload, "reason", nigran_reject_reason_to_string (reason));
  if (text != NULL && *text != '\0')
    json_object_set_string_member (payload, action == NIGRAN_ALERT_ACTION_ASSIGN ? "operator" : "text", text);
  return nigran_event_new (action_types[action], subjects, payload);
}

NigranAlert *
_nigran_alert_new_from_event (NigranEvent *raised)
{
  JsonObject *payload = nigran_event_get_payload (raised);
  const char *id = nigran_event_find_subject (raised, "alert");
  NigranAlert *self;

  if (id == NULL)
    return NULL;

  self = g_object_new (NIGRAN_TYPE_ALERT, NULL);
  self->id = g_strdup (id);
  self->sequence = nigran_event_get_sequence (raised);
  self->raised_us = nigran_event_get_time_us (raised);
  self->source = g_intern_string (get_string (payload, "source") ?: "unknown");
  self->kind = g_intern_string (get_string (payload, "kind") ?: "unknown");
  self->priority = CLAMP (get_int (payload, "priority", NIGRAN_ALERT_PRIORITY_MEDIUM),
                          NIGRAN_ALERT_PRIORITY_CRITICAL, NIGRAN_ALERT_PRIORITY_LOW);
  self->title = g_strdup (get_string (payload, "title") ?: self->kind);
  self->detail = g_strdup (get_string (payload, "detail"));
  self->matched = g_strdup (get_string (payload, "matched"));
  self->snapshot = g_strdup (get_string (payload, "snapshot"));
  self->snapshot_sha256 = g_strdup (get_string (payload, "snapshot_sha256"));
  self->score = get_double (payload, "score", -1);
  self->frame_age_ms = get_int (payload, "frame_age_ms", -1);
  self->verifiers_required = CLAMP (get_int (payload, "verifiers_required", 0), 0, 2);
  self->watchlist = g_strdup (get_string (payload, "watchlist"));
  self->colour = g_strdup (get_string (payload, "colour"));
  self->tone = g_intern_string (get_string (payload, "tone"));
  self->demo = json_object_has_member (payload, "demo") &&
               json_object_get_boolean_member_with_default (payload, "demo", FALSE);
  self->camera_id = g_intern_string (nigran_event_find_subject (raised, "camera"));
  self->site_id = g_intern_string (nigran_event_find_subject (raised, "site"));
  return self;
}

gboolean
nigran_alert_is_final (NigranAlert *self)
{
  return self->state == NIGRAN_ALERT_STATE_VERIFIED || self->state == NIGRAN_ALERT_STATE_CONFIRMED ||
         self->state == NIGRAN_ALERT_STATE_REJECTED || self->state == NIGRAN_ALERT_STATE_CLOSED;
}

static gboolean
not_allowed (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
not_allowed (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (NIGRAN_ALERT_ERROR, NIGRAN_ALERT_ERROR_NOT_ALLOWED, format, args));
  va_end (args);
  return FALSE;
}

/**
 * nigran_alert_can:
 * @actor: who would act
 *
 * Whether @actor may take @action now; if not, @error says why in a sentence.
 */
gboolean
nigran_alert_can (NigranAlert        *self,
                  NigranAlertAction   action,
                  const char         *actor,
                  GError            **error)
{
  g_return_val_if_fail (NIGRAN_IS_ALERT (self), FALSE);

  if (self->state == NIGRAN_ALERT_STATE_CLOSED && action != NIGRAN_ALERT_ACTION_NOTE)
    return not_allowed (error, "This alert is closed.");

  switch (action)
    {
    case NIGRAN_ALERT_ACTION_ACKNOWLEDGE:
      if (self->state != NIGRAN_ALERT_STATE_NEW)
        return not_allowed (error, "%s acknowledged this alert already.",
                            self->acknowledged_by ? self->acknowledged_by : "Someone");
      return TRUE;

    case NIGRAN_ALERT_ACTION_VERIFY:
    case NIGRAN_ALERT_ACTION_REJECT:
      if (self->verifiers_required == 0)
        return not_allowed (error, "Only identity matches are verified; this alert is not one.");
      if (nigran_alert_is_final (self))
        return not_allowed (error, "This match has been decided already.");
      if (nigran_alert_find_decision (self, actor) != NULL)
        return not_allowed (error, "You have given your decision on this match already; "
                                   "the next decision must come from someone else.");
      return TRUE;

    case NIGRAN_ALERT_ACTION_ESCALATE:
      if (self->state == NIGRAN_ALERT_STATE_ESCALATED)
        return not_allowed (error, "This alert is escalated already.");
      if (self->state == NIGRAN_ALERT_STATE_REJECTED)
        return not_allowed (error, "This match was rejected; there is nothing to escalate.");
      return TRUE;

    case NIGRAN_ALERT_ACTION_ASSIGN:
      if (!nigran_alert_state_is_open (self->state))
        return not_allowed (error, "This alert is settled; there is nobody to assign it to.");
      return TRUE;

    case NIGRAN_ALERT_ACTION_NOTE:
    case NIGRAN_ALERT_ACTION_CLOSE:
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

static void
set_state (NigranAlert      *self,
           NigranAlertState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
acknowledge (NigranAlert *self,
             NigranEvent *event)
{
  if (self->acknowledged_us != 0)
    return;
  self->acknowledged_us = nigran_event_get_time_us (event);
  self->acknowledged_by = g_intern_string (nigran_event_get_actor (event));
  if (self->state == NIGRAN_ALERT_STATE_NEW)
    set_state (self, NIGRAN_ALERT_STATE_ACKNOWLEDGED);
}

static void
decide (NigranAlert *self,
        NigranEvent *event,
        gboolean     verified)
{
  NigranAlertDecision decision = {
    g_strdup (nigran_event_get_actor (event)),
    nigran_event_get_time_us (event),
    verified,
    NIGRAN_REJECT_REASON_OTHER,
  };
  guint n_verified = 0, n_rejected = 0;

  if (!verified)
    nigran_reject_reason_from_string (get_string (nigran_event_get_payload (event), "reason"), &decision.reason);
  if (self->decisions == NULL)
    {
      self->decisions = g_array_new (FALSE, FALSE, sizeof (NigranAlertDecision));
      g_array_set_clear_func (self->decisions, decision_clear);
    }
  g_array_append_val (self->decisions, decision);
  acknowledge (self, event);

  for (guint i = 0; i < self->decisions->len; i++)
    {
      if (g_array_index (self->decisions, NigranAlertDecision, i).verified)
        n_verified++;
      else
        n_rejected++;
    }

  if (self->verifiers_required == 1 || self->state == NIGRAN_ALERT_STATE_ESCALATED)
    {
      /* One verifier, or a supervisor settling a disagreement or an escalation. */
      if (self->verifiers_required == 2 && verified && n_verified < 2)
        return;  /* an escalated four-eyes match still needs two who say "match" */
      self->decided_us = decision.time_us;
      set_state (self, !verified ? NIGRAN_ALERT_STATE_REJECTED
                       : self->verifiers_required == 2 ? NIGRAN_ALERT_STATE_CONFIRMED
                       : NIGRAN_ALERT_STATE_VERIFIED);
    }
  else if (n_verified >= 2)
    {
      self->decided_us = decision.time_us;
      set_state (self, NIGRAN_ALERT_STATE_CONFIRMED);
    }
  else if (n_rejected >= 2)
    {
      self->decided_us = decision.time_us;
      set_state (self, NIGRAN_ALERT_STATE_REJECTED);
    }
  else if (n_verified == 1 && n_rejected == 1)
    {
      g_free (self->escalation_reason);
      self->escalation_reason = g_strdup ("The two verifiers disagree");
      set_state (self, NIGRAN_ALERT_STATE_ESCALATED);
    }
}

/* Follows one event of this alert; FALSE if the rules did not let it change anything. */
gboolean
_nigran_alert_apply (NigranAlert *self,
                     NigranEvent *event)
{
  const char *type = nigran_event_get_event_type (event);
  const char *actor = nigran_event_get_actor (event);
  JsonObject *payload;
  NigranAlertAction action;

  /* Retention: the pictures went, the alert and its review stay. */
  if (g_str_equal (type, "alert.evidence-erased"))
    {
      g_clear_pointer (&self->snapshot, g_free);
      g_clear_pointer (&self->snapshot_sha256, g_free);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return TRUE;
    }
  for (action = 0; action < G_N_ELEMENTS (action_types); action++)
    if (g_str_equal (type, action_types[action]))
      break;
  if (action == G_N_ELEMENTS (action_types) || !nigran_alert_can (self, action, actor, NULL))
    return FALSE;

  payload = nigran_event_get_payload (event);
  switch (action)
    {
    case NIGRAN_ALERT_ACTION_ACKNOWLEDGE:
      acknowledge (self, event);
      break;

    case NIGRAN_ALERT_ACTION_ASSIGN:
      if (get_string (payload, "operator") == NULL)
        return FALSE;
      self->assignee = g_intern_string (get_string (payload, "operator"));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSIGNEE]);
      break;

    case NIGRAN_ALERT_ACTION_VERIFY:
    case NIGRAN_ALERT_ACTION_REJECT:
      decide (self, event, action == NIGRAN_ALERT_ACTION_VERIFY);
      break;

    case NIGRAN_ALERT_ACTION_ESCALATE:
      acknowledge (self, event);
      g_free (self->escalation_reason);
      self->escalation_reason = g_strdup (get_string (payload, "text"));
      set_state (self, NIGRAN_ALERT_STATE_ESCALATED);
      break;

    case NIGRAN_ALERT_ACTION_NOTE:
      {
        NigranAlertNote note = { g_strdup (actor), nigran_event_get_time_us (event),
                                 g_strdup (get_string (payload, "text")) };

        if (note.text == NULL)
          {
            note_clear (&note);
            return FALSE;
          }
        if (self->notes == NULL)
          {
            self->notes = g_array_new (FALSE, FALSE, sizeof (NigranAlertNote));
            g_array_set_clear_func (self->notes, note_clear);
          }
        g_array_append_val (self->notes, note);
      }
      break;

    case NIGRAN_ALERT_ACTION_CLOSE:
      self->closed_us = nigran_event_get_time_us (event);
      set_state (self, NIGRAN_ALERT_STATE_CLOSED);
      break;
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

const char *nigran_alert_get_id (NigranAlert *self) { return self->id; }
gint64 nigran_alert_get_sequence (NigranAlert *self) { return self->sequence; }
const char *nigran_alert_get_source (NigranAlert *self) { return self->source; }
const char *nigran_alert_get_kind (NigranAlert *self) { return self->kind; }
NigranAlertPriority nigran_alert_get_priority (NigranAlert *self) { return self->priority; }
const char *nigran_alert_get_title (NigranAlert *self) { return self->title; }
const char *nigran_alert_get_detail (NigranAlert *self) { return self->detail; }
const char *nigran_alert_get_camera_id (NigranAlert *self) { return self->camera_id; }
const char *nigran_alert_get_site_id (NigranAlert *self) { return self->site_id; }
const char *nigran_alert_get_matched (NigranAlert *self) { return self->matched; }
double nigran_alert_get_score (NigranAlert *self) { return self->score; }
gint64 nigran_alert_get_frame_age_ms (NigranAlert *self) { return self->frame_age_ms; }
const char *nigran_alert_get_snapshot (NigranAlert *self) { return self->snapshot; }
const char *nigran_alert_get_snapshot_sha256 (NigranAlert *self) { return self->snapshot_sha256; }
guint nigran_alert_get_verifiers_required (NigranAlert *self) { return self->verifiers_required; }
const char *nigran_alert_get_watchlist (NigranAlert *self) { return self->watchlist; }
const char *nigran_alert_get_colour (NigranAlert *self) { return self->colour; }
const char *nigran_alert_get_tone (NigranAlert *self) { return self->tone; }
gboolean nigran_alert_get_demo (NigranAlert *self) { return self->demo; }
gint64 nigran_alert_get_raised_us (NigranAlert *self) { return self->raised_us; }
NigranAlertState nigran_alert_get_state (NigranAlert *self) { return self->state; }
const char *nigran_alert_get_acknowledged_by (NigranAlert *self) { return self->acknowledged_by; }
gint64 nigran_alert_get_acknowledged_us (NigranAlert *self) { return self->acknowledged_us; }
gint64 nigran_alert_get_decided_us (NigranAlert *self) { return self->decided_us; }
gint64 nigran_alert_get_closed_us (NigranAlert *self) { return self->closed_us; }
const char *nigran_alert_get_assignee (NigranAlert *self) { return self->assignee; }
const char *nigran_alert_get_escalation_reason (NigranAlert *self) { return self->escalation_reason; }
guint nigran_alert_get_n_decisions (NigranAlert *self) { return self->decisions ? self->decisions->len : 0; }
guint nigran_alert_get_n_notes (NigranAlert *self) { return self->notes ? self->notes->len : 0; }

const NigranAlertDecision *
nigran_alert_get_decision (NigranAlert *self,
                           guint        index)
{
  g_return_val_if_fail (index < nigran_alert_get_n_decisions (self), NULL);
  return &g_array_index (self->decisions, NigranAlertDecision, index);
}

/* @actor's own decision, or NULL: the only one a verifier may see before deciding. */
const NigranAlertDecision *
nigran_alert_find_decision (NigranAlert *self,
                            const char  *actor)
{
  for (guint i = 0; i < nigran_alert_get_n_decisions (self); i++)
    if (g_strcmp0 (g_array_index (self->decisions, NigranAlertDecision, i).actor, actor) == 0)
      return &g_array_index (self->decisions, NigranAlertDecision, i);
  return NULL;
}

const NigranAlertNote *
nigran_alert_get_note (NigranAlert *self,
                       guint        index)
{
  g_return_val_if_fail (index < nigran_alert_get_n_notes (self), NULL);
  return &g_array_index (self->notes, NigranAlertNote, index);
}

static char *
to_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* @self's state into @record; the two JSON strings are made for it and are the
 * caller's to free (NULL when there is nothing). */
void
_nigran_alert_fill_record (NigranAlert        *self,
                           NigranAlertRecord  *record,
                           char              **decisions_json,
                           char              **notes_json)
{
  *decisions_json = NULL;
  *notes_json = NULL;
  if (nigran_alert_get_n_decisions (self) > 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < self->decisions->len; i++)
        {
          const NigranAlertDecision *decision = &g_array_index (self->decisions, NigranAlertDecision, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "actor");
          json_builder_add_string_value (builder, decision->actor);
          json_builder_set_member_name (builder, "time_us");
          json_builder_add_int_value (builder, decision->time_us);
          json_builder_set_member_name (builder, "verified");
          json_builder_add_boolean_value (builder, decision->verified);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, nigran_reject_reason_to_string (decision->reason));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      *decisions_json = to_json (builder);
    }
  if (nigran_alert_get_n_notes (self) > 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < self->notes->len; i++)
        {
          const NigranAlertNote *note = &g_array_index (self->notes, NigranAlertNote, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "actor");
          json_builder_add_string_value (builder, note->actor);
          json_builder_set_member_name (builder, "time_us");
          json_builder_add_int_value (builder, note->time_us);
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, note->text);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      *notes_json = to_json (builder);
    }

  *record = (NigranAlertRecord) {
    self->id, self->sequence, self->raised_us, self->source, self->kind, self->camera_id, self->site_id,
    self->title, self->detail, self->matched, self->snapshot, self->snapshot_sha256, self->priority, self->score,
    self->frame_age_ms, self->verifiers_required, self->demo, self->state, self->acknowledged_by,
    self->acknowledged_us, self->decided_us, self->closed_us, self->assignee, self->escalation_reason,
    *decisions_json, *notes_json, self->watchlist, self->colour, self->tone,
  };
}

static JsonArray *
parse_array (const char *json)
{
  g_autoptr(JsonNode) root = json ? json_from_string (json, NULL) : NULL;

  return root && JSON_NODE_HOLDS_ARRAY (root) ? json_array_ref (json_node_get_array (root)) : NULL;
}

NigranAlert *
_nigran_alert_new_from_record (const NigranAlertRecord *record)
{
  NigranAlert *self = g_object_new (NIGRAN_TYPE_ALERT, NULL);
  g_autoptr(JsonArray) decisions = parse_array (record->decisions_json);
  g_autoptr(JsonArray) notes = parse_array (record->notes_json);

  self->id = g_strdup (record->id);
  self->sequence = record->sequence;
  self->raised_us = record->raised_us;
  self->source = g_intern_string (record->source ? record->source : "unknown");
  self->kind = g_intern_string (record->kind ? record->kind : "unknown");
  self->camera_id = g_intern_string (record->camera_id);
  self->site_id = g_intern_string (record->site_id);
  self->title = g_strdup (record->title ? record->title : self->kind);
  self->detail = g_strdup (record->detail);
  self->matched = g_strdup (record->matched);
  self->snapshot = g_strdup (record->snapshot);
  self->snapshot_sha256 = g_strdup (record->snapshot_sha256);
  self->priority = CLAMP (record->priority, NIGRAN_ALERT_PRIORITY_CRITICAL, NIGRAN_ALERT_PRIORITY_LOW);
  self->score = record->score;
  self->frame_age_ms = record->frame_age_ms;
  self->verifiers_required = MIN (record->verifiers_required, 2);
  self->watchlist = g_strdup (record->watchlist);
  self->colour = g_strdup (record->colour);
  self->tone = g_intern_string (record->tone);
  self->demo = record->demo;
  self->state = CLAMP (record->state, NIGRAN_ALERT_STATE_NEW, NIGRAN_ALERT_STATE_CLOSED);
  self->acknowledged_by = g_intern_string (record->acknowledged_by);
  self->acknowledged_us = record->acknowledged_us;
  self->decided_us = record->decided_us;
  self->closed_us = record->closed_us;
  self->assignee = g_intern_string (record->assignee);
  self->escalation_reason = g_strdup (record->escalation_reason);

  for (guint i = 0; decisions && i < json_array_get_length (decisions); i++)
    {
      JsonNode *node = json_array_get_element (decisions, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      NigranAlertDecision decision = { 0 };

      if (object == NULL || get_string (object, "actor") == NULL)
        continue;
      decision.actor = g_strdup (get_string (object, "actor"));
      decision.time_us = get_int (object, "time_us", 0);
      decision.verified = json_object_get_boolean_member_with_default (object, "verified", FALSE);
      decision.reason = NIGRAN_REJECT_REASON_OTHER;
      nigran_reject_reason_from_string (get_string (object, "reason"), &decision.reason);
      if (self->decisions == NULL)
        {
          self->decisions = g_array_new (FALSE, FALSE, sizeof (NigranAlertDecision));
          g_array_set_clear_func (self->decisions, decision_clear);
        }
      g_array_append_val (self->decisions, decision);
    }
  for (guint i = 0; notes && i < json_array_get_length (notes); i++)
    {
      JsonNode *node = json_array_get_element (notes, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      NigranAlertNote note = { 0 };

      if (object == NULL || get_string (object, "actor") == NULL || get_string (object, "text") == NULL)
        continue;
      note.actor = g_strdup (get_string (object, "actor"));
      note.time_us = get_int (object, "time_us", 0);
      note.text = g_strdup (get_string (object, "text"));
      if (self->notes == NULL)
        {
          self->notes = g_array_new (FALSE, FALSE, sizeof (NigranAlertNote));
          g_array_set_clear_func (self->notes, note_clear);
        }
      g_array_append_val (self->notes, note);
    }
  return self;
}
