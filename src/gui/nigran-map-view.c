/* nigran-map-view.c: the red-zone map beside the tracks of subjects across cameras
 *
 * The map's files (base tiles, GeoJSON layers) are read and the camera graph built on
 * a worker; until then the map shows the site's zones and cameras.  The selected
 * track is drawn with the cameras its subject can reach next, which one click puts
 * on the wall.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-map-view.h"

#include <glib/gi18n.h>
#include <math.h>

#include "core/nigran-camera.h"
#include "media/nigran-camera-stream.h"
#include "media/nigran-video-paintable.h"
#include "nigran-mbtiles-source.h"
#include "store/nigran-event-log.h"

#define HOVER_REFRESH_MS 500
#define MAX_ZOOM         19

struct _NigranMapView
{
  GtkWidget         parent_instance;

  GtkWidget        *paned;
  ShumateSimpleMap *map;
  double            pointer_x;   /* over the overlay, for zooming around it */
  double            pointer_y;
  GtkListView      *track_list;
  GtkLabel         *track_title;
  GtkListBox       *sighting_list;
  GtkLabel         *next_label;
  GtkWidget        *open_next_button;
  GtkLabel         *status_label;
  GtkWidget        *join_box;
  GtkDropDown      *join_dropdown;
  GPtrArray        *join_candidates;  /* NigranTrack, in the dropdown's order */

  NigranMapOverlay *overlay;
  GtkWidget        *hover_box;
  GtkPicture       *hover_picture;
  GtkLabel         *hover_label;
  NigranCamera     *hovered;
  guint             hover_refresh_id;
  /* A small live stream of a hovered camera that is not on the wall. */
  NigranCameraStream *preview_stream;
  NigranVideoPaintable *preview_paintable;
  NigranClock      *clock;

  NigranSiteFile   *site_file;
  NigranWall       *wall;
  NigranTracks     *tracks;
  GtkSingleSelection *selection;
  NigranCameraGraph *graph;
  GPtrArray        *handoffs;     /* NigranHandoff, for the selected track */
  GCancellable     *cancellable;
  gboolean          loaded;
  NigranEventLog   *log;
  char             *operator_name;
};

/* Tracks offered to join the shown one: the most recently seen. */
#define MAX_JOIN_CANDIDATES 50

G_DEFINE_FINAL_TYPE (NigranMapView, nigran_map_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static NigranCamera *
lookup_camera (NigranMapView *self,
               const char    *camera_id)
{
  return self->site_file != NULL && camera_id != NULL ? nigran_site_file_lookup_camera (self->site_file, camera_id)
                                                      : NULL;
}

static const char *
camera_name (NigranMapView *self,
             const char    *camera_id)
{
  NigranCamera *camera = lookup_camera (self, camera_id);

  return camera != NULL ? nigran_camera_get_name (camera) : camera_id;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return g_date_time_format (time, "%H:%M:%S");
}

/* Crops are files: read off the main thread. */
static void
load_crop_thread (GTask        *task,
                  gpointer      source G_GNUC_UNUSED,
                  gpointer      path,
                  GCancellable *cancellable G_GNUC_UNUSED)
{
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_filename (path, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_crop_loaded (GObject      *picture,
                GAsyncResult *result,
                gpointer      user_data G_GNUC_UNUSED)
{
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  if (texture != NULL)
    gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
}

static char *
describe_link (const NigranTrackSighting *sighting)
{
  const char *how;

  switch (sighting->link_source)
    {
    case NIGRAN_TRACK_LINK_START:
      return g_strdup (_("first sighting"));
    case NIGRAN_TRACK_LINK_IDENTITY:
      how = _("joined by watchlist identity");
      break;
    case NIGRAN_TRACK_LINK_PLATE:
      how = _("joined by plate");
      break;
    case NIGRAN_TRACK_LINK_FACE_SIMILARITY:
      return g_strdup_printf (_("joined by face likeness %.2f"), sighting->link_score);
    case NIGRAN_TRACK_LINK_MANUAL:
    default:
      how = _("linked by an operator");
      break;
    }
  if (sighting->confirmed_by != NULL)
    return g_strdup_printf (_("%s, confirmed by %s"), how, sighting->confirmed_by);
  return g_strdup (how);
}

/* An operator's decision about a track, in the log under their name; the tracks
 * projection applies it when the log announces it. */
static void
record (NigranMapView *self,
        NigranEvent   *event)
{
  if (self->log == NULL)
    {
      gtk_label_set_label (self->status_label, _("Not recorded: the event log is not open."));
      return;
    }
  nigran_event_log_append_async (self->log, event, self->operator_name, NULL, NULL, NULL);
}

/* Records the operator's confirmation that the sighting @event_id is its track's subject. */
void
nigran_map_view_confirm_sighting (NigranMapView *self,
                                  const char    *event_id)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *subject = g_strconcat ("sighting:", event_id, NULL);
  g_autoptr(NigranEvent) event = NULL;

  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  json_object_set_string_member (payload, "sighting", event_id);
  event = nigran_event_new ("track.link-confirmed", (const char * const[]) { subject, NULL }, payload);
  record (self, event);
}

static void
on_confirm_clicked (GtkButton     *button,
                    NigranMapView *self)
{
  nigran_map_view_confirm_sighting (self, g_object_get_data (G_OBJECT (button), "event-id"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
}

static GtkWidget *
sighting_row_new (NigranMapView             *self,
                  const NigranTrackSighting *sighting)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *picture = gtk_picture_new ();
  g_autofree char *time = format_time (sighting->time_us);
  g_autofree char *link = describe_link (sighting);
  g_autofree char *title = g_strdup_printf ("%s · %s", time, camera_name (self, sighting->camera_id));
  g_autofree char *detail = g_strdup_printf ("%s %s · %s",
                                             sighting->kind == NIGRAN_SIGHTING_PLATE ? _("plate") : _("face"),
                                             sighting->label != NULL ? sighting->label : _("unknown"), link);
  GtkWidget *title_label = gtk_label_new (title), *detail_label = gtk_label_new (detail);

  gtk_widget_set_size_request (picture, 72, 48);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_visible (picture, sighting->crop != NULL);
  if (sighting->crop != NULL)
    {
      g_autoptr(GTask) task = g_task_new (picture, self->cancellable, on_crop_loaded, NULL);

      g_task_set_task_data (task, g_strdup (sighting->crop), g_free);
      g_task_run_in_thread (task, load_crop_thread);
    }
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_xalign (GTK_LABEL (detail_label), 0);
  gtk_label_set_wrap (GTK_LABEL (detail_label), TRUE);
  gtk_widget_add_css_class (detail_label, "dim-label");
  gtk_box_append (GTK_BOX (text), title_label);
  gtk_box_append (GTK_BOX (text), detail_label);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), text);
  if (sighting->link_source != NIGRAN_TRACK_LINK_START && sighting->confirmed_by == NULL)
    {
      GtkWidget *confirm = gtk_button_new_with_label (_("Confirm"));

      gtk_widget_set_valign (confirm, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (confirm, _("Records, in your name, that this sighting is the track's subject"));
      g_object_set_data_full (G_OBJECT (confirm), "event-id", g_strdup (sighting->event_id), g_free);
      g_signal_connect (confirm, "clicked", G_CALLBACK (on_confirm_clicked), self);
      gtk_box_append (GTK_BOX (box), confirm);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "camera-id", g_strdup (sighting->camera_id), g_free);
  gtk_widget_set_tooltip_text (row, _("Show this camera on the wall"));
  return row;
}

static void
update_handoffs (NigranMapView *self,
                 NigranTrack   *track)
{
  const NigranTrackSighting *last = track != NULL ? nigran_track_get_last_sighting (track) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_pointer (&self->handoffs, g_ptr_array_unref);
  if (last != NULL && self->graph != NULL)
    self->handoffs = nigran_camera_graph_next (self->graph, last->camera_id, last->last_time_us);
  nigran_map_overlay_set_handoffs (self->overlay, self->handoffs);

  for (guint i = 0; self->handoffs != NULL && i < self->handoffs->len; i++)
    {
      const NigranHandoff *handoff = self->handoffs->pdata[i];

      if (text->len > 0)
        g_string_append (text, "\n");
      /* TRANSLATORS: a camera, how far it is (by road or in a straight line), and when the subject can be there */
      g_string_append_printf (text, _("%s: %.1f km %s, in %d–%d min"),
                              camera_name (self, handoff->camera_id), handoff->distance_m / 1000,
                              handoff->by_road ? _("by road") : _("straight"),
                              (int) ((handoff->earliest_us - last->last_time_us) / G_TIME_SPAN_MINUTE),
                              (int) ceil ((handoff->latest_us - last->last_time_us) / (double) G_TIME_SPAN_MINUTE));
    }
  if (last == NULL)
    gtk_label_set_label (self->next_label, "");
  else if (text->len == 0)
    gtk_label_set_label (self->next_label, self->graph != NULL ? _("No camera within reach of the last sighting.")
                                                                : _("Working out the next cameras…"));
  else
    {
      g_autofree char *label = g_strdup_printf (_("Next cameras:\n%s"), text->str);

      gtk_label_set_label (self->next_label, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_label), label);
    }
  gtk_widget_set_sensitive (self->open_next_button, self->handoffs != NULL && self->handoffs->len > 0 &&
                                                    self->wall != NULL);
}

static int
compare_last_seen (gconstpointer a,
                   gconstpointer b)
{
  gint64 time_a = nigran_track_get_last_sighting (*(NigranTrack * const *) a)->last_time_us;
  gint64 time_b = nigran_track_get_last_sighting (*(NigranTrack * const *) b)->last_time_us;

  return (time_a < time_b) - (time_a > time_b);
}

static void
offer_joins (NigranMapView *self,
             NigranTrack   *track)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n = self->tracks != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->tracks)) : 0;

  g_ptr_array_set_size (self->join_candidates, 0);
  /* The newest tracks are at the end of the list. */
  for (guint i = n; i > 0 && self->join_candidates->len < MAX_JOIN_CANDIDATES * 4; i--)
    {
      NigranTrack *other = g_list_model_get_item (G_LIST_MODEL (self->tracks), i - 1);

      if (other != track && nigran_track_get_n_sightings (other) > 0)
        g_ptr_array_add (self->join_candidates, other);
      else
        g_object_unref (other);
    }
  g_ptr_array_sort (self->join_candidates, compare_last_seen);
  if (self->join_candidates->len > MAX_JOIN_CANDIDATES)
    g_ptr_array_set_size (self->join_candidates, MAX_JOIN_CANDIDATES);
  for (guint i = 0; i < self->join_candidates->len; i++)
    {
      NigranTrack *other = self->join_candidates->pdata[i];
      const NigranTrackSighting *last = nigran_track_get_last_sighting (other);
      g_autofree char *time = format_time (last->last_time_us);
      g_autofree char *label = g_strdup_printf ("%s · %s %s", nigran_track_get_label (other) != NULL
                                                               ? nigran_track_get_label (other) : _("Unknown face"),
                                                camera_name (self, last->camera_id), time);

      gtk_string_list_append (labels, label);
    }
  gtk_drop_down_set_model (self->join_dropdown, G_LIST_MODEL (labels));
  gtk_widget_set_visible (self->join_box, track != NULL && self->join_candidates->len > 0);
}

/**
 * nigran_map_view_join_track:
 * @other: a track the operator says follows the shown track's subject
 *
 * Records the operator's confirmed link of the two tracks ("track.linked").
 */
void
nigran_map_view_join_track (NigranMapView *self,
                            NigranTrack   *other)
{
  NigranTrack *track;
  g_autoptr(NigranEvent) event = NULL;

  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  track = nigran_map_view_get_track (self);
  if (track == NULL || other == NULL || other == track || nigran_track_get_n_sightings (other) == 0)
    return;
  event = nigran_tracks_link_event_new (nigran_track_get_last_sighting (track)->event_id,
                                        nigran_track_get_sighting (other, 0)->event_id, TRUE);
  record (self, event);
}

static void
on_join_clicked (NigranMapView *self)
{
  guint chosen = gtk_drop_down_get_selected (self->join_dropdown);

  if (chosen < self->join_candidates->len)
    nigran_map_view_join_track (self, self->join_candidates->pdata[chosen]);
}

static void
show_track (NigranMapView *self)
{
  NigranTrack *track = self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection) : NULL;
  GtkWidget *child;

  nigran_map_overlay_set_track (self->overlay, track);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sighting_list))) != NULL)
    gtk_list_box_remove (self->sighting_list, child);
  if (track == NULL)
    {
      gtk_label_set_label (self->track_title, _("No track yet: sightings of one face or plate at several cameras make one."));
      update_handoffs (self, NULL);
      offer_joins (self, NULL);
      return;
    }
  {
    g_autofree char *title = g_strdup_printf (ngettext ("%s: %u sighting", "%s: %u sightings",
                                                       nigran_track_get_n_sightings (track)),
                                              nigran_track_get_label (track) != NULL ? nigran_track_get_label (track)
                                                                                     : _("Unknown face"),
                                              nigran_track_get_n_sightings (track));

    gtk_label_set_label (self->track_title, title);
  }
  for (guint i = 0; i < nigran_track_get_n_sightings (track); i++)
    gtk_list_box_append (self->sighting_list, sighting_row_new (self, nigran_track_get_sighting (track, i)));
  update_handoffs (self, track);
  offer_joins (self, track);
}

static void
on_tracks_changed (NigranMapView *self,
                   guint          position,
                   guint          removed,
                   guint          added)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (selected == GTK_INVALID_LIST_POSITION || (selected >= position && selected < position + MAX (removed, added)))
    show_track (self);
}

static void
setup_track_row (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
                 GtkListItem              *item,
                 gpointer                  user_data G_GNUC_UNUSED)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_track_row (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
                GtkListItem              *item,
                NigranMapView            *self)
{
  NigranTrack *track = gtk_list_item_get_item (item);
  const NigranTrackSighting *last = nigran_track_get_last_sighting (track);
  g_autofree char *time = last != NULL ? format_time (last->last_time_us) : g_strdup ("");
  g_autofree char *text = g_strdup_printf ("%s · %u · %s %s",
                                           nigran_track_get_label (track) != NULL ? nigran_track_get_label (track)
                                                                                  : _("Unknown face"),
                                           nigran_track_get_n_sightings (track),
                                           last != NULL ? camera_name (self, last->camera_id) : "", time);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* Puts @camera in the wall's focused tile. */
void
nigran_map_view_show_camera (NigranMapView *self,
                             NigranCamera  *camera)
{
  g_autofree char *message = NULL;
  guint focus;

  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  if (self->wall == NULL || camera == NULL)
    return;
  focus = nigran_wall_get_focus (self->wall);
  nigran_wall_assign (self->wall, focus, camera);
  message = g_strdup_printf (_("%s is on tile %u of the wall."), nigran_camera_get_name (camera), focus + 1);
  gtk_label_set_label (self->status_label, message);
}

/**
 * nigran_map_view_open_next_cameras:
 *
 * Puts the cameras the selected track's subject can reach next on the wall, nearest
 * first, from the focused tile on.
 *
 * Returns: how many cameras it put on the wall
 */
guint
nigran_map_view_open_next_cameras (NigranMapView *self)
{
  guint n_tiles, focus, opened = 0;

  g_return_val_if_fail (NIGRAN_IS_MAP_VIEW (self), 0);
  if (self->wall == NULL || self->handoffs == NULL || (n_tiles = nigran_wall_get_n_tiles (self->wall)) == 0)
    return 0;
  focus = nigran_wall_get_focus (self->wall);
  for (guint i = 0; i < self->handoffs->len && opened < n_tiles; i++)
    {
      NigranCamera *camera = lookup_camera (self, ((NigranHandoff *) self->handoffs->pdata[i])->camera_id);

      if (camera != NULL)
        nigran_wall_assign (self->wall, (focus + opened++) % n_tiles, camera);
    }
  {
    g_autofree char *message = g_strdup_printf (ngettext ("%u camera the subject can reach next is on the wall.",
                                                          "%u cameras the subject can reach next are on the wall.",
                                                          opened), opened);

    gtk_label_set_label (self->status_label, message);
  }
  return opened;
}

static void
on_open_next_clicked (NigranMapView *self)
{
  nigran_map_view_open_next_cameras (self);
}

static void
on_sighting_activated (GtkListBox    *list G_GNUC_UNUSED,
                       GtkListBoxRow *row,
                       NigranMapView *self)
{
  nigran_map_view_show_camera (self, lookup_camera (self, g_object_get_data (G_OBJECT (row), "camera-id")));
}

/* Returns: (transfer none) (nullable): the camera drawn under (@x, @y) of the map widget */
static NigranCamera *
camera_under (NigranMapView *self,
              double         x,
              double         y)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (GTK_WIDGET (self->map), GTK_WIDGET (self->overlay),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return NULL;
  return nigran_map_overlay_camera_at (self->overlay, point.x, point.y);
}

static void
on_map_motion (GtkEventControllerMotion *motion G_GNUC_UNUSED,
               double                    x,
               double                    y,
               NigranMapView            *self)
{
  gtk_widget_translate_coordinates (GTK_WIDGET (self->map), GTK_WIDGET (self->overlay), x, y,
                                    &self->pointer_x, &self->pointer_y);
}

/* The wheel zooms by half a level around the pointer. libshumate 1.0.3's own wheel
 * zoom, at the fractional levels it steps through, throws the map thousands of
 * kilometres away; this keeps the place under the pointer where it is. */
static gboolean
on_map_scroll (GtkEventControllerScroll *scroll G_GNUC_UNUSED,
               double                    dx G_GNUC_UNUSED,
               double                    dy,
               NigranMapView            *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkWidget *overlay = GTK_WIDGET (self->overlay);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double latitude, longitude, moved_x, moved_y, centre_latitude, centre_longitude;

  if (dy == 0)
    return FALSE;
  shumate_viewport_widget_coords_to_location (viewport, overlay, self->pointer_x, self->pointer_y,
                                              &latitude, &longitude);
  zoom = CLAMP (round ((zoom + (dy < 0 ? 0.5 : -0.5)) * 2) / 2, shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_viewport_location_to_widget_coords (viewport, overlay, latitude, longitude, &moved_x, &moved_y);
  shumate_viewport_widget_coords_to_location (viewport, overlay,
                                              gtk_widget_get_width (overlay) / 2.0 + moved_x - self->pointer_x,
                                              gtk_widget_get_height (overlay) / 2.0 + moved_y - self->pointer_y,
                                              &centre_latitude, &centre_longitude);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), centre_latitude, centre_longitude);
  return TRUE;
}

static void
on_map_clicked (GtkGestureClick *gesture G_GNUC_UNUSED,
                int              n_press,
                double           x,
                double           y,
                NigranMapView   *self)
{
  if (n_press == 1)
    nigran_map_view_show_camera (self, camera_under (self, x, y));
}

static void
stop_preview (NigranMapView *self)
{
  if (self->preview_stream != NULL)
    nigran_camera_stream_stop (self->preview_stream);
  g_clear_object (&self->preview_stream);
  g_clear_object (&self->preview_paintable);
}

/* A camera off the wall is previewed from its small stream while hovered. Cameras
 * that need a login are left to the wall, which asks the keyring for it. */
static gboolean
preview (NigranMapView *self,
         NigranCamera  *camera)
{
  if (self->preview_stream != NULL && nigran_camera_stream_get_camera (self->preview_stream) == camera)
    return TRUE;
  stop_preview (self);
  if (nigran_camera_get_credential_ref (camera) != NULL || nigran_camera_get_uri (camera, NIGRAN_STREAM_SUB) == NULL)
    return FALSE;
  self->preview_paintable = nigran_video_paintable_new ();
  self->preview_stream = nigran_camera_stream_new (camera, NIGRAN_STREAM_SUB, self->clock, self->preview_paintable);
  nigran_camera_stream_set_size (self->preview_stream, 320, 180);
  nigran_camera_stream_start (self->preview_stream);
  return TRUE;
}

/* The hovered camera's picture and state, in the tooltip's box. */
static void
show_hovered (NigranMapView *self)
{
  g_autoptr(GdkTexture) frame = NULL;
  g_autofree char *text = NULL;
  NigranCamera *camera = self->hovered;
  const char *status = nigran_camera_status_to_string (nigran_camera_get_status (camera));
  gint64 age_ms = -1;

  if (self->wall != NULL)
    frame = nigran_wall_dup_camera_frame (self->wall, nigran_camera_get_id (camera), &age_ms);
  if (frame != NULL)
    {
      stop_preview (self);
      gtk_picture_set_paintable (self->hover_picture, GDK_PAINTABLE (frame));
      text = g_strdup_printf (_("%s\n%s, picture %.1f s old · click to show it in the focused tile"),
                              nigran_camera_get_name (camera), status, age_ms / 1000.0);
    }
  else if (preview (self, camera))
    {
      gtk_picture_set_paintable (self->hover_picture, GDK_PAINTABLE (self->preview_paintable));
      text = g_strdup_printf (_("%s\nPreview, not on the wall · click to show it in the focused tile"),
                              nigran_camera_get_name (camera));
    }
  else
    {
      gtk_picture_set_paintable (self->hover_picture, NULL);
      text = g_strdup_printf (_("%s\nNot on the wall · click to show it in the focused tile"),
                              nigran_camera_get_name (camera));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->hover_picture), gtk_picture_get_paintable (self->hover_picture) != NULL);
  gtk_label_set_label (self->hover_label, text);
}

/* While the tooltip shows, its picture is kept live. */
static gboolean
refresh_hover (gpointer user_data)
{
  NigranMapView *self = user_data;

  if (self->hovered == NULL || !gtk_widget_get_mapped (self->hover_box))
    {
      self->hover_refresh_id = 0;
      stop_preview (self);
      return G_SOURCE_REMOVE;
    }
  show_hovered (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_query_tooltip (GtkWidget     *widget G_GNUC_UNUSED,
                  int            x,
                  int            y,
                  gboolean       keyboard,
                  GtkTooltip    *tooltip,
                  NigranMapView *self)
{
  self->hovered = keyboard ? NULL : camera_under (self, x, y);
  if (self->hovered == NULL)
    {
      stop_preview (self);
      return FALSE;
    }
  show_hovered (self);
  gtk_tooltip_set_custom (tooltip, self->hover_box);
  if (self->hover_refresh_id == 0)
    self->hover_refresh_id = g_timeout_add (HOVER_REFRESH_MS, refresh_hover, self);
  return TRUE;
}

typedef struct
{
  NigranSiteFile *site_file;
  GPtrArray      *layers;     /* NigranGeoLayer, beside styles */
  GArray         *styles;     /* NigranMapLayerStyle */
  NigranMbtilesSource *tiles;
  NigranCameraGraph *graph;
  GString        *problems;
} Loading;

static void
loading_free (Loading *loading)
{
  g_object_unref (loading->site_file);
  g_ptr_array_unref (loading->layers);
  g_array_unref (loading->styles);
  g_clear_object (&loading->tiles);
  g_clear_object (&loading->graph);
  g_string_free (loading->problems, TRUE);
  g_free (loading);
}

static NigranMapLayerStyle
style_from_string (const char *style)
{
  if (g_str_equal (style, "roads"))
    return NIGRAN_MAP_LAYER_ROADS;
  if (g_str_equal (style, "landmarks"))
    return NIGRAN_MAP_LAYER_LANDMARKS;
  return NIGRAN_MAP_LAYER_DISTRICTS;
}

static void
load_thread (GTask        *task,
             gpointer      source G_GNUC_UNUSED,
             gpointer      task_data,
             GCancellable *cancellable G_GNUC_UNUSED)
{
  Loading *loading = task_data;
  GPtrArray *files = nigran_site_file_get_map_layers (loading->site_file);
  const char *tiles = nigran_site_file_get_map_tiles (loading->site_file);
  NigranGeoLayer *roads = NULL;

  for (guint i = 0; i < files->len; i++)
    {
      const NigranMapLayerFile *file = files->pdata[i];
      g_autoptr(GError) error = NULL;
      NigranGeoLayer *layer = nigran_geo_layer_load_shared (file->path, &error);
      NigranMapLayerStyle style = style_from_string (file->style);

      if (layer == NULL)
        {
          g_string_append_printf (loading->problems, "%s\n", error->message);
          continue;
        }
      g_ptr_array_add (loading->layers, layer);
      g_array_append_val (loading->styles, style);
      if (style == NIGRAN_MAP_LAYER_ROADS && roads == NULL)
        roads = layer;
    }
  if (tiles != NULL)
    {
      g_autoptr(GError) error = NULL;

      loading->tiles = nigran_mbtiles_source_new (tiles, &error);
      if (loading->tiles == NULL)
        g_string_append_printf (loading->problems, "%s\n", error->message);
    }
  loading->graph = nigran_camera_graph_new (nigran_site_file_get_cameras (loading->site_file), roads);
  g_task_return_boolean (task, TRUE);
}

static void
set_base_map (NigranMapView       *self,
              NigranMbtilesSource *tiles)
{
  const char *tile_url = nigran_site_file_get_map_tile_url (self->site_file);
  g_autoptr(ShumateMapSource) source = NULL;

  if (tiles != NULL)
    source = nigran_mbtiles_source_new_map_source (tiles);
  else if (tile_url != NULL)
    source = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full_from_url ("nigran-tile-server", _("Tile server"),
                                                                           NULL, NULL, 0, MAX_ZOOM, 256,
                                                                           SHUMATE_MAP_PROJECTION_MERCATOR, tile_url));
  if (source == NULL)
    return;
  shumate_simple_map_set_map_source (self->map, source);
  /* The tiles' layer goes on top of the map's layers: put the overlay back above it. */
  g_object_ref (self->overlay);
  shumate_simple_map_remove_overlay_layer (self->map, SHUMATE_LAYER (self->overlay));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->overlay));
  g_object_unref (self->overlay);
  /* The overlay is drawn at any zoom, beyond the tiles' own. */
  shumate_viewport_set_max_zoom_level (shumate_simple_map_get_viewport (self->map), MAX_ZOOM);
}

static void frame_cameras (NigranMapView *self);

static void
on_loaded (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  NigranMapView *self;
  Loading *loading;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;  /* cancelled: the view is gone */
  self = user_data;
  loading = g_task_get_task_data (G_TASK (result));
  if (loading->site_file != self->site_file)
    return;
  for (guint i = 0; i < loading->layers->len; i++)
    nigran_map_overlay_add_layer (self->overlay, loading->layers->pdata[i],
                                  g_array_index (loading->styles, NigranMapLayerStyle, i));
  set_base_map (self, loading->tiles);
  frame_cameras (self);
  g_set_object (&self->graph, loading->graph);
  if (loading->problems->len > 0)
    {
      g_autofree char *message = g_strdup_printf (_("Parts of the map are missing:\n%s"), loading->problems->str);

      g_strchomp (message);
      gtk_label_set_label (self->status_label, message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), message);
    }
  self->loaded = TRUE;
  show_track (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* The cameras' extent, so that the map opens on all of them. */
static void
frame_cameras (NigranMapView *self)
{
  GListModel *cameras = nigran_site_file_get_cameras (self->site_file);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  double south = 90, north = -90, west = 180, east = -180, span;
  guint n = g_list_model_get_n_items (cameras);
  int width;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);

      south = MIN (south, nigran_camera_get_latitude (camera));
      north = MAX (north, nigran_camera_get_latitude (camera));
      west = MIN (west, nigran_camera_get_longitude (camera));
      east = MAX (east, nigran_camera_get_longitude (camera));
    }
  /* A 256-pixel world at zoom 0; the extent, with a margin, in the map's width (or
   * a guess at it, before the map is shown). */
  width = gtk_widget_get_width (GTK_WIDGET (self->map));
  span = MAX (MAX (east - west, (north - south) * 1.5), 0.005) * 1.2;
  shumate_viewport_set_zoom_level (viewport, CLAMP (floor (log2 ((width > 0 ? width : 600) * 360 / (256 * span))), 2, 17));
  shumate_location_set_location (SHUMATE_LOCATION (viewport), (south + north) / 2, (west + east) / 2);
}

void
nigran_map_view_set_site_file (NigranMapView  *self,
                               NigranSiteFile *site_file)
{
  g_autoptr(GTask) task = NULL;
  Loading *loading;

  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  g_return_if_fail (NIGRAN_IS_SITE_FILE (site_file));

  g_set_object (&self->site_file, site_file);
  nigran_map_overlay_set_site_file (self->overlay, site_file);
  frame_cameras (self);
  self->loaded = FALSE;

  loading = g_new0 (Loading, 1);
  loading->site_file = g_object_ref (site_file);
  loading->layers = g_ptr_array_new_with_free_func (g_object_unref);
  loading->styles = g_array_new (FALSE, FALSE, sizeof (NigranMapLayerStyle));
  loading->problems = g_string_new (NULL);
  task = g_task_new (NULL, self->cancellable, on_loaded, self);
  g_task_set_task_data (task, loading, (GDestroyNotify) loading_free);
  g_task_run_in_thread (task, load_thread);
}

void
nigran_map_view_set_wall (NigranMapView *self,
                          NigranWall    *wall)
{
  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  g_set_weak_pointer (&self->wall, wall);
  show_track (self);
}

void
nigran_map_view_set_tracks (NigranMapView *self,
                            NigranTracks  *tracks)
{
  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));

  if (self->tracks != NULL)
    g_signal_handlers_disconnect_by_data (self->tracks, self);
  g_set_object (&self->tracks, tracks);
  g_clear_object (&self->selection);
  if (tracks != NULL)
    {
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (tracks)));
      g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (show_track), self);
      g_signal_connect_object (tracks, "items-changed", G_CALLBACK (on_tracks_changed), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }
  gtk_list_view_set_model (self->track_list, GTK_SELECTION_MODEL (self->selection));
  show_track (self);
}

/* Where the operator's confirmations and joins are recorded, in whose name. */
void
nigran_map_view_set_log (NigranMapView  *self,
                         NigranEventLog *log,
                         const char     *operator_name)
{
  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  g_set_object (&self->log, log);
  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
}

void
nigran_map_view_set_open_alerts (NigranMapView *self,
                                 GListModel    *alerts)
{
  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  nigran_map_overlay_set_open_alerts (self->overlay, alerts);
}

/* Whether the map's files are read and the camera graph built. */
gboolean
nigran_map_view_is_loaded (NigranMapView *self)
{
  g_return_val_if_fail (NIGRAN_IS_MAP_VIEW (self), FALSE);
  return self->loaded;
}

/* Returns: (transfer none) (nullable): the track shown */
NigranTrack *
nigran_map_view_get_track (NigranMapView *self)
{
  g_return_val_if_fail (NIGRAN_IS_MAP_VIEW (self), NULL);
  return self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

/* Returns: (transfer none) (nullable) (element-type NigranHandoff): the cameras highlighted as next */
GPtrArray *
nigran_map_view_get_handoffs (NigranMapView *self)
{
  g_return_val_if_fail (NIGRAN_IS_MAP_VIEW (self), NULL);
  return self->handoffs;
}

NigranMapOverlay *
nigran_map_view_get_overlay (NigranMapView *self)
{
  g_return_val_if_fail (NIGRAN_IS_MAP_VIEW (self), NULL);
  return self->overlay;
}

ShumateViewport *
nigran_map_view_get_viewport (NigranMapView *self)
{
  g_return_val_if_fail (NIGRAN_IS_MAP_VIEW (self), NULL);
  return shumate_simple_map_get_viewport (self->map);
}

static void
nigran_map_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NigranMapView *self = NIGRAN_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nigran_map_view_dispose (GObject *object)
{
  NigranMapView *self = NIGRAN_MAP_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->hover_refresh_id, g_source_remove);
  stop_preview (self);
  g_clear_object (&self->clock);
  if (self->tracks != NULL)
    g_signal_handlers_disconnect_by_data (self->tracks, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->tracks);
  g_clear_object (&self->site_file);
  g_clear_object (&self->graph);
  g_clear_pointer (&self->handoffs, g_ptr_array_unref);
  g_clear_weak_pointer (&self->wall);
  g_clear_object (&self->hover_box);
  g_clear_object (&self->log);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_pointer (&self->join_candidates, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_MAP_VIEW);
  G_OBJECT_CLASS (nigran_map_view_parent_class)->dispose (object);
}

static void
nigran_map_view_finalize (GObject *object)
{
  g_clear_object (&NIGRAN_MAP_VIEW (object)->cancellable);
  G_OBJECT_CLASS (nigran_map_view_parent_class)->finalize (object);
}

static void
nigran_map_view_class_init (NigranMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_map_view_dispose;
  object_class->finalize = nigran_map_view_finalize;
  object_class->get_property = nigran_map_view_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, paned);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, map);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, track_list);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, track_title);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, sighting_list);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, next_label);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, open_next_button);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, status_label);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, join_box);
  gtk_widget_class_bind_template_child (widget_class, NigranMapView, join_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_open_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_join_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nigran_map_view_init (NigranMapView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  ShumateViewport *viewport;
  GtkGesture *click;
  GtkEventController *motion, *scroll;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->join_candidates = g_ptr_array_new_with_free_func (g_object_unref);
  self->clock = nigran_clock_new_system ();

  viewport = shumate_simple_map_get_viewport (self->map);
  /* Without base tiles the map is the overlay's own drawing; the viewport still needs
   * a projection, which a raster source that is never asked for a tile gives. */
  {
    g_autoptr(ShumateRasterRenderer) projection =
      shumate_raster_renderer_new_full_from_url ("nigran-none", _("No base map"), NULL, NULL, 0, MAX_ZOOM, 256,
                                                 SHUMATE_MAP_PROJECTION_MERCATOR, "http://127.0.0.1:9/{z}/{x}/{y}.png");

    shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (projection));
  }
  shumate_viewport_set_max_zoom_level (viewport, MAX_ZOOM);
  self->overlay = nigran_map_overlay_new (viewport);
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->overlay));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_track_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_track_row), self);
  gtk_list_view_set_factory (self->track_list, factory);
  g_signal_connect (self->sighting_list, "row-activated", G_CALLBACK (on_sighting_activated), self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_map_clicked), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_map_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), motion);
  /* In the capture phase, before the map's own wheel zoom. */
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_map_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), scroll);

  self->hover_box = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  self->hover_picture = GTK_PICTURE (gtk_picture_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->hover_picture), 240, 135);
  gtk_picture_set_content_fit (self->hover_picture, GTK_CONTENT_FIT_CONTAIN);
  self->hover_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->hover_label, 0);
  gtk_box_append (GTK_BOX (self->hover_box), GTK_WIDGET (self->hover_picture));
  gtk_box_append (GTK_BOX (self->hover_box), GTK_WIDGET (self->hover_label));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->map), TRUE);
  g_signal_connect (self->map, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
}

NigranMapView *
nigran_map_view_new (void)
{
  return g_object_new (NIGRAN_TYPE_MAP_VIEW, NULL);
}

/* Puts @latitude, @longitude in the middle of the map, at street zoom. */
void
nigran_map_view_center_on (NigranMapView *self,
                           double         latitude,
                           double         longitude)
{
  ShumateMap *map;

  g_return_if_fail (NIGRAN_IS_MAP_VIEW (self));
  map = shumate_simple_map_get_map (self->map);
  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 16);
  shumate_map_center_on (map, latitude, longitude);
}
