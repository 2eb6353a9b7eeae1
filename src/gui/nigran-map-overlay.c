/* nigran-map-overlay.c: what Nigran draws over the base map: areas, roads, cameras,
 * open alerts, a track and the cameras it may reach next, units and open incidents
 *
 * One layer draws it all with cairo, in one pass per kind of line, so that thousands
 * of roads and cameras cost a handful of strokes rather than a widget each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-map-overlay.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "core/nigran-alert.h"
#include "core/nigran-camera-graph.h"
#include "core/nigran-camera.h"
#include "core/nigran-incident.h"
#include "core/nigran-site.h"
#include "core/nigran-unit.h"
#include "core/nigran-zone.h"

#define CAMERA_HIT_RADIUS 12.0
#define CONE_RADIUS       26.0
/* Below this zoom, residential streets are left out and labels of areas too. */
#define STREET_ZOOM       13.0
#define LABEL_ZOOM        10.0
#define REDRAW_AFTER_ZOOM_MS 200

typedef struct
{
  NigranGeoLayer      *layer;
  NigranMapLayerStyle  style;
} Layer;

/* The map's ground, kept between frames: while the map only pans it is moved, not
 * redrawn. It covers the view and half the view again on each side. The layers,
 * zones and sites are kept apart from the cameras, which change with their status. */
typedef struct
{
  cairo_surface_t *beneath;      /* layers, zones and sites */
  /* beneath, with the cameras: a texture that the GL renderer uploads once, or for the
   * cairo renderer a cairo node, which it paints without converting it each frame */
  GskRenderNode   *picture;
  double           zoom;
  int              width;
  int              height;
  double           anchor_latitude;   /* at the widget's origin when it was drawn */
  double           anchor_longitude;
} Ground;

struct _NigranMapOverlay
{
  ShumateLayer    parent_instance;

  Ground          ground;
  guint           redraw_ground_id;  /* after a zoom settles */

  NigranSiteFile *site_file;
  GHashTable     *cameras;        /* id → NigranCamera */
  GArray         *layers;         /* Layer */
  GListModel     *open_alerts;
  NigranTrack    *track;
  GPtrArray      *handoffs;       /* NigranHandoff */
  GListModel     *units;
  GListModel     *incidents;
};

G_DEFINE_TYPE (NigranMapOverlay, nigran_map_overlay, SHUMATE_TYPE_LAYER)

typedef struct
{
  double red, green, blue;
} Colour;

static const Colour TRACK_COLOUR = { 0.0, 0.9, 1.0 };

static void
project (NigranMapOverlay *self,
         double            latitude,
         double            longitude,
         double           *x,
         double           *y)
{
  shumate_viewport_location_to_widget_coords (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                                              GTK_WIDGET (self), latitude, longitude, x, y);
}

/* The part of the world on screen, a little enlarged so that lines leaving it are drawn. */
typedef struct
{
  double south, west, north, east;
} Bounds;

static Bounds
visible_bounds (NigranMapOverlay      *self,
                const graphene_rect_t *area)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  GtkWidget *widget = GTK_WIDGET (self);
  double lat1, lon1, lat2, lon2, margin_lat, margin_lon;

  shumate_viewport_widget_coords_to_location (viewport, widget, area->origin.x, area->origin.y, &lat1, &lon1);
  shumate_viewport_widget_coords_to_location (viewport, widget, area->origin.x + area->size.width,
                                              area->origin.y + area->size.height, &lat2, &lon2);
  margin_lat = fabs (lat1 - lat2) * 0.1;
  margin_lon = fabs (lon1 - lon2) * 0.1;
  return (Bounds) { MIN (lat1, lat2) - margin_lat, MIN (lon1, lon2) - margin_lon,
                    MAX (lat1, lat2) + margin_lat, MAX (lon1, lon2) + margin_lon };
}

static gboolean
feature_visible (const NigranGeoFeature *feature,
                 const Bounds           *bounds)
{
  return feature->north_east.latitude >= bounds->south && feature->south_west.latitude <= bounds->north &&
         feature->north_east.longitude >= bounds->west && feature->south_west.longitude <= bounds->east;
}

static void
trace_feature (NigranMapOverlay       *self,
               cairo_t                *cr,
               const NigranGeoFeature *feature)
{
  for (guint part = 0; part < feature->n_parts; part++)
    {
      const NigranGeoPoint *points = feature->points + feature->part_starts[part];
      guint length = nigran_geo_feature_get_part_length (feature, part);

      double last_x = 0, last_y = 0;

      for (guint i = 0; i < length; i++)
        {
          double x, y;

          project (self, points[i].latitude, points[i].longitude, &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          /* Points closer than a pixel add nothing to the picture but work. */
          else if (i + 1 == length || fabs (x - last_x) + fabs (y - last_y) >= 1.5)
            cairo_line_to (cr, x, y);
          else
            continue;
          last_x = x;
          last_y = y;
        }
      if (feature->shape == NIGRAN_GEO_POLYGON)
        cairo_close_path (cr);
    }
}

static void
draw_label (cairo_t    *cr,
            GtkWidget  *widget,
            double      x,
            double      y,
            const char *text,
            double      alpha)
{
  g_autoptr(PangoLayout) layout = NULL;
  int width, height;

  if (text == NULL)
    return;
  layout = gtk_widget_create_pango_layout (widget, text);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width / 2.0, y - height / 2.0);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 0.05, 0.07, 0.1, 0.85 * alpha);
  cairo_set_line_width (cr, 3);
  cairo_stroke (cr);
  cairo_move_to (cr, x - width / 2.0, y - height / 2.0);
  cairo_set_source_rgba (cr, 0.95, 0.96, 0.98, alpha);
  pango_cairo_show_layout (cr, layout);
}

/* "Saddar Town" or, where the data has it, "Korangi Road\nکورنگی روڈ" */
static char *
bilingual_name (const char *name,
                const char *name_ur)
{
  if (name != NULL && name_ur != NULL)
    return g_strconcat (name, "\n", name_ur, NULL);
  return g_strdup (name != NULL ? name : name_ur);
}

typedef enum
{
  ROAD_MAJOR,
  ROAD_MEDIUM,
  ROAD_MINOR,
} RoadClass;

static RoadClass
road_class (const char *kind)
{
  static const char * const major[] = { "motorway", "trunk", "primary", "motorway_link", "trunk_link", "primary_link" };
  static const char * const medium[] = { "secondary", "tertiary", "secondary_link", "tertiary_link" };

  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (major); i++)
    if (g_str_equal (kind, major[i]))
      return ROAD_MAJOR;
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (medium); i++)
    if (g_str_equal (kind, medium[i]))
      return ROAD_MEDIUM;
  return ROAD_MINOR;
}

static void
draw_roads (NigranMapOverlay *self,
            cairo_t          *cr,
            NigranGeoLayer   *layer,
            const Bounds     *bounds,
            double            zoom)
{
  static const struct { Colour colour; double width; } styles[] = {
    [ROAD_MAJOR] = { { 0.96, 0.78, 0.38 }, 3.0 },
    [ROAD_MEDIUM] = { { 0.82, 0.84, 0.87 }, 2.0 },
    [ROAD_MINOR] = { { 0.55, 0.58, 0.63 }, 1.0 },
  };
  guint n_features = nigran_geo_layer_get_n_features (layer);

  /* Minor roads first, under the major ones; one stroke for each class. */
  for (int class = ROAD_MINOR; class >= ROAD_MAJOR; class--)
    {
      if (class == ROAD_MINOR && zoom < STREET_ZOOM)
        continue;
      for (guint i = 0; i < n_features; i++)
        {
          const NigranGeoFeature *road = nigran_geo_layer_get_feature (layer, i);

          if (road->shape == NIGRAN_GEO_LINE && road_class (road->kind) == (RoadClass) class &&
              feature_visible (road, bounds))
            trace_feature (self, cr, road);
        }
      cairo_set_source_rgb (cr, styles[class].colour.red, styles[class].colour.green, styles[class].colour.blue);
      cairo_set_line_width (cr, styles[class].width);
      cairo_stroke (cr);
    }
}

static void
feature_centre (const NigranGeoFeature *feature,
                double                 *latitude,
                double                 *longitude)
{
  *latitude = (feature->south_west.latitude + feature->north_east.latitude) / 2;
  *longitude = (feature->south_west.longitude + feature->north_east.longitude) / 2;
}

static void
draw_areas (NigranMapOverlay *self,
            cairo_t          *cr,
            NigranGeoLayer   *layer,
            NigranMapLayerStyle style,
            const Bounds     *bounds,
            double            zoom)
{
  for (guint i = 0; i < nigran_geo_layer_get_n_features (layer); i++)
    {
      const NigranGeoFeature *feature = nigran_geo_layer_get_feature (layer, i);
      double x, y;

      if (!feature_visible (feature, bounds))
        continue;
      if (feature->shape == NIGRAN_GEO_POINT)
        {
          project (self, feature->points[0].latitude, feature->points[0].longitude, &x, &y);
          cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, 1.0, 0.6, 0.8);
          cairo_fill (cr);
        }
      else
        {
          trace_feature (self, cr, feature);
          if (feature->shape == NIGRAN_GEO_POLYGON)
            {
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
              cairo_set_source_rgba (cr, 0.48, 0.64, 0.97, style == NIGRAN_MAP_LAYER_LANDMARKS ? 0.2 : 0.05);
              cairo_fill_preserve (cr);
            }
          cairo_set_source_rgba (cr, 0.48, 0.64, 0.97, 0.8);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
    }
  if (zoom < LABEL_ZOOM)
    return;
  for (guint i = 0; i < nigran_geo_layer_get_n_features (layer); i++)
    {
      const NigranGeoFeature *feature = nigran_geo_layer_get_feature (layer, i);
      g_autofree char *name = bilingual_name (feature->name, feature->name_ur);
      double latitude, longitude, x, y;

      if (name == NULL || !feature_visible (feature, bounds))
        continue;
      feature_centre (feature, &latitude, &longitude);
      project (self, latitude, longitude, &x, &y);
      draw_label (cr, GTK_WIDGET (self), x, y + (feature->shape == NIGRAN_GEO_POINT ? 14 : 0), name, 0.7);
    }
}

static Colour
zone_colour (const char *kind)
{
  if (g_strcmp0 (kind, "red-zone") == 0)
    return (Colour) { 0.9, 0.22, 0.21 };
  if (g_strcmp0 (kind, "airport-corridor") == 0)
    return (Colour) { 0.98, 0.55, 0.0 };
  if (g_strcmp0 (kind, "industrial-estate") == 0)
    return (Colour) { 0.56, 0.14, 0.67 };
  return (Colour) { 0.3, 0.7, 0.9 };
}

static void
draw_zones (NigranMapOverlay *self,
            cairo_t          *cr)
{
  GListModel *zones = nigran_site_file_get_zones (self->site_file);

  for (guint i = 0; i < g_list_model_get_n_items (zones); i++)
    {
      g_autoptr(NigranZone) zone = g_list_model_get_item (zones, i);
      Colour colour = zone_colour (nigran_zone_get_kind (zone));
      double sum_x = 0, sum_y = 0;
      guint n = 0;

      for (guint ring = 0; ring < nigran_zone_get_n_rings (zone); ring++)
        {
          guint n_points;
          const NigranGeoPoint *points = nigran_zone_get_ring (zone, ring, &n_points);

          for (guint p = 0; p < n_points; p++)
            {
              double x, y;

              project (self, points[p].latitude, points[p].longitude, &x, &y);
              if (p == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
              sum_x += x;
              sum_y += y;
              n++;
            }
          cairo_close_path (cr);
        }
      cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, 0.16);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, 0.9);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      if (n > 0)
        {
          g_autofree char *name = bilingual_name (nigran_zone_get_name (zone), nigran_zone_get_name_ur (zone));

          draw_label (cr, GTK_WIDGET (self), sum_x / n, sum_y / n, name, 0.9);
        }
    }
}

/* Sensitive sites: hospitals, consulates, industrial estates … */
static void
draw_sites (NigranMapOverlay *self,
            cairo_t          *cr,
            double            zoom)
{
  GListModel *sites = nigran_site_file_get_sites (self->site_file);

  for (guint i = 0; i < g_list_model_get_n_items (sites); i++)
    {
      g_autoptr(NigranSite) site = g_list_model_get_item (sites, i);
      Colour colour = zone_colour (nigran_site_get_kind (site));
      double x, y;

      project (self, nigran_site_get_latitude (site), nigran_site_get_longitude (site), &x, &y);
      cairo_move_to (cr, x, y - 7);
      cairo_line_to (cr, x + 7, y);
      cairo_line_to (cr, x, y + 7);
      cairo_line_to (cr, x - 7, y);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, colour.red, colour.green, colour.blue);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      if (zoom >= STREET_ZOOM)
        draw_label (cr, GTK_WIDGET (self), x, y - 18, nigran_site_get_name (site), 0.8);
    }
}

static Colour
status_colour (NigranCameraStatus status)
{
  switch (status)
    {
    case NIGRAN_CAMERA_STATUS_LIVE:
      return (Colour) { 0.26, 0.75, 0.35 };
    case NIGRAN_CAMERA_STATUS_CONNECTING:
    case NIGRAN_CAMERA_STATUS_STALLED:
      return (Colour) { 0.99, 0.85, 0.21 };
    case NIGRAN_CAMERA_STATUS_OFFLINE:
      return (Colour) { 0.9, 0.22, 0.21 };
    case NIGRAN_CAMERA_STATUS_IDLE:
    default:
      return (Colour) { 0.7, 0.72, 0.75 };
    }
}

static void
draw_cameras (NigranMapOverlay *self,
              cairo_t          *cr,
              const Bounds     *bounds)
{
  GListModel *cameras = nigran_site_file_get_cameras (self->site_file);
  guint n = g_list_model_get_n_items (cameras);

  /* Cones under dots, so that dense sites stay readable. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
        double latitude = nigran_camera_get_latitude (camera), longitude = nigran_camera_get_longitude (camera);
        Colour colour = status_colour (nigran_camera_get_status (camera));
        double x, y;

        if (latitude < bounds->south || latitude > bounds->north || longitude < bounds->west || longitude > bounds->east)
          continue;
        project (self, latitude, longitude, &x, &y);
        if (pass == 0)
          {
            /* Compass heading: 0 is north, clockwise; cairo's 0 is east, clockwise. */
            double heading = (nigran_camera_get_heading (camera) - 90) * G_PI / 180;
            double half = MAX (nigran_camera_get_field_of_view (camera), 10) / 2 * G_PI / 180;

            cairo_move_to (cr, x, y);
            cairo_arc (cr, x, y, CONE_RADIUS, heading - half, heading + half);
            cairo_close_path (cr);
            cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, 0.25);
            cairo_fill (cr);
          }
        else
          {
            if (nigran_camera_get_reads_plates (camera))
              cairo_rectangle (cr, x - 5, y - 5, 10, 10);
            else
              cairo_arc (cr, x, y, 5, 0, 2 * G_PI);
            cairo_set_source_rgb (cr, colour.red, colour.green, colour.blue);
            cairo_fill_preserve (cr);
            cairo_set_source_rgb (cr, 0.05, 0.07, 0.1);
            cairo_set_line_width (cr, 1.5);
            cairo_stroke (cr);
          }
      }
}

static void
draw_open_alerts (NigranMapOverlay *self,
                  cairo_t          *cr)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; self->open_alerts != NULL && i < g_list_model_get_n_items (self->open_alerts); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (self->open_alerts, i);
      const char *camera_id = nigran_alert_get_camera_id (alert);

      if (camera_id != NULL && g_hash_table_contains (self->cameras, camera_id))
        g_hash_table_insert (counts, (gpointer) camera_id,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, camera_id)) + 1));
    }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      NigranCamera *camera = g_hash_table_lookup (self->cameras, key);
      g_autofree char *count = g_strdup_printf ("%u", GPOINTER_TO_UINT (value));
      double x, y;

      project (self, nigran_camera_get_latitude (camera), nigran_camera_get_longitude (camera), &x, &y);
      /* A pin above the camera. */
      cairo_move_to (cr, x, y - 6);
      cairo_line_to (cr, x - 7, y - 18);
      cairo_arc (cr, x, y - 22, 9, G_PI * 0.8, G_PI * 2.2);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, 0.9, 0.15, 0.15);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      draw_label (cr, GTK_WIDGET (self), x, y - 22, count, 1);
    }
}

/* As the dispatch board's status colours. */
static Colour
unit_colour (NigranUnitStatus status)
{
  switch (status)
    {
    case NIGRAN_UNIT_AVAILABLE:
      return (Colour) { 0.18, 0.76, 0.49 };
    case NIGRAN_UNIT_DISPATCHED:
      return (Colour) { 0.88, 0.11, 0.14 };
    case NIGRAN_UNIT_EN_ROUTE:
      return (Colour) { 1.0, 0.47, 0.0 };
    case NIGRAN_UNIT_ON_SCENE:
      return (Colour) { 0.57, 0.25, 0.67 };
    case NIGRAN_UNIT_RETURNING:
      return (Colour) { 0.21, 0.52, 0.89 };
    case NIGRAN_UNIT_OFF_DUTY:
    default:
      return (Colour) { 0.47, 0.46, 0.48 };
    }
}

static gboolean
incident_open (NigranIncident *incident)
{
  return nigran_incident_get_state (incident) < NIGRAN_INCIDENT_CLEARED;
}

/* Open incidents as diamonds, red for the most urgent; a dashed line to each from the
 * unit on its way there. */
static void
draw_incidents (NigranMapOverlay *self,
                cairo_t          *cr)
{
  static const double dash[] = { 6, 4 };
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) open_by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; self->incidents != NULL && i < g_list_model_get_n_items (self->incidents); i++)
    {
      NigranIncident *incident = g_list_model_get_item (self->incidents, i);

      if (!incident_open (incident))
        {
          g_object_unref (incident);
          continue;
        }
      g_ptr_array_add (open, incident);
      g_hash_table_insert (open_by_id, (char *) nigran_incident_get_id (incident), incident);
    }

  /* Under the diamonds, a line from each unit on its way. */
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  cairo_set_line_width (cr, 2);
  cairo_set_source_rgba (cr, 1, 0.47, 0, 0.9);
  for (guint u = 0; self->units != NULL && open->len > 0 && u < g_list_model_get_n_items (self->units); u++)
    {
      g_autoptr(NigranUnit) unit = g_list_model_get_item (self->units, u);
      NigranUnitStatus status = nigran_unit_get_status (unit);
      const char *incident_id = nigran_unit_get_incident_id (unit);
      NigranIncident *incident = incident_id != NULL ? g_hash_table_lookup (open_by_id, incident_id) : NULL;
      double unit_x, unit_y, x, y;

      if (incident == NULL || (status != NIGRAN_UNIT_DISPATCHED && status != NIGRAN_UNIT_EN_ROUTE))
        continue;
      project (self, nigran_unit_get_latitude (unit), nigran_unit_get_longitude (unit), &unit_x, &unit_y);
      project (self, nigran_incident_get_latitude (incident), nigran_incident_get_longitude (incident), &x, &y);
      cairo_move_to (cr, unit_x, unit_y);
      cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  for (guint i = 0; i < open->len; i++)
    {
      NigranIncident *incident = open->pdata[i];
      double x, y;

      project (self, nigran_incident_get_latitude (incident), nigran_incident_get_longitude (incident), &x, &y);
      cairo_move_to (cr, x, y - 11);
      cairo_line_to (cr, x + 11, y);
      cairo_line_to (cr, x, y + 11);
      cairo_line_to (cr, x - 11, y);
      cairo_close_path (cr);
      if (nigran_incident_get_priority (incident) <= 1)
        cairo_set_source_rgb (cr, 0.88, 0.11, 0.14);
      else
        cairo_set_source_rgb (cr, 0.96, 0.6, 0.07);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      draw_label (cr, GTK_WIDGET (self), x, y - 22, nigran_incident_get_type_code (incident), 1);
    }
}

/* Units on duty as rounded squares in their status colour, with their call signs. */
static void
draw_units (NigranMapOverlay *self,
            cairo_t          *cr)
{
  for (guint i = 0; self->units != NULL && i < g_list_model_get_n_items (self->units); i++)
    {
      g_autoptr(NigranUnit) unit = g_list_model_get_item (self->units, i);
      NigranUnitStatus status = nigran_unit_get_status (unit);
      Colour colour = unit_colour (status);
      double x, y;

      if (status == NIGRAN_UNIT_OFF_DUTY)
        continue;
      project (self, nigran_unit_get_latitude (unit), nigran_unit_get_longitude (unit), &x, &y);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + 4, y - 4, 4, -G_PI / 2, 0);
      cairo_arc (cr, x + 4, y + 4, 4, 0, G_PI / 2);
      cairo_arc (cr, x - 4, y + 4, 4, G_PI / 2, G_PI);
      cairo_arc (cr, x - 4, y - 4, 4, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, colour.red, colour.green, colour.blue);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      draw_label (cr, GTK_WIDGET (self), x, y + 18, nigran_unit_get_call_sign (unit), 1);
    }
}

static gboolean
camera_position (NigranMapOverlay *self,
                 const char       *camera_id,
                 double           *x,
                 double           *y)
{
  NigranCamera *camera = camera_id != NULL ? g_hash_table_lookup (self->cameras, camera_id) : NULL;

  if (camera == NULL)
    return FALSE;
  project (self, nigran_camera_get_latitude (camera), nigran_camera_get_longitude (camera), x, y);
  return TRUE;
}

static void
draw_arrow (cairo_t *cr,
            double   from_x,
            double   from_y,
            double   to_x,
            double   to_y)
{
  double angle = atan2 (to_y - from_y, to_x - from_x);
  double x = (from_x + to_x) / 2, y = (from_y + to_y) / 2;

  if (hypot (to_x - from_x, to_y - from_y) < 24)
    return;
  cairo_move_to (cr, x + 9 * cos (angle), y + 9 * sin (angle));
  cairo_line_to (cr, x + 9 * cos (angle + 2.5), y + 9 * sin (angle + 2.5));
  cairo_line_to (cr, x + 9 * cos (angle - 2.5), y + 9 * sin (angle - 2.5));
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_track (NigranMapOverlay *self,
            cairo_t          *cr)
{
  double previous_x = 0, previous_y = 0;
  gboolean have_previous = FALSE;
  guint n = nigran_track_get_n_sightings (self->track);

  cairo_set_source_rgb (cr, TRACK_COLOUR.red, TRACK_COLOUR.green, TRACK_COLOUR.blue);
  cairo_set_line_width (cr, 4);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      if (!camera_position (self, nigran_track_get_sighting (self->track, i)->camera_id, &x, &y))
        continue;
      if (have_previous)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      have_previous = TRUE;
    }
  cairo_stroke (cr);

  have_previous = FALSE;
  for (guint i = 0; i < n; i++)
    {
      const NigranTrackSighting *sighting = nigran_track_get_sighting (self->track, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (sighting->time_us / G_USEC_PER_SEC);
      g_autofree char *label = g_date_time_format (time, "%H:%M");
      double x, y;

      if (!camera_position (self, sighting->camera_id, &x, &y))
        continue;
      cairo_set_source_rgb (cr, TRACK_COLOUR.red, TRACK_COLOUR.green, TRACK_COLOUR.blue);
      if (have_previous)
        draw_arrow (cr, previous_x, previous_y, x, y);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, i + 1 == n ? 9 : 6, 0, 2 * G_PI);
      cairo_fill (cr);
      draw_label (cr, GTK_WIDGET (self), x + 24, y + 14, label, 1);
      previous_x = x;
      previous_y = y;
      have_previous = TRUE;
    }
}

static void
draw_handoffs (NigranMapOverlay *self,
               cairo_t          *cr)
{
  static const double dashes[] = { 5, 4 };
  const NigranTrackSighting *last = self->track != NULL ? nigran_track_get_last_sighting (self->track) : NULL;

  for (guint i = 0; i < self->handoffs->len; i++)
    {
      const NigranHandoff *handoff = self->handoffs->pdata[i];
      gint64 from_us = last != NULL ? last->last_time_us : handoff->earliest_us;
      g_autofree char *window = NULL;
      double x, y;

      if (!camera_position (self, handoff->camera_id, &x, &y))
        continue;
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, 15, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, TRACK_COLOUR.red, TRACK_COLOUR.green, TRACK_COLOUR.blue);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      /* TRANSLATORS: when a subject can reach a camera, in minutes after its last sighting */
      window = g_strdup_printf (_("+%d–%d min"),
                                (int) ((handoff->earliest_us - from_us) / G_TIME_SPAN_MINUTE),
                                (int) ceil ((handoff->latest_us - from_us) / (double) G_TIME_SPAN_MINUTE));
      draw_label (cr, GTK_WIDGET (self), x, y - 26, window, 1);
    }
}

static void
draw_base (NigranMapOverlay *self,
           cairo_t          *cr,
           const Bounds     *bounds,
           double            zoom)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      const Layer *layer = &g_array_index (self->layers, Layer, i);

      if (layer->style == NIGRAN_MAP_LAYER_ROADS)
        draw_roads (self, cr, layer->layer, bounds, zoom);
      else
        draw_areas (self, cr, layer->layer, layer->style, bounds, zoom);
    }
  if (self->site_file != NULL)
    {
      draw_zones (self, cr);
      draw_sites (self, cr, zoom);
    }
}

static void
forget_cameras (NigranMapOverlay *self)
{
  g_clear_pointer (&self->ground.picture, gsk_render_node_unref);
}

static void
forget_ground (NigranMapOverlay *self)
{
  forget_cameras (self);
  g_clear_pointer (&self->ground.beneath, cairo_surface_destroy);
}

static void
redraw_ground (gpointer user_data)
{
  NigranMapOverlay *self = user_data;

  self->redraw_ground_id = 0;
  forget_ground (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static cairo_t *
create_ground_context (NigranMapOverlay *self,
                       cairo_surface_t  *surface)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, scale, scale);
  cairo_translate (cr, self->ground.width / 2.0, self->ground.height / 2.0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  return cr;
}

/* Appends the ground, moved to where the map now is; redraws what changed first:
 * all of it when the zoom or size changed or the map panned beyond it, the cameras
 * alone when one's status changed. */
static void
append_ground (NigranMapOverlay *self,
               GtkSnapshot      *snapshot,
               double            zoom)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  Ground *ground = &self->ground;
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  graphene_rect_t area = GRAPHENE_RECT_INIT (-width / 2.0, -height / 2.0, 2.0 * width, 2.0 * height);
  double offset_x = 0, offset_y = 0;
  Bounds bounds;

  if (ground->beneath != NULL)
    project (self, ground->anchor_latitude, ground->anchor_longitude, &offset_x, &offset_y);
  if (ground->picture != NULL && ground->zoom != zoom && fabs (zoom - ground->zoom) <= 1 &&
      ground->width == width && ground->height == height)
    {
      /* Zooming: the ground is stretched while the zoom moves, and drawn anew once
       * it rests, rather than redrawn on every frame of the animation. */
      double factor = exp2 (zoom - ground->zoom);

      g_clear_handle_id (&self->redraw_ground_id, g_source_remove);
      self->redraw_ground_id = g_timeout_add_once (REDRAW_AFTER_ZOOM_MS, redraw_ground, self);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (offset_x, offset_y));
      gtk_snapshot_scale (snapshot, factor, factor);
      gtk_snapshot_append_node (snapshot, ground->picture);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
      return;
    }
  if (ground->beneath == NULL || ground->zoom != zoom || ground->width != width || ground->height != height ||
      fabs (offset_x) > width / 2.0 || fabs (offset_y) > height / 2.0)
    {
      cairo_t *cr;

      forget_ground (self);
      ground->zoom = zoom;
      ground->width = width;
      ground->height = height;
      shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self), 0, 0,
                                                  &ground->anchor_latitude, &ground->anchor_longitude);
      offset_x = offset_y = 0;
      ground->beneath = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * width * scale, 2 * height * scale);
      bounds = visible_bounds (self, &area);
      cr = create_ground_context (self, ground->beneath);
      draw_base (self, cr, &bounds, zoom);
      cairo_destroy (cr);
    }
  if (ground->picture == NULL)
    {
      GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (self)));
      graphene_rect_t bounds_in_widget = GRAPHENE_RECT_INIT (-width / 2.0, -height / 2.0, 2.0 * width, 2.0 * height);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * width * scale, 2 * height * scale);
      cairo_t *cr = cairo_create (surface);

      /* The cameras are drawn where they were when the ground was. */
      cairo_set_source_surface (cr, ground->beneath, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
      cr = create_ground_context (self, surface);
      area = GRAPHENE_RECT_INIT (offset_x - width / 2.0, offset_y - height / 2.0, 2.0 * width, 2.0 * height);
      bounds = visible_bounds (self, &area);
      cairo_translate (cr, -offset_x, -offset_y);
      draw_cameras (self, cr, &bounds);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      if (GSK_IS_CAIRO_RENDERER (renderer))
        {
          GtkSnapshot *recorder = gtk_snapshot_new ();

          cr = gtk_snapshot_append_cairo (recorder, &bounds_in_widget);
          cairo_translate (cr, -width / 2.0, -height / 2.0);
          cairo_scale (cr, 1.0 / scale, 1.0 / scale);
          cairo_set_source_surface (cr, surface, 0, 0);
          cairo_paint (cr);
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          ground->picture = gtk_snapshot_free_to_node (recorder);
        }
      else
        {
          g_autoptr(GBytes) pixels = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                                                 (gsize) cairo_image_surface_get_stride (surface) * 2 * height * scale,
                                                                 (GDestroyNotify) cairo_surface_destroy, surface);
          g_autoptr(GdkTexture) texture = gdk_memory_texture_new (2 * width * scale, 2 * height * scale,
                                                                  GDK_MEMORY_DEFAULT, pixels,
                                                                  cairo_image_surface_get_stride (surface));

          ground->picture = gsk_texture_node_new (texture, &bounds_in_widget);
        }
    }
  /* Clipped to the view, so that only what shows is sent to the display server. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (offset_x, offset_y));
  gtk_snapshot_append_node (snapshot, ground->picture);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
take_in_rect (const graphene_rect_t *around,
              gboolean              *any,
              graphene_rect_t       *extent)
{
  if (*any)
    graphene_rect_union (extent, around, extent);
  else
    *extent = *around;
  *any = TRUE;
}

/* Widens @extent to take in a camera's marks and labels. */
static void
take_in_camera (NigranMapOverlay *self,
                const char       *camera_id,
                gboolean         *any,
                graphene_rect_t  *extent)
{
  graphene_rect_t around;
  double x, y;

  if (!camera_position (self, camera_id, &x, &y))
    return;
  /* Labels reach about 60 pixels from the camera: a time, "+12–140 min", a pin. */
  around = GRAPHENE_RECT_INIT (x - 70, y - 50, 140, 80);
  take_in_rect (&around, any, extent);
}

/* Where the track and the next cameras are drawn, if anywhere on the view: drawing
 * only there, and not over the whole map on every frame, keeps panning fast. */
static gboolean
track_extent (NigranMapOverlay *self,
              int               width,
              int               height,
              graphene_rect_t  *extent)
{
  gboolean any = FALSE;

  for (guint i = 0; self->track != NULL && i < nigran_track_get_n_sightings (self->track); i++)
    take_in_camera (self, nigran_track_get_sighting (self->track, i)->camera_id, &any, extent);
  for (guint i = 0; i < self->handoffs->len; i++)
    take_in_camera (self, ((NigranHandoff *) self->handoffs->pdata[i])->camera_id, &any, extent);
  return any && graphene_rect_intersection (extent, &GRAPHENE_RECT_INIT (0, 0, width, height), extent);
}

static gboolean
alerts_extent (NigranMapOverlay *self,
               int               width,
               int               height,
               graphene_rect_t  *extent)
{
  gboolean any = FALSE;

  for (guint i = 0; self->open_alerts != NULL && i < g_list_model_get_n_items (self->open_alerts); i++)
    {
      g_autoptr(NigranAlert) alert = g_list_model_get_item (self->open_alerts, i);

      take_in_camera (self, nigran_alert_get_camera_id (alert), &any, extent);
    }
  return any && graphene_rect_intersection (extent, &GRAPHENE_RECT_INIT (0, 0, width, height), extent);
}

/* Widens @extent to take in a unit's or an incident's mark and label. */
static void
take_in_point (NigranMapOverlay *self,
               double            latitude,
               double            longitude,
               gboolean         *any,
               graphene_rect_t  *extent)
{
  graphene_rect_t around;
  double x, y;

  project (self, latitude, longitude, &x, &y);
  around = GRAPHENE_RECT_INIT (x - 40, y - 36, 80, 66);
  take_in_rect (&around, any, extent);
}

static gboolean
dispatch_extent (NigranMapOverlay *self,
                 int               width,
                 int               height,
                 graphene_rect_t  *extent)
{
  gboolean any = FALSE;

  for (guint i = 0; self->units != NULL && i < g_list_model_get_n_items (self->units); i++)
    {
      g_autoptr(NigranUnit) unit = g_list_model_get_item (self->units, i);

      if (nigran_unit_get_status (unit) != NIGRAN_UNIT_OFF_DUTY)
        take_in_point (self, nigran_unit_get_latitude (unit), nigran_unit_get_longitude (unit), &any, extent);
    }
  for (guint i = 0; self->incidents != NULL && i < g_list_model_get_n_items (self->incidents); i++)
    {
      g_autoptr(NigranIncident) incident = g_list_model_get_item (self->incidents, i);

      if (incident_open (incident))
        take_in_point (self, nigran_incident_get_latitude (incident), nigran_incident_get_longitude (incident),
                       &any, extent);
    }
  return any && graphene_rect_intersection (extent, &GRAPHENE_RECT_INIT (0, 0, width, height), extent);
}

static void
nigran_map_overlay_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  NigranMapOverlay *self = NIGRAN_MAP_OVERLAY (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double zoom = shumate_viewport_get_zoom_level (shumate_layer_get_viewport (SHUMATE_LAYER (self)));
  graphene_rect_t extent;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  append_ground (self, snapshot, zoom);
  if (self->site_file == NULL)
    return;
  if (track_extent (self, width, height, &extent))
    {
      cr = gtk_snapshot_append_cairo (snapshot, &extent);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      if (self->track != NULL)
        draw_track (self, cr);
      draw_handoffs (self, cr);
      cairo_destroy (cr);
    }
  if (alerts_extent (self, width, height, &extent))
    {
      cr = gtk_snapshot_append_cairo (snapshot, &extent);
      draw_open_alerts (self, cr);
      cairo_destroy (cr);
    }
  if (dispatch_extent (self, width, height, &extent))
    {
      cr = gtk_snapshot_append_cairo (snapshot, &extent);
      draw_incidents (self, cr);
      draw_units (self, cr);
      cairo_destroy (cr);
    }
}

static void
clear_layer (gpointer data)
{
  g_object_unref (((Layer *) data)->layer);
}

static void
nigran_map_overlay_dispose (GObject *object)
{
  NigranMapOverlay *self = NIGRAN_MAP_OVERLAY (object);

  if (self->open_alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->open_alerts, self);
  g_clear_object (&self->open_alerts);
  nigran_map_overlay_set_dispatch (self, NULL, NULL);
  g_clear_object (&self->site_file);
  g_clear_object (&self->track);
  g_clear_pointer (&self->cameras, g_hash_table_unref);
  g_clear_pointer (&self->layers, g_array_unref);
  g_clear_pointer (&self->handoffs, g_ptr_array_unref);
  forget_ground (self);
  g_clear_handle_id (&self->redraw_ground_id, g_source_remove);
  G_OBJECT_CLASS (nigran_map_overlay_parent_class)->dispose (object);
}

static void
nigran_map_overlay_class_init (NigranMapOverlayClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nigran_map_overlay_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = nigran_map_overlay_snapshot;
}

static void
nigran_map_overlay_init (NigranMapOverlay *self)
{
  self->cameras = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->layers = g_array_new (FALSE, FALSE, sizeof (Layer));
  g_array_set_clear_func (self->layers, clear_layer);
  self->handoffs = g_ptr_array_new ();
}

NigranMapOverlay *
nigran_map_overlay_new (ShumateViewport *viewport)
{
  NigranMapOverlay *self = g_object_new (NIGRAN_TYPE_MAP_OVERLAY, "viewport", viewport, NULL);

  g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  return self;
}

static void
on_camera_status (NigranMapOverlay *self)
{
  forget_cameras (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nigran_map_overlay_set_site_file (NigranMapOverlay *self,
                                  NigranSiteFile   *site_file)
{
  GListModel *cameras;

  g_return_if_fail (NIGRAN_IS_MAP_OVERLAY (self));
  g_set_object (&self->site_file, site_file);
  g_hash_table_remove_all (self->cameras);
  cameras = nigran_site_file_get_cameras (site_file);
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      NigranCamera *camera = g_list_model_get_item (cameras, i);

      g_hash_table_insert (self->cameras, (gpointer) nigran_camera_get_id (camera), camera);
      g_signal_connect_object (camera, "notify::status", G_CALLBACK (on_camera_status), self, G_CONNECT_SWAPPED);
    }
  forget_ground (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nigran_map_overlay_add_layer (NigranMapOverlay    *self,
                              NigranGeoLayer      *layer,
                              NigranMapLayerStyle  style)
{
  Layer added = { g_object_ref (layer), style };

  g_return_if_fail (NIGRAN_IS_MAP_OVERLAY (self));
  g_array_append_val (self->layers, added);
  forget_ground (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* @alerts: the alert queue's open alerts; each is pinned at its camera */
void
nigran_map_overlay_set_open_alerts (NigranMapOverlay *self,
                                    GListModel       *alerts)
{
  g_return_if_fail (NIGRAN_IS_MAP_OVERLAY (self));
  if (self->open_alerts != NULL)
    g_signal_handlers_disconnect_by_data (self->open_alerts, self);
  g_set_object (&self->open_alerts, alerts);
  if (alerts != NULL)
    g_signal_connect_swapped (alerts, "items-changed", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nigran_map_overlay_set_track (NigranMapOverlay *self,
                              NigranTrack      *track)
{
  g_return_if_fail (NIGRAN_IS_MAP_OVERLAY (self));
  g_set_object (&self->track, track);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* @handoffs: (nullable) (element-type NigranHandoff): the cameras to highlight */
void
nigran_map_overlay_set_handoffs (NigranMapOverlay *self,
                                 GPtrArray        *handoffs)
{
  g_return_if_fail (NIGRAN_IS_MAP_OVERLAY (self));
  g_clear_pointer (&self->handoffs, g_ptr_array_unref);
  self->handoffs = handoffs != NULL ? g_ptr_array_ref (handoffs) : g_ptr_array_new ();
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
watch_model (NigranMapOverlay  *self,
             GListModel       **watched,
             GListModel        *model)
{
  for (guint i = 0; *watched != NULL && i < g_list_model_get_n_items (*watched); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (*watched, i);

      g_signal_handlers_disconnect_by_data (item, self);
    }
  if (*watched != NULL)
    g_signal_handlers_disconnect_by_data (*watched, self);
  g_set_object (watched, model);
  if (model == NULL)
    return;
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (gtk_widget_queue_draw), self);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_signal_connect_swapped (item, "notify", G_CALLBACK (gtk_widget_queue_draw), self);
    }
}

/**
 * nigran_map_overlay_set_dispatch:
 * @units: (nullable): the unit board; each unit on duty is drawn at its position
 * @incidents: (nullable): the incidents; the open ones are drawn
 */
void
nigran_map_overlay_set_dispatch (NigranMapOverlay *self,
                                 GListModel       *units,
                                 GListModel       *incidents)
{
  g_return_if_fail (NIGRAN_IS_MAP_OVERLAY (self));
  watch_model (self, &self->units, units);
  watch_model (self, &self->incidents, incidents);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: (transfer none) (nullable): the camera drawn nearest to (@x, @y), if near enough to point at */
NigranCamera *
nigran_map_overlay_camera_at (NigranMapOverlay *self,
                              double            x,
                              double            y)
{
  GHashTableIter iter;
  gpointer value;
  NigranCamera *nearest = NULL;
  double nearest_distance = CAMERA_HIT_RADIUS;

  g_return_val_if_fail (NIGRAN_IS_MAP_OVERLAY (self), NULL);
  g_hash_table_iter_init (&iter, self->cameras);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      double camera_x, camera_y, distance;

      project (self, nigran_camera_get_latitude (value), nigran_camera_get_longitude (value), &camera_x, &camera_y);
      distance = hypot (camera_x - x, camera_y - y);
      if (distance < nearest_distance)
        {
          nearest_distance = distance;
          nearest = value;
        }
    }
  return nearest;
}
