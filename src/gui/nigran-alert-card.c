/* nigran-alert-card.c: one alert's evidence and the actions on it
 *
 * Every action goes through the event log and shows here only once committed: the
 * card redraws from the alert, which the projection moves on. An action the rules or
 * the log refuse leaves the alert as it was and says why.
 *
 * Identity matches are verified blind: before deciding, a verifier sees how many
 * decisions were given, never what they were; after deciding, only their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-alert-card.h"
#include "nigran-alert-row.h"
#include "nigran-evidence.h"

struct _NigranAlertCard
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkLabel       *priority_label;
  GtkWidget      *demo_label;
  GtkLabel       *title_label;
  GtkLabel       *state_label;
  GtkPicture     *evidence_picture;
  GtkLabel       *watchlist_label;
  GtkLabel       *facts_label;
  GtkLabel       *decisions_label;
  GtkLabel       *notes_label;
  GtkLabel       *error_label;
  GtkMenuButton  *reject_button;
  GtkButton      *dispatch_button;
  GtkEntry       *note_entry;

  NigranAlert    *alert;
  NigranEventLog *log;
  char           *operator_name;
  NigranSiteFile *site_file;
  GCancellable   *evidence_cancellable;
  GHashTable     *viewed;   /* ids of matches whose evidence this operator was shown */
};

G_DEFINE_FINAL_TYPE (NigranAlertCard, nigran_alert_card, GTK_TYPE_WIDGET)

enum { SIGNAL_SHOW_CAMERA, N_SIGNALS };
static guint signals[N_SIGNALS];

static const struct
{
  const char        *name;
  NigranAlertAction  action;
} actions[] = {
  { "alert.acknowledge", NIGRAN_ALERT_ACTION_ACKNOWLEDGE },
  { "alert.verify", NIGRAN_ALERT_ACTION_VERIFY },
  { "alert.reject", NIGRAN_ALERT_ACTION_REJECT },
  { "alert.escalate", NIGRAN_ALERT_ACTION_ESCALATE },
  { "alert.note", NIGRAN_ALERT_ACTION_NOTE },
  { "alert.close", NIGRAN_ALERT_ACTION_CLOSE },
  { "alert.take", NIGRAN_ALERT_ACTION_ASSIGN },
};

static void
show_error (NigranAlertCard *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
describe_decisions (NigranAlertCard *self)
{
  NigranAlert *alert = self->alert;
  guint required = nigran_alert_get_verifiers_required (alert);
  guint n_decisions = nigran_alert_get_n_decisions (alert);
  const NigranAlertDecision *mine = nigran_alert_find_decision (alert, self->operator_name);
  GString *text;

  if (required == 0)
    return g_strdup (_("Not an identity match: nothing to verify."));

  if (nigran_alert_is_final (alert))
    {
      text = g_string_new (NULL);
      for (guint i = 0; i < n_decisions; i++)
        {
          const NigranAlertDecision *decision = nigran_alert_get_decision (alert, i);

          if (decision->verified)
            g_string_append_printf (text, _("%s: match\n"), decision->actor);
          else
            g_string_append_printf (text, _("%s: no match (%s)\n"), decision->actor,
                                    nigran_reject_reason_to_string (decision->reason));
        }
      if (text->len > 0)
        g_string_truncate (text, text->len - 1);
      return g_string_free (text, FALSE);
    }

  if (mine != NULL)
    return g_strdup (mine->verified
                     ? _("You said: match. Waiting for another verifier, who will not see your decision.")
                     : _("You said: no match. Waiting for another verifier, who will not see your decision."));
  if (required == 2)
    return g_strdup_printf (ngettext ("Four-eyes rule: two different people must verify. %u decision given so far.",
                                      "Four-eyes rule: two different people must verify. %u decisions given so far.",
                                      n_decisions), n_decisions);
  return g_strdup (_("One verifier must decide whether this is a match."));
}

static char *
describe_facts (NigranAlertCard *self)
{
  NigranAlert *alert = self->alert;
  g_autofree char *time = nigran_format_local_time (nigran_alert_get_raised_us (alert), "%Y-%m-%d %H:%M:%S");
  g_autofree char *where = nigran_alert_describe_where (alert, self->site_file);
  GString *text = g_string_new (NULL);

  if (*where != '\0')
    g_string_append_printf (text, _("Where: %s\n"), where);
  g_string_append_printf (text, _("Raised: %s\n"), time);
  if (nigran_alert_get_matched (alert) != NULL)
    g_string_append_printf (text, _("Matched: %s\n"), nigran_alert_get_matched (alert));
  if (nigran_alert_get_score (alert) >= 0)
    g_string_append_printf (text, _("Score: %.2f\n"), nigran_alert_get_score (alert));
  if (nigran_alert_get_frame_age_ms (alert) >= 0)
    g_string_append_printf (text, _("Frame age: %" G_GINT64_FORMAT " ms\n"), nigran_alert_get_frame_age_ms (alert));
  if (nigran_alert_get_detail (alert) != NULL)
    g_string_append_printf (text, "%s\n", nigran_alert_get_detail (alert));
  if (nigran_alert_get_assignee (alert) != NULL)
    g_string_append_printf (text, _("Assigned to: %s\n"), nigran_alert_get_assignee (alert));
  if (nigran_alert_get_escalation_reason (alert) != NULL)
    g_string_append_printf (text, _("Escalated: %s\n"), nigran_alert_get_escalation_reason (alert));
  g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

static char *
describe_notes (NigranAlert *alert)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < nigran_alert_get_n_notes (alert); i++)
    {
      const NigranAlertNote *note = nigran_alert_get_note (alert, i);
      g_autofree char *time = nigran_format_local_time (note->time_us, "%H:%M");

      g_string_append_printf (text, "%s%s %s: %s", i ? "\n" : "", time, note->actor, note->text);
    }
  return g_string_free (text, FALSE);
}

static void
update_actions (NigranAlertCard *self)
{
  gboolean can_reject = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gboolean enabled = self->alert != NULL && self->log != NULL &&
                         nigran_alert_can (self->alert, actions[i].action, self->operator_name, NULL);

      gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i].name, enabled);
      if (actions[i].action == NIGRAN_ALERT_ACTION_REJECT)
        can_reject = enabled;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->reject_button), can_reject);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "alert.show-camera",
                                 self->alert != NULL && nigran_alert_get_camera_id (self->alert) != NULL);
}

static void
update (NigranAlertCard *self)
{
  static const char * const priority_names[] = { NULL, N_("Critical"), N_("High"), N_("Medium"), N_("Low") };
  g_autofree char *state = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *decisions = NULL;
  g_autofree char *notes = NULL;

  update_actions (self);
  gtk_widget_set_visible (self->box, self->alert != NULL);
  if (self->alert == NULL)
    return;

  state = nigran_alert_describe_state (self->alert);
  facts = describe_facts (self);
  decisions = describe_decisions (self);
  notes = describe_notes (self->alert);

  for (guint p = NIGRAN_ALERT_PRIORITY_CRITICAL; p <= NIGRAN_ALERT_PRIORITY_LOW; p++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->priority_label), nigran_alert_priority_css_class (p));
  gtk_widget_add_css_class (GTK_WIDGET (self->priority_label),
                            nigran_alert_priority_css_class (nigran_alert_get_priority (self->alert)));
  gtk_label_set_label (self->priority_label, _(priority_names[nigran_alert_get_priority (self->alert)]));
  gtk_widget_set_visible (self->demo_label, nigran_alert_get_demo (self->alert));
  gtk_label_set_label (self->title_label, nigran_alert_get_title (self->alert));
  gtk_label_set_label (self->state_label, state);
  gtk_label_set_label (self->facts_label, facts);
  nigran_alert_show_watchlist (self->alert, self->watchlist_label);
  gtk_label_set_label (self->decisions_label, decisions);
  gtk_label_set_label (self->notes_label, notes);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), *notes != '\0');
}

/* Who saw an identity match's evidence is on record, once per operator and alert. */
static void
record_view (NigranAlertCard *self)
{
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *subject = NULL;

  if (self->alert == NULL || self->log == NULL || nigran_alert_get_verifiers_required (self->alert) == 0 ||
      g_hash_table_contains (self->viewed, nigran_alert_get_id (self->alert)))
    return;
  g_hash_table_add (self->viewed, g_strdup (nigran_alert_get_id (self->alert)));
  payload = json_object_new ();
  json_object_set_string_member (payload, "view", "alert-card");
  subject = g_strconcat ("alert:", nigran_alert_get_id (self->alert), NULL);
  event = nigran_event_new ("audit.view", (const char * const[]) { subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, self->operator_name, NULL, NULL, NULL);
}

static void
load_evidence_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  char **evidence = task_data;   /* path, digest */
  g_autoptr(GFile) file = g_file_new_for_path (evidence[0]);
  GError *error = NULL;
  GdkTexture *texture = NULL;

  if (nigran_evidence_check_file (evidence[0], evidence[1], &error))
    texture = gdk_texture_new_from_file (file, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_evidence_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  NigranAlertCard *self = NIGRAN_ALERT_CARD (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    show_error (self, error->message);
  gtk_picture_set_paintable (self->evidence_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_picture), texture != NULL);
}

static void
load_evidence (NigranAlertCard *self)
{
  g_autoptr(GTask) task = NULL;
  const char *snapshot = self->alert ? nigran_alert_get_snapshot (self->alert) : NULL;

  g_cancellable_cancel (self->evidence_cancellable);
  g_clear_object (&self->evidence_cancellable);
  gtk_picture_set_paintable (self->evidence_picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_picture), FALSE);
  if (snapshot == NULL)
    return;

  self->evidence_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->evidence_cancellable, on_evidence_loaded_cb, NULL);
  g_task_set_source_tag (task, load_evidence);
  g_task_set_task_data (task, g_strdupv ((GStrv)(const char *[]) { snapshot, nigran_alert_get_snapshot_sha256 (self->alert), NULL }),
                        (GDestroyNotify)g_strfreev);
  g_task_run_in_thread (task, load_evidence_thread);
}

typedef struct
{
  NigranAlertCard   *card;
  NigranAlertAction  action;
} ActionData;

static void
on_action_recorded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ActionData *data = user_data;
  g_autoptr(NigranAlertCard) self = data->card;
  g_autoptr(GError) error = NULL;

  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0)
    show_error (self, error->message);
  else if (data->action == NIGRAN_ALERT_ACTION_NOTE)
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  g_free (data);
}

static void
perform (NigranAlertCard    *self,
         NigranAlertAction   action,
         const char         *text,
         NigranRejectReason  reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranEvent) event = NULL;
  ActionData *data;

  if (self->alert == NULL || self->log == NULL)
    return;
  if (!nigran_alert_can (self->alert, action, self->operator_name, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  event = nigran_alert_action_event_new (self->alert, action, text, reason);
  data = g_new0 (ActionData, 1);
  data->card = g_object_ref (self);
  data->action = action;
  nigran_event_log_append_async (self->log, event, self->operator_name, NULL, on_action_recorded_cb, data);
}

static void
alert_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  NigranAlertCard *self = NIGRAN_ALERT_CARD (widget);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      if (!g_str_equal (action_name, actions[i].name))
        continue;
      switch (actions[i].action)
        {
        case NIGRAN_ALERT_ACTION_REJECT:
          {
            NigranRejectReason reason = NIGRAN_REJECT_REASON_OTHER;

            nigran_reject_reason_from_string (g_variant_get_string (parameter, NULL), &reason);
            perform (self, NIGRAN_ALERT_ACTION_REJECT, NULL, reason);
          }
          break;
        case NIGRAN_ALERT_ACTION_NOTE:
          {
            g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

            if (*text == '\0')
              {
                show_error (self, _("Write the note first."));
                gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
                return;
              }
            perform (self, NIGRAN_ALERT_ACTION_NOTE, text, 0);
          }
          break;
        case NIGRAN_ALERT_ACTION_ASSIGN:
          perform (self, NIGRAN_ALERT_ACTION_ASSIGN, self->operator_name, 0);
          break;
        default:
          perform (self, actions[i].action, NULL, 0);
        }
      return;
    }
}

static void
show_camera_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NigranAlertCard *self = NIGRAN_ALERT_CARD (widget);

  if (self->alert != NULL && nigran_alert_get_camera_id (self->alert) != NULL)
    g_signal_emit (self, signals[SIGNAL_SHOW_CAMERA], 0, nigran_alert_get_camera_id (self->alert));
}

static void
on_note_activate_cb (GtkEntry        *entry,
                     NigranAlertCard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "alert.note", NULL);
}

static void
nigran_alert_card_dispose (GObject *object)
{
  NigranAlertCard *self = NIGRAN_ALERT_CARD (object);

  nigran_alert_card_set_alert (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_ALERT_CARD);
  g_clear_object (&self->log);
  g_clear_object (&self->site_file);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->viewed, g_hash_table_unref);

  G_OBJECT_CLASS (nigran_alert_card_parent_class)->dispose (object);
}

static void
nigran_alert_card_class_init (NigranAlertCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_alert_card_dispose;

  /**
   * NigranAlertCard::show-camera:
   * @camera_id: the camera the alert came from
   */
  signals[SIGNAL_SHOW_CAMERA] =
    g_signal_new ("show-camera", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-alert-card.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, box);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, priority_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, demo_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, state_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, evidence_picture);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, watchlist_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, facts_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, decisions_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, notes_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, error_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, reject_button);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, dispatch_button);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertCard, note_entry);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nigran-alert-card");

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i].name,
                                     actions[i].action == NIGRAN_ALERT_ACTION_REJECT ? "s" : NULL,
                                     alert_action);
  gtk_widget_class_install_action (widget_class, "alert.show-camera", NULL, show_camera_action);
}

static void
nigran_alert_card_init (NigranAlertCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->viewed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (self->note_entry, "activate", G_CALLBACK (on_note_activate_cb), self);
  update (self);
}

NigranAlertCard *
nigran_alert_card_new (void)
{
  return g_object_new (NIGRAN_TYPE_ALERT_CARD, NULL);
}

/* Where actions are recorded, as whom, and the site that names cameras. */
void
nigran_alert_card_set_context (NigranAlertCard *self,
                               NigranEventLog  *log,
                               const char      *operator_name,
                               NigranSiteFile  *site_file)
{
  g_return_if_fail (NIGRAN_IS_ALERT_CARD (self));

  g_set_object (&self->log, log);
  g_set_object (&self->site_file, site_file);
  if (g_strcmp0 (self->operator_name, operator_name) != 0)
    g_hash_table_remove_all (self->viewed);
  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
  update (self);
  record_view (self);
}

void
nigran_alert_card_set_site_file (NigranAlertCard *self,
                                 NigranSiteFile  *site_file)
{
  g_return_if_fail (NIGRAN_IS_ALERT_CARD (self));

  g_set_object (&self->site_file, site_file);
  update (self);
}

void
nigran_alert_card_set_alert (NigranAlertCard *self,
                             NigranAlert     *alert)
{
  g_return_if_fail (NIGRAN_IS_ALERT_CARD (self));

  if (self->alert == alert)
    return;
  if (self->alert != NULL)
    g_signal_handlers_disconnect_by_data (self->alert, self);
  g_set_object (&self->alert, alert);
  if (alert != NULL)
    {
      g_signal_connect_swapped (alert, "changed", G_CALLBACK (update), self);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->dispatch_button), "s", nigran_alert_get_id (alert));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->dispatch_button), "dispatch.alert");
    }
  show_error (self, NULL);
  load_evidence (self);
  update (self);
  record_view (self);
}

NigranAlert *
nigran_alert_card_get_alert (NigranAlertCard *self)
{
  return self->alert;
}

void
nigran_alert_card_open_reject_menu (NigranAlertCard *self)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->reject_button)))
    gtk_menu_button_popup (self->reject_button);
}

void
nigran_alert_card_focus_note (NigranAlertCard *self)
{
  if (self->alert != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

/* The last refusal shown on the card, or NULL. */
const char *
nigran_alert_card_get_error (NigranAlertCard *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

/* Whether the alert's picture is on the card. */
gboolean
nigran_alert_card_shows_evidence (NigranAlertCard *self)
{
  return gtk_picture_get_paintable (self->evidence_picture) != NULL;
}

gboolean
nigran_alert_card_reject_menu_is_open (NigranAlertCard *self)
{
  GtkPopover *popover = gtk_menu_button_get_popover (self->reject_button);

  return popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover));
}
