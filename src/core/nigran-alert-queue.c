/* nigran-alert-queue.c: every alert, as the event log tells it
 *
 * A projection: fed every committed event in order, at start-up from the log and
 * then from the bus. A GListModel of NigranAlert in the order they were raised; views
 * filter and sort it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nigran-alert-private.h"
#include "nigran-alert-queue-private.h"

struct _NigranAlertQueue
{
  GObject     parent_instance;

  GPtrArray  *alerts;     /* NigranAlert, in the order raised */
  GHashTable *by_id;      /* id → NigranAlert (borrowed from alerts) */
  guint       n_open;
  gint64      last_sequence;
  GListStore *open_alerts; /* newest first; made when first asked for */
};

static void nigran_alert_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NigranAlertQueue, nigran_alert_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, nigran_alert_queue_list_model_init))

enum { PROP_0, PROP_N_OPEN, N_PROPS };
static GParamSpec *properties[N_PROPS];

static GType
nigran_alert_queue_get_item_type (GListModel *model)
{
  return NIGRAN_TYPE_ALERT;
}

static guint
nigran_alert_queue_get_n_items (GListModel *model)
{
  return NIGRAN_ALERT_QUEUE (model)->alerts->len;
}

static gpointer
nigran_alert_queue_get_item (GListModel *model,
                             guint       position)
{
  NigranAlertQueue *self = NIGRAN_ALERT_QUEUE (model);

  return position < self->alerts->len ? g_object_ref (self->alerts->pdata[position]) : NULL;
}

static void
nigran_alert_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = nigran_alert_queue_get_item_type;
  iface->get_n_items = nigran_alert_queue_get_n_items;
  iface->get_item = nigran_alert_queue_get_item;
}

static void
nigran_alert_queue_finalize (GObject *object)
{
  NigranAlertQueue *self = NIGRAN_ALERT_QUEUE (object);

  g_clear_object (&self->open_alerts);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);

  G_OBJECT_CLASS (nigran_alert_queue_parent_class)->finalize (object);
}

static void
nigran_alert_queue_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  NigranAlertQueue *self = NIGRAN_ALERT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_N_OPEN:
      g_value_set_uint (value, self->n_open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_alert_queue_class_init (NigranAlertQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nigran_alert_queue_finalize;
  object_class->get_property = nigran_alert_queue_get_property;

  properties[PROP_N_OPEN] =
    g_param_spec_uint ("n-open", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nigran_alert_queue_init (NigranAlertQueue *self)
{
  self->alerts = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

NigranAlertQueue *
nigran_alert_queue_new (void)
{
  return g_object_new (NIGRAN_TYPE_ALERT_QUEUE, NULL);
}

static void
set_n_open (NigranAlertQueue *self,
            guint             n_open)
{
  if (self->n_open == n_open)
    return;
  self->n_open = n_open;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  gint64 sa = nigran_alert_get_sequence ((NigranAlert *)a), sb = nigran_alert_get_sequence ((NigranAlert *)b);

  return sa > sb ? -1 : sa < sb;
}

/* The open alerts are sorted newest first: find @alert by bisection, not by a scan,
 * which costs a million comparisons on the main thread when the queue is that long. */
static gboolean
find_open_alert (GListModel  *open_alerts,
                 NigranAlert *alert,
                 guint       *position)
{
  gint64 sequence = nigran_alert_get_sequence (alert);
  guint low = 0, high = g_list_model_get_n_items (open_alerts);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      g_autoptr(NigranAlert) item = g_list_model_get_item (open_alerts, middle);

      if (item == alert)
        {
          *position = middle;
          return TRUE;
        }
      if (nigran_alert_get_sequence (item) > sequence)
        low = middle + 1;
      else
        high = middle;
    }
  return FALSE;
}

static void
update_open_alerts (NigranAlertQueue *self,
                    NigranAlert      *alert,
                    gboolean          open)
{
  guint position;

  if (open)
    g_list_store_insert_sorted (self->open_alerts, alert, compare_newest_first, NULL);
  else if (find_open_alert (G_LIST_MODEL (self->open_alerts), alert, &position))
    g_list_store_remove (self->open_alerts, position);
}

/**
 * nigran_alert_queue_apply:
 * @event: a committed event; each one once, in sequence order
 *
 * Returns: whether @event changed an alert
 */
gboolean
nigran_alert_queue_apply (NigranAlertQueue *self,
                          NigranEvent      *event)
{
  const char *type = nigran_event_get_event_type (event);
  const char *alert_id;
  NigranAlert *alert;
  gboolean was_open;

  g_return_val_if_fail (NIGRAN_IS_ALERT_QUEUE (self), FALSE);

  self->last_sequence = MAX (self->last_sequence, nigran_event_get_sequence (event));
  if (strncmp (type, "alert.", strlen ("alert.")) != 0 ||
      (alert_id = nigran_event_find_subject (event, "alert")) == NULL)
    return FALSE;

  if (g_str_equal (type, "alert.raised"))
    {
      if (g_hash_table_contains (self->by_id, alert_id))
        return FALSE;
      alert = _nigran_alert_new_from_event (event);
      g_ptr_array_add (self->alerts, alert);
      g_hash_table_insert (self->by_id, (gpointer)nigran_alert_get_id (alert), alert);
      g_list_model_items_changed (G_LIST_MODEL (self), self->alerts->len - 1, 0, 1);
      if (self->open_alerts != NULL)
        g_list_store_insert (self->open_alerts, 0, alert);
      set_n_open (self, self->n_open + 1);
      return TRUE;
    }

  alert = g_hash_table_lookup (self->by_id, alert_id);
  if (alert == NULL)
    return FALSE;
  was_open = nigran_alert_state_is_open (nigran_alert_get_state (alert));
  if (!_nigran_alert_apply (alert, event))
    return FALSE;
  if (was_open != nigran_alert_state_is_open (nigran_alert_get_state (alert)))
    {
      if (self->open_alerts != NULL)
        update_open_alerts (self, alert, !was_open);
      set_n_open (self, was_open ? self->n_open - 1 : self->n_open + 1);
    }
  return TRUE;
}

/**
 * nigran_alert_queue_get_open_alerts:
 *
 * Returns: (transfer none): the alerts that still need someone (new, acknowledged,
 *   escalated), newest first, kept up to date from here on
 */
GListModel *
nigran_alert_queue_get_open_alerts (NigranAlertQueue *self)
{
  g_return_val_if_fail (NIGRAN_IS_ALERT_QUEUE (self), NULL);

  if (self->open_alerts == NULL)
    {
      g_autoptr(GPtrArray) open = g_ptr_array_new ();

      for (guint i = self->alerts->len; i > 0; i--)
        if (nigran_alert_state_is_open (nigran_alert_get_state (self->alerts->pdata[i - 1])))
          g_ptr_array_add (open, self->alerts->pdata[i - 1]);
      self->open_alerts = g_list_store_new (NIGRAN_TYPE_ALERT);
      g_list_store_splice (self->open_alerts, 0, 0, open->pdata, open->len);
    }
  return G_LIST_MODEL (self->open_alerts);
}

/* Returns: (transfer none) (nullable) */
NigranAlert *
nigran_alert_queue_lookup (NigranAlertQueue *self,
                           const char       *alert_id)
{
  return g_hash_table_lookup (self->by_id, alert_id);
}

guint
nigran_alert_queue_get_n_open (NigranAlertQueue *self)
{
  return self->n_open;
}

/* The last event this queue has seen: where to go on reading the log. */
gint64
nigran_alert_queue_get_last_sequence (NigranAlertQueue *self)
{
  return self->last_sequence;
}

static int
compare_durations (gconstpointer a,
                   gconstpointer b)
{
  gint64 da = *(const gint64 *)a, db = *(const gint64 *)b;

  return da < db ? -1 : da > db;
}

static double
nearest_rank_s (GArray *durations_us,
                double  percentile)
{
  guint rank;

  if (durations_us->len == 0)
    return -1;
  g_array_sort (durations_us, compare_durations);
  rank = (guint)ceil (percentile * durations_us->len);
  return g_array_index (durations_us, gint64, CLAMP (rank, 1, durations_us->len) - 1) / (double)G_USEC_PER_SEC;
}

static void
count_rejection (GHashTable  *table,
                 const char  *key,
                 gboolean     rejected)
{
  NigranRejectionCount *count;

  if (key == NULL)
    return;
  count = g_hash_table_lookup (table, key);
  if (count == NULL)
    {
      count = g_new0 (NigranRejectionCount, 1);
      g_hash_table_insert (table, g_strdup (key), count);
    }
  count->decided++;
  if (rejected)
    count->rejected++;
}

#define HOUR_US     (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define MAX_BUCKETS 168

/* Alerts raised per hour over the range (from the first alert, for an open start),
 * in at most a week's worth of buckets. */
static void
count_per_bucket (NigranAlertQueue *self,
                  gint64            from_us,
                  gint64            to_us,
                  NigranAlertKpis  *kpis)
{
  gint64 start = from_us;
  guint n_buckets;

  kpis->raised_per_bucket = g_array_new (FALSE, TRUE, sizeof (guint));
  for (guint i = 0; start == 0 && i < self->alerts->len; i++)
    start = nigran_alert_get_raised_us (self->alerts->pdata[i]);
  if (start == 0 || to_us <= start)
    return;
  kpis->bucket_start_us = start;
  kpis->bucket_us = MAX (HOUR_US, (to_us - start + MAX_BUCKETS - 1) / MAX_BUCKETS);
  n_buckets = (to_us - start + kpis->bucket_us - 1) / kpis->bucket_us;
  g_array_set_size (kpis->raised_per_bucket, n_buckets);

  for (guint i = 0; i < self->alerts->len; i++)
    {
      gint64 raised = nigran_alert_get_raised_us (self->alerts->pdata[i]);

      if (raised >= start && raised < to_us)
        g_array_index (kpis->raised_per_bucket, guint, (raised - start) / kpis->bucket_us)++;
    }
}

/**
 * nigran_alert_queue_compute_kpis:
 * @from_us: start of the range, inclusive
 * @to_us: end of the range, exclusive
 *
 * Figures over the alerts raised in [@from_us, @to_us). Free with
 * nigran_alert_kpis_clear().
 */
void
nigran_alert_queue_compute_kpis (NigranAlertQueue *self,
                                 gint64            from_us,
                                 gint64            to_us,
                                 NigranAlertKpis  *kpis)
{
  g_autoptr(GArray) acknowledge = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) decide = g_array_new (FALSE, FALSE, sizeof (gint64));

  memset (kpis, 0, sizeof *kpis);
  kpis->rejections_by_source = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  kpis->rejections_by_camera = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < self->alerts->len; i++)
    {
      NigranAlert *alert = self->alerts->pdata[i];
      gint64 raised = nigran_alert_get_raised_us (alert);
      NigranAlertState state = nigran_alert_get_state (alert);

      if (raised < from_us || raised >= to_us)
        continue;
      kpis->n_raised++;
      if (nigran_alert_get_acknowledged_us (alert) != 0)
        {
          gint64 waited = nigran_alert_get_acknowledged_us (alert) - raised;
          g_array_append_val (acknowledge, waited);
        }
      if (nigran_alert_get_decided_us (alert) != 0)
        {
          gint64 waited = nigran_alert_get_decided_us (alert) - raised;
          gboolean rejected = state == NIGRAN_ALERT_STATE_REJECTED;

          g_array_append_val (decide, waited);
          count_rejection (kpis->rejections_by_source, nigran_alert_get_source (alert), rejected);
          count_rejection (kpis->rejections_by_camera, nigran_alert_get_camera_id (alert), rejected);
        }
    }

  kpis->alerts_per_hour = to_us > from_us ? kpis->n_raised * 3600.0 * G_USEC_PER_SEC / (to_us - from_us) : 0;
  count_per_bucket (self, from_us, to_us, kpis);
  kpis->n_acknowledged = acknowledge->len;
  kpis->acknowledge_median_s = nearest_rank_s (acknowledge, 0.5);
  kpis->acknowledge_p90_s = nearest_rank_s (acknowledge, 0.9);
  kpis->n_decided = decide->len;
  kpis->decide_median_s = nearest_rank_s (decide, 0.5);
  kpis->decide_p90_s = nearest_rank_s (decide, 0.9);
}

void
nigran_alert_kpis_clear (NigranAlertKpis *kpis)
{
  g_clear_pointer (&kpis->rejections_by_source, g_hash_table_unref);
  g_clear_pointer (&kpis->rejections_by_camera, g_hash_table_unref);
  g_clear_pointer (&kpis->raised_per_bucket, g_array_unref);
}

gboolean
nigran_alert_criteria_match (const NigranAlertCriteria *criteria,
                             NigranAlert               *alert)
{
  gint64 raised = nigran_alert_get_raised_us (alert);
  NigranAlertPriority priority = nigran_alert_get_priority (alert);

  if (criteria->state_mask != 0 && (criteria->state_mask & (1u << nigran_alert_get_state (alert))) == 0)
    return FALSE;
  if (criteria->most_urgent != 0 && priority < criteria->most_urgent)
    return FALSE;
  if (criteria->least_urgent != 0 && priority > criteria->least_urgent)
    return FALSE;
  if ((criteria->from_us != 0 && raised < criteria->from_us) || (criteria->to_us != 0 && raised >= criteria->to_us))
    return FALSE;
  if (criteria->kind_prefix != NULL && !g_str_has_prefix (nigran_alert_get_kind (alert), criteria->kind_prefix))
    return FALSE;
  if (criteria->source != NULL && g_strcmp0 (criteria->source, nigran_alert_get_source (alert)) != 0)
    return FALSE;
  if (criteria->camera_id != NULL && g_strcmp0 (criteria->camera_id, nigran_alert_get_camera_id (alert)) != 0)
    return FALSE;
  if (criteria->site_id != NULL && g_strcmp0 (criteria->site_id, nigran_alert_get_site_id (alert)) != 0)
    return FALSE;
  if (criteria->operator != NULL &&
      g_strcmp0 (criteria->operator, nigran_alert_get_acknowledged_by (alert)) != 0 &&
      g_strcmp0 (criteria->operator, nigran_alert_get_assignee (alert)) != 0 &&
      nigran_alert_find_decision (alert, criteria->operator) == NULL)
    return FALSE;
  return TRUE;
}

/* Checkpoints: a queue put back together without replaying the log. */
void
_nigran_alert_queue_restore (NigranAlertQueue *self,
                             NigranAlert      *alert)
{
  g_ptr_array_add (self->alerts, alert);
  g_hash_table_insert (self->by_id, (gpointer)nigran_alert_get_id (alert), alert);
  if (nigran_alert_state_is_open (nigran_alert_get_state (alert)))
    self->n_open++;
}

void
_nigran_alert_queue_set_last_sequence (NigranAlertQueue *self,
                                       gint64            sequence)
{
  self->last_sequence = sequence;
}
