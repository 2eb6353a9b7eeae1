/* nigran-supervisor-window.c: the supervisor's review of the alert queue
 *
 * Filters (state, priority, type, camera, site, time range, operator), sortable
 * columns, multi-select with bulk acknowledge, CSV export, and the review figures
 * (time to acknowledge and to verify against their targets, rejection rates) as
 * charts. Opening the view, each settled filter (a search) and each export are
 * recorded in the event log; an export that cannot be recorded is not made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-alert-row.h"
#include "nigran-kpi-chart.h"
#include "nigran-supervisor-window.h"

#define SEARCH_SETTLE_MS 1500
#define REFRESH_MS       1000

struct _NigranSupervisorWindow
{
  GtkWindow           parent_instance;

  GtkDropDown        *state_dropdown;
  GtkDropDown        *priority_dropdown;
  GtkDropDown        *type_dropdown;
  GtkDropDown        *range_dropdown;
  GtkEntry           *camera_entry;
  GtkEntry           *site_entry;
  GtkEntry           *operator_entry;
  GtkLabel           *count_label;
  GtkColumnView      *column_view;
  GtkLabel           *kpi_label;
  NigranKpiChart     *kpi_chart;
  GtkEntry           *reason_entry;
  GtkEntry           *assignee_entry;
  GtkLabel           *message_label;

  NigranAlertQueue   *queue;
  NigranEventLog     *log;
  char               *operator_name;
  GSettings          *settings;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkMultiSelection  *selection;
  NigranAlertCriteria criteria;       /* strings point into the entries' copies below */
  char               *camera_id;
  char               *site_id;
  char               *operator_filter;
  gboolean            dirty;
  guint               refresh_id;
  guint               search_id;
};

G_DEFINE_FINAL_TYPE (NigranSupervisorWindow, nigran_supervisor_window, GTK_TYPE_WINDOW)

static const gint64 range_seconds[] = { 3600, 24 * 3600, 7 * 24 * 3600, 0 };
static const char * const kind_prefixes[] = { NULL, "camera.", "face.", "plate.", "sos." };

static void
record (NigranSupervisorWindow *self,
        const char             *type,
        JsonObject             *payload)
{
  g_autoptr(NigranEvent) event = nigran_event_new (type, (const char * const[]) { "view:alert-queue", NULL }, payload);

  nigran_event_log_append_async (self->log, event, self->operator_name, NULL, NULL, NULL);
}

static JsonObject *
criteria_to_json (NigranSupervisorWindow *self)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "state_mask", self->criteria.state_mask);
  json_object_set_int_member (object, "most_urgent", self->criteria.most_urgent);
  json_object_set_int_member (object, "least_urgent", self->criteria.least_urgent);
  if (self->criteria.kind_prefix)
    json_object_set_string_member (object, "kind", self->criteria.kind_prefix);
  if (self->criteria.camera_id)
    json_object_set_string_member (object, "camera", self->criteria.camera_id);
  if (self->criteria.site_id)
    json_object_set_string_member (object, "site", self->criteria.site_id);
  if (self->criteria.operator)
    json_object_set_string_member (object, "operator", self->criteria.operator);
  json_object_set_int_member (object, "from_us", self->criteria.from_us);
  return object;
}

static char *
entry_text_or_null (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return *text ? g_steal_pointer (&text) : NULL;
}

static void
read_criteria (NigranSupervisorWindow *self)
{
  static const guint state_masks[] = {
    0,
    1u << NIGRAN_ALERT_STATE_NEW | 1u << NIGRAN_ALERT_STATE_ACKNOWLEDGED | 1u << NIGRAN_ALERT_STATE_ESCALATED,
    1u << NIGRAN_ALERT_STATE_NEW,
    1u << NIGRAN_ALERT_STATE_ACKNOWLEDGED,
    1u << NIGRAN_ALERT_STATE_VERIFIED | 1u << NIGRAN_ALERT_STATE_CONFIRMED,
    1u << NIGRAN_ALERT_STATE_REJECTED,
    1u << NIGRAN_ALERT_STATE_ESCALATED,
    1u << NIGRAN_ALERT_STATE_CLOSED,
  };
  guint state = gtk_drop_down_get_selected (self->state_dropdown);
  guint priority = gtk_drop_down_get_selected (self->priority_dropdown);
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  guint range = gtk_drop_down_get_selected (self->range_dropdown);
  gint64 now = nigran_clock_get_now_us (nigran_event_log_get_clock (self->log));

  g_free (self->camera_id);
  g_free (self->site_id);
  g_free (self->operator_filter);
  self->camera_id = entry_text_or_null (self->camera_entry);
  self->site_id = entry_text_or_null (self->site_entry);
  self->operator_filter = entry_text_or_null (self->operator_entry);

  memset (&self->criteria, 0, sizeof self->criteria);
  self->criteria.state_mask = state < G_N_ELEMENTS (state_masks) ? state_masks[state] : 0;
  if (priority > 0)
    {
      self->criteria.most_urgent = NIGRAN_ALERT_PRIORITY_CRITICAL;
      self->criteria.least_urgent = priority;   /* 1 critical, 2 high, 3 medium */
    }
  self->criteria.kind_prefix = type < G_N_ELEMENTS (kind_prefixes) ? kind_prefixes[type] : NULL;
  self->criteria.camera_id = self->camera_id;
  self->criteria.site_id = self->site_id;
  self->criteria.operator = self->operator_filter;
  if (range < G_N_ELEMENTS (range_seconds) && range_seconds[range] > 0)
    self->criteria.from_us = now - range_seconds[range] * G_USEC_PER_SEC;
}

static gboolean
filter_alert (gpointer item,
              gpointer user_data)
{
  NigranSupervisorWindow *self = user_data;

  return nigran_alert_criteria_match (&self->criteria, item);
}

static void
update_kpis (NigranSupervisorWindow *self)
{
  NigranAlertKpis kpis;
  gint64 now = nigran_clock_get_now_us (nigran_event_log_get_clock (self->log));
  gint64 from = self->criteria.from_us;
  g_autofree char *heading = NULL;
  double acknowledge_target = self->settings ? g_settings_get_uint (self->settings, "acknowledge-target-seconds") : 10;
  double verify_target = self->settings ? g_settings_get_uint (self->settings, "verify-target-seconds") : 60;

  nigran_alert_queue_compute_kpis (self->queue, from, now, &kpis);
  heading = g_strdup_printf (_("Review figures for the same time range: %u alerts, %.1f per hour; %u acknowledged, %u decided"),
                             kpis.n_raised, from ? kpis.alerts_per_hour : 0, kpis.n_acknowledged, kpis.n_decided);
  gtk_label_set_label (self->kpi_label, heading);
  nigran_kpi_chart_set_kpis (self->kpi_chart, &kpis, acknowledge_target, verify_target);
  nigran_alert_kpis_clear (&kpis);
}

static void
update_count (NigranSupervisorWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("%u of %u alerts"),
                                           g_list_model_get_n_items (G_LIST_MODEL (self->filtered)),
                                           g_list_model_get_n_items (G_LIST_MODEL (self->queue)));

  gtk_label_set_label (self->count_label, text);
}

void
nigran_supervisor_window_refresh (NigranSupervisorWindow *self)
{
  read_criteria (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
  update_kpis (self);
  self->dirty = FALSE;
}

static void
record_search (gpointer user_data)
{
  NigranSupervisorWindow *self = user_data;
  g_autoptr(JsonObject) payload = criteria_to_json (self);

  self->search_id = 0;
  record (self, "audit.search", payload);
}

static void
on_filter_changed_cb (NigranSupervisorWindow *self)
{
  NigranClock *clock = nigran_event_log_get_clock (self->log);

  nigran_supervisor_window_refresh (self);
  /* A search is recorded once the supervisor has settled on it, not per keystroke. */
  if (self->search_id != 0)
    nigran_clock_remove_timeout (clock, self->search_id);
  self->search_id = nigran_clock_add_timeout (clock, SEARCH_SETTLE_MS, record_search, self);
}

static void
on_event_cb (NigranEventBus         *bus,
             NigranEvent            *event,
             NigranSupervisorWindow *self)
{
  if (g_str_has_prefix (nigran_event_get_event_type (event), "alert."))
    self->dirty = TRUE;
}

static void
refresh_if_dirty (gpointer user_data)
{
  NigranSupervisorWindow *self = user_data;

  if (self->dirty)
    nigran_supervisor_window_refresh (self);
  self->refresh_id = nigran_clock_add_timeout (nigran_event_log_get_clock (self->log), REFRESH_MS, refresh_if_dirty, self);
}

/* Columns */

typedef char *(*CellText) (NigranAlert *alert);

static char *cell_raised (NigranAlert *a) { return nigran_format_local_time (nigran_alert_get_raised_us (a), "%Y-%m-%d %H:%M:%S"); }
static char *cell_priority (NigranAlert *a) { return g_strdup (nigran_alert_priority_to_string (nigran_alert_get_priority (a))); }
static char *cell_title (NigranAlert *a) { return g_strdup (nigran_alert_get_title (a)); }
static char *cell_camera (NigranAlert *a) { return g_strdup (nigran_alert_get_camera_id (a)); }
static char *cell_site (NigranAlert *a) { return g_strdup (nigran_alert_get_site_id (a)); }
static char *cell_state (NigranAlert *a) { return g_strdup (nigran_alert_state_to_string (nigran_alert_get_state (a))); }
static char *cell_acknowledged_by (NigranAlert *a) { return g_strdup (nigran_alert_get_acknowledged_by (a)); }

static char *
cell_time_to_acknowledge (NigranAlert *alert)
{
  gint64 acknowledged = nigran_alert_get_acknowledged_us (alert);

  return acknowledged ? g_strdup_printf ("%.1f s", (acknowledged - nigran_alert_get_raised_us (alert)) / 1e6) : g_strdup ("");
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  CellText text_func = (CellText)user_data;
  g_autofree char *text = text_func (gtk_list_item_get_item (list_item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text ? text : "");
}

static int
compare_cells (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  CellText text_func = (CellText)user_data;
  g_autofree char *ta = text_func ((NigranAlert *)a);
  g_autofree char *tb = text_func ((NigranAlert *)b);

  return g_strcmp0 (ta, tb);
}

static int
compare_raised (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  gint64 sa = nigran_alert_get_sequence ((NigranAlert *)a), sb = nigran_alert_get_sequence ((NigranAlert *)b);

  return sa < sb ? -1 : sa > sb;
}

static int
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return (int)nigran_alert_get_priority ((NigranAlert *)a) - (int)nigran_alert_get_priority ((NigranAlert *)b);
}

static GtkColumnViewColumn *
add_column (NigranSupervisorWindow *self,
            const char             *title,
            CellText                text_func,
            GCompareDataFunc        compare,
            gboolean                expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare ? compare : compare_cells, (gpointer)text_func, NULL));

  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), (gpointer)text_func);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (sorter);
  g_object_unref (column);
  return column;
}

/* Actions */

static void
show_message (NigranSupervisorWindow *self,
              const char             *message)
{
  gtk_label_set_label (self->message_label, message ? message : "");
}

static void
on_bulk_recorded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(NigranSupervisorWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0)
    show_message (self, error->message);
}

/* Acknowledges the selected alerts, or assigns them to the operator named. */
static void
act_on_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  NigranSupervisorWindow *self = NIGRAN_SUPERVISOR_WINDOW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  gboolean assign = g_str_equal (action_name, "supervisor.assign-selected");
  NigranAlertAction action = assign ? NIGRAN_ALERT_ACTION_ASSIGN : NIGRAN_ALERT_ACTION_ACKNOWLEDGE;
  g_autofree char *assignee = assign ? entry_text_or_null (self->assignee_entry) : NULL;
  GtkBitsetIter iter;
  guint position, n_done = 0;
  g_autofree char *message = NULL;

  if (assign && assignee == NULL)
    {
      show_message (self, _("Name the operator to assign the alerts to."));
      gtk_widget_grab_focus (GTK_WIDGET (self->assignee_entry));
      return;
    }

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      g_autoptr(NigranEvent) event = NULL;

      if (!nigran_alert_can (alert, action, self->operator_name, NULL))
        continue;
      event = nigran_alert_action_event_new (alert, action, assignee, 0);
      nigran_event_log_append_async (self->log, event, self->operator_name, NULL,
                                     on_bulk_recorded_cb, g_object_ref (self));
      n_done++;
    }
  if (assign)
    message = g_strdup_printf (ngettext ("Assigning %u alert to %s", "Assigning %u alerts to %s", n_done), n_done, assignee);
  else
    message = g_strdup_printf (ngettext ("Acknowledging %u alert", "Acknowledging %u alerts", n_done), n_done);
  show_message (self, message);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (NIGRAN_SUPERVISOR_WINDOW (widget)->selection));
}

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NigranSupervisorWindow *self = NIGRAN_SUPERVISOR_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n_rows = nigran_supervisor_window_export_finish (self, result, &error);

  if (error != NULL)
    message = g_strdup_printf (_("Not exported: %s"), error->message);
  else
    message = g_strdup_printf (ngettext ("Exported %u alert; the export is recorded.",
                                         "Exported %u alerts; the export is recorded.", n_rows), n_rows);
  show_message (self, message);
}

static void
on_export_file_chosen_cb (GtkNativeDialog        *dialog,
                          int                     response,
                          NigranSupervisorWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *reason = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      reason = entry_text_or_null (self->reason_entry);
      nigran_supervisor_window_export_async (self, path, reason, on_export_done_cb, NULL);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NigranSupervisorWindow *self = NIGRAN_SUPERVISOR_WINDOW (widget);
  g_autofree char *reason = entry_text_or_null (self->reason_entry);
  GtkFileChooserNative *dialog;

  if (reason == NULL)
    {
      show_message (self, _("Say why you export first: the reason is recorded with the export."));
      gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
      return;
    }
  dialog = gtk_file_chooser_native_new (_("Export alerts"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "alerts.csv");
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Export */

/* One CSV field (RFC 4180), and text that a spreadsheet would run as a formula
 * (= + - @ first) made inert. */
char *
nigran_csv_field (const char *text)
{
  GString *field = g_string_new ("\"");

  if (text != NULL && strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (field, '\'');
  for (const char *c = text ? text : ""; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (field, '"');
      g_string_append_c (field, *c);
    }
  g_string_append_c (field, '"');
  return g_string_free (field, FALSE);
}

static char *
format_utc (gint64 time_us)
{
  g_autoptr(GDateTime) time = time_us ? g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC) : NULL;

  return time ? g_date_time_format_iso8601 (time) : g_strdup ("");
}

static char *
export_csv (GListModel *rows)
{
  static const char *header = "alert,raised_utc,priority,source,kind,title,camera,site,state,"
                              "acknowledged_by,acknowledged_utc,decided_utc,demo\r\n";
  GString *csv = g_string_new (header);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (rows, i);
      g_autofree char *raised = format_utc (nigran_alert_get_raised_us (alert));
      g_autofree char *acknowledged = format_utc (nigran_alert_get_acknowledged_us (alert));
      g_autofree char *decided = format_utc (nigran_alert_get_decided_us (alert));
      const char *fields[] = {
        nigran_alert_get_id (alert), raised, nigran_alert_priority_to_string (nigran_alert_get_priority (alert)),
        nigran_alert_get_source (alert), nigran_alert_get_kind (alert), nigran_alert_get_title (alert),
        nigran_alert_get_camera_id (alert), nigran_alert_get_site_id (alert),
        nigran_alert_state_to_string (nigran_alert_get_state (alert)), nigran_alert_get_acknowledged_by (alert),
        acknowledged, decided, nigran_alert_get_demo (alert) ? "yes" : "no",
      };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *field = nigran_csv_field (fields[f]);
          g_string_append (csv, field);
          g_string_append (csv, f + 1 < G_N_ELEMENTS (fields) ? "," : "\r\n");
        }
    }
  return g_string_free (csv, FALSE);
}

typedef struct
{
  char  *path;
  char  *csv;
  guint  n_rows;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->path);
  g_free (data->csv);
  g_free (data);
}

static void
write_export_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (!g_file_set_contents_full (data->path, data->csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, data->n_rows);
}

static void
on_export_recorded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* The export happens only once it is on record. */
  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, write_export_thread);
}

/**
 * nigran_supervisor_window_export_async:
 * @path: the CSV file to write
 * @reason: why; recorded with the export
 *
 * Exports the alerts shown, as sorted, after recording who exported what and why.
 */
void
nigran_supervisor_window_export_async (NigranSupervisorWindow *self,
                                       const char             *path,
                                       const char             *reason,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autoptr(JsonObject) payload = criteria_to_json (self);
  g_autoptr(NigranEvent) event = NULL;
  GListModel *rows = G_LIST_MODEL (self->selection);
  ExportData *data;

  g_task_set_source_tag (task, nigran_supervisor_window_export_async);
  if (reason == NULL || *reason == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("An export needs a reason, which is recorded with it."));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->path = g_strdup (path);
  data->csv = export_csv (rows);
  data->n_rows = g_list_model_get_n_items (rows);
  g_task_set_task_data (task, data, (GDestroyNotify)export_data_free);

  json_object_set_string_member (payload, "reason", reason);
  json_object_set_string_member (payload, "file", path);
  json_object_set_int_member (payload, "rows", data->n_rows);
  event = nigran_event_new ("audit.export", (const char * const[]) { "view:alert-queue", NULL }, payload);
  nigran_event_log_append_async (self->log, event, self->operator_name, NULL, on_export_recorded_cb, g_steal_pointer (&task));
}

/* Returns: the number of alerts exported */
guint
nigran_supervisor_window_export_finish (NigranSupervisorWindow  *self,
                                        GAsyncResult            *result,
                                        GError                 **error)
{
  gssize n_rows = g_task_propagate_int (G_TASK (result), error);

  return n_rows > 0 ? n_rows : 0;
}

/* GObject */

static void
nigran_supervisor_window_dispose (GObject *object)
{
  NigranSupervisorWindow *self = NIGRAN_SUPERVISOR_WINDOW (object);

  if (self->log != NULL)
    {
      NigranClock *clock = nigran_event_log_get_clock (self->log);

      if (self->refresh_id != 0)
        nigran_clock_remove_timeout (clock, self->refresh_id);
      if (self->search_id != 0)
        nigran_clock_remove_timeout (clock, self->search_id);
      self->refresh_id = self->search_id = 0;
      g_signal_handlers_disconnect_by_data (nigran_event_log_get_bus (self->log), self);
    }
  gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_SUPERVISOR_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->queue);
  g_clear_object (&self->log);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (nigran_supervisor_window_parent_class)->dispose (object);
}

static void
nigran_supervisor_window_finalize (GObject *object)
{
  NigranSupervisorWindow *self = NIGRAN_SUPERVISOR_WINDOW (object);

  g_free (self->operator_name);
  g_free (self->camera_id);
  g_free (self->site_id);
  g_free (self->operator_filter);

  G_OBJECT_CLASS (nigran_supervisor_window_parent_class)->finalize (object);
}

static void
nigran_supervisor_window_class_init (NigranSupervisorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_supervisor_window_dispose;
  object_class->finalize = nigran_supervisor_window_finalize;

  g_type_ensure (NIGRAN_TYPE_KPI_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-supervisor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, priority_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, camera_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, site_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, operator_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, kpi_label);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, kpi_chart);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, assignee_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranSupervisorWindow, message_label);

  gtk_widget_class_install_action (widget_class, "supervisor.acknowledge-selected", NULL, act_on_selected_action);
  gtk_widget_class_install_action (widget_class, "supervisor.assign-selected", NULL, act_on_selected_action);
  gtk_widget_class_install_action (widget_class, "supervisor.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "supervisor.select-all", NULL, select_all_action);
}

static void
nigran_supervisor_window_init (NigranSupervisorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NigranSupervisorWindow *
nigran_supervisor_window_new (NigranAlertQueue *queue,
                              NigranEventLog   *log,
                              const char       *operator_name,
                              GSettings        *settings)
{
  NigranSupervisorWindow *self;
  GtkSortListModel *sorted;
  GtkColumnViewColumn *raised;
  g_autoptr(JsonObject) payload = json_object_new ();

  g_return_val_if_fail (NIGRAN_IS_ALERT_QUEUE (queue), NULL);
  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (log), NULL);

  self = g_object_new (NIGRAN_TYPE_SUPERVISOR_WINDOW, NULL);
  self->queue = g_object_ref (queue);
  self->log = g_object_ref (log);
  self->operator_name = g_strdup (operator_name);
  self->settings = settings ? g_object_ref (settings) : NULL;

  read_criteria (self);
  self->filter = gtk_custom_filter_new (filter_alert, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (queue)), GTK_FILTER (g_object_ref (self->filter)));

  raised = add_column (self, _("Raised"), cell_raised, compare_raised, FALSE);
  add_column (self, _("Priority"), cell_priority, compare_priority, FALSE);
  add_column (self, _("Alert"), cell_title, NULL, TRUE);
  add_column (self, _("Camera"), cell_camera, NULL, FALSE);
  add_column (self, _("Site"), cell_site, NULL, FALSE);
  add_column (self, _("State"), cell_state, NULL, FALSE);
  add_column (self, _("Acknowledged by"), cell_acknowledged_by, NULL, FALSE);
  add_column (self, _("To acknowledge"), cell_time_to_acknowledge, NULL, FALSE);

  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, raised, GTK_SORT_DESCENDING);

  g_signal_connect_swapped (self->state_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->priority_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->type_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->range_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->camera_entry, "changed", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->site_entry, "changed", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->operator_entry, "changed", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect (nigran_event_log_get_bus (log), "event", G_CALLBACK (on_event_cb), self);

  nigran_supervisor_window_refresh (self);
  self->refresh_id = nigran_clock_add_timeout (nigran_event_log_get_clock (log), REFRESH_MS, refresh_if_dirty, self);

  json_object_set_string_member (payload, "view", "alert-queue");
  record (self, "audit.view", payload);
  return self;
}

/* For tests and keyboard macros: picks @choice in the filter named @filter ("state",
 * "priority", "type", "range"). */
void
nigran_supervisor_window_set_filter (NigranSupervisorWindow *self,
                                     const char             *filter,
                                     guint                   choice)
{
  GtkDropDown *dropdown = g_str_equal (filter, "state") ? self->state_dropdown
                        : g_str_equal (filter, "priority") ? self->priority_dropdown
                        : g_str_equal (filter, "type") ? self->type_dropdown
                        : self->range_dropdown;

  gtk_drop_down_set_selected (dropdown, choice);
}

guint
nigran_supervisor_window_get_n_shown (NigranSupervisorWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

/* The operator "Assign selected" gives the alerts to, as if typed. */
void
nigran_supervisor_window_set_assignee (NigranSupervisorWindow *self,
                                       const char             *operator_name)
{
  gtk_editable_set_text (GTK_EDITABLE (self->assignee_entry), operator_name);
}
