/* nigran-plate-search-window.c: past plate reads, found by plate, camera and time
 *
 * The search runs on a worker (nigran-plate-search.c) and is recorded before its
 * results show. Each result shows the plate's crop as the camera saw it, the text
 * read, where and when, so that the operator judges the read, not just its text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-camera.h"
#include "nigran-plate-search.h"
#include "nigran-plate-search-window.h"

struct _NigranPlateSearchWindow
{
  GtkWindow       parent_instance;

  GtkSearchEntry *plate_entry;
  GtkDropDown    *camera_dropdown;
  GtkDropDown    *period_dropdown;
  GtkEntry       *reason_entry;
  GtkButton      *search_button;
  GtkLabel       *status_label;
  GtkListBox     *results_list;

  NigranEventLog *log;
  GPtrArray      *camera_ids;     /* by the dropdown's position; NULL first: any */
  GHashTable     *camera_names;   /* id → name */
  char           *actor;
  NigranRole      role;
  GCancellable   *cancellable;
  guint           n_results;
};

G_DEFINE_FINAL_TYPE (NigranPlateSearchWindow, nigran_plate_search_window, GTK_TYPE_WINDOW)

static const gint64 period_us[] = {
  G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY, 7 * G_TIME_SPAN_DAY, (gint64)NIGRAN_PLATE_SEARCH_OPERATOR_DAYS * G_TIME_SPAN_DAY,
  365 * G_TIME_SPAN_DAY,
};

static GtkWidget *
result_row_new (NigranPlateSearchWindow    *self,
                const NigranPlateSearchHit *hit)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *picture = hit->crop != NULL ? gtk_picture_new_for_paintable (GDK_PAINTABLE (hit->crop))
                                         : gtk_label_new (_("picture erased"));
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *plate = gtk_label_new (hit->text);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (hit->captured_us / G_USEC_PER_SEC);
  g_autofree char *when_text = g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
  const char *camera = g_hash_table_lookup (self->camera_names, hit->camera_id ? hit->camera_id : "");
  g_autofree char *where = g_strdup_printf (_("%s · %s · read %.0f %% sure"), camera ? camera : hit->camera_id,
                                            when_text, 100 * hit->confidence);
  GtkWidget *details = gtk_label_new (where);

  gtk_widget_set_size_request (picture, 200, 90);
  if (GTK_IS_PICTURE (picture))
    gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_add_css_class (plate, "title-3");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (plate), 0);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), plate);
  gtk_box_append (GTK_BOX (text), details);
  gtk_box_append (GTK_BOX (row), picture);
  gtk_box_append (GTK_BOX (row), text);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  return row;
}

static void
on_searched_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GError) error = NULL;
  gboolean limited = FALSE;
  g_autoptr(GPtrArray) hits = nigran_plate_search_finish (result, &limited, &error);
  NigranPlateSearchWindow *self;
  g_autofree char *status = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = NIGRAN_PLATE_SEARCH_WINDOW (data);
  g_clear_object (&self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), TRUE);
  if (hits == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  self->n_results = hits->len;
  for (guint i = 0; i < hits->len; i++)
    gtk_list_box_append (self->results_list, result_row_new (self, hits->pdata[i]));
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u read found; the search is recorded.",
                                         "%u reads found; the search is recorded.", hits->len),
                            hits->len);
  if (limited)
    {
      g_autofree char *with_limit = g_strdup_printf (_("%s Reads older than %d days need a supervisor."), status,
                                                     NIGRAN_PLATE_SEARCH_OPERATOR_DAYS);

      g_free (status);
      status = g_steal_pointer (&with_limit);
    }
  gtk_label_set_text (self->status_label, status);
}

static void
on_search_cb (NigranPlateSearchWindow *self)
{
  guint camera = gtk_drop_down_get_selected (self->camera_dropdown);
  guint period = MIN (gtk_drop_down_get_selected (self->period_dropdown), G_N_ELEMENTS (period_us) - 1);
  NigranPlateQuery query = {
    .plate = gtk_editable_get_text (GTK_EDITABLE (self->plate_entry)),
    .camera_id = camera < self->camera_ids->len ? self->camera_ids->pdata[camera] : NULL,
    .from_us = g_get_real_time () - period_us[period],
    .supervisor = self->role == NIGRAN_ROLE_SUPERVISOR || self->role == NIGRAN_ROLE_ADMINISTRATOR,
    .reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)),
  };
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  self->n_results = 0;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), FALSE);
  gtk_label_set_text (self->status_label, _("Searching…"));
  nigran_plate_search_async (self->log, &query, self->actor, self->cancellable, on_searched_cb, self);
}

static void
nigran_plate_search_window_dispose (GObject *object)
{
  NigranPlateSearchWindow *self = NIGRAN_PLATE_SEARCH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_PLATE_SEARCH_WINDOW);

  G_OBJECT_CLASS (nigran_plate_search_window_parent_class)->dispose (object);
}

static void
nigran_plate_search_window_finalize (GObject *object)
{
  NigranPlateSearchWindow *self = NIGRAN_PLATE_SEARCH_WINDOW (object);

  g_clear_object (&self->log);
  g_ptr_array_unref (self->camera_ids);
  g_hash_table_unref (self->camera_names);
  g_free (self->actor);

  G_OBJECT_CLASS (nigran_plate_search_window_parent_class)->finalize (object);
}

static void
nigran_plate_search_window_class_init (NigranPlateSearchWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_plate_search_window_dispose;
  object_class->finalize = nigran_plate_search_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-plate-search-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, plate_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, camera_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranPlateSearchWindow, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_cb);
}

static void
nigran_plate_search_window_init (NigranPlateSearchWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->camera_ids = g_ptr_array_new_with_free_func (g_free);
  self->camera_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* @cameras: the site's; those that read plates are offered. @role: the searcher's,
 * which decides how far back the search reaches. */
NigranPlateSearchWindow *
nigran_plate_search_window_new (GtkWindow      *parent,
                                NigranEventLog *log,
                                GListModel     *cameras,
                                const char     *actor,
                                NigranRole      role)
{
  NigranPlateSearchWindow *self = g_object_new (NIGRAN_TYPE_PLATE_SEARCH_WINDOW, "transient-for", parent, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = cameras != NULL ? g_list_model_get_n_items (cameras) : 0;

  self->log = g_object_ref (log);
  self->actor = g_strdup (actor);
  self->role = role;
  gtk_string_list_append (names, _("Any camera"));
  g_ptr_array_add (self->camera_ids, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);

      g_hash_table_replace (self->camera_names, g_strdup (nigran_camera_get_id (camera)),
                            g_strdup (nigran_camera_get_name (camera)));
      if (!nigran_camera_get_reads_plates (camera))
        continue;
      gtk_string_list_append (names, nigran_camera_get_name (camera));
      g_ptr_array_add (self->camera_ids, g_strdup (nigran_camera_get_id (camera)));
    }
  gtk_drop_down_set_model (self->camera_dropdown, G_LIST_MODEL (names));
  return self;
}

/* Searches for @plate over the chosen cameras and period, as clicking Search does. */
void
nigran_plate_search_window_search (NigranPlateSearchWindow *self,
                                   const char              *plate)
{
  g_return_if_fail (NIGRAN_IS_PLATE_SEARCH_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->plate_entry), plate);
  on_search_cb (self);
}

guint
nigran_plate_search_window_get_n_results (NigranPlateSearchWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_SEARCH_WINDOW (self), 0);
  return self->n_results;
}

gboolean
nigran_plate_search_window_is_searching (NigranPlateSearchWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_SEARCH_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}
