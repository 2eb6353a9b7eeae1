/* nigran-kpi-chart.h: review figures drawn as bars against their targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "core/nigran-alert-queue.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_KPI_CHART (nigran_kpi_chart_get_type ())
G_DECLARE_FINAL_TYPE (NigranKpiChart, nigran_kpi_chart, NIGRAN, KPI_CHART, GtkWidget)

NigranKpiChart *nigran_kpi_chart_new      (void);
void            nigran_kpi_chart_set_kpis (NigranKpiChart        *self,
                                           const NigranAlertKpis *kpis,
                                           double                 acknowledge_target_s,
                                           double                 decide_target_s);
guint           nigran_kpi_chart_get_n_bars (NigranKpiChart      *self);

G_END_DECLS
