/* nigran-hotlist-window.c: the hotlists of plates to look out for, edited by a supervisor
 *
 * On the left the hotlists, each in its category's colour with its number of
 * entries; on the right the chosen one's settings and entries. Entries are added by
 * hand (plate, reason, source) or from a CSV file, read on a worker and listed in
 * chunks while a progress bar moves; the rows that could not be entries are listed
 * by line, and nothing else is lost. Taking an entry off needs a reason. Every
 * change is an event, made by the plate watch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-alert-row.h"
#include "nigran-hotlist-window.h"

/* Shown in the status line; the others are counted. */
#define MAX_PROBLEMS_SHOWN 20
#define ENTRY_SEPARATOR    " — "

struct _NigranHotlistWindow
{
  GtkWindow         parent_instance;

  GtkListBox       *hotlists_list;
  GtkEntry         *new_name_entry;
  GtkDropDown      *new_category_dropdown;
  GtkWidget        *detail_box;
  GtkLabel         *title_label;
  GtkDropDown      *priority_dropdown;
  GtkDropDown      *tone_dropdown;
  GtkSpinButton    *expiry_spin;
  GtkEntry         *pattern_entry;
  GtkEntry         *reason_entry;
  GtkEntry         *source_entry;
  GtkSearchEntry   *filter_entry;
  GtkButton        *import_button;
  GtkProgressBar   *import_progress;
  GtkLabel         *status_label;
  GtkListView      *entries_view;
  GtkEntry         *remove_reason_entry;

  NigranPlateWatch *watch;
  char             *actor;
  char             *hotlist;         /* the chosen one's name */
  GtkStringList    *entries;
  GtkStringFilter  *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  GtkNativeDialog  *chooser;
  GCancellable     *cancellable;
  char             *import_name;
  GPtrArray        *import_problems;
};

G_DEFINE_FINAL_TYPE (NigranHotlistWindow, nigran_hotlist_window, GTK_TYPE_WINDOW)

static char *
describe_entry (const NigranHotlistEntry *entry)
{
  g_autoptr(GString) text = g_string_new (entry->pattern);

  if (entry->reason != NULL || entry->source != NULL)
    g_string_append (text, ENTRY_SEPARATOR);
  if (entry->reason != NULL)
    g_string_append (text, entry->reason);
  if (entry->reason != NULL && entry->source != NULL)
    g_string_append (text, " · ");
  if (entry->source != NULL)
    g_string_append (text, entry->source);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
refresh_entries (NigranHotlistWindow *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (self->hotlist != NULL)
    {
      entries = nigran_plate_watch_dup_entries (self->watch, self->hotlist);
      for (guint i = 0; i < entries->len; i++)
        g_ptr_array_add (texts, describe_entry (entries->pdata[i]));
    }
  g_ptr_array_add (texts, NULL);
  gtk_string_list_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                          (const char * const *)texts->pdata);
}

static GtkWidget *
hotlist_row_new (NigranHotlistWindow *self,
                 NigranWatchlist     *hotlist)
{
  g_autofree char *chip = nigran_colour_chip_markup (nigran_watchlist_get_colour (hotlist),
                                                     nigran_watchlist_get_name (hotlist));
  g_autofree char *text = g_strdup_printf ("%s\n<small>%s · %u</small>", chip,
                                           nigran_watchlist_category_describe (nigran_watchlist_get_category (hotlist)),
                                           nigran_plate_watch_count_entries (self->watch,
                                                                             nigran_watchlist_get_name (hotlist)));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 6);
  g_object_set_data_full (G_OBJECT (label), "hotlist", g_strdup (nigran_watchlist_get_name (hotlist)), g_free);
  return label;
}

/* Lists the hotlists again, with their counts, and chooses @chosen's row. */
static void
refresh_hotlists (NigranHotlistWindow *self,
                  const char          *chosen)
{
  GListModel *hotlists = nigran_plate_watch_get_hotlists (self->watch);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hotlists_list))) != NULL)
    gtk_list_box_remove (self->hotlists_list, child);
  for (guint i = 0; i < g_list_model_get_n_items (hotlists); i++)
    {
      g_autoptr(NigranWatchlist) hotlist = g_list_model_get_item (hotlists, i);

      gtk_list_box_append (self->hotlists_list, hotlist_row_new (self, hotlist));
      if (g_strcmp0 (chosen, nigran_watchlist_get_name (hotlist)) == 0)
        gtk_list_box_select_row (self->hotlists_list, gtk_list_box_get_row_at_index (self->hotlists_list, i));
    }
}

static NigranWatchlist *
chosen_hotlist (NigranHotlistWindow *self)
{
  return self->hotlist != NULL ? nigran_plate_watch_dup_hotlist (self->watch, self->hotlist) : NULL;
}

static void
on_hotlist_selected_cb (NigranHotlistWindow *self,
                        GtkListBoxRow       *row)
{
  g_autoptr(NigranWatchlist) hotlist = NULL;
  const char *name = row != NULL ? g_object_get_data (G_OBJECT (gtk_list_box_row_get_child (row)), "hotlist") : NULL;

  /* Chosen again after a change to its entries, which its caller shows: what the
   * status says still stands. */
  if (name == NULL || g_strcmp0 (name, self->hotlist) == 0)
    return;
  gtk_label_set_label (self->status_label, "");
  g_free (self->hotlist);
  self->hotlist = g_strdup (name);
  hotlist = chosen_hotlist (self);
  gtk_widget_set_sensitive (self->detail_box, hotlist != NULL);
  if (hotlist == NULL)
    return;
  gtk_label_set_label (self->title_label, name);
  gtk_drop_down_set_selected (self->priority_dropdown, nigran_watchlist_get_priority (hotlist) - NIGRAN_ALERT_PRIORITY_CRITICAL);
  gtk_drop_down_set_selected (self->tone_dropdown, nigran_watchlist_get_tone (hotlist));
  gtk_spin_button_set_value (self->expiry_spin, nigran_watchlist_get_expiry_days (hotlist));
  refresh_entries (self);
}

static void
on_new_hotlist_cb (NigranHotlistWindow *self)
{
  const char * const *categories = nigran_watchlist_vehicle_categories ();
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_name_entry))));
  guint category = gtk_drop_down_get_selected (self->new_category_dropdown);
  g_autoptr(NigranWatchlist) hotlist = NULL;

  if (*name == '\0')
    {
      gtk_label_set_label (self->status_label, _("Give the new hotlist a name."));
      gtk_widget_set_sensitive (self->detail_box, TRUE);
      return;
    }
  hotlist = nigran_watchlist_new (name, categories[MIN (category, g_strv_length ((char **)categories) - 1)]);
  nigran_watchlist_set_verifiers_required (hotlist, 1);
  nigran_plate_watch_define_hotlist (self->watch, hotlist, self->actor);
  gtk_editable_set_text (GTK_EDITABLE (self->new_name_entry), "");
  refresh_hotlists (self, name);
}

static void
on_save_cb (NigranHotlistWindow *self)
{
  g_autoptr(NigranWatchlist) hotlist = chosen_hotlist (self);

  if (hotlist == NULL)
    return;
  nigran_watchlist_set_priority (hotlist, NIGRAN_ALERT_PRIORITY_CRITICAL + gtk_drop_down_get_selected (self->priority_dropdown));
  nigran_watchlist_set_tone (hotlist, (NigranAlertTone)gtk_drop_down_get_selected (self->tone_dropdown));
  nigran_watchlist_set_expiry_days (hotlist, gtk_spin_button_get_value_as_int (self->expiry_spin));
  nigran_plate_watch_define_hotlist (self->watch, hotlist, self->actor);
  gtk_label_set_label (self->status_label, _("Saved."));
}

static void
on_add_cb (NigranHotlistWindow *self)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_hotlist_entry_free);
  g_autoptr(GError) error = NULL;

  if (self->hotlist == NULL)
    return;
  g_ptr_array_add (entries, nigran_hotlist_entry_new (self->hotlist,
                                                      gtk_editable_get_text (GTK_EDITABLE (self->pattern_entry)),
                                                      gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)),
                                                      gtk_editable_get_text (GTK_EDITABLE (self->source_entry))));
  if (!nigran_plate_watch_add_entries (self->watch, self->hotlist, entries, NULL, self->actor, &error))
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_entry), "");
  gtk_label_set_label (self->status_label, _("Added; the last 24 hours’ reads are checked against it."));
  refresh_hotlists (self, self->hotlist);
  refresh_entries (self);
}

static void
on_remove_cb (NigranHotlistWindow *self)
{
  GtkStringObject *chosen = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;

  if (chosen == NULL || self->hotlist == NULL)
    {
      gtk_label_set_label (self->status_label, _("Choose the entry to take off."));
      return;
    }
  parts = g_strsplit (gtk_string_object_get_string (chosen), ENTRY_SEPARATOR, 2);
  if (!nigran_plate_watch_remove_entry (self->watch, self->hotlist, parts[0],
                                        gtk_editable_get_text (GTK_EDITABLE (self->remove_reason_entry)),
                                        self->actor, &error))
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->remove_reason_entry), "");
  gtk_label_set_label (self->status_label, _("Taken off the hotlist."));
  refresh_hotlists (self, self->hotlist);
  refresh_entries (self);
}

static void
on_filter_changed_cb (NigranHotlistWindow *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

static void
set_busy (NigranHotlistWindow *self,
          gboolean             busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->import_progress), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hotlists_list), !busy);
}

static void
on_progress (goffset  current,
             goffset  total,
             gpointer data)
{
  NigranHotlistWindow *self = data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->import_progress, (double)current / total);
}

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GError) error = NULL;
  gssize n = nigran_plate_watch_import_finish (NIGRAN_PLATE_WATCH (object), result, &error);
  NigranHotlistWindow *self;
  g_autoptr(GString) status = g_string_new (NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = NIGRAN_HOTLIST_WINDOW (data);
  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  if (n < 0)
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  g_string_printf (status, g_dngettext (GETTEXT_PACKAGE, "%s: %zd entry listed.", "%s: %zd entries listed.", n),
                   self->import_name, n);
  if (self->import_problems->len > 0)
    {
      g_string_append_printf (status, g_dngettext (GETTEXT_PACKAGE, " %u row left out:", " %u rows left out:",
                                                   self->import_problems->len),
                              self->import_problems->len);
      for (guint i = 0; i < self->import_problems->len && i < MAX_PROBLEMS_SHOWN; i++)
        {
          NigranImportProblem *problem = self->import_problems->pdata[i];

          g_string_append_printf (status, _("\nline %u: %s"), problem->line, problem->message);
        }
      if (self->import_problems->len > MAX_PROBLEMS_SHOWN)
        g_string_append_printf (status, _("\n… and %u more"), self->import_problems->len - MAX_PROBLEMS_SHOWN);
    }
  gtk_label_set_label (self->status_label, status->str);
  refresh_hotlists (self, self->hotlist);
  refresh_entries (self);
}

static void
on_csv_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) entries = nigran_plate_watch_read_csv_finish (result, &problems, &error);
  NigranHotlistWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = NIGRAN_HOTLIST_WINDOW (data);
  if (entries == NULL)
    {
      set_busy (self, FALSE);
      g_clear_object (&self->cancellable);
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->import_problems, g_ptr_array_unref);
  self->import_problems = g_steal_pointer (&problems);
  gtk_progress_bar_set_text (self->import_progress, _("Listing the entries…"));
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  nigran_plate_watch_import_async (self->watch, self->hotlist, entries, self->import_name, self->actor,
                                   self->cancellable, on_progress, self, on_imported_cb, self);
}

/* Imports the entries of a CSV file (plate, reason, source) into the chosen hotlist. */
void
nigran_hotlist_window_import_file (NigranHotlistWindow *self,
                                   GFile               *file)
{
  g_return_if_fail (NIGRAN_IS_HOTLIST_WINDOW (self));

  if (self->hotlist == NULL || self->cancellable != NULL)
    return;
  g_free (self->import_name);
  self->import_name = g_file_get_basename (file);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gtk_progress_bar_set_text (self->import_progress, _("Reading the file…"));
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  nigran_plate_watch_read_csv_async (file, self->cancellable, on_progress, self, on_csv_read_cb, self);
}

static void
on_chooser_response_cb (GtkNativeDialog     *chooser,
                        int                  response,
                        NigranHotlistWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file != NULL)
    nigran_hotlist_window_import_file (self, file);
}

static void
on_import_cb (NigranHotlistWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Choose a CSV of plates"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files (plate, reason, source)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
setup_entry_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_entry_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkStringObject *entry = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (entry));
}

static void
nigran_hotlist_window_dispose (GObject *object)
{
  NigranHotlistWindow *self = NIGRAN_HOTLIST_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_HOTLIST_WINDOW);

  G_OBJECT_CLASS (nigran_hotlist_window_parent_class)->dispose (object);
}

static void
nigran_hotlist_window_finalize (GObject *object)
{
  NigranHotlistWindow *self = NIGRAN_HOTLIST_WINDOW (object);

  g_clear_object (&self->watch);
  g_clear_object (&self->selection);
  g_free (self->actor);
  g_free (self->hotlist);
  g_free (self->import_name);
  g_clear_pointer (&self->import_problems, g_ptr_array_unref);

  G_OBJECT_CLASS (nigran_hotlist_window_parent_class)->finalize (object);
}

static void
nigran_hotlist_window_class_init (NigranHotlistWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_hotlist_window_dispose;
  object_class->finalize = nigran_hotlist_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-hotlist-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, hotlists_list);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, new_name_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, new_category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, priority_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, tone_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, expiry_spin);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, pattern_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, source_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, entries_view);
  gtk_widget_class_bind_template_child (widget_class, NigranHotlistWindow, remove_reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_hotlist_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_hotlist_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_import_cb);
}

static void
nigran_hotlist_window_init (NigranHotlistWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);
  GtkExpression *text = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  gtk_widget_init_template (GTK_WIDGET (self));
  for (const char * const *category = nigran_watchlist_vehicle_categories (); *category != NULL; category++)
    gtk_string_list_append (categories, nigran_watchlist_category_describe (*category));
  gtk_drop_down_set_model (self->new_category_dropdown, G_LIST_MODEL (categories));

  self->entries = gtk_string_list_new (NULL);
  self->filter = gtk_string_filter_new (text);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->entries), GTK_FILTER (self->filter));
  /* A hundred thousand entries are filtered a slice at a time, not in one go. */
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_entry_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_entry_row), NULL);
  gtk_list_view_set_factory (self->entries_view, factory);
  gtk_list_view_set_model (self->entries_view, GTK_SELECTION_MODEL (self->selection));
}

NigranHotlistWindow *
nigran_hotlist_window_new (GtkWindow        *parent,
                           NigranPlateWatch *watch,
                           const char       *actor)
{
  NigranHotlistWindow *self = g_object_new (NIGRAN_TYPE_HOTLIST_WINDOW, "transient-for", parent, NULL);

  self->watch = g_object_ref (watch);
  self->actor = g_strdup (actor);
  refresh_hotlists (self, NULL);
  if (gtk_list_box_get_row_at_index (self->hotlists_list, 0) != NULL)
    gtk_list_box_select_row (self->hotlists_list, gtk_list_box_get_row_at_index (self->hotlists_list, 0));
  return self;
}

gboolean
nigran_hotlist_window_is_busy (NigranHotlistWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_HOTLIST_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}

/* Entries shown, after the filter. */
guint
nigran_hotlist_window_get_n_shown (NigranHotlistWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_HOTLIST_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}
