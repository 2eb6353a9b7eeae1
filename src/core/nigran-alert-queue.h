/* nigran-alert-queue.h: every alert, as the event log tells it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-alert.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ALERT_QUEUE (nigran_alert_queue_get_type ())
G_DECLARE_FINAL_TYPE (NigranAlertQueue, nigran_alert_queue, NIGRAN, ALERT_QUEUE, GObject)

typedef struct
{
  guint decided;
  guint rejected;
} NigranRejectionCount;

/* Review figures over the alerts raised in a time range. Times are in seconds;
 * percentiles are nearest-rank; -1 where there is nothing to measure. */
typedef struct
{
  guint       n_raised;
  double      alerts_per_hour;
  guint       n_acknowledged;
  double      acknowledge_median_s;
  double      acknowledge_p90_s;
  guint       n_decided;
  double      decide_median_s;
  double      decide_p90_s;
  GHashTable *rejections_by_source;  /* source → NigranRejectionCount */
  GHashTable *rejections_by_camera;  /* camera id → NigranRejectionCount */
  GArray     *raised_per_bucket;     /* guint: alerts raised in each bucket, oldest first */
  gint64      bucket_start_us;
  gint64      bucket_us;             /* an hour, or longer for ranges over a week */
} NigranAlertKpis;

/* What a supervisor filters the queue by; zero or NULL fields match anything. */
typedef struct
{
  guint               state_mask;     /* 1 << NigranAlertState for each state wanted */
  NigranAlertPriority most_urgent;    /* priorities from most_urgent to least_urgent; 0: any */
  NigranAlertPriority least_urgent;
  const char         *kind_prefix;    /* "face.", "camera." … */
  const char         *source;
  const char         *camera_id;
  const char         *site_id;
  const char         *operator;       /* acknowledged, decided or was assigned it */
  gint64              from_us;        /* raised in [from_us, to_us) */
  gint64              to_us;
} NigranAlertCriteria;

gboolean          nigran_alert_criteria_match     (const NigranAlertCriteria *criteria,
                                                   NigranAlert               *alert);

NigranAlertQueue *nigran_alert_queue_new          (void);
gboolean          nigran_alert_queue_apply        (NigranAlertQueue *self,
                                                   NigranEvent      *event);
NigranAlert      *nigran_alert_queue_lookup       (NigranAlertQueue *self,
                                                   const char       *alert_id);
guint             nigran_alert_queue_get_n_open   (NigranAlertQueue *self);
GListModel       *nigran_alert_queue_get_open_alerts (NigranAlertQueue *self);
gint64            nigran_alert_queue_get_last_sequence (NigranAlertQueue *self);
void              nigran_alert_queue_compute_kpis (NigranAlertQueue *self,
                                                   gint64            from_us,
                                                   gint64            to_us,
                                                   NigranAlertKpis  *kpis);
void              nigran_alert_kpis_clear         (NigranAlertKpis  *kpis);

G_END_DECLS
