/* nigran-alert-rail.c: open alerts beside the wall, and the selected one's card
 *
 * Newest first, coloured by priority. Keys while the rail has the focus: A
 * acknowledge, V verify, R reject (with a reason), E escalate, N note, X close,
 * T take it (assign to oneself), C show the camera. A new alert is selected when nothing else is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-alert-rail.h"
#include "media/nigran-alert-sound.h"
#include "nigran-alert-row.h"

struct _NigranAlertRail
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkLabel           *header_label;
  GtkListView        *list;
  GtkStack           *card_stack;
  NigranAlertCard    *card;

  NigranAlertQueue   *queue;
  NigranSiteFile     *site_file;
  GtkSingleSelection *selection;
  NigranAlertSound   *sound;
};

G_DEFINE_FINAL_TYPE (NigranAlertRail, nigran_alert_rail, GTK_TYPE_WIDGET)

static void
update_header (NigranAlertRail *self)
{
  guint n_open = self->queue ? nigran_alert_queue_get_n_open (self->queue) : 0;
  g_autofree char *text = g_strdup_printf (ngettext ("Alerts · %u open", "Alerts · %u open", n_open), n_open);

  gtk_label_set_label (self->header_label, text);
}

static void
on_selected_changed_cb (GtkSingleSelection *selection,
                        GParamSpec         *pspec,
                        NigranAlertRail    *self)
{
  NigranAlert *alert = gtk_single_selection_get_selected_item (selection);

  nigran_alert_card_set_alert (self->card, alert);
  gtk_stack_set_visible_child_name (self->card_stack, alert ? "card" : "empty");
}

static int
tone_rank (NigranAlertTone tone)
{
  return tone == NIGRAN_ALERT_TONE_SIREN ? 0 : tone == NIGRAN_ALERT_TONE_BEEPS ? 1 : 2;
}

/* A new alert is heard: the most urgent of those just raised. */
static void
on_open_alerts_changed_cb (GListModel      *open_alerts,
                           guint            position,
                           guint            removed,
                           guint            added,
                           NigranAlertRail *self)
{
  NigranAlertPriority most_urgent = NIGRAN_ALERT_PRIORITY_LOW + 1;
  NigranAlertTone tone = NIGRAN_ALERT_TONE_BEEPS;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (open_alerts, i);
      NigranAlertTone alert_tone;

      if (nigran_alert_get_state (alert) != NIGRAN_ALERT_STATE_NEW || nigran_alert_get_priority (alert) > most_urgent)
        continue;
      if (!nigran_alert_tone_from_string (nigran_alert_get_tone (alert), &alert_tone))
        alert_tone = NIGRAN_ALERT_TONE_BEEPS;
      /* Of equally urgent alerts, a siren is heard over beeps, beeps over silence. */
      if (nigran_alert_get_priority (alert) < most_urgent || tone_rank (alert_tone) < tone_rank (tone))
        tone = alert_tone;
      most_urgent = nigran_alert_get_priority (alert);
    }
  if (most_urgent <= NIGRAN_ALERT_PRIORITY_LOW)
    nigran_alert_sound_play_tone (self->sound, most_urgent, tone);
}

guint
nigran_alert_rail_get_n_sounds (NigranAlertRail *self)
{
  return nigran_alert_sound_get_n_played (self->sound);
}

static void
on_row_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 NigranAlertRail          *self)
{
  gtk_list_item_set_child (list_item, GTK_WIDGET (nigran_alert_row_new ()));
}

static void
on_row_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                NigranAlertRail          *self)
{
  nigran_alert_row_set_alert (NIGRAN_ALERT_ROW (gtk_list_item_get_child (list_item)),
                              gtk_list_item_get_item (list_item), self->site_file);
}

static void
on_row_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  NigranAlertRail          *self)
{
  nigran_alert_row_set_alert (NIGRAN_ALERT_ROW (gtk_list_item_get_child (list_item)), NULL, NULL);
}

static gboolean
activate_card_action (GtkWidget *widget,
                      GVariant  *arguments,
                      gpointer   user_data)
{
  NigranAlertRail *self = NIGRAN_ALERT_RAIL (widget);
  const char *action = g_variant_get_string (arguments, NULL);

  if (nigran_alert_card_get_alert (self->card) == NULL)
    return FALSE;
  if (g_str_equal (action, "reject"))
    nigran_alert_card_open_reject_menu (self->card);
  else if (g_str_equal (action, "note"))
    nigran_alert_card_focus_note (self->card);
  else if (g_str_equal (action, "dispatch"))
    gtk_widget_activate_action (GTK_WIDGET (self->card), "dispatch.alert", "s",
                                nigran_alert_get_id (nigran_alert_card_get_alert (self->card)));
  else
    {
      g_autofree char *name = g_strconcat ("alert.", action, NULL);
      gtk_widget_activate_action (GTK_WIDGET (self->card), name, NULL);
    }
  return TRUE;
}

static void
nigran_alert_rail_dispose (GObject *object)
{
  NigranAlertRail *self = NIGRAN_ALERT_RAIL (object);

  gtk_list_view_set_model (self->list, NULL);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_ALERT_RAIL);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (nigran_alert_queue_get_open_alerts (self->queue), self);
  g_clear_object (&self->selection);
  g_clear_object (&self->sound);
  g_clear_object (&self->queue);
  g_clear_object (&self->site_file);

  G_OBJECT_CLASS (nigran_alert_rail_parent_class)->dispose (object);
}

static void
nigran_alert_rail_class_init (NigranAlertRailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_a, "acknowledge" }, { GDK_KEY_v, "verify" }, { GDK_KEY_r, "reject" },
    { GDK_KEY_e, "escalate" }, { GDK_KEY_n, "note" }, { GDK_KEY_x, "close" },
    { GDK_KEY_c, "show-camera" }, { GDK_KEY_t, "take" }, { GDK_KEY_d, "dispatch" },
  };

  object_class->dispose = nigran_alert_rail_dispose;

  g_type_ensure (NIGRAN_TYPE_ALERT_CARD);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-alert-rail.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRail, box);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRail, header_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRail, list);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRail, card_stack);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRail, card);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nigran-alert-rail");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding (widget_class, keys[i].key, 0, activate_card_action, "s", keys[i].action);
}

static void
nigran_alert_rail_init (NigranAlertRail *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* NIGRAN_ALERT_SOUND_SINK names another GStreamer sink, such as fakesink for tests. */
  self->sound = nigran_alert_sound_new (g_getenv ("NIGRAN_ALERT_SOUND_SINK"));
  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind_cb), self);
  gtk_list_view_set_factory (self->list, factory);
  g_object_unref (factory);
  update_header (self);
}

NigranAlertRail *
nigran_alert_rail_new (void)
{
  return g_object_new (NIGRAN_TYPE_ALERT_RAIL, NULL);
}

void
nigran_alert_rail_set_queue (NigranAlertRail  *self,
                             NigranAlertQueue *queue,
                             NigranEventLog   *log,
                             const char       *operator_name,
                             NigranSiteFile   *site_file)
{
  g_return_if_fail (NIGRAN_IS_ALERT_RAIL (self));
  g_return_if_fail (NIGRAN_IS_ALERT_QUEUE (queue));

  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      g_signal_handlers_disconnect_by_data (nigran_alert_queue_get_open_alerts (self->queue), self);
    }
  g_set_object (&self->queue, queue);
  g_set_object (&self->site_file, site_file);
  g_signal_connect (nigran_alert_queue_get_open_alerts (queue), "items-changed", G_CALLBACK (on_open_alerts_changed_cb), self);
  nigran_alert_card_set_context (self->card, log, operator_name, site_file);

  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (g_object_ref (nigran_alert_queue_get_open_alerts (queue)));
  /* A new alert takes the selection only when nothing else is selected. */
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (on_selected_changed_cb), self);
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (self->selection));
  on_selected_changed_cb (self->selection, NULL, self);

  g_signal_connect_swapped (queue, "notify::n-open", G_CALLBACK (update_header), self);
  update_header (self);
}

/* Names cameras and sites on the rows and the card. */
void
nigran_alert_rail_set_site_file (NigranAlertRail *self,
                                 NigranSiteFile  *site_file)
{
  g_return_if_fail (NIGRAN_IS_ALERT_RAIL (self));

  g_set_object (&self->site_file, site_file);
  nigran_alert_card_set_site_file (self->card, site_file);
  gtk_widget_queue_draw (GTK_WIDGET (self->list));
}

NigranAlertCard *
nigran_alert_rail_get_card (NigranAlertRail *self)
{
  return self->card;
}

guint
nigran_alert_rail_get_n_shown (NigranAlertRail *self)
{
  return self->selection ? g_list_model_get_n_items (G_LIST_MODEL (self->selection)) : 0;
}

void
nigran_alert_rail_select (NigranAlertRail *self,
                          guint            position)
{
  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}

/* Moves the keyboard focus to the list, for the rail's keys. */
void
nigran_alert_rail_focus (NigranAlertRail *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->list));
}
