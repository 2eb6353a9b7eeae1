/* nigran-camera-health.c: alerts when the wall's cameras fail and come back
 *
 * Follows each camera's status as its stream reports it. A camera that goes offline
 * raises one alert (medium) until it is back; coming back raises a low one that says
 * for how long it was gone; a picture that froze and resumed without the camera
 * going offline raises a low one too. A stall that goes on becomes "offline" within
 * seconds (the reconnector's rule), so it is not raised twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-alert.h"
#include "core/nigran-camera.h"
#include "core/nigran-site.h"
#include "nigran-camera-health.h"

typedef struct
{
  NigranCameraHealth *health;   /* unowned */
  NigranCamera       *camera;
  NigranCameraStatus  status;
  gint64              offline_since_us;  /* 0 unless an offline alert is standing */
  gint64              stalled_since_us;
} Watched;

struct _NigranCameraHealth
{
  GObject         parent_instance;

  NigranEventLog *log;
  GPtrArray      *watched;   /* Watched */
  NigranFrameFunc frame_func;
  gpointer        frame_data;
  char           *evidence_directory;
};

G_DEFINE_FINAL_TYPE (NigranCameraHealth, nigran_camera_health, G_TYPE_OBJECT)

static void
watched_free (Watched *watched)
{
  g_signal_handlers_disconnect_by_data (watched->camera, watched);
  g_object_unref (watched->camera);
  g_free (watched);
}

static void
raise_alert (Watched             *watched,
             const char          *kind,
             NigranAlertPriority  priority,
             const char          *title,
             const char          *detail)
{
  NigranCameraHealth *self = watched->health;
  NigranCamera *camera = watched->camera;
  /* An offline camera's tile still holds its last picture: that is the evidence. */
  gint64 unused_age;
  g_autoptr(GdkTexture) frame = self->frame_func
                                ? self->frame_func (nigran_camera_get_id (camera), &unused_age, self->frame_data)
                                : NULL;
  NigranAlertSpec spec = {
    .source = "camera-health",
    .kind = kind,
    .priority = priority,
    .title = title,
    .detail = detail,
    .camera_id = nigran_camera_get_id (camera),
    .site_id = nigran_camera_get_site_id (camera),
    .score = -1,
    .frame_age_ms = -1,   /* the picture kept is the last one, seconds old by now */
  };

  nigran_evidence_raise_alert (self->log, &spec, frame, self->evidence_directory);
}

static void
on_status_changed_cb (NigranCamera *camera,
                      GParamSpec   *pspec,
                      Watched      *watched)
{
  NigranCameraStatus status = nigran_camera_get_status (camera);
  NigranClock *clock = nigran_event_log_get_clock (watched->health->log);
  gint64 now = nigran_clock_get_now_us (clock);
  const char *name = nigran_camera_get_name (camera);

  if (status == watched->status)
    return;

  if (status == NIGRAN_CAMERA_STATUS_OFFLINE && watched->offline_since_us == 0)
    {
      g_autofree char *title = g_strdup_printf (_("Camera offline: %s"), name);
      g_autofree char *detail = g_strdup (_("No picture; Nigran keeps reconnecting by itself. The picture "
                                            "here is the last one before it was lost."));

      watched->offline_since_us = now;
      raise_alert (watched, "camera.offline", NIGRAN_ALERT_PRIORITY_MEDIUM, title, detail);
    }
  else if (status == NIGRAN_CAMERA_STATUS_STALLED)
    watched->stalled_since_us = now;
  else if (status == NIGRAN_CAMERA_STATUS_LIVE && watched->offline_since_us != 0)
    {
      g_autofree char *title = g_strdup_printf (_("Camera back online: %s"), name);
      g_autofree char *detail = g_strdup_printf (_("It was offline for %" G_GINT64_FORMAT " s."),
                                                 (now - watched->offline_since_us) / G_USEC_PER_SEC);

      watched->offline_since_us = 0;
      raise_alert (watched, "camera.online", NIGRAN_ALERT_PRIORITY_LOW, title, detail);
    }
  else if (status == NIGRAN_CAMERA_STATUS_LIVE && watched->status == NIGRAN_CAMERA_STATUS_STALLED)
    {
      g_autofree char *title = g_strdup_printf (_("Picture froze: %s"), name);
      g_autofree char *detail = g_strdup_printf (_("No new frame for %.1f s, then it went on."),
                                                 (now - watched->stalled_since_us) / (double)G_USEC_PER_SEC);

      raise_alert (watched, "camera.stalled", NIGRAN_ALERT_PRIORITY_LOW, title, detail);
    }
  watched->status = status;
}

static void
nigran_camera_health_finalize (GObject *object)
{
  NigranCameraHealth *self = NIGRAN_CAMERA_HEALTH (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_object (&self->log);
  g_free (self->evidence_directory);

  G_OBJECT_CLASS (nigran_camera_health_parent_class)->finalize (object);
}

static void
nigran_camera_health_class_init (NigranCameraHealthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_camera_health_finalize;
}

static void
nigran_camera_health_init (NigranCameraHealth *self)
{
  self->watched = g_ptr_array_new_with_free_func ((GDestroyNotify)watched_free);
}

NigranCameraHealth *
nigran_camera_health_new (NigranEventLog *log,
                          GListModel     *cameras)
{
  NigranCameraHealth *self;

  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (log), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (cameras), NULL);

  self = g_object_new (NIGRAN_TYPE_CAMERA_HEALTH, NULL);
  self->log = g_object_ref (log);
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      Watched *watched = g_new0 (Watched, 1);

      watched->health = self;
      watched->camera = g_list_model_get_item (cameras, i);
      watched->status = nigran_camera_get_status (watched->camera);
      g_signal_connect (watched->camera, "notify::status", G_CALLBACK (on_status_changed_cb), watched);
      g_ptr_array_add (self->watched, watched);
    }
  return self;
}

/* Where the alerts' pictures come from, and where they are kept. */
void
nigran_camera_health_set_evidence (NigranCameraHealth *self,
                                   NigranFrameFunc     frame_func,
                                   gpointer            user_data,
                                   const char         *directory)
{
  g_return_if_fail (NIGRAN_IS_CAMERA_HEALTH (self));

  self->frame_func = frame_func;
  self->frame_data = user_data;
  g_free (self->evidence_directory);
  self->evidence_directory = g_strdup (directory);
}
