/* nigran-alert-row.c: one alert on the rail
 *
 * A bar in the priority's colour, the title, where it happened and where its review
 * stands. Demo alerts say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-alert-row.h"

struct _NigranAlertRow
{
  GtkWidget    parent_instance;

  GtkWidget   *box;
  GtkWidget   *priority_bar;
  GtkLabel    *title_label;
  GtkLabel    *watchlist_label;
  GtkWidget   *demo_label;
  GtkLabel    *where_label;
  GtkLabel    *state_label;

  NigranAlert *alert;
};

G_DEFINE_FINAL_TYPE (NigranAlertRow, nigran_alert_row, GTK_TYPE_WIDGET)

const char *
nigran_alert_priority_css_class (NigranAlertPriority priority)
{
  switch (priority)
    {
    case NIGRAN_ALERT_PRIORITY_CRITICAL: return "priority-critical";
    case NIGRAN_ALERT_PRIORITY_HIGH: return "priority-high";
    case NIGRAN_ALERT_PRIORITY_MEDIUM: return "priority-medium";
    default: return "priority-low";
    }
}

/* @time_us, microseconds since 1970 UTC, in local time as g_date_time_format() does. */
char *
nigran_format_local_time (gint64      time_us,
                          const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return time ? g_date_time_format (time, format) : g_strdup ("?");
}

/* "Sindh Assembly gate · Sindh Assembly" from the site file, or the raw ids. */
char *
nigran_alert_describe_where (NigranAlert    *alert,
                             NigranSiteFile *site_file)
{
  const char *camera_id = nigran_alert_get_camera_id (alert);
  const char *site_id = nigran_alert_get_site_id (alert);
  NigranCamera *camera = site_file && camera_id ? nigran_site_file_lookup_camera (site_file, camera_id) : NULL;
  NigranSite *site = site_file && site_id ? nigran_site_file_lookup_site (site_file, site_id) : NULL;
  const char *camera_name = camera ? nigran_camera_get_name (camera) : camera_id;
  const char *site_name = site ? nigran_site_get_name (site) : site_id;

  if (camera_name && site_name)
    return g_strdup_printf ("%s · %s", camera_name, site_name);
  return g_strdup (camera_name ? camera_name : site_name ? site_name : "");
}

/* Pango markup of @text as a chip in @colour ("#rrggbb"): white on the watchlist
 * colours of GNOME's palette, which are all dark enough. */
char *
nigran_colour_chip_markup (const char *colour,
                           const char *text)
{
  return g_markup_printf_escaped ("<span background=\"%s\" foreground=\"#ffffff\" weight=\"bold\"> %s </span>",
                                  colour, text);
}

/* The watchlist an alert matched, as a chip in the watchlist's colour; hidden for
 * an alert of no watchlist. */
void
nigran_alert_show_watchlist (NigranAlert *alert,
                             GtkLabel    *label)
{
  const char *watchlist = nigran_alert_get_watchlist (alert);
  const char *colour = nigran_alert_get_colour (alert);
  g_autofree char *markup = NULL;

  gtk_widget_set_visible (GTK_WIDGET (label), watchlist != NULL);
  if (watchlist == NULL)
    return;
  markup = nigran_colour_chip_markup (colour != NULL ? colour : "#5e5c64", watchlist);
  gtk_label_set_markup (label, markup);
}

/* "New · 14:02:31" or "Acknowledged by alice · 14:02:31". */
char *
nigran_alert_describe_state (NigranAlert *alert)
{
  g_autofree char *time = nigran_format_local_time (nigran_alert_get_raised_us (alert), "%H:%M:%S");

  switch (nigran_alert_get_state (alert))
    {
    case NIGRAN_ALERT_STATE_NEW:
      return g_strdup_printf (_("New · %s"), time);
    case NIGRAN_ALERT_STATE_ACKNOWLEDGED:
      return g_strdup_printf (_("Acknowledged by %s · %s"), nigran_alert_get_acknowledged_by (alert), time);
    case NIGRAN_ALERT_STATE_VERIFIED:
      return g_strdup_printf (_("Verified · %s"), time);
    case NIGRAN_ALERT_STATE_CONFIRMED:
      return g_strdup_printf (_("Confirmed by two verifiers · %s"), time);
    case NIGRAN_ALERT_STATE_REJECTED:
      return g_strdup_printf (_("Rejected · %s"), time);
    case NIGRAN_ALERT_STATE_ESCALATED:
      return g_strdup_printf (_("Escalated · %s"), time);
    case NIGRAN_ALERT_STATE_CLOSED:
    default:
      return g_strdup_printf (_("Closed · %s"), time);
    }
}

static void
update (NigranAlertRow *self)
{
  g_autofree char *state = nigran_alert_describe_state (self->alert);

  gtk_label_set_label (self->state_label, state);
}

static void
nigran_alert_row_dispose (GObject *object)
{
  NigranAlertRow *self = NIGRAN_ALERT_ROW (object);

  nigran_alert_row_set_alert (self, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_ALERT_ROW);

  G_OBJECT_CLASS (nigran_alert_row_parent_class)->dispose (object);
}

static void
nigran_alert_row_class_init (NigranAlertRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_alert_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-alert-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, box);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, priority_bar);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, watchlist_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, where_label);
  gtk_widget_class_bind_template_child (widget_class, NigranAlertRow, state_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nigran-alert-row");
}

static void
nigran_alert_row_init (NigranAlertRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NigranAlertRow *
nigran_alert_row_new (void)
{
  return g_object_new (NIGRAN_TYPE_ALERT_ROW, NULL);
}

void
nigran_alert_row_set_alert (NigranAlertRow *self,
                            NigranAlert    *alert,
                            NigranSiteFile *site_file)
{
  static const NigranAlertPriority priorities[] = {
    NIGRAN_ALERT_PRIORITY_CRITICAL, NIGRAN_ALERT_PRIORITY_HIGH,
    NIGRAN_ALERT_PRIORITY_MEDIUM, NIGRAN_ALERT_PRIORITY_LOW,
  };
  g_autofree char *where = NULL;

  g_return_if_fail (NIGRAN_IS_ALERT_ROW (self));

  if (self->alert != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->alert, self);
      g_clear_object (&self->alert);
    }
  for (guint i = 0; i < G_N_ELEMENTS (priorities); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), nigran_alert_priority_css_class (priorities[i]));
  if (alert == NULL)
    return;

  self->alert = g_object_ref (alert);
  g_signal_connect_swapped (alert, "changed", G_CALLBACK (update), self);
  gtk_widget_add_css_class (GTK_WIDGET (self), nigran_alert_priority_css_class (nigran_alert_get_priority (alert)));
  gtk_label_set_label (self->title_label, nigran_alert_get_title (alert));
  gtk_widget_set_visible (self->demo_label, nigran_alert_get_demo (alert));
  nigran_alert_show_watchlist (alert, self->watchlist_label);
  where = nigran_alert_describe_where (alert, site_file);
  gtk_label_set_label (self->where_label, where);
  update (self);
}
