/* nigran-watchlist-window.c: watchlists and the people on them, seen and edited by
 * a supervisor
 *
 * On the left the watchlists, each in its colour; on the right the chosen one's
 * settings (category, colour, priority, sound, threshold with what it would cost a
 * shift in false matches, two verifiers, how long matches are kept) and its people,
 * found by name, each with their enrolled face, record number and notes. Every change
 * goes through the face watch, which records it as an event of the person signed in;
 * removing someone asks why, and the reason is kept with the event.
 *
 * The people are a list view over their names, so that a list of 10,000 costs only
 * the rows on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "nigran-alert-row.h"
#include "nigran-watchlist-window.h"

struct _NigranWatchlistWindow
{
  GtkWindow           parent_instance;

  GtkListBox         *watchlist_list;
  GtkEntry           *new_name_entry;
  GtkWidget          *detail_box;
  GtkLabel           *title_label;
  GtkDropDown        *category_dropdown;
  GtkColorButton     *colour_button;
  GtkDropDown        *priority_dropdown;
  GtkDropDown        *tone_dropdown;
  GtkSpinButton      *threshold_spin;
  GtkSpinButton      *retention_spin;
  GtkCheckButton     *two_verifiers_check;
  GtkLabel           *estimate_label;
  GtkSearchEntry     *search_entry;
  GtkListView        *entry_view;
  GtkLabel           *count_label;
  GtkWidget          *entry_box;
  GtkPicture         *entry_picture;
  GtkLabel           *entry_label;
  GtkEntry           *record_entry;
  GtkTextView        *notes_view;
  GtkLabel           *entry_status_label;
  GtkEntry           *remove_reason_entry;
  GtkButton          *remove_button;

  NigranFaceWatch    *watch;
  char               *operator_name;
  char               *watchlist_name;   /* shown; NULL before one is chosen */
  char               *entry_name;       /* shown; NULL before one is chosen */
  char               *shown_before_change;
  GtkStringList      *entry_names;
  GtkStringFilter    *name_filter;
  GtkSingleSelection *selection;
  guint               refresh_source;
  GCancellable       *cancellable;
  GtkNativeDialog    *chooser;
  gboolean            choosing_new_person;
};

G_DEFINE_FINAL_TYPE (NigranWatchlistWindow, nigran_watchlist_window, GTK_TYPE_WINDOW)

/* The entry chosen in the list, or NULL. */
static const char *
selected_entry (NigranWatchlistWindow *self)
{
  GtkStringObject *item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static void
show_entry (NigranWatchlistWindow *self)
{
  const char *name = selected_entry (self);
  const char *record = NULL, *notes = NULL;
  GdkTexture *photo = NULL;
  guint n_photos = 0;
  g_autofree char *heading = NULL;
  /* The fields of the person shown stay as typed, while an import changes the list. */
  gboolean same = g_strcmp0 (name, self->entry_name) == 0;

  if (!same)
    gtk_label_set_label (self->entry_status_label, "");
  g_free (self->entry_name);
  self->entry_name = g_strdup (name);
  if (name == NULL || !nigran_face_watch_get_entry (self->watch, name, &record, &notes, &n_photos, &photo))
    {
      gtk_widget_set_sensitive (self->entry_box, FALSE);
      gtk_picture_set_paintable (self->entry_picture, NULL);
      gtk_label_set_label (self->entry_label, _("Choose a person on the list."));
      gtk_editable_set_text (GTK_EDITABLE (self->record_entry), "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), "", -1);
      return;
    }
  gtk_widget_set_sensitive (self->entry_box, TRUE);
  gtk_picture_set_paintable (self->entry_picture, GDK_PAINTABLE (photo));
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u photo", "%s · %u photos", n_photos),
                             name, n_photos);
  gtk_label_set_label (self->entry_label, heading);
  if (same)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->record_entry), record ? record : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ? notes : "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->remove_reason_entry), "");
}

static void on_entry_selected_cb (NigranWatchlistWindow *self);

static void
refresh_entries (NigranWatchlistWindow *self)
{
  g_autofree char *keep = g_strdup (selected_entry (self));
  g_auto(GStrv) names = self->watchlist_name != NULL
                        ? nigran_face_watch_dup_entries (self->watch, self->watchlist_name)
                        : g_new0 (char *, 1);
  guint n = g_strv_length (names);
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person on this watchlist",
                                                         "%u people on this watchlist", n), n);

  /* Shown once, for the person chosen again, not for the moment nobody is. */
  g_signal_handlers_block_by_func (self->selection, on_entry_selected_cb, self);
  gtk_string_list_splice (self->entry_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entry_names)),
                          (const char * const *)names);
  if (keep != NULL)
    nigran_watchlist_window_select_entry (self, keep);
  g_signal_handlers_unblock_by_func (self->selection, on_entry_selected_cb, self);
  gtk_label_set_label (self->count_label, count);
  show_entry (self);
}

static char *
describe_watchlist (NigranWatchlistWindow *self,
                    NigranWatchlist       *watchlist)
{
  guint n = nigran_face_watch_count_entries (self->watch, nigran_watchlist_get_name (watchlist));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u person", "%s · %u people", n),
                          nigran_watchlist_category_describe (nigran_watchlist_get_category (watchlist)), n);
}

/* The counts of people beside each watchlist, in place: a rebuilt list would lose
 * what the supervisor is changing. */
static void
update_watchlist_rows (NigranWatchlistWindow *self)
{
  GListModel *watchlists = nigran_face_watch_get_watchlists (self->watch);
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->watchlist_list, i)) != NULL; i++)
    {
      g_autoptr(NigranWatchlist) watchlist = g_list_model_get_item (watchlists, i);
      g_autofree char *detail = watchlist ? describe_watchlist (self, watchlist) : NULL;
      GtkWidget *box = gtk_list_box_row_get_child (row);

      if (detail != NULL)
        gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), detail);
    }
}

static gboolean
refresh_entries_idle (gpointer data)
{
  NigranWatchlistWindow *self = data;

  self->refresh_source = 0;
  refresh_entries (self);
  update_watchlist_rows (self);
  return G_SOURCE_REMOVE;
}

/* An import enrols thousands one by one: the list follows once they pause. */
static void
on_entries_changed_cb (NigranWatchlistWindow *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (250, refresh_entries_idle, self);
}

static void
update_estimate (NigranWatchlistWindow *self)
{
  g_autofree char *text = nigran_face_watch_describe_false_hits (self->watch,
                                                                gtk_spin_button_get_value (self->threshold_spin));

  gtk_label_set_label (self->estimate_label, text);
}

static void
on_threshold_changed_cb (NigranWatchlistWindow *self)
{
  update_estimate (self);
}

static void
show_watchlist (NigranWatchlistWindow *self,
                NigranWatchlist       *watchlist)
{
  const char * const *categories = nigran_watchlist_categories ();
  g_autofree char *title = NULL;
  GdkRGBA colour;

  gtk_widget_set_sensitive (self->detail_box, watchlist != NULL);
  g_clear_pointer (&self->watchlist_name, g_free);
  if (watchlist == NULL)
    {
      gtk_label_set_label (self->title_label, _("No watchlist chosen"));
      refresh_entries (self);
      return;
    }
  self->watchlist_name = g_strdup (nigran_watchlist_get_name (watchlist));
  title = nigran_colour_chip_markup (nigran_watchlist_get_colour (watchlist), self->watchlist_name);
  gtk_label_set_markup (self->title_label, title);
  for (guint i = 0; categories[i] != NULL; i++)
    if (g_str_equal (categories[i], nigran_watchlist_get_category (watchlist)))
      gtk_drop_down_set_selected (self->category_dropdown, i);
  if (gdk_rgba_parse (&colour, nigran_watchlist_get_colour (watchlist)))
    gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->colour_button), &colour);
  gtk_drop_down_set_selected (self->priority_dropdown, nigran_watchlist_get_priority (watchlist) - NIGRAN_ALERT_PRIORITY_CRITICAL);
  gtk_drop_down_set_selected (self->tone_dropdown, nigran_watchlist_get_tone (watchlist));
  gtk_spin_button_set_value (self->threshold_spin, nigran_watchlist_get_threshold (watchlist));
  gtk_spin_button_set_value (self->retention_spin, nigran_watchlist_get_retention_days (watchlist));
  gtk_check_button_set_active (self->two_verifiers_check, nigran_watchlist_get_verifiers_required (watchlist) == 2);
  update_estimate (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refresh_entries (self);
}

static void
on_watchlist_selected_cb (NigranWatchlistWindow *self,
                          GtkListBoxRow         *row)
{
  g_autoptr(NigranWatchlist) watchlist = NULL;

  /* Also called while the window is taken apart. */
  if (self->watch == NULL)
    return;

  if (row != NULL)
    watchlist = g_list_model_get_item (nigran_face_watch_get_watchlists (self->watch),
                                       gtk_list_box_row_get_index (row));
  show_watchlist (self, watchlist);
}

/* Before the list box rebuilds its rows, which unselects the one shown. */
static void
remember_shown_cb (NigranWatchlistWindow *self)
{
  g_free (self->shown_before_change);
  self->shown_before_change = g_strdup (self->watchlist_name);
}

static void
choose_shown_again_cb (NigranWatchlistWindow *self)
{
  g_autofree char *shown = g_steal_pointer (&self->shown_before_change);

  if (shown != NULL && self->watch != NULL && g_strcmp0 (shown, self->watchlist_name) != 0)
    nigran_watchlist_window_select (self, shown);
}

static GtkWidget *
create_watchlist_row (gpointer item,
                      gpointer data)
{
  NigranWatchlistWindow *self = data;
  NigranWatchlist *watchlist = item;
  g_autofree char *chip = nigran_colour_chip_markup (nigran_watchlist_get_colour (watchlist), nigran_watchlist_get_name (watchlist));
  g_autofree char *detail = describe_watchlist (self, watchlist);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *category = gtk_label_new (detail);

  gtk_label_set_markup (GTK_LABEL (name), chip);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (category), 0);
  gtk_widget_add_css_class (category, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), category);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  return box;
}

static void
setup_entry_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, 40, 40);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), detail);
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_item_set_child (item, box);
}

static void
bind_entry_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  data)
{
  NigranWatchlistWindow *self = data;
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *picture = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_first_child (gtk_widget_get_last_child (box));
  GtkWidget *detail = gtk_widget_get_last_child (gtk_widget_get_last_child (box));
  const char *entry = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const char *record = NULL;
  GdkTexture *photo = NULL;
  guint n_photos = 0;
  g_autofree char *text = NULL;

  nigran_face_watch_get_entry (self->watch, entry, &record, NULL, &n_photos, &photo);
  gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (photo));
  gtk_label_set_label (GTK_LABEL (name), entry);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u photo", "%s · %u photos", n_photos),
                          record != NULL ? record : _("no record number"), n_photos);
  gtk_label_set_label (GTK_LABEL (detail), text);
}

static void
on_search_changed_cb (NigranWatchlistWindow *self)
{
  gtk_string_filter_set_search (self->name_filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_entry_selected_cb (NigranWatchlistWindow *self)
{
  show_entry (self);
}

static void
on_save_clicked_cb (NigranWatchlistWindow *self)
{
  const char * const *categories = nigran_watchlist_categories ();
  g_autoptr(NigranWatchlist) current = NULL;
  g_autoptr(NigranWatchlist) watchlist = NULL;
  g_autofree char *colour = NULL;
  g_autofree char *name = NULL;
  GdkRGBA rgba;

  if (self->watchlist_name == NULL ||
      (current = nigran_face_watch_dup_watchlist (self->watch, self->watchlist_name)) == NULL)
    return;
  /* Changed on a copy: the list's own is replaced by the new definition. */
  watchlist = nigran_watchlist_copy (current);
  nigran_watchlist_set_category (watchlist, categories[MIN (gtk_drop_down_get_selected (self->category_dropdown),
                                                            g_strv_length ((char **)categories) - 1)]);
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->colour_button), &rgba);
  colour = g_strdup_printf ("#%02x%02x%02x", (guint)(rgba.red * 255 + 0.5), (guint)(rgba.green * 255 + 0.5),
                            (guint)(rgba.blue * 255 + 0.5));
  nigran_watchlist_set_colour (watchlist, colour);
  nigran_watchlist_set_priority (watchlist, NIGRAN_ALERT_PRIORITY_CRITICAL +
                                            MIN (gtk_drop_down_get_selected (self->priority_dropdown), 3));
  nigran_watchlist_set_tone (watchlist, MIN (gtk_drop_down_get_selected (self->tone_dropdown), NIGRAN_ALERT_TONE_SILENT));
  nigran_watchlist_set_threshold (watchlist, gtk_spin_button_get_value (self->threshold_spin));
  nigran_watchlist_set_retention_days (watchlist, gtk_spin_button_get_value_as_int (self->retention_spin));
  nigran_watchlist_set_verifiers_required (watchlist, gtk_check_button_get_active (self->two_verifiers_check) ? 2 : 1);
  name = g_strdup (self->watchlist_name);
  nigran_face_watch_define_watchlist (self->watch, watchlist, self->operator_name);
  nigran_watchlist_window_select (self, name);
}

static void
on_add_clicked_cb (NigranWatchlistWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_name_entry))));
  g_autoptr(NigranWatchlist) existing = NULL;
  g_autoptr(NigranWatchlist) watchlist = NULL;

  if (*name == '\0')
    return;
  existing = nigran_face_watch_dup_watchlist (self->watch, name);
  if (existing == NULL)
    {
      watchlist = nigran_watchlist_new (name, "other");
      nigran_face_watch_define_watchlist (self->watch, watchlist, self->operator_name);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_name_entry), "");
  nigran_watchlist_window_select (self, name);
}

static void
on_save_entry_clicked_cb (NigranWatchlistWindow *self)
{
  const char *name = selected_entry (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  g_autofree char *notes = NULL;
  GtkTextIter start, end;

  if (name == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  nigran_face_watch_update_entry (self->watch, name, gtk_editable_get_text (GTK_EDITABLE (self->record_entry)),
                                  notes, self->operator_name);
}

static void
on_photo_enrolled (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(NigranWatchlistWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!nigran_face_watch_enrol_from_frame_finish (NIGRAN_FACE_WATCH (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->entry_status_label, error->message);
      return;
    }
  gtk_label_set_label (self->entry_status_label, _("The photo was added."));
}

static void
on_person_enrolled (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(NigranWatchlistWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!nigran_face_watch_enrol_from_frame_finish (NIGRAN_FACE_WATCH (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->count_label, error->message);
      return;
    }
}

/* Enrols the one face of @file as a new person of the watchlist shown, named after
 * the file. */
void
nigran_watchlist_window_add_person (NigranWatchlistWindow *self,
                                    GFile                 *file)
{
  g_autofree char *basename = NULL;
  char *dot;

  g_return_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self));

  if (self->watchlist_name == NULL)
    return;
  basename = g_file_get_basename (file);
  if ((dot = strrchr (basename, '.')) != NULL && dot != basename)
    *dot = '\0';
  gtk_label_set_label (self->count_label, _("Reading the photo…"));
  nigran_face_watch_enrol_file_async (self->watch, file, basename, NULL, self->watchlist_name, self->operator_name,
                                      self->cancellable, on_person_enrolled, g_object_ref (self));
}

/* Reads @file on a worker and adds it to the chosen person's photos. */
void
nigran_watchlist_window_add_photo (NigranWatchlistWindow *self,
                                   GFile                 *file)
{
  const char *name = selected_entry (self);
  const char *record = NULL;

  g_return_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self));

  if (name == NULL || self->watchlist_name == NULL ||
      !nigran_face_watch_get_entry (self->watch, name, &record, NULL, NULL, NULL))
    return;
  gtk_label_set_label (self->entry_status_label, _("Reading the photo…"));
  nigran_face_watch_enrol_file_async (self->watch, file, name, record, self->watchlist_name, self->operator_name,
                                      self->cancellable, on_photo_enrolled, g_object_ref (self));
}

static void
on_photo_chosen_cb (GtkNativeDialog       *chooser,
                    int                    response,
                    NigranWatchlistWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  if (self->choosing_new_person)
    nigran_watchlist_window_add_person (self, file);
  else
    nigran_watchlist_window_add_photo (self, file);
}

static void
choose_photo (NigranWatchlistWindow *self,
              gboolean               new_person)
{
  g_autoptr(GtkFileFilter) photos = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->choosing_new_person = new_person;
  gtk_file_filter_set_name (photos, _("Photos"));
  gtk_file_filter_add_pixbuf_formats (photos);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (new_person ? _("A photo of the new person")
                                                                             : _("Another photo of this person"),
                                                                  GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), photos);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_photo_chosen_cb), self);
  gtk_native_dialog_show (self->chooser);
}

static void
on_add_photo_clicked_cb (NigranWatchlistWindow *self)
{
  choose_photo (self, FALSE);
}

static void
on_new_person_clicked_cb (NigranWatchlistWindow *self)
{
  choose_photo (self, TRUE);
}

static void
on_remove_reason_changed_cb (NigranWatchlistWindow *self)
{
  g_autofree char *reason = NULL;

  /* Also called while the window is taken apart. */
  if (self->watch == NULL)
    return;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->remove_reason_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), *reason != '\0');
}

static void
on_remove_clicked_cb (NigranWatchlistWindow *self)
{
  g_autofree char *name = g_strdup (selected_entry (self));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->remove_reason_entry))));

  if (name == NULL || *reason == '\0')
    return;
  nigran_face_watch_remove_entry (self->watch, name, reason, self->operator_name);
}

static void
nigran_watchlist_window_dispose (GObject *object)
{
  NigranWatchlistWindow *self = NIGRAN_WATCHLIST_WINDOW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_WATCHLIST_WINDOW);

  G_OBJECT_CLASS (nigran_watchlist_window_parent_class)->dispose (object);
}

static void
nigran_watchlist_window_finalize (GObject *object)
{
  NigranWatchlistWindow *self = NIGRAN_WATCHLIST_WINDOW (object);

  g_free (self->operator_name);
  g_free (self->watchlist_name);
  g_free (self->entry_name);
  g_free (self->shown_before_change);
  g_clear_object (&self->selection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (nigran_watchlist_window_parent_class)->finalize (object);
}

static void
nigran_watchlist_window_class_init (NigranWatchlistWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_watchlist_window_dispose;
  object_class->finalize = nigran_watchlist_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-watchlist-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, watchlist_list);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, new_name_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, colour_button);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, priority_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, tone_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, retention_spin);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, two_verifiers_check);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, entry_view);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, entry_box);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, entry_picture);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, entry_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, record_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, notes_view);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, entry_status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, remove_reason_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranWatchlistWindow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_watchlist_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_threshold_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_entry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_photo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_person_clicked_cb);
}

static void
nigran_watchlist_window_init (NigranWatchlistWindow *self)
{
  GtkListItemFactory *factory;
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->entry_names = gtk_string_list_new (NULL);
  self->name_filter = gtk_string_filter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->entry_names), GTK_FILTER (self->name_filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_entry_selected_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_entry_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_entry_row_cb), self);
  gtk_list_view_set_factory (self->entry_view, factory);
  gtk_list_view_set_model (self->entry_view, GTK_SELECTION_MODEL (g_object_ref (self->selection)));
  g_object_unref (factory);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), FALSE);
}

NigranWatchlistWindow *
nigran_watchlist_window_new (GtkWindow       *parent,
                             NigranFaceWatch *watch,
                             const char      *operator_name)
{
  NigranWatchlistWindow *self;
  GListModel *watchlists;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (watch), NULL);

  self = g_object_new (NIGRAN_TYPE_WATCHLIST_WINDOW, "transient-for", parent, NULL);
  self->watch = g_object_ref (watch);
  self->operator_name = g_strdup (operator_name);
  g_signal_connect_swapped (watch, "entries-changed", G_CALLBACK (on_entries_changed_cb), self);
  watchlists = nigran_face_watch_get_watchlists (watch);
  /* A watchlist redefined elsewhere is a new row: the one shown stays chosen. */
  g_signal_connect_object (watchlists, "items-changed", G_CALLBACK (remember_shown_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->watchlist_list, watchlists, create_watchlist_row, self, NULL);
  g_signal_connect_object (watchlists, "items-changed", G_CALLBACK (choose_shown_again_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  if (g_list_model_get_n_items (watchlists) > 0)
    gtk_list_box_select_row (self->watchlist_list, gtk_list_box_get_row_at_index (self->watchlist_list, 0));
  else
    show_watchlist (self, NULL);
  return self;
}

/* Shows @watchlist's settings and people; FALSE if there is none of that name. */
gboolean
nigran_watchlist_window_select (NigranWatchlistWindow *self,
                                const char            *watchlist)
{
  GListModel *watchlists;

  g_return_val_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self), FALSE);

  watchlists = nigran_face_watch_get_watchlists (self->watch);
  for (guint i = 0; i < g_list_model_get_n_items (watchlists); i++)
    {
      g_autoptr(NigranWatchlist) item = g_list_model_get_item (watchlists, i);

      if (g_str_equal (nigran_watchlist_get_name (item), watchlist))
        {
          gtk_list_box_select_row (self->watchlist_list, gtk_list_box_get_row_at_index (self->watchlist_list, i));
          return TRUE;
        }
    }
  return FALSE;
}

/* Chooses @entry among the people shown; FALSE if it is not among them. */
gboolean
nigran_watchlist_window_select_entry (NigranWatchlistWindow *self,
                                      const char            *entry)
{
  GListModel *shown;

  g_return_val_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self), FALSE);

  shown = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (shown, i);

      if (g_str_equal (gtk_string_object_get_string (item), entry))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* Lists only the people whose name holds @text, as if typed in the search entry. */
void
nigran_watchlist_window_search (NigranWatchlistWindow *self,
                                const char            *text)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  on_search_changed_cb (self);
}

/* (nullable): the name of the watchlist chosen on the left and shown on the right */
const char *
nigran_watchlist_window_get_watchlist (NigranWatchlistWindow *self)
{
  GtkListBoxRow *selected;
  g_autoptr(NigranWatchlist) chosen = NULL;

  g_return_val_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self), NULL);

  selected = gtk_list_box_get_selected_row (self->watchlist_list);
  if (selected == NULL || self->watchlist_name == NULL)
    return NULL;
  chosen = g_list_model_get_item (nigran_face_watch_get_watchlists (self->watch), gtk_list_box_row_get_index (selected));
  return chosen != NULL && g_str_equal (nigran_watchlist_get_name (chosen), self->watchlist_name)
         ? self->watchlist_name : NULL;
}

/* The people listed, after the search. */
guint
nigran_watchlist_window_get_n_shown (NigranWatchlistWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}
