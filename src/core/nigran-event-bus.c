/* nigran-event-bus.c: committed events, delivered on the main thread
 *
 * The event log's writer thread posts each batch after its transaction committed;
 * the bus emits ::event for each, in order, from the main context it was made in.
 * At most one idle source is pending, however fast batches come.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-event-bus.h"

struct _NigranEventBus
{
  GObject       parent_instance;

  GMainContext *context;
  GMutex        lock;
  GQueue        pending;        /* NigranEvent, under lock */
  GSource      *dispatch_source; /* under lock */
};

G_DEFINE_FINAL_TYPE (NigranEventBus, nigran_event_bus, G_TYPE_OBJECT)

enum { SIGNAL_EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
dispatch_pending (gpointer data)
{
  NigranEventBus *self = data;
  GQueue events = G_QUEUE_INIT;
  NigranEvent *event;

  g_mutex_lock (&self->lock);
  events = self->pending;
  g_queue_init (&self->pending);
  g_clear_pointer (&self->dispatch_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  while ((event = g_queue_pop_head (&events)) != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
      g_object_unref (event);
    }
  return G_SOURCE_REMOVE;
}

static void
nigran_event_bus_dispose (GObject *object)
{
  NigranEventBus *self = NIGRAN_EVENT_BUS (object);

  g_mutex_lock (&self->lock);
  if (self->dispatch_source != NULL)
    g_source_destroy (self->dispatch_source);
  g_clear_pointer (&self->dispatch_source, g_source_unref);
  g_queue_clear_full (&self->pending, g_object_unref);
  g_mutex_unlock (&self->lock);

  G_OBJECT_CLASS (nigran_event_bus_parent_class)->dispose (object);
}

static void
nigran_event_bus_finalize (GObject *object)
{
  NigranEventBus *self = NIGRAN_EVENT_BUS (object);

  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (nigran_event_bus_parent_class)->finalize (object);
}

static void
nigran_event_bus_class_init (NigranEventBusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nigran_event_bus_dispose;
  object_class->finalize = nigran_event_bus_finalize;

  /**
   * NigranEventBus::event:
   * @event: an event whose transaction has committed
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, NIGRAN_TYPE_EVENT);
}

static void
nigran_event_bus_init (NigranEventBus *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
  self->context = g_main_context_ref_thread_default ();
}

NigranEventBus *
nigran_event_bus_new (void)
{
  return g_object_new (NIGRAN_TYPE_EVENT_BUS, NULL);
}

/* Any thread: @events have committed; they are emitted later on the bus's context. */
void
nigran_event_bus_post (NigranEventBus *self,
                       GPtrArray      *events)
{
  g_return_if_fail (NIGRAN_IS_EVENT_BUS (self));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < events->len; i++)
    g_queue_push_tail (&self->pending, g_object_ref (events->pdata[i]));
  if (self->dispatch_source == NULL && events->len > 0)
    {
      /* The source holds a reference until it ran, so the bus outlives it. */
      self->dispatch_source = g_idle_source_new ();
      g_source_set_priority (self->dispatch_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->dispatch_source, dispatch_pending, g_object_ref (self), g_object_unref);
      g_source_set_static_name (self->dispatch_source, "[nigran] event bus");
      g_source_attach (self->dispatch_source, self->context);
    }
  g_mutex_unlock (&self->lock);
}

/* Main thread: emits what has been posted so far, now. */
void
nigran_event_bus_flush (NigranEventBus *self)
{
  g_return_if_fail (NIGRAN_IS_EVENT_BUS (self));

  g_object_ref (self);
  g_mutex_lock (&self->lock);
  if (self->dispatch_source != NULL)
    g_source_destroy (self->dispatch_source);
  g_mutex_unlock (&self->lock);
  dispatch_pending (self);
  g_object_unref (self);
}
