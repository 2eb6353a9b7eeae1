/* nigran-login-window.c: who is at the console
 *
 * Signs an operator in against the local accounts, off the main thread (the hash is
 * slow on purpose), and emits ::signed-in with the name and role. With no account at
 * all it first asks for the administrator's. Every attempt's outcome is emitted too,
 * so that the console can record it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-login-window.h"

struct _NigranLoginWindow
{
  GtkApplicationWindow  parent_instance;

  GtkLabel             *heading_label;
  GtkLabel             *explanation_label;
  GtkEntry             *name_entry;
  GtkPasswordEntry     *password_entry;
  GtkPasswordEntry     *repeat_entry;
  GtkLabel             *message_label;
  GtkSpinner           *spinner;
  GtkButton            *submit_button;
  GtkLabel             *hint_label;

  NigranAccountStore   *accounts;
  NigranClock          *clock;
  GCancellable         *cancellable;
  gboolean              setup;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (NigranLoginWindow, nigran_login_window, GTK_TYPE_APPLICATION_WINDOW)

enum { SIGNAL_SIGNED_IN, SIGNAL_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_busy (NigranLoginWindow *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.submit", !busy);
}

static void
set_setup (NigranLoginWindow *self,
           gboolean           setup)
{
  self->setup = setup;
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_entry), setup);
  gtk_label_set_label (self->heading_label, setup ? _("Create the administrator account") : _("Sign in to Nigran"));
  gtk_label_set_label (self->explanation_label,
                       setup ? _("There are no accounts yet. The first one administers the others.")
                             : _("Everything you see and decide is recorded under your name."));
  gtk_button_set_label (self->submit_button, setup ? _("_Create and sign in") : _("_Sign in"));
}

static void
on_authenticated_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NigranLoginWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  NigranRole role;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), "");

  if (!nigran_account_store_authenticate_finish (NIGRAN_ACCOUNT_STORE (source), result, &role, &error))
    {
      gtk_label_set_label (self->message_label, error->message);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, name,
                     g_error_matches (error, NIGRAN_ACCOUNT_ERROR, NIGRAN_ACCOUNT_ERROR_LOCKED));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }
  gtk_label_set_label (self->message_label, "");
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, name, role);
}

static void
sign_in (NigranLoginWindow *self)
{
  set_busy (self, TRUE);
  nigran_account_store_authenticate_async (self->accounts,
                                           gtk_editable_get_text (GTK_EDITABLE (self->name_entry)),
                                           gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                                           nigran_clock_get_now_us (self->clock), self->cancellable,
                                           on_authenticated_cb, g_object_ref (self));
}

static void
create_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  char **fields = task_data;   /* name, password, now */
  GError *error = NULL;

  if (nigran_account_store_add (source, fields[0], NIGRAN_ROLE_ADMINISTRATOR, fields[1],
                                g_ascii_strtoll (fields[2], NULL, 10), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_created_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(NigranLoginWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_busy (self, FALSE);
      gtk_label_set_label (self->message_label, error->message);
      return;
    }
  set_setup (self, FALSE);
  sign_in (self);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NigranLoginWindow *self = NIGRAN_LOGIN_WINDOW (widget);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  g_autoptr(GTask) task = NULL;
  char **fields;

  if (self->busy)
    return;
  if (!self->setup)
    {
      sign_in (self);
      return;
    }
  if (g_strcmp0 (password, gtk_editable_get_text (GTK_EDITABLE (self->repeat_entry))) != 0)
    {
      gtk_label_set_label (self->message_label, _("The two passwords differ; type them again."));
      return;
    }
  fields = g_new0 (char *, 4);
  fields[0] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  fields[1] = g_strdup (password);
  fields[2] = g_strdup_printf ("%" G_GINT64_FORMAT, nigran_clock_get_now_us (self->clock));
  set_busy (self, TRUE);
  task = g_task_new (self->accounts, self->cancellable, on_created_cb, g_object_ref (self));
  g_task_set_source_tag (task, submit_action);
  g_task_set_task_data (task, fields, (GDestroyNotify)g_strfreev);
  g_task_run_in_thread (task, create_thread);
}

static void
on_entry_activate_cb (GtkWidget         *entry,
                      NigranLoginWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.submit", NULL);
}

static void
nigran_login_window_dispose (GObject *object)
{
  NigranLoginWindow *self = NIGRAN_LOGIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_LOGIN_WINDOW);
  g_clear_object (&self->accounts);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (nigran_login_window_parent_class)->dispose (object);
}

static void
nigran_login_window_finalize (GObject *object)
{
  g_clear_object (&NIGRAN_LOGIN_WINDOW (object)->cancellable);

  G_OBJECT_CLASS (nigran_login_window_parent_class)->finalize (object);
}

static void
nigran_login_window_class_init (NigranLoginWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_login_window_dispose;
  object_class->finalize = nigran_login_window_finalize;

  /**
   * NigranLoginWindow::signed-in:
   * @name: the operator
   * @role: a #NigranRole
   */
  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
  /**
   * NigranLoginWindow::refused:
   * @name: the name typed
   * @locked: whether the account is locked
   */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-login-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, submit_button);
  gtk_widget_class_bind_template_child (widget_class, NigranLoginWindow, hint_label);
  gtk_widget_class_install_action (widget_class, "login.submit", NULL, submit_action);
}

static void
nigran_login_window_init (NigranLoginWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->name_entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  g_signal_connect (self->password_entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  g_signal_connect (self->repeat_entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
}

/**
 * nigran_login_window_new:
 * @hint: (nullable): a line under the form, such as the demo's accounts
 */
NigranLoginWindow *
nigran_login_window_new (GtkApplication     *application,
                         NigranAccountStore *accounts,
                         NigranClock        *clock,
                         const char         *hint)
{
  NigranLoginWindow *self;

  g_return_val_if_fail (NIGRAN_IS_ACCOUNT_STORE (accounts), NULL);

  self = g_object_new (NIGRAN_TYPE_LOGIN_WINDOW, "application", application, NULL);
  self->accounts = g_object_ref (accounts);
  self->clock = g_object_ref (clock);
  set_setup (self, nigran_account_store_count (accounts) == 0);
  gtk_label_set_label (self->hint_label, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  return self;
}

/* As if typed into the form and submitted. */
void
nigran_login_window_submit (NigranLoginWindow *self,
                            const char        *name,
                            const char        *password,
                            const char        *repeat)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password);
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), repeat ? repeat : "");
  gtk_widget_activate_action (GTK_WIDGET (self), "login.submit", NULL);
}

const char *
nigran_login_window_get_message (NigranLoginWindow *self)
{
  return gtk_label_get_label (self->message_label);
}

gboolean
nigran_login_window_is_setup (NigranLoginWindow *self)
{
  return self->setup;
}
