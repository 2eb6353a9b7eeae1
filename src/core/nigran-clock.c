/* nigran-clock.c: the one source of time for the console
 *
 * Live, the clock is the system's. In tests and replay it is virtual: time moves only
 * when nigran_clock_advance() is called, and one-shot timeouts fire in due order, so
 * that anything built on the clock (reconnect back-off, stall detection) is
 * deterministic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-clock.h"

typedef struct
{
  guint           id;
  gint64          due_us;
  NigranClockFunc func;
  gpointer        user_data;
} VirtualTimeout;

struct _NigranClock
{
  GObject  parent_instance;

  gboolean is_virtual;
  gint64   virtual_now_us;   /* moved only on the main thread */
  GList   *virtual_timeouts; /* sorted by due time, then id */
  guint    next_timeout_id;
};

G_DEFINE_FINAL_TYPE (NigranClock, nigran_clock, G_TYPE_OBJECT)

typedef struct
{
  NigranClockFunc func;
  gpointer        user_data;
} SystemTimeout;

static gboolean
system_timeout_dispatch (gpointer data)
{
  SystemTimeout *timeout = data;

  timeout->func (timeout->user_data);
  return G_SOURCE_REMOVE;
}

static gint
compare_virtual_timeouts (gconstpointer a,
                          gconstpointer b)
{
  const VirtualTimeout *ta = a;
  const VirtualTimeout *tb = b;

  if (ta->due_us != tb->due_us)
    return ta->due_us < tb->due_us ? -1 : 1;
  return ta->id < tb->id ? -1 : (ta->id > tb->id);
}

static void
nigran_clock_finalize (GObject *object)
{
  NigranClock *self = (NigranClock *)object;

  g_list_free_full (self->virtual_timeouts, g_free);

  G_OBJECT_CLASS (nigran_clock_parent_class)->finalize (object);
}

static void
nigran_clock_class_init (NigranClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nigran_clock_finalize;
}

static void
nigran_clock_init (NigranClock *self)
{
  self->next_timeout_id = 1;
}

NigranClock *
nigran_clock_new_system (void)
{
  return g_object_new (NIGRAN_TYPE_CLOCK, NULL);
}

NigranClock *
nigran_clock_new_virtual (gint64 start_us)
{
  NigranClock *self = g_object_new (NIGRAN_TYPE_CLOCK, NULL);

  self->is_virtual = TRUE;
  self->virtual_now_us = start_us;
  return self;
}

gboolean
nigran_clock_is_virtual (NigranClock *self)
{
  g_return_val_if_fail (NIGRAN_IS_CLOCK (self), FALSE);

  return self->is_virtual;
}

/* UTC wall-clock time in microseconds since the epoch. A system clock may be read
 * from any thread; a virtual one only where it is advanced. */
gint64
nigran_clock_get_now_us (NigranClock *self)
{
  g_return_val_if_fail (NIGRAN_IS_CLOCK (self), 0);

  if (self->is_virtual)
    return self->virtual_now_us;
  return g_get_real_time ();
}

/* Time for measuring intervals: never jumps when the wall clock is set. */
gint64
nigran_clock_get_monotonic_us (NigranClock *self)
{
  g_return_val_if_fail (NIGRAN_IS_CLOCK (self), 0);

  if (self->is_virtual)
    return self->virtual_now_us;
  return g_get_monotonic_time ();
}

/* A one-shot timeout on the thread-default main context. Returns an id that
 * nigran_clock_remove_timeout() takes, never 0. */
guint
nigran_clock_add_timeout (NigranClock     *self,
                          guint            delay_ms,
                          NigranClockFunc  func,
                          gpointer         user_data)
{
  g_return_val_if_fail (NIGRAN_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  if (!self->is_virtual)
    {
      SystemTimeout *timeout = g_new0 (SystemTimeout, 1);

      timeout->func = func;
      timeout->user_data = user_data;
      return g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms,
                                 system_timeout_dispatch, timeout, g_free);
    }
  else
    {
      VirtualTimeout *timeout = g_new0 (VirtualTimeout, 1);

      timeout->id = self->next_timeout_id++;
      timeout->due_us = self->virtual_now_us + (gint64)delay_ms * 1000;
      timeout->func = func;
      timeout->user_data = user_data;
      self->virtual_timeouts = g_list_insert_sorted (self->virtual_timeouts, timeout,
                                                     compare_virtual_timeouts);
      return timeout->id;
    }
}

void
nigran_clock_remove_timeout (NigranClock *self,
                             guint        timeout_id)
{
  g_return_if_fail (NIGRAN_IS_CLOCK (self));
  g_return_if_fail (timeout_id != 0);

  if (!self->is_virtual)
    {
      g_source_remove (timeout_id);
      return;
    }

  for (GList *l = self->virtual_timeouts; l != NULL; l = l->next)
    {
      VirtualTimeout *timeout = l->data;

      if (timeout->id == timeout_id)
        {
          self->virtual_timeouts = g_list_delete_link (self->virtual_timeouts, l);
          g_free (timeout);
          return;
        }
    }
  g_critical ("No virtual timeout with id %u", timeout_id);
}

/* Moves virtual time forward, firing every timeout that falls due on the way at its
 * own due time, including timeouts that the fired callbacks add. */
void
nigran_clock_advance (NigranClock *self,
                      gint64       delta_us)
{
  gint64 target_us;

  g_return_if_fail (NIGRAN_IS_CLOCK (self));
  g_return_if_fail (self->is_virtual);
  g_return_if_fail (delta_us >= 0);

  target_us = self->virtual_now_us + delta_us;

  while (self->virtual_timeouts != NULL)
    {
      VirtualTimeout *timeout = self->virtual_timeouts->data;

      if (timeout->due_us > target_us)
        break;

      self->virtual_timeouts = g_list_delete_link (self->virtual_timeouts,
                                                   self->virtual_timeouts);
      self->virtual_now_us = MAX (self->virtual_now_us, timeout->due_us);
      timeout->func (timeout->user_data);
      g_free (timeout);
    }

  self->virtual_now_us = target_us;
}
