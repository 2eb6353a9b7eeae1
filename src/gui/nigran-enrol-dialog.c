/* nigran-enrol-dialog.c: a face picked from a frozen camera picture and enrolled
 *
 * The tile's picture is frozen as it was when the operator asked; the faces in it are
 * found on a worker and outlined. The operator clicks the one to enrol (the largest is
 * chosen to begin with), gives a name, a record number if known and the watchlist;
 * the face must pass the quality check (size, sharpness, pose), which says what is
 * wrong with a face that does not. The enrolment itself is the face watch's: an event
 * of the operator, with the photo kept beside the evidence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-enrol-dialog.h"

struct _NigranEnrolDialog
{
  GtkWindow         parent_instance;

  GtkPicture       *frame_picture;
  GtkDrawingArea   *boxes_area;
  GtkLabel         *status_label;
  GtkEntry         *name_entry;
  GtkEntry         *record_entry;
  GtkEntry         *watchlist_entry;
  GtkButton        *enrol_button;

  NigranFaceWatch  *watch;
  GdkTexture       *frame;
  char             *camera_id;
  char             *operator_name;
  GCancellable     *cancellable;
  NigranFaceResult *faces;           /* NULL until found */
  int               picked;          /* index in @faces, or -1 */
  gboolean          picked_ok;       /* passed the quality check */
  gboolean          enrolling;
};

G_DEFINE_FINAL_TYPE (NigranEnrolDialog, nigran_enrol_dialog, GTK_TYPE_WINDOW)

enum { SIGNAL_ENROLLED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_sensitivity (NigranEnrolDialog *self)
{
  gboolean named = *gtk_editable_get_text (GTK_EDITABLE (self->name_entry)) != '\0' &&
                   *gtk_editable_get_text (GTK_EDITABLE (self->watchlist_entry)) != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), self->picked_ok && named && !self->enrolling);
}

static void
on_field_changed_cb (NigranEnrolDialog *self)
{
  update_sensitivity (self);
}

/* Where the picture is drawn in the drawing area, which covers the picture widget:
 * scaled to fit, centred, as GtkPicture draws it. */
static void
picture_placement (NigranEnrolDialog *self,
                   int                width,
                   int                height,
                   double            *scale,
                   double            *x,
                   double            *y)
{
  int frame_width = gdk_texture_get_width (self->frame);
  int frame_height = gdk_texture_get_height (self->frame);

  *scale = MIN ((double)width / frame_width, (double)height / frame_height);
  *x = (width - frame_width * *scale) / 2;
  *y = (height - frame_height * *scale) / 2;
}

static void
draw_boxes (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  NigranEnrolDialog *self = data;
  double scale, x, y;

  if (self->faces == NULL)
    return;
  picture_placement (self, width, height, &scale, &x, &y);
  for (guint i = 0; i < self->faces->n_faces; i++)
    {
      const NigranFace *face = &self->faces->faces[i];
      gboolean picked = (int)i == self->picked;

      if (picked)
        cairo_set_source_rgb (cr, self->picked_ok ? 0.2 : 0.9, self->picked_ok ? 0.82 : 0.55, 0.2);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
      cairo_set_line_width (cr, picked ? 4 : 2);
      cairo_rectangle (cr, x + face->x * scale, y + face->y * scale, face->width * scale, face->height * scale);
      cairo_stroke (cr);
    }
}

static void
on_click_cb (GtkGestureClick   *gesture,
             int                n_press,
             double             click_x,
             double             click_y,
             NigranEnrolDialog *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->boxes_area));
  int height = gtk_widget_get_height (GTK_WIDGET (self->boxes_area));
  double scale, x, y, frame_x, frame_y;

  if (self->faces == NULL || self->enrolling)
    return;
  picture_placement (self, width, height, &scale, &x, &y);
  frame_x = (click_x - x) / scale;
  frame_y = (click_y - y) / scale;
  /* Faces come largest first: of overlapping boxes the largest is taken. */
  for (guint i = 0; i < self->faces->n_faces; i++)
    {
      const NigranFace *face = &self->faces->faces[i];

      if (frame_x >= face->x && frame_x <= face->x + face->width &&
          frame_y >= face->y && frame_y <= face->y + face->height)
        {
          nigran_enrol_dialog_pick (self, i);
          return;
        }
    }
}

static void
on_faces_found (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(NigranEnrolDialog) self = data;
  g_autoptr(GError) error = NULL;
  NigranFaceResult *faces = nigran_face_watch_find_faces_finish (NIGRAN_FACE_WATCH (object), result, &error);

  if (faces == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->status_label, error->message);
      return;
    }
  self->faces = faces;
  if (faces->n_faces == 0)
    {
      gtk_label_set_label (self->status_label, _("No face was found in this picture; nobody can be enrolled "
                                                 "from it. Try again when the person faces the camera."));
      return;
    }
  nigran_enrol_dialog_pick (self, 0);
}

static void
on_enrolled (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(NigranEnrolDialog) self = data;
  g_autoptr(GError) error = NULL;

  self->enrolling = FALSE;
  if (!nigran_face_watch_enrol_from_frame_finish (NIGRAN_FACE_WATCH (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->status_label, error->message);
      update_sensitivity (self);
      return;
    }
  gtk_label_set_label (self->status_label, _("Enrolled."));
  g_signal_emit (self, signals[SIGNAL_ENROLLED], 0, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_enrol_clicked_cb (NigranEnrolDialog *self)
{
  nigran_enrol_dialog_enrol (self);
}

static void
nigran_enrol_dialog_dispose (GObject *object)
{
  NigranEnrolDialog *self = NIGRAN_ENROL_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_ENROL_DIALOG);

  G_OBJECT_CLASS (nigran_enrol_dialog_parent_class)->dispose (object);
}

static void
nigran_enrol_dialog_finalize (GObject *object)
{
  NigranEnrolDialog *self = NIGRAN_ENROL_DIALOG (object);

  g_clear_object (&self->watch);
  g_clear_object (&self->frame);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->faces, nigran_face_result_free);
  g_free (self->camera_id);
  g_free (self->operator_name);

  G_OBJECT_CLASS (nigran_enrol_dialog_parent_class)->finalize (object);
}

static void
nigran_enrol_dialog_class_init (NigranEnrolDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_enrol_dialog_dispose;
  object_class->finalize = nigran_enrol_dialog_finalize;

  /* The name of the person enrolled. */
  signals[SIGNAL_ENROLLED] = g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-enrol-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, frame_picture);
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, boxes_area);
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, record_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, watchlist_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranEnrolDialog, enrol_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_enrol_clicked_cb);
}

static void
nigran_enrol_dialog_init (NigranEnrolDialog *self)
{
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->picked = -1;
  self->cancellable = g_cancellable_new ();
  gtk_drawing_area_set_draw_func (self->boxes_area, draw_boxes, self, NULL);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->boxes_area), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), FALSE);
}

/* @frame: the tile's picture, frozen */
NigranEnrolDialog *
nigran_enrol_dialog_new (GtkWindow       *parent,
                         NigranFaceWatch *watch,
                         GdkTexture      *frame,
                         const char      *camera_id,
                         const char      *camera_name,
                         const char      *operator_name)
{
  NigranEnrolDialog *self;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *name = g_strdup_printf (_("Person seen at %s at %s"), camera_name, time);
  g_autofree char *title = g_strdup_printf (_("Enrol a face from %s"), camera_name);

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (watch), NULL);
  g_return_val_if_fail (GDK_IS_TEXTURE (frame), NULL);

  self = g_object_new (NIGRAN_TYPE_ENROL_DIALOG, "transient-for", parent, "title", title, NULL);
  self->watch = g_object_ref (watch);
  self->frame = g_object_ref (frame);
  self->camera_id = g_strdup (camera_id);
  self->operator_name = g_strdup (operator_name);
  gtk_picture_set_paintable (self->frame_picture, GDK_PAINTABLE (frame));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  gtk_editable_set_text (GTK_EDITABLE (self->watchlist_entry), _("Enrolled on this console"));
  nigran_face_watch_find_faces_async (watch, frame, self->cancellable, on_faces_found, g_object_ref (self));
  return self;
}

/* How many faces the picture has; -1 while they are being found. */
int
nigran_enrol_dialog_get_n_faces (NigranEnrolDialog *self)
{
  g_return_val_if_fail (NIGRAN_IS_ENROL_DIALOG (self), -1);
  return self->faces != NULL ? (int)self->faces->n_faces : -1;
}

/* Picks face @index (largest first), as a click on it does; FALSE if it fails the
 * quality check, which the dialog then explains. */
gboolean
nigran_enrol_dialog_pick (NigranEnrolDialog *self,
                          guint              index)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  g_return_val_if_fail (NIGRAN_IS_ENROL_DIALOG (self), FALSE);
  g_return_val_if_fail (self->faces != NULL && index < self->faces->n_faces, FALSE);

  self->picked = index;
  self->picked_ok = nigran_face_watch_check_face (&self->faces->faces[index], &error);
  if (self->picked_ok)
    status = self->faces->n_faces == 1
             ? g_strdup (_("One face, good enough to enrol."))
             : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u face: the outlined one will be enrolled; "
                                             "click another to choose it.",
                                             "%u faces: the outlined one will be enrolled; "
                                             "click another to choose it.", self->faces->n_faces),
                                self->faces->n_faces);
  else
    status = g_strdup (error->message);
  gtk_label_set_label (self->status_label, status);
  gtk_widget_queue_draw (GTK_WIDGET (self->boxes_area));
  update_sensitivity (self);
  return self->picked_ok;
}

/* Enrols the picked face, as the Enrol button does; the dialog closes when it is done. */
void
nigran_enrol_dialog_enrol (NigranEnrolDialog *self)
{
  const char *record;

  g_return_if_fail (NIGRAN_IS_ENROL_DIALOG (self));

  if (!self->picked_ok || self->enrolling || !gtk_widget_get_sensitive (GTK_WIDGET (self->enrol_button)))
    return;
  self->enrolling = TRUE;
  update_sensitivity (self);
  gtk_label_set_label (self->status_label, _("Enrolling…"));
  record = gtk_editable_get_text (GTK_EDITABLE (self->record_entry));
  nigran_face_watch_enrol_face_async (self->watch, self->frame, &self->faces->faces[self->picked], self->camera_id,
                                      gtk_editable_get_text (GTK_EDITABLE (self->name_entry)),
                                      *record != '\0' ? record : NULL,
                                      gtk_editable_get_text (GTK_EDITABLE (self->watchlist_entry)),
                                      self->operator_name, self->cancellable, on_enrolled, g_object_ref (self));
}

const char *
nigran_enrol_dialog_get_status (NigranEnrolDialog *self)
{
  g_return_val_if_fail (NIGRAN_IS_ENROL_DIALOG (self), NULL);
  return gtk_label_get_label (self->status_label);
}
