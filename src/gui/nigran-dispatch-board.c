/* nigran-dispatch-board.c: the unit board, the incident board and the response times
 *
 * Both lists show projections of the event log. Times in status change every second
 * without an event, so the board redraws its rows once a second. The buttons under the
 * incidents act on the one selected, through the application's actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "nigran-dispatch-board.h"

struct _NigranDispatchBoard
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkLabel        *response_label;
  GtkLabel        *breakdown_label;
  GtkListView     *unit_list;
  GtkListView     *incident_list;
  GtkLabel        *incident_detail;
  GtkWidget       *dispatch_button;
  GtkWidget       *show_button;
  GtkWidget       *clear_button;
  GtkWidget       *close_button;
  GtkSingleSelection *incident_selection;
  GtkWidget       *ranking_title;
  GtkListBox      *ranking_list;
  GPtrArray       *ranking_labels;     /* GtkLabel, one a ranked unit */
  char            *ranking_signature;  /* the incident and the units' order shown */

  NigranUnits     *units;
  NigranIncidents *incidents;
  NigranRoadGraph *roads;
  NigranClock     *clock;
  guint            refresh_source;
};

G_DEFINE_FINAL_TYPE (NigranDispatchBoard, nigran_dispatch_board, GTK_TYPE_WIDGET)

/* Free units offered for the selected incident. */
#define N_RANKED 5

static const char * const status_classes[] = {
  "unit-available", "unit-dispatched", "unit-en-route", "unit-on-scene", "unit-returning", "unit-off-duty",
};

static char *
format_span (gint64 span_us)
{
  gint64 seconds = MAX (span_us, 0) / G_USEC_PER_SEC;

  if (seconds < 60)
    return g_strdup_printf (_("%" G_GINT64_FORMAT " s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%" G_GINT64_FORMAT " min %02" G_GINT64_FORMAT " s"), seconds / 60, seconds % 60);
  return g_strdup_printf (_("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min"), seconds / 3600, seconds / 60 % 60);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_unit (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           NigranDispatchBoard      *self)
{
  NigranUnit *unit = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  NigranUnitStatus status = nigran_unit_get_status (unit);
  gint64 since_us = nigran_unit_get_status_since_us (unit);
  g_autofree char *span = since_us > 0 ? format_span (nigran_clock_get_now_us (self->clock) - since_us) : NULL;
  g_autofree char *incident = NULL;
  g_autofree char *text = NULL;

  /* A board names an incident by the first block of its id. */
  incident = nigran_unit_get_incident_id (unit) != NULL ? g_strndup (nigran_unit_get_incident_id (unit), 8) : NULL;
  text = g_markup_printf_escaped ("<b>%s</b>  %s\n<span size='small'>%s%s%s%s%s</span>",
                                  nigran_unit_get_call_sign (unit), nigran_unit_status_get_label (status),
                                  nigran_unit_kind_get_label (nigran_unit_get_kind (unit)),
                                  span != NULL ? _(" · for ") : "", span != NULL ? span : "",
                                  incident != NULL ? _(" · incident ") : "", incident != NULL ? incident : "");
  gtk_label_set_markup (GTK_LABEL (label), text);
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (label, status_classes[i]);
  gtk_widget_add_css_class (label, status_classes[status]);
}

static void
bind_incident (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               NigranDispatchBoard      *self)
{
  NigranIncident *incident = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  NigranIncidentState state = nigran_incident_get_state (incident);
  gint64 created_us = nigran_incident_get_time_us (incident, NIGRAN_INCIDENT_CREATED);
  gint64 dispatched_us = nigran_incident_get_time_us (incident, NIGRAN_INCIDENT_DISPATCHED);
  gint64 on_scene_us = nigran_incident_get_time_us (incident, NIGRAN_INCIDENT_ON_SCENE);
  gint64 cleared_us = nigran_incident_get_time_us (incident, NIGRAN_INCIDENT_CLEARED);
  g_autofree char *age = format_span (nigran_clock_get_now_us (self->clock) - created_us);
  g_autoptr(GString) times = g_string_new (NULL);
  g_autofree char *text = NULL;

  /* Its own response times, as they are reached. */
  if (dispatched_us > 0)
    {
      g_autofree char *span = format_span (dispatched_us - created_us);

      g_string_append_printf (times, _(" · dispatched after %s"), span);
    }
  if (dispatched_us > 0 && on_scene_us > 0)
    {
      g_autofree char *span = format_span (on_scene_us - dispatched_us);

      g_string_append_printf (times, _(" · travel %s"), span);
    }
  if (on_scene_us > 0 && cleared_us > 0)
    {
      g_autofree char *span = format_span (cleared_us - on_scene_us);

      g_string_append_printf (times, _(" · on scene %s"), span);
    }
  text = g_markup_printf_escaped ("<b>P%d %s</b>  %s\n<span size='small'>%s · %s%s%s · %s ago</span>",
                                  nigran_incident_get_priority (incident), nigran_incident_get_type_code (incident),
                                  nigran_incident_get_title (incident), nigran_incident_state_get_label (state),
                                  nigran_incident_get_unit (incident) != NULL ? nigran_incident_get_unit (incident) : _("no unit yet"),
                                  times->str,
                                  g_strcmp0 (nigran_incident_get_source (incident), "sos") == 0 ? _(" · SOS") : "",
                                  age);
  gtk_label_set_markup (GTK_LABEL (label), text);
  gtk_widget_set_opacity (label, state >= NIGRAN_INCIDENT_CLEARED ? 0.6 : 1.0);
}

/* The free units for the selected open incident, quickest first, each with a button
 * that sends it. The rows are made anew only when the order changes, so that a click
 * never lands on a row being replaced; their times are updated in place. */
static void
update_ranking (NigranDispatchBoard *self,
                NigranIncident      *incident)
{
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(GString) signature = NULL;
  guint shown;

  if (incident == NULL || nigran_incident_get_state (incident) >= NIGRAN_INCIDENT_CLEARED || self->units == NULL)
    {
      gtk_widget_set_visible (self->ranking_title, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->ranking_list), FALSE);
      g_clear_pointer (&self->ranking_signature, g_free);
      return;
    }
  routes = nigran_units_rank (self->units, self->roads, nigran_incident_get_latitude (incident),
                              nigran_incident_get_longitude (incident));
  shown = MIN (routes->len, N_RANKED);
  signature = g_string_new (nigran_incident_get_id (incident));
  for (guint i = 0; i < shown; i++)
    g_string_append_printf (signature, " %s", nigran_unit_get_call_sign (((NigranUnitRoute *) routes->pdata[i])->unit));

  if (g_strcmp0 (signature->str, self->ranking_signature) != 0)
    {
      GtkWidget *row;

      while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->ranking_list))) != NULL)
        gtk_list_box_remove (self->ranking_list, row);
      g_ptr_array_set_size (self->ranking_labels, 0);
      for (guint i = 0; i < shown; i++)
        {
          const NigranUnitRoute *route = routes->pdata[i];
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
          GtkWidget *label = gtk_label_new (NULL);
          GtkWidget *send = gtk_button_new_with_label (_("Send"));

          gtk_widget_set_hexpand (label, TRUE);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          /* Wrapped, so that a long kind and time never widen the board past the window. */
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_actionable_set_action_target (GTK_ACTIONABLE (send), "(ss)", nigran_incident_get_id (incident),
                                            nigran_unit_get_call_sign (route->unit));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (send), "dispatch.unit");
          gtk_box_append (GTK_BOX (box), label);
          gtk_box_append (GTK_BOX (box), send);
          gtk_widget_set_margin_start (box, 6);
          gtk_widget_set_margin_end (box, 6);
          gtk_list_box_append (self->ranking_list, box);
          g_ptr_array_add (self->ranking_labels, label);
        }
      g_free (self->ranking_signature);
      self->ranking_signature = g_strdup (signature->str);
    }
  for (guint i = 0; i < shown; i++)
    {
      const NigranUnitRoute *route = routes->pdata[i];
      g_autofree char *eta = format_span ((gint64) (route->travel_s * G_USEC_PER_SEC));
      g_autofree char *text = g_strdup_printf (_("%s · %s · %.1f km %s · about %s"),
                                               nigran_unit_get_call_sign (route->unit),
                                               nigran_unit_kind_get_label (nigran_unit_get_kind (route->unit)),
                                               route->distance_m / 1000, route->by_road ? _("by road") : _("straight"),
                                               eta);

      gtk_label_set_label (self->ranking_labels->pdata[i], text);
    }
  gtk_widget_set_visible (self->ranking_title, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->ranking_list), shown > 0);
}

/* The selected incident's details, and which buttons apply to it in its state. */
static void
update_selected (NigranDispatchBoard *self)
{
  NigranIncident *incident = self->incident_selection != NULL
                             ? gtk_single_selection_get_selected_item (self->incident_selection) : NULL;
  NigranIncidentState state = incident != NULL ? nigran_incident_get_state (incident) : NIGRAN_INCIDENT_CLOSED;
  GtkWidget *buttons[] = { self->dispatch_button, self->show_button, self->clear_button, self->close_button };
  static const char * const actions[] = { "dispatch.incident", "dispatch.show", "dispatch.clear", "dispatch.close" };
  g_autoptr(GString) detail = g_string_new (NULL);
  const char * const *cameras;

  gtk_widget_set_sensitive (self->dispatch_button, incident != NULL && state < NIGRAN_INCIDENT_CLEARED);
  gtk_widget_set_sensitive (self->show_button, incident != NULL);
  gtk_widget_set_sensitive (self->clear_button, incident != NULL && state < NIGRAN_INCIDENT_CLEARED);
  /* Closed once cleared, or at once if no one was sent (a false alarm). */
  gtk_widget_set_sensitive (self->close_button,
                            incident != NULL && (state == NIGRAN_INCIDENT_CLEARED || state == NIGRAN_INCIDENT_CREATED));
  update_ranking (self, incident);
  if (incident == NULL)
    {
      gtk_label_set_label (self->incident_detail, _("Select an incident to act on it."));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      /* The name after the target: an action that takes one is never named without it. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (buttons[i]), "s", nigran_incident_get_id (incident));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (buttons[i]), actions[i]);
    }

  g_string_append_printf (detail, _("%s at %.5f, %.5f"), nigran_incident_get_title (incident),
                          nigran_incident_get_latitude (incident), nigran_incident_get_longitude (incident));
  if (nigran_incident_get_zone_id (incident) != NULL)
    g_string_append_printf (detail, _(" · zone %s"), nigran_incident_get_zone_id (incident));
  if (nigran_incident_get_notes (incident) != NULL)
    g_string_append_printf (detail, _("\nNotes: %s"), nigran_incident_get_notes (incident));
  cameras = nigran_incident_get_camera_ids (incident);
  if (cameras != NULL && cameras[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) cameras);

      g_string_append_printf (detail, _("\nCameras: %s"), joined);
    }
  if (nigran_incident_get_alert_id (incident) != NULL)
    g_string_append_printf (detail, _("\nFrom alert %.8s"), nigran_incident_get_alert_id (incident));
  if (nigran_incident_get_track_id (incident) != NULL)
    {
      const char *track_id = nigran_incident_get_track_id (incident);

      g_string_append_printf (detail, _(" · track %.8s"),
                              g_str_has_prefix (track_id, "track:") ? track_id + strlen ("track:") : track_id);
    }
  gtk_label_set_label (self->incident_detail, detail->str);
}

static char *
describe_stats (const char                *what,
                const NigranDurationStats *stats)
{
  g_autofree char *median = NULL;
  g_autofree char *p90 = NULL;

  if (stats->n == 0)
    return g_strdup_printf (_("%s: none yet"), what);
  median = format_span (stats->median_us);
  p90 = format_span (stats->p90_us);
  return g_strdup_printf (_("%s: median %s, 90 %% within %s (%u)"), what, median, p90, stats->n);
}

/* "Red zone: 4 calls, to dispatch median 12 s, 90 % within 40 s; travel median 3 min 05 s" */
static void
append_breakdown (NigranDispatchBoard *self,
                  GString             *text,
                  const char          *name,
                  const char          *zone_id,
                  const char          *unit_kind)
{
  NigranResponseTimes times;
  g_autofree char *median = NULL;
  g_autofree char *p90 = NULL;
  g_autofree char *travel = NULL;

  nigran_incidents_get_response_times (self->incidents, zone_id, unit_kind, NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  if (times.to_dispatch.n == 0)
    return;
  median = format_span (times.to_dispatch.median_us);
  p90 = format_span (times.to_dispatch.p90_us);
  travel = times.travel.n > 0 ? format_span (times.travel.median_us) : g_strdup (_("none yet"));
  g_string_append_printf (text, _("%s%s: %u, to dispatch median %s, 90 %% within %s; travel median %s"),
                          text->len > 0 ? " · " : "", name, times.to_dispatch.n, median, p90, travel);
}

/* Response times per zone of the site and per kind of unit, for the supervisor. */
static void
update_breakdown (NigranDispatchBoard *self)
{
  g_autoptr(GString) by_zone = g_string_new (NULL);
  g_autoptr(GString) by_kind = g_string_new (NULL);
  g_autoptr(GHashTable) zones = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->incidents)); i++)
    {
      g_autoptr(NigranIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);
      const char *zone_id = nigran_incident_get_zone_id (incident);

      if (zone_id != NULL && g_hash_table_add (zones, (char *) zone_id))
        append_breakdown (self, by_zone, zone_id, zone_id, NULL);
    }
  for (NigranUnitKind kind = NIGRAN_UNIT_PATROL_CAR; kind <= NIGRAN_UNIT_RANGERS; kind++)
    append_breakdown (self, by_kind, nigran_unit_kind_get_label (kind), NULL, nigran_unit_kind_to_string (kind));
  text = g_strdup_printf (_("By zone: %s\nBy unit: %s"), by_zone->len > 0 ? by_zone->str : _("none yet"),
                          by_kind->len > 0 ? by_kind->str : _("none yet"));
  gtk_label_set_label (self->breakdown_label, text);
}

void
nigran_dispatch_board_refresh (NigranDispatchBoard *self)
{
  NigranResponseTimes times;
  g_autofree char *to_dispatch = NULL;
  g_autofree char *travel = NULL;
  g_autofree char *on_scene = NULL;
  g_autofree char *text = NULL;
  double share;

  g_return_if_fail (NIGRAN_IS_DISPATCH_BOARD (self));
  if (self->incidents == NULL)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self->units), 0, g_list_model_get_n_items (G_LIST_MODEL (self->units)),
                              g_list_model_get_n_items (G_LIST_MODEL (self->units)));
  g_list_model_items_changed (G_LIST_MODEL (self->incidents), 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->incidents)),
                              g_list_model_get_n_items (G_LIST_MODEL (self->incidents)));

  nigran_incidents_get_response_times (self->incidents, NULL, NULL, NIGRAN_INCIDENTS_DISPATCH_TARGET_US, &times);
  to_dispatch = describe_stats (_("To dispatch"), &times.to_dispatch);
  travel = describe_stats (_("travel"), &times.travel);
  on_scene = describe_stats (_("on scene"), &times.on_scene);
  share = times.to_dispatch.n > 0 ? (double) times.dispatched_within_target / times.to_dispatch.n : 0;
  text = g_strdup_printf (_("%s · %s · %s\nDispatched within %" G_GINT64_FORMAT " s: %u of %u (%.0f %%; target %.0f %%)"),
                          to_dispatch, travel, on_scene, NIGRAN_INCIDENTS_DISPATCH_TARGET_US / G_TIME_SPAN_SECOND,
                          times.dispatched_within_target, times.to_dispatch.n, share * 100,
                          NIGRAN_INCIDENTS_DISPATCH_TARGET_SHARE * 100);
  gtk_label_set_label (self->response_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->response_label), "error");
  if (times.to_dispatch.n > 0 && share < NIGRAN_INCIDENTS_DISPATCH_TARGET_SHARE)
    gtk_widget_add_css_class (GTK_WIDGET (self->response_label), "error");
  update_breakdown (self);
  update_selected (self);
}

static gboolean
refresh_tick (gpointer data)
{
  nigran_dispatch_board_refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
nigran_dispatch_board_dispose (GObject *object)
{
  NigranDispatchBoard *self = NIGRAN_DISPATCH_BOARD (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_DISPATCH_BOARD);
  g_clear_object (&self->units);
  g_clear_object (&self->incidents);
  g_clear_object (&self->incident_selection);
  g_clear_object (&self->roads);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->ranking_labels, g_ptr_array_unref);
  g_clear_pointer (&self->ranking_signature, g_free);
  G_OBJECT_CLASS (nigran_dispatch_board_parent_class)->dispose (object);
}

static void
nigran_dispatch_board_class_init (NigranDispatchBoardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = nigran_dispatch_board_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-dispatch-board.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, box);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, response_label);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, breakdown_label);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, unit_list);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, incident_list);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, incident_detail);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, dispatch_button);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, show_button);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, clear_button);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, close_button);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, ranking_title);
  gtk_widget_class_bind_template_child (widget_class, NigranDispatchBoard, ranking_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nigran-dispatch-board");
}

static void
nigran_dispatch_board_init (NigranDispatchBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->ranking_labels = g_ptr_array_new ();
  gtk_label_set_label (self->response_label, _("No units or incidents yet."));
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  gint64 created_a = nigran_incident_get_time_us ((NigranIncident *) a, NIGRAN_INCIDENT_CREATED);
  gint64 created_b = nigran_incident_get_time_us ((NigranIncident *) b, NIGRAN_INCIDENT_CREATED);

  return (created_a < created_b) - (created_a > created_b);
}

/* @roads: (nullable): to rank the units by road; without, in straight lines */
void
nigran_dispatch_board_set_projections (NigranDispatchBoard *self,
                                       NigranUnits         *units,
                                       NigranIncidents     *incidents,
                                       NigranRoadGraph     *roads,
                                       NigranClock         *clock)
{
  g_autoptr(GtkListItemFactory) unit_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) incident_factory = gtk_signal_list_item_factory_new ();
  GtkSortListModel *newest_first;

  g_return_if_fail (NIGRAN_IS_DISPATCH_BOARD (self));

  g_set_object (&self->units, units);
  g_set_object (&self->incidents, incidents);
  g_set_object (&self->roads, roads);
  g_set_object (&self->clock, clock);

  g_signal_connect (unit_factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (unit_factory, "bind", G_CALLBACK (bind_unit), self);
  gtk_list_view_set_factory (self->unit_list, unit_factory);
  gtk_list_view_set_model (self->unit_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (units)))));

  g_signal_connect (incident_factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (incident_factory, "bind", G_CALLBACK (bind_incident), self);
  gtk_list_view_set_factory (self->incident_list, incident_factory);
  newest_first = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (incidents)),
                                          GTK_SORTER (gtk_custom_sorter_new (compare_newest_first, NULL, NULL)));
  if (self->incident_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->incident_selection, self);
  g_clear_object (&self->incident_selection);
  self->incident_selection = gtk_single_selection_new (G_LIST_MODEL (newest_first));
  gtk_single_selection_set_autoselect (self->incident_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->incident_selection, TRUE);
  gtk_single_selection_set_selected (self->incident_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->incident_selection, "notify::selected-item", G_CALLBACK (update_selected), self);
  gtk_list_view_set_model (self->incident_list, GTK_SELECTION_MODEL (g_object_ref (self->incident_selection)));

  nigran_dispatch_board_refresh (self);
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_seconds (1, refresh_tick, self);
}

const char *
nigran_dispatch_board_get_response_text (NigranDispatchBoard *self)
{
  g_return_val_if_fail (NIGRAN_IS_DISPATCH_BOARD (self), NULL);
  return gtk_label_get_label (self->response_label);
}

/* Returns: the response times per zone and per unit kind, as shown */
const char *
nigran_dispatch_board_get_breakdown_text (NigranDispatchBoard *self)
{
  g_return_val_if_fail (NIGRAN_IS_DISPATCH_BOARD (self), NULL);
  return gtk_label_get_label (self->breakdown_label);
}

/* Returns: whether the incident is on the board; it is selected */
gboolean
nigran_dispatch_board_select_incident (NigranDispatchBoard *self,
                                       const char          *incident_id)
{
  GListModel *model;

  g_return_val_if_fail (NIGRAN_IS_DISPATCH_BOARD (self), FALSE);
  if (self->incident_selection == NULL)
    return FALSE;
  model = G_LIST_MODEL (self->incident_selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NigranIncident) incident = g_list_model_get_item (model, i);

      if (g_str_equal (nigran_incident_get_id (incident), incident_id))
        {
          gtk_single_selection_set_selected (self->incident_selection, i);
          return TRUE;
        }
    }
  return FALSE;
}
