/* nigran-incident-dialog.c: an incident opened by hand, typed from the APCO codes
 *
 * A caller on the telephone, a patrol's radio call: the operator picks the type, says
 * what was reported and where (a registered site or wherever the map is centred), and
 * the dialog hands over the "incident.opened" event for the log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-incidents.h"
#include "nigran-incident-dialog.h"

/* The cameras an incident opened by hand is linked to, nearest first. */
#define N_INCIDENT_CAMERAS 4

struct _NigranIncidentDialog
{
  GtkWindow       parent_instance;

  GtkDropDown    *type_dropdown;
  GtkSpinButton  *priority_spin;
  GtkEntry       *title_entry;
  GtkDropDown    *place_dropdown;
  GtkTextView    *notes_view;
  GtkLabel       *status_label;
  GtkWidget      *open_button;

  NigranSiteFile *site_file;
  GPtrArray      *types;         /* NigranIncidentType, in the dropdown's order */
  GPtrArray      *places;        /* NigranSite, after the map's centre */
  double          map_latitude;
  double          map_longitude;
};

G_DEFINE_FINAL_TYPE (NigranIncidentDialog, nigran_incident_dialog, GTK_TYPE_WINDOW)

enum
{
  SIGNAL_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_type_selected_cb (NigranIncidentDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->type_dropdown);

  if (self->types == NULL || selected >= self->types->len)
    return;
  gtk_spin_button_set_value (self->priority_spin, ((NigranIncidentType *) self->types->pdata[selected])->priority);
  gtk_widget_set_sensitive (self->open_button, TRUE);
}

static void
on_field_changed_cb (NigranIncidentDialog *self)
{
  gtk_label_set_label (self->status_label, "");
}

static char *
dup_notes (NigranIncidentDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  return notes[0] != '\0' ? g_steal_pointer (&notes) : NULL;
}

void
nigran_incident_dialog_open_incident (NigranIncidentDialog *self)
{
  guint type_index = gtk_drop_down_get_selected (self->type_dropdown);
  guint place_index = gtk_drop_down_get_selected (self->place_dropdown);
  const NigranIncidentType *type;
  NigranSite *site = NULL;
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) cameras = NULL;
  g_autoptr(NigranEvent) opened = NULL;
  NigranIncidentSpec spec = { .source = "manual" };

  g_return_if_fail (NIGRAN_IS_INCIDENT_DIALOG (self));
  if (type_index >= self->types->len)
    {
      gtk_label_set_label (self->status_label, _("Choose the incident’s type first."));
      return;
    }
  type = self->types->pdata[type_index];
  if (place_index > 0 && place_index <= self->places->len)
    site = self->places->pdata[place_index - 1];

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
  notes = dup_notes (self);
  spec.type = type->code;
  spec.title = title[0] != '\0' ? title : type->label;
  spec.priority = gtk_spin_button_get_value_as_int (self->priority_spin);
  spec.latitude = site != NULL ? nigran_site_get_latitude (site) : self->map_latitude;
  spec.longitude = site != NULL ? nigran_site_get_longitude (site) : self->map_longitude;
  spec.zone_id = nigran_site_file_find_zone (self->site_file, spec.latitude, spec.longitude);
  cameras = nigran_site_file_dup_nearest_cameras (self->site_file, spec.latitude, spec.longitude, N_INCIDENT_CAMERAS);
  spec.camera_ids = (const char * const *) cameras;
  spec.notes = notes;
  opened = nigran_incidents_opened_event_new (&spec);
  g_signal_emit (self, signals[SIGNAL_OPENED], 0, opened);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_open_clicked_cb (NigranIncidentDialog *self)
{
  nigran_incident_dialog_open_incident (self);
}

static void
nigran_incident_dialog_dispose (GObject *object)
{
  NigranIncidentDialog *self = NIGRAN_INCIDENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_INCIDENT_DIALOG);
  g_clear_object (&self->site_file);
  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  G_OBJECT_CLASS (nigran_incident_dialog_parent_class)->dispose (object);
}

static void
nigran_incident_dialog_class_init (NigranIncidentDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = nigran_incident_dialog_dispose;

  /**
   * NigranIncidentDialog::opened:
   * @event: the "incident.opened" event, to be recorded
   */
  signals[SIGNAL_OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, NIGRAN_TYPE_EVENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-incident-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, priority_spin);
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, title_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, place_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, notes_view);
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranIncidentDialog, open_button);
  gtk_widget_class_bind_template_callback (widget_class, on_type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
nigran_incident_dialog_init (NigranIncidentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The dropdowns' entries, searched by their whole text. */
static void
set_choices (GtkDropDown *dropdown,
             GtkStringList *choices)
{
  g_autoptr(GtkExpression) text = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  gtk_drop_down_set_expression (dropdown, text);
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (choices));
}

/**
 * nigran_incident_dialog_new:
 * @map_latitude: where the map is centred, one of the places offered
 *
 * The types come from the table shipped in the resources (data/incident-types.tsv).
 */
NigranIncidentDialog *
nigran_incident_dialog_new (GtkWindow      *parent,
                            NigranSiteFile *site_file,
                            double          map_latitude,
                            double          map_longitude)
{
  NigranIncidentDialog *self = g_object_new (NIGRAN_TYPE_INCIDENT_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GBytes) table = g_resources_lookup_data ("/io/github/nigran/Nigran/incident-types.tsv",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GtkStringList) type_choices = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) place_choices = gtk_string_list_new (NULL);
  g_autofree char *map_centre = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *sites = nigran_site_file_get_sites (site_file);

  self->site_file = g_object_ref (site_file);
  self->map_latitude = map_latitude;
  self->map_longitude = map_longitude;
  self->types = table != NULL ? nigran_incident_types_parse (g_bytes_get_data (table, NULL), &error) : NULL;
  if (self->types == NULL)
    {
      g_warning ("The incident types cannot be read: %s", error != NULL ? error->message : "not in the resources");
      self->types = g_ptr_array_new ();
    }
  for (guint i = 0; i < self->types->len; i++)
    {
      const NigranIncidentType *type = self->types->pdata[i];
      g_autofree char *choice = g_strdup_printf ("%s — %s (P%d)", type->code, type->label, type->priority);

      gtk_string_list_append (type_choices, choice);
    }

  self->places = g_ptr_array_new_with_free_func (g_object_unref);
  map_centre = g_strdup_printf (_("Where the map is centred (%.5f, %.5f)"), map_latitude, map_longitude);
  gtk_string_list_append (place_choices, map_centre);
  for (guint i = 0; i < g_list_model_get_n_items (sites); i++)
    {
      NigranSite *site = g_list_model_get_item (sites, i);

      g_ptr_array_add (self->places, site);
      gtk_string_list_append (place_choices, nigran_site_get_name (site));
    }

  set_choices (self->type_dropdown, type_choices);
  set_choices (self->place_dropdown, place_choices);
  gtk_drop_down_set_selected (self->type_dropdown, GTK_INVALID_LIST_POSITION);
  return self;
}

gboolean
nigran_incident_dialog_select_type (NigranIncidentDialog *self,
                                    const char           *code)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT_DIALOG (self), FALSE);
  for (guint i = 0; i < self->types->len; i++)
    if (g_str_equal (((NigranIncidentType *) self->types->pdata[i])->code, code))
      {
        gtk_drop_down_set_selected (self->type_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/* @site_id: (nullable): a registered site, or %NULL for the map's centre */
gboolean
nigran_incident_dialog_select_place (NigranIncidentDialog *self,
                                     const char           *site_id)
{
  g_return_val_if_fail (NIGRAN_IS_INCIDENT_DIALOG (self), FALSE);
  if (site_id == NULL)
    {
      gtk_drop_down_set_selected (self->place_dropdown, 0);
      return TRUE;
    }
  for (guint i = 0; i < self->places->len; i++)
    if (g_str_equal (nigran_site_get_id (self->places->pdata[i]), site_id))
      {
        gtk_drop_down_set_selected (self->place_dropdown, i + 1);
        return TRUE;
      }
  return FALSE;
}

void
nigran_incident_dialog_set_report (NigranIncidentDialog *self,
                                   const char           *title,
                                   const char           *notes)
{
  g_return_if_fail (NIGRAN_IS_INCIDENT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title != NULL ? title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes != NULL ? notes : "", -1);
}
