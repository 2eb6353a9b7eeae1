/* nigran-kpi-chart.c: review figures drawn as bars against their targets
 *
 * Times (median and 90th percentile to acknowledge and to decide) are bars on a scale
 * of twice their target, with the target marked; a bar past its target is red.
 * Rejection rates per source and per camera (the ten highest) are bars from 0 to
 * 100 %. Drawn with GtkSnapshot: a handful of rectangles and labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-kpi-chart.h"

#define BAR_HEIGHT  16
#define ROW_HEIGHT  24
#define LABEL_WIDTH 190
#define MAX_CAMERAS 10

typedef struct
{
  char   *label;
  double  fraction;   /* of the bar's full width, 0…1 */
  double  target;     /* where the target mark goes, 0…1; < 0: none */
  gboolean late;
  char   *value;
} Bar;

#define HISTOGRAM_HEIGHT 90

struct _NigranKpiChart
{
  GtkWidget  parent_instance;

  GArray    *bars;        /* Bar */
  GArray    *per_bucket;  /* guint: alerts raised per hour (or longer bucket) */
  guint      busiest;     /* the tallest column */
  char      *histogram_label;
};

G_DEFINE_FINAL_TYPE (NigranKpiChart, nigran_kpi_chart, GTK_TYPE_WIDGET)

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
  g_free (bar->value);
}

static void
add_time_bar (NigranKpiChart *self,
              const char     *label,
              double          seconds,
              double          target_s)
{
  Bar bar = { g_strdup (label), 0, 0.5, FALSE, NULL };

  if (seconds < 0)
    bar.value = g_strdup (_("no data"));
  else
    {
      bar.fraction = CLAMP (seconds / (2 * target_s), 0, 1);
      bar.late = seconds > target_s;
      bar.value = g_strdup_printf (_("%.1f s (target %.0f s)"), seconds, target_s);
    }
  g_array_append_val (self->bars, bar);
}

static void
add_rate_bar (NigranKpiChart             *self,
              const char                 *label,
              const NigranRejectionCount *count)
{
  Bar bar = { g_strdup (label), 0, -1, FALSE, NULL };

  bar.fraction = count->decided ? (double)count->rejected / count->decided : 0;
  bar.value = g_strdup_printf (_("%.0f %% rejected (%u of %u)"), 100 * bar.fraction, count->rejected, count->decided);
  g_array_append_val (self->bars, bar);
}

static int
compare_by_rejections (gconstpointer a,
                       gconstpointer b,
                       gpointer      table)
{
  const NigranRejectionCount *ca = g_hash_table_lookup (table, *(const char **)a);
  const NigranRejectionCount *cb = g_hash_table_lookup (table, *(const char **)b);
  double ra = ca->decided ? (double)ca->rejected / ca->decided : 0;
  double rb = cb->decided ? (double)cb->rejected / cb->decided : 0;

  if (ra != rb)
    return ra > rb ? -1 : 1;
  return g_strcmp0 (*(const char **)a, *(const char **)b);
}

static void
add_rate_bars (NigranKpiChart *self,
               GHashTable     *table,
               const char     *prefix,
               guint           max_bars)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (table, NULL);
  guint n_keys = g_hash_table_size (table);

  g_qsort_with_data (keys, n_keys, sizeof (gpointer), compare_by_rejections, table);
  for (guint i = 0; i < MIN (n_keys, max_bars); i++)
    {
      g_autofree char *label = g_strconcat (prefix, (const char *)keys[i], NULL);
      add_rate_bar (self, label, g_hash_table_lookup (table, keys[i]));
    }
}

static void
nigran_kpi_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  NigranKpiChart *self = NIGRAN_KPI_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = LABEL_WIDTH + 300;
  else
    *minimum = *natural = HISTOGRAM_HEIGHT + ROW_HEIGHT * MAX (1, self->bars->len);
}

static void
append_text (GtkWidget   *widget,
             GtkSnapshot *snapshot,
             const char  *text,
             float        x,
             float        y,
             const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + (ROW_HEIGHT - height) / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
nigran_kpi_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  NigranKpiChart *self = NIGRAN_KPI_CHART (widget);
  GdkRGBA text_color, track = { 0.5, 0.5, 0.5, 0.18 }, good = { 0.21, 0.52, 0.89, 1 },
          late = { 0.75, 0.11, 0.16, 1 }, mark = { 0, 0, 0, 0.8 };
  float bar_width = MAX (60, gtk_widget_get_width (widget) - LABEL_WIDTH - 8);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &text_color);

  /* Alerts raised per hour, a column each, scaled to the busiest. */
  if (self->per_bucket->len > 0)
    {
      guint busiest = MAX (1, self->busiest);
      float column = bar_width / self->per_bucket->len;

      append_text (widget, snapshot, self->histogram_label, 0, 0, &text_color);
      gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (LABEL_WIDTH, 4, bar_width, HISTOGRAM_HEIGHT - 12));
      for (guint i = 0; i < self->per_bucket->len; i++)
        {
          float height = (HISTOGRAM_HEIGHT - 12) * g_array_index (self->per_bucket, guint, i) / (float)busiest;

          gtk_snapshot_append_color (snapshot, &good,
                                     &GRAPHENE_RECT_INIT (LABEL_WIDTH + i * column + 1, HISTOGRAM_HEIGHT - 8 - height,
                                                          MAX (1, column - 2), height));
        }
    }
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, HISTOGRAM_HEIGHT));

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      float y = i * ROW_HEIGHT;
      float top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0f;

      append_text (widget, snapshot, bar->label, 0, y, &text_color);
      gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (LABEL_WIDTH, top, bar_width, BAR_HEIGHT));
      gtk_snapshot_append_color (snapshot, bar->late ? &late : &good,
                                 &GRAPHENE_RECT_INIT (LABEL_WIDTH, top, bar_width * bar->fraction, BAR_HEIGHT));
      if (bar->target >= 0)
        gtk_snapshot_append_color (snapshot, &mark,
                                   &GRAPHENE_RECT_INIT (LABEL_WIDTH + bar_width * bar->target - 1, top - 2, 2, BAR_HEIGHT + 4));
      append_text (widget, snapshot, bar->value, LABEL_WIDTH + 6, y, &text_color);
    }
}

static void
nigran_kpi_chart_finalize (GObject *object)
{
  NigranKpiChart *self = NIGRAN_KPI_CHART (object);

  g_array_unref (self->bars);
  g_array_unref (self->per_bucket);
  g_free (self->histogram_label);

  G_OBJECT_CLASS (nigran_kpi_chart_parent_class)->finalize (object);
}

static void
nigran_kpi_chart_class_init (NigranKpiChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nigran_kpi_chart_finalize;
  widget_class->measure = nigran_kpi_chart_measure;
  widget_class->snapshot = nigran_kpi_chart_snapshot;
  gtk_widget_class_set_css_name (widget_class, "nigran-kpi-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nigran_kpi_chart_init (NigranKpiChart *self)
{
  self->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  self->per_bucket = g_array_new (FALSE, TRUE, sizeof (guint));
}

NigranKpiChart *
nigran_kpi_chart_new (void)
{
  return g_object_new (NIGRAN_TYPE_KPI_CHART, NULL);
}

void
nigran_kpi_chart_set_kpis (NigranKpiChart        *self,
                           const NigranAlertKpis *kpis,
                           double                 acknowledge_target_s,
                           double                 decide_target_s)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (NIGRAN_IS_KPI_CHART (self));

  g_array_set_size (self->bars, 0);
  g_array_set_size (self->per_bucket, 0);
  if (kpis->raised_per_bucket != NULL)
    g_array_append_vals (self->per_bucket, kpis->raised_per_bucket->data, kpis->raised_per_bucket->len);
  self->busiest = 0;
  for (guint i = 0; i < self->per_bucket->len; i++)
    self->busiest = MAX (self->busiest, g_array_index (self->per_bucket, guint, i));
  g_free (self->histogram_label);
  self->histogram_label = kpis->bucket_us > G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC
                          ? g_strdup_printf (_("Alerts per %.0f h (most: %u)"),
                                             kpis->bucket_us / (3600.0 * G_USEC_PER_SEC), self->busiest)
                          : g_strdup_printf (_("Alerts per hour (most: %u)"), self->busiest);
  add_time_bar (self, _("To acknowledge, median"), kpis->acknowledge_median_s, acknowledge_target_s);
  add_time_bar (self, _("To acknowledge, 90th %"), kpis->acknowledge_p90_s, acknowledge_target_s);
  add_time_bar (self, _("To verify, median"), kpis->decide_median_s, decide_target_s);
  add_time_bar (self, _("To verify, 90th %"), kpis->decide_p90_s, decide_target_s);
  add_rate_bars (self, kpis->rejections_by_source, _("Source: "), G_MAXUINT);
  add_rate_bars (self, kpis->rejections_by_camera, _("Camera: "), MAX_CAMERAS);

  for (guint i = 0; i < self->bars->len; i++)
    g_string_append_printf (description, "%s: %s. ", g_array_index (self->bars, Bar, i).label,
                            g_array_index (self->bars, Bar, i).value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
nigran_kpi_chart_get_n_bars (NigranKpiChart *self)
{
  return self->bars->len;
}
