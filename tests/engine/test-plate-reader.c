/* test-plate-reader.c: Tesseract's reading of real Pakistani plates
 *
 * Needs Tesseract's English data (a Debian package, tesseract-ocr-eng) and
 * ../shared/data/plates; skips, saying why, without them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "core/nigran-csv.h"
#include "engine/nigran-plate-reader.h"

static NigranPlateReader *
reader_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  NigranPlateReader *reader = nigran_plate_reader_new (NULL, &error);

  if (reader == NULL)
    g_test_skip (error->message);
  return reader;
}

static gboolean
read_file (NigranPlateReader  *reader,
           const char         *path,
           NigranPlateReading *reading)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) loaded = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_apply_embedded_orientation (loaded);
  g_assert_true (nigran_plate_reader_read (reader, gdk_pixbuf_get_has_alpha (pixbuf) ? NIGRAN_PIXEL_FORMAT_RGBA
                                                                                     : NIGRAN_PIXEL_FORMAT_RGB,
                                           gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_width (pixbuf),
                                           gdk_pixbuf_get_height (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
                                           reading, &error));
  g_assert_no_error (error);
  return TRUE;
}

/* The legible crops: the normalised registration read exactly. */
static void
test_pakistani_crops (void)
{
  g_autofree char *folder = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "plates", "pakistan", NULL);
  g_autofree char *labels = g_build_filename (folder, "labels.csv", NULL);
  g_autoptr(NigranPlateReader) reader = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0, n_right = 0, n_standard = 0;
  gint64 started;

  if (!g_file_get_contents (labels, &contents, NULL, NULL))
    {
      g_test_skip ("../shared/data/plates is absent");
      return;
    }
  if ((reader = reader_or_skip ()) == NULL)
    return;
  lines = g_strsplit (contents, "\n", -1);
  started = g_get_monotonic_time ();
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = nigran_csv_split_record (lines[i]);
      g_autofree char *path = NULL;
      NigranPlateReading reading;

      if (fields == NULL || fields->len < 6 || !g_str_equal (fields->pdata[2], "crop") ||
          *(char *)fields->pdata[4] == '\0' || strchr (fields->pdata[3], '?') != NULL)
        continue;
      path = g_build_filename (folder, fields->pdata[0], NULL);
      read_file (reader, path, &reading);
      n++;
      n_standard += reading.standard;
      if (g_str_equal (reading.plate.registration, fields->pdata[4]))
        n_right++;
      else
        g_test_message ("%s: %s read as “%s”", (char *)fields->pdata[0], (char *)fields->pdata[4], reading.text);
    }
  g_test_message ("%u of %u read exactly (%.0f %%), %u fit a grammar; %.0f ms a plate", n_right, n,
                  100.0 * n_right / n, n_standard, (g_get_monotonic_time () - started) / 1000.0 / n);
  g_assert_cmpuint (n, >=, 60);
  /* 43 of 61 when written; the target is 85 %. */
  g_assert_cmpfloat ((double)n_right / n, >=, 0.80);
}

/* Nothing that is not a plate: an empty reading, never an error. */
static void
test_not_a_plate (void)
{
  g_autoptr(NigranPlateReader) reader = reader_or_skip ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *grey = g_malloc0 (200 * 60);
  NigranPlateReading reading;

  if (reader == NULL)
    return;
  memset (grey, 200, 200 * 60);
  g_assert_true (nigran_plate_reader_read (reader, NIGRAN_PIXEL_FORMAT_GRAY, grey, 200, 60, 200, &reading, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reading.text, ==, "");
  g_assert_false (reading.standard);

  g_assert_false (nigran_plate_reader_read (reader, NIGRAN_PIXEL_FORMAT_GRAY, grey, 200, 60, 100, &reading, &error));
  g_assert_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME);
}

static void
test_no_tessdata (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (nigran_plate_reader_new ("/nonexistent", &error));
  g_assert_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plate-reader/pakistani-crops", test_pakistani_crops);
  g_test_add_func ("/plate-reader/not-a-plate", test_not_a_plate);
  g_test_add_func ("/plate-reader/no-tessdata", test_no_tessdata);

  return g_test_run ();
}
