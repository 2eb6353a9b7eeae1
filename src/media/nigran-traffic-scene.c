/* nigran-traffic-scene.c: a drawn street whose cars carry Karachi-style number plates
 *
 * The demo's number-plate camera shows this scene, so that `make demo` reads plates
 * and raises a hotlist hit without any footage from outside. Seen from a gantry
 * behind the traffic, one car at a time crosses the picture, its rear plate black
 * on white as Sindh's are, each car in view for about three seconds: long enough
 * for several analysed frames to agree on its plate. The plates cover the formats a
 * Karachi camera meets, and one fancy plate that fits none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "nigran-traffic-scene.h"

/* Drawn in these units, then scaled to the stream's size. */
#define SCENE_WIDTH    1280.0
#define SCENE_HEIGHT   720.0
#define SECONDS_PER_CAR 3.6
#define CAR_WIDTH      560.0
#define CAR_HEIGHT     330.0

static const char * const plates[] = {
  "BKR-417",     /* Sindh, three letters */
  "AC-4903",     /* Sindh, two letters: on the demo's stolen-vehicles hotlist */
  "LEB-6466",    /* Punjab */
  "IDA-1234",    /* Islamabad */
  "CD-45-12",    /* a consulate's car */
  "BOSS-1",      /* a fancy plate */
  NULL,
};

static const double body_colours[][3] = {
  { 0.75, 0.11, 0.16 }, { 0.85, 0.85, 0.87 }, { 0.11, 0.44, 0.85 },
  { 0.20, 0.20, 0.22 }, { 0.90, 0.90, 0.92 }, { 0.15, 0.15, 0.15 },
};

guint
nigran_traffic_scene_get_n_frames (int fps)
{
  return (guint)lround (SECONDS_PER_CAR * (G_N_ELEMENTS (plates) - 1) * fps);
}

const char * const *
nigran_traffic_scene_get_plates (void)
{
  return plates;
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_street (cairo_t *cr)
{
  /* Asphalt, a kerb and a wall beyond it. */
  cairo_set_source_rgb (cr, 0.55, 0.52, 0.46);
  cairo_rectangle (cr, 0, 0, SCENE_WIDTH, 150);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.70, 0.70, 0.68);
  cairo_rectangle (cr, 0, 150, SCENE_WIDTH, 30);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.30, 0.31, 0.33);
  cairo_rectangle (cr, 0, 180, SCENE_WIDTH, SCENE_HEIGHT - 180);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.92, 0.92, 0.88);
  for (double x = 20; x < SCENE_WIDTH; x += 160)
    {
      cairo_rectangle (cr, x, 640, 90, 10);
      cairo_fill (cr);
    }
}

static void
draw_plate (cairo_t    *cr,
            double      x,
            double      y,
            const char *text)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans Bold 34");
  PangoRectangle ink;

  cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
  rounded_rectangle (cr, x, y, 300, 80, 6);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
  cairo_set_line_width (cr, 4);
  cairo_stroke (cr);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  cairo_move_to (cr, x + (300 - ink.width) / 2.0 - ink.x, y + (80 - ink.height) / 2.0 - ink.y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_car (cairo_t      *cr,
          double        x,
          double        y,
          const double *colour,
          const char   *plate)
{
  /* Shadow, body, rear window, tail lights, bumper, plate. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  rounded_rectangle (cr, x + 10, y + CAR_HEIGHT - 20, CAR_WIDTH - 20, 40, 20);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, colour[0], colour[1], colour[2]);
  rounded_rectangle (cr, x, y + 90, CAR_WIDTH, CAR_HEIGHT - 90, 40);
  cairo_fill (cr);
  rounded_rectangle (cr, x + 70, y, CAR_WIDTH - 140, 130, 50);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.12, 0.16, 0.20);
  rounded_rectangle (cr, x + 100, y + 25, CAR_WIDTH - 200, 85, 20);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.85, 0.05, 0.05);
  rounded_rectangle (cr, x + 20, y + 130, 90, 45, 10);
  cairo_fill (cr);
  rounded_rectangle (cr, x + CAR_WIDTH - 110, y + 130, 90, 45, 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.10, 0.10, 0.10);
  rounded_rectangle (cr, x + 10, y + CAR_HEIGHT - 60, CAR_WIDTH - 20, 45, 12);
  cairo_fill (cr);
  draw_plate (cr, x + (CAR_WIDTH - 300) / 2, y + 170, plate);
}

/* Draws the scene at @seconds into its loop, filling @width × @height. */
void
nigran_traffic_scene_draw (cairo_t *cr,
                           int      width,
                           int      height,
                           double   seconds)
{
  guint n_cars = G_N_ELEMENTS (plates) - 1;
  double loop = SECONDS_PER_CAR * n_cars;
  double t = fmod (seconds, loop);
  guint car = (guint)(t / SECONDS_PER_CAR) % n_cars;
  double progress = (t - car * SECONDS_PER_CAR) / SECONDS_PER_CAR;
  double x = -CAR_WIDTH + progress * (SCENE_WIDTH + CAR_WIDTH);

  cairo_save (cr);
  cairo_scale (cr, width / SCENE_WIDTH, height / SCENE_HEIGHT);
  draw_street (cr);
  draw_car (cr, x, 300, body_colours[car % G_N_ELEMENTS (body_colours)], plates[car]);
  cairo_restore (cr);
}
