/* nigran-reconnector.c: when a camera stream connects, stalls and reconnects
 *
 * connecting → live → stalled (no frame for 2 s) → offline, retrying after a back-off
 * of 1, 2, 4 … 30 s plus up to 10 % jitter, so that a site's cameras do not all hit
 * a recovering recorder at once → live. rtspsrc never reconnects by itself; this
 * object decides when, and its owner builds and tears down the pipeline when told
 * through the "connect" and "disconnect" signals. All timing comes from the clock,
 * so a virtual clock drives it in tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-reconnector.h"

#define WATCHDOG_MS 250

struct _NigranReconnector
{
  GObject             parent_instance;

  NigranClock        *clock;
  GRand              *jitter;
  NigranCameraStatus  state;
  gboolean            attempt_in_progress;
  gint64              attempt_started_us;
  gint64              offline_since_us;   /* UTC, 0 while not offline */
  gint64              retry_at_us;        /* monotonic, 0 when no retry is waiting */
  guint               next_backoff_s;
  guint               n_attempts;
  char               *last_error;
  guint               watchdog_id;
  guint               retry_id;

  gint64              last_frame_seen_us; /* monotonic, by the watchdog */

  /* Counted from streaming threads. */
  gint                frames_since_check;
};

G_DEFINE_FINAL_TYPE (NigranReconnector, nigran_reconnector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  CONNECT,
  DISCONNECT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void arm_watchdog (NigranReconnector *self);

static void
set_state (NigranReconnector  *self,
           NigranCameraStatus  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
begin_attempt (NigranReconnector *self)
{
  self->attempt_in_progress = TRUE;
  self->attempt_started_us = nigran_clock_get_monotonic_us (self->clock);
  self->retry_at_us = 0;
  self->n_attempts++;
  g_atomic_int_set (&self->frames_since_check, 0);
  g_signal_emit (self, signals[CONNECT], 0);
}

static void
on_retry_due (gpointer data)
{
  NigranReconnector *self = data;

  self->retry_id = 0;
  begin_attempt (self);
}

static void
go_offline (NigranReconnector *self,
            const char        *reason)
{
  guint delay_ms;

  g_free (self->last_error);
  self->last_error = g_strdup (reason);

  if (self->attempt_in_progress || self->state == NIGRAN_CAMERA_STATUS_LIVE ||
      self->state == NIGRAN_CAMERA_STATUS_STALLED)
    g_signal_emit (self, signals[DISCONNECT], 0);
  self->attempt_in_progress = FALSE;

  if (self->offline_since_us == 0)
    self->offline_since_us = nigran_clock_get_now_us (self->clock);

  delay_ms = self->next_backoff_s * 1000;
  delay_ms += (guint)g_rand_double_range (self->jitter, 0, delay_ms * NIGRAN_RECONNECTOR_JITTER);
  self->next_backoff_s = MIN (self->next_backoff_s * 2, NIGRAN_RECONNECTOR_MAX_BACKOFF_S);
  self->retry_at_us = nigran_clock_get_monotonic_us (self->clock) + (gint64)delay_ms * 1000;
  if (self->retry_id != 0)
    nigran_clock_remove_timeout (self->clock, self->retry_id);
  self->retry_id = nigran_clock_add_timeout (self->clock, delay_ms, on_retry_due, self);

  set_state (self, NIGRAN_CAMERA_STATUS_OFFLINE);
}

static void
on_watchdog (gpointer data)
{
  NigranReconnector *self = data;
  gint64 now = nigran_clock_get_monotonic_us (self->clock);
  gboolean frames_arrived = g_atomic_int_exchange (&self->frames_since_check, 0) > 0;

  self->watchdog_id = 0;
  if (frames_arrived)
    self->last_frame_seen_us = now;

  if (frames_arrived && self->attempt_in_progress)
    {
      self->attempt_in_progress = FALSE;
      self->offline_since_us = 0;
      self->next_backoff_s = 1;
      g_clear_pointer (&self->last_error, g_free);
      set_state (self, NIGRAN_CAMERA_STATUS_LIVE);
    }
  else if (self->state == NIGRAN_CAMERA_STATUS_LIVE && !frames_arrived &&
           now - self->last_frame_seen_us >= NIGRAN_RECONNECTOR_STALL_US)
    {
      set_state (self, NIGRAN_CAMERA_STATUS_STALLED);
      go_offline (self, "no picture for 2 s");
    }
  else if (self->attempt_in_progress &&
           now - self->attempt_started_us >= NIGRAN_RECONNECTOR_CONNECT_TIMEOUT_US)
    go_offline (self, "no picture within 10 s of connecting");

  arm_watchdog (self);
}

static void
arm_watchdog (NigranReconnector *self)
{
  if (self->watchdog_id == 0)
    self->watchdog_id = nigran_clock_add_timeout (self->clock, WATCHDOG_MS, on_watchdog, self);
}

static void
cancel_timers (NigranReconnector *self)
{
  if (self->watchdog_id != 0)
    nigran_clock_remove_timeout (self->clock, self->watchdog_id);
  if (self->retry_id != 0)
    nigran_clock_remove_timeout (self->clock, self->retry_id);
  self->watchdog_id = 0;
  self->retry_id = 0;
}

static void
nigran_reconnector_dispose (GObject *object)
{
  NigranReconnector *self = (NigranReconnector *)object;

  if (self->clock != NULL)
    cancel_timers (self);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (nigran_reconnector_parent_class)->dispose (object);
}

static void
nigran_reconnector_finalize (GObject *object)
{
  NigranReconnector *self = (NigranReconnector *)object;

  g_clear_pointer (&self->jitter, g_rand_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (nigran_reconnector_parent_class)->finalize (object);
}

static void
nigran_reconnector_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  NigranReconnector *self = NIGRAN_RECONNECTOR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_reconnector_class_init (NigranReconnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nigran_reconnector_dispose;
  object_class->finalize = nigran_reconnector_finalize;
  object_class->get_property = nigran_reconnector_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       NIGRAN_TYPE_CAMERA_STATUS, NIGRAN_CAMERA_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONNECT] = g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DISCONNECT] = g_signal_new ("disconnect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nigran_reconnector_init (NigranReconnector *self)
{
  self->next_backoff_s = 1;
}

NigranReconnector *
nigran_reconnector_new (NigranClock *clock,
                        guint32      jitter_seed)
{
  NigranReconnector *self;

  g_return_val_if_fail (NIGRAN_IS_CLOCK (clock), NULL);

  self = g_object_new (NIGRAN_TYPE_RECONNECTOR, NULL);
  self->clock = g_object_ref (clock);
  self->jitter = g_rand_new_with_seed (jitter_seed);
  return self;
}

void
nigran_reconnector_start (NigranReconnector *self)
{
  g_return_if_fail (NIGRAN_IS_RECONNECTOR (self));

  if (self->state != NIGRAN_CAMERA_STATUS_IDLE)
    return;

  self->next_backoff_s = 1;
  self->offline_since_us = 0;
  set_state (self, NIGRAN_CAMERA_STATUS_CONNECTING);
  begin_attempt (self);
  arm_watchdog (self);
}

void
nigran_reconnector_stop (NigranReconnector *self)
{
  g_return_if_fail (NIGRAN_IS_RECONNECTOR (self));

  if (self->state == NIGRAN_CAMERA_STATUS_IDLE)
    return;

  cancel_timers (self);
  if (self->attempt_in_progress || self->state == NIGRAN_CAMERA_STATUS_LIVE)
    g_signal_emit (self, signals[DISCONNECT], 0);
  self->attempt_in_progress = FALSE;
  self->retry_at_us = 0;
  self->offline_since_us = 0;
  set_state (self, NIGRAN_CAMERA_STATUS_IDLE);
}

/* Safe from any thread: streaming threads call it for every frame. */
void
nigran_reconnector_frame_arrived (NigranReconnector *self)
{
  g_atomic_int_inc (&self->frames_since_check);
}

/* The pipeline failed (an error or end of stream); main thread only. */
void
nigran_reconnector_failed (NigranReconnector *self,
                           const char        *reason)
{
  g_return_if_fail (NIGRAN_IS_RECONNECTOR (self));

  /* A failing pipeline often posts several errors; the first one counts. */
  if (!self->attempt_in_progress && self->state != NIGRAN_CAMERA_STATUS_LIVE)
    return;

  go_offline (self, reason);
}

NigranCameraStatus
nigran_reconnector_get_state (NigranReconnector *self)
{
  g_return_val_if_fail (NIGRAN_IS_RECONNECTOR (self), NIGRAN_CAMERA_STATUS_IDLE);
  return self->state;
}

gint64
nigran_reconnector_get_offline_since (NigranReconnector *self)
{
  g_return_val_if_fail (NIGRAN_IS_RECONNECTOR (self), 0);
  return self->offline_since_us;
}

/* How long until the next attempt; 0 while an attempt is under way or none waits. */
gint64
nigran_reconnector_get_retry_in_us (NigranReconnector *self)
{
  g_return_val_if_fail (NIGRAN_IS_RECONNECTOR (self), 0);

  if (self->retry_at_us == 0)
    return 0;
  return MAX (0, self->retry_at_us - nigran_clock_get_monotonic_us (self->clock));
}

guint
nigran_reconnector_get_next_backoff_s (NigranReconnector *self)
{
  g_return_val_if_fail (NIGRAN_IS_RECONNECTOR (self), 0);
  return self->next_backoff_s;
}

const char *
nigran_reconnector_get_last_error (NigranReconnector *self)
{
  g_return_val_if_fail (NIGRAN_IS_RECONNECTOR (self), NULL);
  return self->last_error;
}

guint
nigran_reconnector_get_n_attempts (NigranReconnector *self)
{
  g_return_val_if_fail (NIGRAN_IS_RECONNECTOR (self), 0);
  return self->n_attempts;
}
