/* nigran-face-import-dialog.c: a watchlist imported from a CSV of photos, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-face-import.h"
#include "nigran-face-import-dialog.h"

#define PROGRESS_INTERVAL_MS 100

struct _NigranFaceImportDialog
{
  GtkWindow         parent_instance;

  GtkButton        *choose_button;
  GtkButton        *choose_folder_button;
  GtkLabel         *file_label;
  GtkEntry         *watchlist_entry;
  GtkDropDown      *category_dropdown;
  GtkSpinButton    *threshold_spin;
  GtkLabel         *estimate_label;
  GtkCheckButton   *two_verifiers_check;
  GtkProgressBar   *progress_bar;
  GtkLabel         *status_label;
  GtkTextView      *problems_view;
  GtkButton        *cancel_button;
  GtkButton        *import_button;

  NigranFaceWatch  *watch;
  char             *operator_name;
  GFile            *file;
  GtkNativeDialog  *chooser;
  NigranFaceImport *import;         /* while it runs */
  GCancellable     *cancellable;
  guint             progress_id;
  gboolean          imported;        /* the chosen file, already: not twice */
};

G_DEFINE_FINAL_TYPE (NigranFaceImportDialog, nigran_face_import_dialog, GTK_TYPE_WINDOW)

static void
update_sensitivity (NigranFaceImportDialog *self)
{
  gboolean running = self->import != NULL;
  gboolean ready = self->file != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->watchlist_entry)) != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), ready && !running && !self->imported);
  gtk_widget_set_sensitive (GTK_WIDGET (self->choose_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->choose_folder_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->watchlist_entry), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->two_verifiers_check), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->category_dropdown), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->threshold_spin), !running);
  gtk_button_set_label (self->cancel_button, running ? _("_Cancel") : _("_Close"));
}

static const char * const categories[] = { "wanted", "jail-inmates", "missing-persons", "protected-persons", "other" };

/* Beside the threshold: what it would cost a shift in false matches. */
static void
update_estimate (NigranFaceImportDialog *self)
{
  g_autofree char *text = nigran_face_watch_describe_false_hits (self->watch,
                                                                gtk_spin_button_get_value (self->threshold_spin));

  gtk_label_set_label (self->estimate_label, text);
}

static void
on_threshold_changed_cb (NigranFaceImportDialog *self)
{
  update_estimate (self);
}

static gboolean
show_progress (gpointer data)
{
  NigranFaceImportDialog *self = data;
  guint rows = nigran_face_import_get_n_rows (self->import);
  guint done = nigran_face_import_get_n_done (self->import);
  g_autofree char *text = g_strdup_printf (_("%u of %u photos looked at"), done, rows);

  gtk_progress_bar_set_fraction (self->progress_bar, rows ? (double)done / rows : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_CONTINUE;
}

static void
on_import_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(NigranFaceImportDialog) self = data;
  NigranFaceImport *import = NIGRAN_FACE_IMPORT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *status = NULL;
  const char * const *rows;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->import == NULL)   /* the dialog was closed */
    return;

  if (!nigran_face_import_run_finish (import, result, &error))
    status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
             ? g_strdup (_("Cancelled: nobody was enrolled."))
             : g_strdup_printf (_("The import failed, and nobody was enrolled: %s"), error->message);
  else
    {
      rows = nigran_face_import_get_problems (import);
      for (guint i = 0; rows[i] != NULL; i++)
        g_string_append_printf (problems, "%s\n", rows[i]);
      status = g_strdup_printf (_("Enrolled %u of %u rows into “%s”; %u rows could not be enrolled and are listed below."),
                                nigran_face_import_get_n_enrolled (import), nigran_face_import_get_n_rows (import),
                                gtk_editable_get_text (GTK_EDITABLE (self->watchlist_entry)),
                                g_strv_length ((char **)rows));
      show_progress (self);
      update_estimate (self);
      self->imported = TRUE;
    }
  gtk_label_set_label (self->status_label, status);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->problems_view), problems->str, -1);
  g_clear_object (&self->import);
  g_clear_object (&self->cancellable);
  update_sensitivity (self);
}

/* Starts the import of the chosen file into the named watchlist. */
void
nigran_face_import_dialog_start (NigranFaceImportDialog *self)
{
  g_autofree char *path = NULL;
  g_autoptr(NigranWatchlist) watchlist = NULL;
  const char *name;
  guint verifiers;

  g_return_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self));
  if (self->import != NULL || self->file == NULL || self->imported ||
      *gtk_editable_get_text (GTK_EDITABLE (self->watchlist_entry)) == '\0')
    return;

  path = g_file_get_path (self->file);
  verifiers = gtk_check_button_get_active (self->two_verifiers_check) ? 2 : 1;
  name = gtk_editable_get_text (GTK_EDITABLE (self->watchlist_entry));
  /* An existing watchlist keeps its colour, tone, priority and retention. */
  watchlist = nigran_face_watch_dup_watchlist (self->watch, name);
  if (watchlist == NULL)
    watchlist = nigran_watchlist_new (name, NULL);
  nigran_watchlist_set_category (watchlist, categories[MIN (gtk_drop_down_get_selected (self->category_dropdown),
                                                            G_N_ELEMENTS (categories) - 1)]);
  nigran_watchlist_set_threshold (watchlist, gtk_spin_button_get_value (self->threshold_spin));
  nigran_watchlist_set_verifiers_required (watchlist, verifiers);
  nigran_face_watch_define_watchlist (self->watch, watchlist, self->operator_name);
  self->import = nigran_face_import_new (self->watch, name, nigran_watchlist_get_priority (watchlist), verifiers);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_label (self->status_label, _("Reading the photos…"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->problems_view), "", -1);
  nigran_face_import_run_async (self->import, path, self->operator_name, self->cancellable,
                                on_import_done_cb, g_object_ref (self));
  self->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, show_progress, self);
  update_sensitivity (self);
}

static void
on_import_clicked_cb (NigranFaceImportDialog *self)
{
  nigran_face_import_dialog_start (self);
}

static void
on_cancel_clicked_cb (NigranFaceImportDialog *self)
{
  if (self->import != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_watchlist_changed_cb (NigranFaceImportDialog *self)
{
  update_sensitivity (self);
}

void
nigran_face_import_dialog_set_file (NigranFaceImportDialog *self,
                                    GFile                  *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self));

  g_set_object (&self->file, file);
  self->imported = FALSE;
  name = file ? g_file_get_path (file) : NULL;
  gtk_label_set_label (self->file_label, name ? name : _("No file chosen"));
  update_sensitivity (self);
}

static void
on_chooser_response_cb (GtkNativeDialog        *chooser,
                        int                     response,
                        NigranFaceImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      nigran_face_import_dialog_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
show_chooser (NigranFaceImportDialog *self,
              GtkFileChooserNative   *chooser)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
on_choose_clicked_cb (NigranFaceImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose the CSV of photos"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  show_chooser (self, chooser);
}

static void
on_choose_folder_clicked_cb (NigranFaceImportDialog *self)
{
  show_chooser (self, gtk_file_chooser_native_new (_("Choose the folder of photos"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                   _("_Choose"), _("_Cancel")));
}

void
nigran_face_import_dialog_set_watchlist (NigranFaceImportDialog *self,
                                         const char             *watchlist)
{
  g_return_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->watchlist_entry), watchlist);
}

const char *
nigran_face_import_dialog_get_estimate (NigranFaceImportDialog *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self), NULL);
  return gtk_label_get_label (self->estimate_label);
}

void
nigran_face_import_dialog_set_threshold (NigranFaceImportDialog *self,
                                         double                  threshold)
{
  g_return_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self));
  gtk_spin_button_set_value (self->threshold_spin, threshold);
}

gboolean
nigran_face_import_dialog_is_running (NigranFaceImportDialog *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self), FALSE);
  return self->import != NULL;
}

const char *
nigran_face_import_dialog_get_status (NigranFaceImportDialog *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self), NULL);
  return gtk_label_get_label (self->status_label);
}

char *
nigran_face_import_dialog_dup_problems (NigranFaceImportDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT_DIALOG (self), NULL);
  buffer = gtk_text_view_get_buffer (self->problems_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Closing while an import runs cancels it: no one is enrolled. */
static gboolean
nigran_face_import_dialog_close_request (GtkWindow *window)
{
  NigranFaceImportDialog *self = NIGRAN_FACE_IMPORT_DIALOG (window);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->import);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  return GTK_WINDOW_CLASS (nigran_face_import_dialog_parent_class)->close_request (window);
}

static void
nigran_face_import_dialog_dispose (GObject *object)
{
  NigranFaceImportDialog *self = NIGRAN_FACE_IMPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->import);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_object (&self->watch);
  g_clear_pointer (&self->operator_name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_FACE_IMPORT_DIALOG);

  G_OBJECT_CLASS (nigran_face_import_dialog_parent_class)->dispose (object);
}

static void
nigran_face_import_dialog_class_init (NigranFaceImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_face_import_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = nigran_face_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-face-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, choose_button);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, choose_folder_button);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, watchlist_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, two_verifiers_check);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, problems_view);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, NigranFaceImportDialog, import_button);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_watchlist_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_threshold_changed_cb);
}

static void
nigran_face_import_dialog_init (NigranFaceImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NigranFaceImportDialog *
nigran_face_import_dialog_new (GtkWindow       *parent,
                               NigranFaceWatch *watch,
                               const char      *operator_name)
{
  NigranFaceImportDialog *self;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (watch), NULL);

  self = g_object_new (NIGRAN_TYPE_FACE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->watch = g_object_ref (watch);
  self->operator_name = g_strdup (operator_name);
  update_estimate (self);
  return self;
}
