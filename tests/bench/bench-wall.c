/* bench-wall.c: how many live tiles the wall sustains on this machine
 *
 * For 16, 25, 36, 49 and 64 tiles of the simulator's 640×360, 25 fps sub streams,
 * measures in one run: frames drawn per second over all tiles and the share of the
 * source's frames that this is, frames dropped before drawing, main-thread stalls
 * (p99, max) and how long the frame clock's paint took (p50, p99), CPU (cores) and
 * RSS of the console, and frame age (capture → paintable,
 * p50/p95). Then the same streams without the GUI (decode and scale to the same tile
 * size into a fakesink) give the ceiling. One line per size, and last
 * "presented/ceiling at 36 tiles: R".
 *
 * NIGRAN_BENCH_MTU sets the simulator's RTP packet size and NIGRAN_BENCH_BATCH_MS the
 * paintables' batch interval, for comparing them in one place.
 *
 * Targets on a 2-core machine without a GPU: at 36 tiles ≥ 98 % presented, R ≥ 0.9,
 * stall p99 < 20 ms, frame age p95 ≤ 50 ms; the largest wall at ≥ 98 % reaches 48.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "camsim-process.h"
#include "test-utils.h"
#include "gui/nigran-application.h"
#include "gui/nigran-tile.h"
#include "media/nigran-camsim.h"

#define SOURCE_FPS   25
#define WARMUP_US    (4 * G_USEC_PER_SEC)
#define MEASURE_US   (10 * G_USEC_PER_SEC)
#define TICK_MS      5
#define WINDOW_W     1920
#define WINDOW_H     1080

static const guint default_sizes[] = { 16, 25, 36, 49, 64 };

typedef struct
{
  GArray *ages;        /* gint64 µs */
  GArray *stalls;      /* gint64 µs */
  GArray *paints;      /* gint64 µs: the frame clock's paint phase, which is most of a stall */
  gint64  paint_start_us;
  gint64  last_tick_us;
  gboolean measuring;
} Measures;

/* As the wall does: captions and the stale look follow each tile's state. */
static gboolean
refresh_tile_status (gpointer data)
{
  GPtrArray *tiles = data;

  for (guint i = 0; i < tiles->len; i++)
    nigran_tile_update_status (tiles->pdata[i]);
  return G_SOURCE_CONTINUE;
}

static void
on_before_paint (GdkFrameClock *frame_clock,
                 Measures      *measures)
{
  measures->paint_start_us = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                Measures      *measures)
{
  gint64 duration = g_get_monotonic_time () - measures->paint_start_us;

  if (measures->measuring)
    g_array_append_val (measures->paints, duration);
}

static gboolean
on_tick (gpointer data)
{
  Measures *measures = data;
  gint64 now = g_get_monotonic_time ();

  if (measures->measuring && measures->last_tick_us != 0)
    {
      gint64 late = MAX (0, now - measures->last_tick_us - TICK_MS * 1000);
      g_array_append_val (measures->stalls, late);
    }
  measures->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static void
on_presented (gint64   age_us,
              gpointer data)
{
  Measures *measures = data;

  if (measures->measuring && age_us >= 0)
    g_array_append_val (measures->ages, age_us);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return atof (line + strlen ("VmRSS:")) / 1024.0;
}

static NigranCamera *
camera_for (CamsimProcess *camsim,
            guint          index)
{
  g_autofree char *id = g_strdup_printf ("sim-%02u", index + 1);
  g_auto(GStrv) uris = g_strsplit (g_hash_table_lookup (camsim_process_get_uris (camsim), id), " ", 2);

  return g_object_new (NIGRAN_TYPE_CAMERA, "id", id, "name", id, "site-id", "bench",
                       "main-uri", uris[0], "sub-uri", uris[1], NULL);
}

/* Decoding and scaling alone, into fakesinks: what the wall could at best present. */
static double
measure_ceiling (CamsimProcess *camsim,
                 NigranClock   *clock,
                 guint          n_tiles,
                 int            tile_width,
                 int            tile_height,
                 double        *cpu_cores)
{
  double cpu_before;
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 before = 0, after = 0;
  double seconds;
  gint64 start;

  for (guint i = 0; i < n_tiles; i++)
    {
      g_autoptr(NigranCamera) camera = camera_for (camsim, i);
      NigranCameraStream *stream = nigran_camera_stream_new (camera, NIGRAN_STREAM_SUB, clock, NULL);

      nigran_camera_stream_set_size (stream, tile_width, tile_height);
      nigran_camera_stream_start (stream);
      g_ptr_array_add (streams, stream);
    }

  test_iterate_for (WARMUP_US);
  for (guint i = 0; i < n_tiles; i++)
    before += nigran_camera_stream_get_n_frames (streams->pdata[i]);
  cpu_before = cpu_seconds ();
  start = g_get_monotonic_time ();
  test_iterate_for (MEASURE_US);
  for (guint i = 0; i < n_tiles; i++)
    after += nigran_camera_stream_get_n_frames (streams->pdata[i]);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  *cpu_cores = (cpu_seconds () - cpu_before) / seconds;

  for (guint i = 0; i < n_tiles; i++)
    nigran_camera_stream_stop (streams->pdata[i]);
  test_iterate_for (G_USEC_PER_SEC);

  return (after - before) / seconds;
}

static double
measure_wall (CamsimProcess *camsim,
              NigranClock   *clock,
              guint          n_tiles,
              int           *tile_width,
              int           *tile_height)
{
  guint columns = (guint)ceil (sqrt (n_tiles));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *grid = gtk_grid_new ();
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();
  Measures measures = { g_array_new (FALSE, FALSE, sizeof (gint64)), g_array_new (FALSE, FALSE, sizeof (gint64)),
                        g_array_new (FALSE, FALSE, sizeof (gint64)) };
  GdkFrameClock *frame_clock;
  guint64 drawn_before = 0, drawn_after = 0, dropped_before = 0, dropped_after = 0;
  double cpu_before, seconds, presented_fps, expected_fps;
  gint64 start;
  guint tick_id, status_id;

  /* Drawn like the console's wall: no window background, a dark wall, bare tiles. */
  gtk_widget_add_css_class (window, "nigran-main");
  gtk_widget_add_css_class (grid, "video-wall");
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_W, WINDOW_H);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), grid);

  for (guint i = 0; i < n_tiles; i++)
    {
      g_autoptr(NigranCamera) camera = camera_for (camsim, i);
      NigranTile *tile = nigran_tile_new (clock);

      gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (tile), i % columns, i / columns, 1, 1);
      nigran_tile_set_camera (tile, camera);
      nigran_tile_set_active (tile, TRUE);
      nigran_video_paintable_set_presented_func (nigran_tile_get_paintable (tile), on_presented, &measures);
      g_ptr_array_add (tiles, tile);
    }
  gtk_window_present (GTK_WINDOW (window));
  frame_clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (frame_clock, "before-paint", G_CALLBACK (on_before_paint), &measures);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), &measures);
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, &measures, NULL);
  status_id = g_timeout_add (250, refresh_tile_status, tiles);

  test_iterate_for (WARMUP_US);
  *tile_width = gtk_widget_get_width (g_ptr_array_index (tiles, 0));
  *tile_height = gtk_widget_get_height (g_ptr_array_index (tiles, 0));

  for (guint i = 0; i < n_tiles; i++)
    {
      NigranVideoPaintable *paintable = nigran_tile_get_paintable (tiles->pdata[i]);
      drawn_before += nigran_video_paintable_get_n_drawn (paintable);
      dropped_before += nigran_video_paintable_get_n_dropped (paintable);
    }
  cpu_before = cpu_seconds ();
  start = g_get_monotonic_time ();
  measures.measuring = TRUE;
  test_iterate_for (MEASURE_US);
  measures.measuring = FALSE;
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  for (guint i = 0; i < n_tiles; i++)
    {
      NigranVideoPaintable *paintable = nigran_tile_get_paintable (tiles->pdata[i]);
      drawn_after += nigran_video_paintable_get_n_drawn (paintable);
      dropped_after += nigran_video_paintable_get_n_dropped (paintable);
    }

  presented_fps = (drawn_after - drawn_before) / seconds;
  expected_fps = (double)n_tiles * SOURCE_FPS;
  g_print ("tiles=%2u tile=%dx%d presented=%.1f/s (%.1f %% of source) dropped=%" G_GUINT64_FORMAT
           " paints=%.1f/s stall_p99=%.1fms stall_max=%.1fms paint_p50=%.1fms paint_p99=%.1fms cpu=%.2f cores rss=%.0fMiB"
           " age_p50=%.1fms age_p95=%.1fms",
           n_tiles, *tile_width, *tile_height, presented_fps, 100 * presented_fps / expected_fps,
           dropped_after - dropped_before, measures.paints->len / seconds,
           test_percentile_ms (measures.stalls, 0.99), test_percentile_ms (measures.stalls, 1.0),
           test_percentile_ms (measures.paints, 0.50), test_percentile_ms (measures.paints, 0.99),
           (cpu_seconds () - cpu_before) / seconds, rss_mib (),
           test_percentile_ms (measures.ages, 0.50), test_percentile_ms (measures.ages, 0.95));

  g_source_remove (tick_id);
  g_source_remove (status_id);
  for (guint i = 0; i < n_tiles; i++)
    nigran_tile_set_camera (tiles->pdata[i], NULL);
  g_signal_handlers_disconnect_by_data (frame_clock, &measures);
  gtk_window_destroy (GTK_WINDOW (window));
  test_iterate_for (G_USEC_PER_SEC);
  g_array_unref (measures.ages);
  g_array_unref (measures.stalls);
  g_array_unref (measures.paints);
  return presented_fps;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *mtu_arg = g_getenv ("NIGRAN_BENCH_MTU")
                           ? g_strdup_printf ("--mtu=%s", g_getenv ("NIGRAN_BENCH_MTU"))
                           : g_strdup_printf ("--mtu=%d", NIGRAN_CAMSIM_DEFAULT_MTU);
  /* The simulator stands in for cameras elsewhere on the network: on this machine it
   * takes the CPU only when the console does not want it, but it still shares the
   * two cores with the decoders. */
  const char *args[] = { "--count=64", "--idle-priority", mtu_arg, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CamsimProcess) camsim = NULL;
  g_autoptr(NigranClock) clock = NULL;
  double ratio_36 = -1;
  guint sizes[G_N_ELEMENTS (default_sizes)];
  guint n_sizes = 0;
  guint largest_at_98 = 0;

  gst_init (&argc, &argv);
  nigran_application_choose_renderer ();
  if (!gtk_init_check ())
    {
      g_printerr ("bench-wall: no display; run it under Xvfb (make bench does)\n");
      return 1;
    }

  camsim = camsim_process_start (args, 0, &error);
  if (camsim == NULL)
    {
      g_printerr ("bench-wall: %s\n", error->message);
      return 1;
    }
  clock = nigran_clock_new_system ();
  if (g_getenv ("NIGRAN_BENCH_BATCH_MS") != NULL)
    nigran_video_paintable_set_batch_interval (atoi (g_getenv ("NIGRAN_BENCH_BATCH_MS")) * 1000);
  nigran_application_install_style ();
  g_print ("# %u cores; GSK renderer %s, %s frames; source 640x360 at %d fps per tile; simulator %s\n",
           g_get_num_processors (), g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "gl (default)",
           nigran_video_paintable_get_frame_format (), SOURCE_FPS, mtu_arg);

  /* Sizes may be named on the command line, for profiling one of them. */
  for (int arg = 1; arg < argc && n_sizes < G_N_ELEMENTS (sizes); arg++)
    sizes[n_sizes++] = CLAMP (atoi (argv[arg]), 1, 64);
  if (n_sizes == 0)
    for (n_sizes = 0; n_sizes < G_N_ELEMENTS (default_sizes); n_sizes++)
      sizes[n_sizes] = default_sizes[n_sizes];

  for (guint i = 0; i < n_sizes; i++)
    {
      int tile_width = 0, tile_height = 0;
      double presented = measure_wall (camsim, clock, sizes[i], &tile_width, &tile_height);
      double ceiling_cpu;
      double ceiling = measure_ceiling (camsim, clock, sizes[i], tile_width, tile_height, &ceiling_cpu);

      g_print (" ceiling=%.1f/s (cpu=%.2f cores) ratio=%.3f\n", ceiling, ceiling_cpu, presented / ceiling);
      if (sizes[i] == 36)
        ratio_36 = presented / ceiling;
      if (presented >= 0.98 * sizes[i] * SOURCE_FPS)
        largest_at_98 = sizes[i];
    }

  g_print ("largest wall presenting >= 98 %% of frames: %u tiles\n", largest_at_98);
  g_print ("presented/ceiling at 36 tiles: %.3f\n", ratio_36);
  return 0;
}
