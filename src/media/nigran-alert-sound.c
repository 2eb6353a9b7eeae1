/* nigran-alert-sound.c: a sound for each alert priority
 *
 * Operators look at the wall, not the rail: a new alert is heard. Critical: three
 * high beeps; high: two; medium: one low beep; low: silence. A watchlist may ask for
 * a siren instead (1.3 s of two alternating tones), or for silence. The tones are made by
 * GStreamer (audiotestsrc), so there are no sound files to ship. A newer alert cuts
 * the sound of an older one short. Without an audio device nothing is heard and the
 * console goes on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "nigran-alert-sound.h"

#define BEEP_MS 160
/* A headset plugged in later is found within a minute. */
#define SILENT_AFTER_FAILURE_US (60 * G_USEC_PER_SEC)

struct _NigranAlertSound
{
  GObject     parent_instance;

  char       *sink_factory;
  GstElement *pipeline;
  guint       bus_watch;
  guint       n_played;
  gint64      silent_until_us;   /* after a failure, do not retry (and log) at every alert */
};

G_DEFINE_FINAL_TYPE (NigranAlertSound, nigran_alert_sound, G_TYPE_OBJECT)

static void
stop (NigranAlertSound *self)
{
  if (self->pipeline == NULL)
    return;
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->pipeline);
}

static gboolean
on_bus_message_cb (GstBus     *bus,
                   GstMessage *message,
                   gpointer    user_data)
{
  NigranAlertSound *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      self->n_played++;
      self->bus_watch = 0;
      stop (self);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_debug ("No alert sound: %s", error->message);
        self->silent_until_us = g_get_monotonic_time () + SILENT_AFTER_FAILURE_US;
        self->bus_watch = 0;
        stop (self);
        return G_SOURCE_REMOVE;
      }
    default:
      return G_SOURCE_CONTINUE;
    }
}

typedef struct
{
  guint       index;
  GstElement *source;
  double      frequencies[2];   /* a siren's; the second is 0 for beeps */
} Pattern;

/* Beeps: every other buffer is silence, the gaps between them. A siren: every other
 * buffer is of the other tone. */
static GstPadProbeReturn
shape_pattern (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  Pattern *pattern = user_data;

  if (pattern->frequencies[1] > 0)
    g_object_set (pattern->source, "freq", pattern->frequencies[++pattern->index % 2], NULL);
  else if (pattern->index++ % 2 == 1)
    {
      GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));

      gst_buffer_memset (buffer, 0, 0, gst_buffer_get_size (buffer));
      GST_PAD_PROBE_INFO_DATA (info) = buffer;
    }
  return GST_PAD_PROBE_OK;
}

static void
nigran_alert_sound_dispose (GObject *object)
{
  NigranAlertSound *self = NIGRAN_ALERT_SOUND (object);

  stop (self);
  g_clear_pointer (&self->sink_factory, g_free);

  G_OBJECT_CLASS (nigran_alert_sound_parent_class)->dispose (object);
}

static void
nigran_alert_sound_class_init (NigranAlertSoundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nigran_alert_sound_dispose;
}

static void
nigran_alert_sound_init (NigranAlertSound *self)
{
}

/* @sink_factory: where the sound goes; "autoaudiosink" unless given. */
NigranAlertSound *
nigran_alert_sound_new (const char *sink_factory)
{
  NigranAlertSound *self = g_object_new (NIGRAN_TYPE_ALERT_SOUND, NULL);

  self->sink_factory = g_strdup (sink_factory ? sink_factory : "autoaudiosink");
  return self;
}

#define SIREN_BUFFERS 8

/* @n_buffers of BEEP_MS; @siren_frequency: 0 for beeps and gaps */
static gboolean
play_pattern (NigranAlertSound *self,
              guint             n_buffers,
              double            frequency,
              double            siren_frequency)
{
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstElement *source, *filter, *convert, *sink;
  Pattern *pattern;
  const int rate = 48000;

  if (g_get_monotonic_time () < self->silent_until_us)
    return FALSE;
  stop (self);

  source = gst_element_factory_make ("audiotestsrc", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  sink = gst_element_factory_make (self->sink_factory, NULL);
  if (!source || !filter || !convert || !sink)
    {
      g_debug ("No alert sound: a GStreamer element is missing");
      g_clear_object (&source); g_clear_object (&filter); g_clear_object (&convert); g_clear_object (&sink);
      return FALSE;
    }

  /* Beeps and gaps alike are buffers of BEEP_MS; the pattern is beep, gap, beep … */
  g_object_set (source, "freq", frequency, "samplesperbuffer", rate * BEEP_MS / 1000,
                "num-buffers", (int)n_buffers, "volume", 0.4, NULL);
  caps = gst_caps_new_simple ("audio/x-raw", "rate", G_TYPE_INT, rate, "channels", G_TYPE_INT, 1, NULL);
  g_object_set (filter, "caps", caps, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "sync") != NULL)
    g_object_set (sink, "sync", TRUE, NULL);

  self->pipeline = gst_pipeline_new ("alert-sound");
  gst_bin_add_many (GST_BIN (self->pipeline), source, filter, convert, sink, NULL);
  if (!gst_element_link_many (source, filter, convert, sink, NULL))
    {
      stop (self);
      return FALSE;
    }
  {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (source, "src");

    pattern = g_new0 (Pattern, 1);
    pattern->source = source;
    pattern->frequencies[0] = frequency;
    pattern->frequencies[1] = siren_frequency;
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, shape_pattern, pattern, g_free);
  }

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message_cb, self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_debug ("No alert sound: the audio output could not start");
      self->silent_until_us = g_get_monotonic_time () + SILENT_AFTER_FAILURE_US;
      stop (self);
      return FALSE;
    }
  return TRUE;
}

/* Returns: whether a sound started; low priority has none. */
gboolean
nigran_alert_sound_play (NigranAlertSound    *self,
                         NigranAlertPriority  priority)
{
  static const struct { guint beeps; double frequency; } sounds[] = {
    [NIGRAN_ALERT_PRIORITY_CRITICAL] = { 3, 1320 },
    [NIGRAN_ALERT_PRIORITY_HIGH] = { 2, 880 },
    [NIGRAN_ALERT_PRIORITY_MEDIUM] = { 1, 523 },
  };

  g_return_val_if_fail (NIGRAN_IS_ALERT_SOUND (self), FALSE);

  if (priority < NIGRAN_ALERT_PRIORITY_CRITICAL || priority > NIGRAN_ALERT_PRIORITY_MEDIUM)
    return FALSE;
  return play_pattern (self, 2 * sounds[priority].beeps - 1, sounds[priority].frequency, 0);
}

/* The sound a watchlist chose for its alerts; the priority's beeps for
 * NIGRAN_ALERT_TONE_BEEPS. Returns: whether a sound started. */
gboolean
nigran_alert_sound_play_tone (NigranAlertSound    *self,
                              NigranAlertPriority  priority,
                              NigranAlertTone      tone)
{
  g_return_val_if_fail (NIGRAN_IS_ALERT_SOUND (self), FALSE);

  switch (tone)
    {
    case NIGRAN_ALERT_TONE_SIREN:
      return play_pattern (self, SIREN_BUFFERS, 660, 990);
    case NIGRAN_ALERT_TONE_SILENT:
      return FALSE;
    case NIGRAN_ALERT_TONE_BEEPS:
    default:
      return nigran_alert_sound_play (self, priority);
    }
}

guint
nigran_alert_sound_get_n_played (NigranAlertSound *self)
{
  return self->n_played;
}
