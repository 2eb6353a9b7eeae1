/* nigran-tile.c: one camera's picture on the wall, honest about its state
 *
 * A tile owns the stream of the camera it shows and asks for frames at its own size
 * in device pixels, so GTK draws textures without scaling them. Its captions say
 * in words whether the picture is live, reconnecting or offline, and how old it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-site.h"
#include "net/nigran-credential-store.h"
#include "nigran-tile.h"

struct _NigranTile
{
  GtkWidget             parent_instance;

  GtkWidget            *overlay;
  GtkPicture           *picture;
  GtkLabel             *placeholder_label;
  GtkWidget            *caption_box;
  GtkWidget            *status_box;
  GtkLabel             *name_label;
  GtkLabel             *site_label;
  GtkLabel             *status_label;
  GtkLabel             *age_label;

  NigranClock          *clock;
  NigranCamera         *camera;
  NigranStreamVariant   variant;
  NigranVideoPaintable *paintable;
  NigranCameraStream   *stream;
  NigranFaceWatch      *face_watch;
  NigranPlateWatch     *plate_watch;
  gboolean              active;
  GCancellable         *credential_lookup;  /* while the keyring is asked */
  char                 *credential_problem;
};

G_DEFINE_FINAL_TYPE (NigranTile, nigran_tile, GTK_TYPE_WIDGET)

enum {
  CAMERA_DROPPED,
  ACTIVATED,
  CLICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
start_stream (NigranTile *self,
              const char *user,
              const char *password)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  self->stream = nigran_camera_stream_new (self->camera, self->variant, self->clock, self->paintable);
  if (user != NULL)
    nigran_camera_stream_set_credentials (self->stream, user, password);
  nigran_camera_stream_set_size (self->stream,
                                 gtk_widget_get_width (GTK_WIDGET (self)) * scale,
                                 gtk_widget_get_height (GTK_WIDGET (self)) * scale);
  /* A number-plate camera's frames go to the plate reader, the others' to face recognition. */
  if (nigran_camera_get_reads_plates (self->camera))
    {
      if (self->plate_watch != NULL)
        nigran_plate_watch_attach (self->plate_watch, self->stream);
    }
  else if (self->face_watch != NULL)
    nigran_face_watch_attach (self->face_watch, self->stream);
  nigran_camera_stream_start (self->stream);
}

static void
on_credential_found_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  g_autoptr(NigranTile) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  char *password = NULL;

  if (!nigran_credential_store_lookup_finish (NIGRAN_CREDENTIAL_STORE (object), result, &user, &password, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->credential_lookup);
      self->credential_problem = g_strdup (error->message);
      nigran_camera_report_status (self->camera, self, NIGRAN_CAMERA_STATUS_OFFLINE);
      nigran_tile_update_status (self);
      return;
    }

  g_clear_object (&self->credential_lookup);
  start_stream (self, user, password);
  nigran_credential_free_password (password);
  nigran_tile_update_status (self);
}

static void
restart_stream (NigranTile *self)
{
  const char *credential;

  g_cancellable_cancel (self->credential_lookup);
  g_clear_object (&self->credential_lookup);
  g_clear_pointer (&self->credential_problem, g_free);
  if (self->camera != NULL)
    nigran_camera_report_status (self->camera, self, NIGRAN_CAMERA_STATUS_IDLE);
  if (self->stream != NULL)
    {
      nigran_camera_stream_stop (self->stream);
      g_clear_object (&self->stream);
    }
  nigran_video_paintable_clear (self->paintable);

  if (self->camera != NULL && self->active)
    {
      credential = nigran_camera_get_credential_ref (self->camera);
      if (credential == NULL)
        start_stream (self, NULL, NULL);
      else
        {
          self->credential_lookup = g_cancellable_new ();
          nigran_credential_store_lookup_async (nigran_credential_store_get_default (), credential,
                                                self->credential_lookup, on_credential_found_cb,
                                                g_object_ref (self));
        }
    }
  nigran_tile_update_status (self);
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            NigranTile    *self)
{
  if (!G_VALUE_HOLDS_STRING (value))
    return FALSE;
  g_signal_emit (self, signals[CAMERA_DROPPED], 0, g_value_get_string (value));
  return TRUE;
}

static void
on_pressed_cb (GtkGestureClick *gesture,
               int              n_press,
               double           x,
               double           y,
               NigranTile      *self)
{
  g_signal_emit (self, signals[CLICKED], 0);
  if (n_press == 2)
    g_signal_emit (self, signals[ACTIVATED], 0);
}

static void
nigran_tile_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  /* The wall's grid decides a tile's size; the picture must never push it. */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 64 : 36;
  *natural = *minimum;
}

static void
nigran_tile_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  NigranTile *self = NIGRAN_TILE (widget);
  int scale = gtk_widget_get_scale_factor (widget);

  gtk_widget_allocate (self->overlay, width, height, baseline, NULL);
  if (self->stream != NULL)
    nigran_camera_stream_set_size (self->stream, width * scale, height * scale);
}

static void
nigran_tile_dispose (GObject *object)
{
  NigranTile *self = (NigranTile *)object;

  g_cancellable_cancel (self->credential_lookup);
  g_clear_object (&self->credential_lookup);
  g_clear_pointer (&self->credential_problem, g_free);
  if (self->stream != NULL)
    nigran_camera_stream_stop (self->stream);
  g_clear_object (&self->stream);
  g_clear_object (&self->face_watch);
  g_clear_object (&self->plate_watch);
  if (self->camera != NULL)
    nigran_camera_report_status (self->camera, self, NIGRAN_CAMERA_STATUS_IDLE);
  g_clear_object (&self->camera);

  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_TILE);

  G_OBJECT_CLASS (nigran_tile_parent_class)->dispose (object);
}

static void
nigran_tile_finalize (GObject *object)
{
  NigranTile *self = (NigranTile *)object;

  g_clear_object (&self->paintable);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (nigran_tile_parent_class)->finalize (object);
}

static void
nigran_tile_class_init (NigranTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_tile_dispose;
  object_class->finalize = nigran_tile_finalize;
  widget_class->measure = nigran_tile_measure;
  widget_class->size_allocate = nigran_tile_size_allocate;

  signals[CAMERA_DROPPED] = g_signal_new ("camera-dropped", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CLICKED] = g_signal_new ("clicked", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranTile, overlay);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, picture);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, caption_box);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, status_box);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, site_label);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranTile, age_label);
  gtk_widget_class_set_css_name (widget_class, "nigran-tile");
}

static void
nigran_tile_init (NigranTile *self)
{
  GtkDropTarget *drop_target;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->paintable = nigran_video_paintable_new ();
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->paintable));

  drop_target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  nigran_tile_update_status (self);
}

NigranTile *
nigran_tile_new (NigranClock *clock)
{
  NigranTile *self;

  g_return_val_if_fail (NIGRAN_IS_CLOCK (clock), NULL);

  self = g_object_new (NIGRAN_TYPE_TILE, NULL);
  self->clock = g_object_ref (clock);
  return self;
}

NigranCamera *
nigran_tile_get_camera (NigranTile *self)
{
  g_return_val_if_fail (NIGRAN_IS_TILE (self), NULL);
  return self->camera;
}

void
nigran_tile_set_camera (NigranTile   *self,
                        NigranCamera *camera)
{
  g_return_if_fail (NIGRAN_IS_TILE (self));
  g_return_if_fail (camera == NULL || NIGRAN_IS_CAMERA (camera));

  if (self->camera == camera)
    return;
  if (self->camera != NULL)
    nigran_camera_report_status (self->camera, self, NIGRAN_CAMERA_STATUS_IDLE);
  g_set_object (&self->camera, camera);
  restart_stream (self);
}

/* The sub stream on the wall, the main stream when maximised. */
void
nigran_tile_set_variant (NigranTile          *self,
                         NigranStreamVariant  variant)
{
  g_return_if_fail (NIGRAN_IS_TILE (self));

  if (self->variant == variant)
    return;
  self->variant = variant;
  restart_stream (self);
}

/* From the next start of its stream (now, if it runs), the tile's camera is
 * analysed by @watch. */
void
nigran_tile_set_face_watch (NigranTile      *self,
                            NigranFaceWatch *watch)
{
  g_return_if_fail (NIGRAN_IS_TILE (self));
  g_return_if_fail (watch == NULL || NIGRAN_IS_FACE_WATCH (watch));

  if (!g_set_object (&self->face_watch, watch))
    return;
  if (self->stream != NULL)
    restart_stream (self);
}

/* From the next start of its stream (now, if it runs), the tile's camera, if it
 * reads plates, is read by @watch. */
void
nigran_tile_set_plate_watch (NigranTile       *self,
                             NigranPlateWatch *watch)
{
  g_return_if_fail (NIGRAN_IS_TILE (self));
  g_return_if_fail (watch == NULL || NIGRAN_IS_PLATE_WATCH (watch));

  if (!g_set_object (&self->plate_watch, watch))
    return;
  if (self->stream != NULL && nigran_camera_get_reads_plates (self->camera))
    restart_stream (self);
}

/* Only tiles that the layout shows keep a stream open. */
void
nigran_tile_set_active (NigranTile *self,
                        gboolean    active)
{
  g_return_if_fail (NIGRAN_IS_TILE (self));

  if (self->active == !!active)
    return;
  self->active = !!active;
  restart_stream (self);
}

void
nigran_tile_set_focused (NigranTile *self,
                         gboolean    focused)
{
  g_return_if_fail (NIGRAN_IS_TILE (self));

  if (focused)
    gtk_widget_add_css_class (GTK_WIDGET (self), "focused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "focused");
}

char *
nigran_tile_dup_status_text (NigranTile *self)
{
  NigranReconnector *reconnector;
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *since_text = NULL;
  gint64 retry_in_us;

  g_return_val_if_fail (NIGRAN_IS_TILE (self), NULL);

  if (self->camera == NULL)
    return g_strdup ("");
  if (self->credential_problem != NULL)
    return g_strdup (self->credential_problem);
  if (self->credential_lookup != NULL)
    return g_strdup (_("looking up the camera’s credential…"));
  if (self->stream == NULL)
    return g_strdup (_("not shown"));

  reconnector = nigran_camera_stream_get_reconnector (self->stream);
  switch (nigran_reconnector_get_state (reconnector))
    {
    case NIGRAN_CAMERA_STATUS_IDLE:
      return g_strdup (_("not shown"));
    case NIGRAN_CAMERA_STATUS_CONNECTING:
      return g_strdup (_("connecting…"));
    case NIGRAN_CAMERA_STATUS_LIVE:
      if (nigran_camera_get_reads_plates (self->camera))
        return g_strdup (self->plate_watch != NULL && nigran_plate_watch_get_running (self->plate_watch)
                         ? _("live · reading plates") : _("live"));
      if (self->face_watch != NULL && !nigran_face_watch_is_analysing (self->face_watch, nigran_camera_get_id (self->camera)))
        return g_strdup (_("live · face recognition off"));
      return g_strdup (_("live"));
    case NIGRAN_CAMERA_STATUS_STALLED:
      return g_strdup (_("stalled"));
    case NIGRAN_CAMERA_STATUS_OFFLINE:
    default:
      since = g_date_time_new_from_unix_local (nigran_reconnector_get_offline_since (reconnector) / G_USEC_PER_SEC);
      since_text = g_date_time_format (since, "%H:%M:%S");
      retry_in_us = nigran_reconnector_get_retry_in_us (reconnector);
      if (retry_in_us > 0)
        /* Translators: "offline since 14:02:31 · reconnecting in 4 s" */
        return g_strdup_printf (_("offline since %s · reconnecting in %d s"), since_text,
                                (int)((retry_in_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
      return g_strdup_printf (_("offline since %s · reconnecting…"), since_text);
    }
}

/* Called a few times a second by the wall; cheap when nothing changed. */
void
nigran_tile_update_status (NigranTile *self)
{
  g_autofree char *status = NULL;
  g_autofree char *age = NULL;
  gboolean live, stale;
  gint64 frame_age_us;
  NigranSite *site;

  g_return_if_fail (NIGRAN_IS_TILE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_label), self->camera == NULL);
  gtk_widget_set_visible (self->caption_box, self->camera != NULL);
  gtk_widget_set_visible (self->status_box, self->camera != NULL);
  if (self->camera == NULL)
    return;

  site = nigran_camera_get_site (self->camera);
  gtk_label_set_label (self->name_label, nigran_camera_get_name (self->camera));
  gtk_label_set_label (self->site_label, site ? nigran_site_get_name (site) : "");

  status = nigran_tile_dup_status_text (self);
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               self->stream != NULL
                               ? nigran_reconnector_get_last_error (nigran_camera_stream_get_reconnector (self->stream))
                               : NULL);

  live = self->stream != NULL &&
         nigran_reconnector_get_state (nigran_camera_stream_get_reconnector (self->stream)) == NIGRAN_CAMERA_STATUS_LIVE;
  frame_age_us = nigran_video_paintable_get_frame_age_us (self->paintable);
  stale = !live || !nigran_video_paintable_has_frame (self->paintable) ||
          g_get_monotonic_time () - nigran_video_paintable_get_presented_at (self->paintable) > NIGRAN_TILE_STALE_US;

  if (live && frame_age_us >= 0)
    age = g_strdup_printf (_("%d ms"), (int)(frame_age_us / 1000));
  gtk_label_set_label (self->age_label, age ? age : "");

  if (stale)
    gtk_widget_add_css_class (GTK_WIDGET (self), "stale");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "stale");

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "live");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "offline");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), live ? "live" : "offline");
}

NigranVideoPaintable *
nigran_tile_get_paintable (NigranTile *self)
{
  g_return_val_if_fail (NIGRAN_IS_TILE (self), NULL);
  return self->paintable;
}

NigranCameraStream *
nigran_tile_get_stream (NigranTile *self)
{
  g_return_val_if_fail (NIGRAN_IS_TILE (self), NULL);
  return self->stream;
}
