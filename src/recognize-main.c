/* recognize-main.c: nigran-recognize, the engine on files, for investigators' batch
 * work and for accuracy tests
 *
 *   nigran-recognize faces [--models DIR] --gallery GALLERY.csv FILE…
 *   nigran-recognize plates FILE…
 *
 * The gallery CSV has rows "identity,image" (a path relative to the CSV's folder, or
 * absolute; a first row "identity,image" is a header). Each FILE is an image or a
 * video. Standard output gets one JSON object per line per face or plate found, and
 * nothing else; warnings and errors go to standard error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "core/nigran-csv.h"
#include "engine/nigran-engine.h"
#include "engine/nigran-face-gallery.h"
#include "engine/nigran-plate-detector.h"
#include "engine/nigran-plate-reader.h"

#define DEFAULT_THRESHOLD 0.40

typedef struct
{
  NigranEngine      *engine;
  NigranFaceGallery *gallery;
  NigranPlateReader *plate_reader;
  double             threshold;
  double             video_fps;   /* 0: every frame */
} Recognizer;

/* What is done with each picture: an image, or a frame of a video. */
typedef void (*PictureFunc) (Recognizer        *recognizer,
                             const char        *file,
                             guint64            frame,
                             NigranPixelFormat  format,
                             const guint8      *data,
                             int                width,
                             int                height,
                             int                stride);

static GdkPixbuf *
load_rgb_image (const char  *path,
                GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, error);

  if (pixbuf == NULL)
    return NULL;
  /* Greys, palettes and EXIF rotation all arrive as 8-bit RGB(A) after this. */
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

static NigranFaceResult *
analyse_pixbuf (Recognizer  *recognizer,
                GdkPixbuf   *pixbuf,
                GError     **error)
{
  return nigran_engine_analyse (recognizer->engine,
                                gdk_pixbuf_get_has_alpha (pixbuf) ? NIGRAN_PIXEL_FORMAT_RGBA
                                                                  : NIGRAN_PIXEL_FORMAT_RGB,
                                gdk_pixbuf_read_pixels (pixbuf),
                                gdk_pixbuf_get_width (pixbuf),
                                gdk_pixbuf_get_height (pixbuf),
                                gdk_pixbuf_get_rowstride (pixbuf),
                                error);
}

static gboolean
load_gallery (Recognizer  *recognizer,
              const char  *csv_path,
              GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *folder = g_path_get_dirname (csv_path);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (csv_path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint row = 0; lines[row] != NULL; row++)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) image_error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(NigranFaceResult) result = NULL;
      g_autofree char *image_path = NULL;
      const char *identity, *image;

      if (g_strstrip (lines[row])[0] == '\0')
        continue;
      fields = nigran_csv_split_record (lines[row]);
      if (fields->len != 2 || *(char *)fields->pdata[0] == '\0' || *(char *)fields->pdata[1] == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: a row is “identity,image”; this one has %u fields",
                       csv_path, row + 1, fields->len);
          return FALSE;
        }
      identity = fields->pdata[0];
      image = fields->pdata[1];
      if (row == 0 && g_str_equal (identity, "identity") && g_str_equal (image, "image"))
        continue;

      image_path = g_path_is_absolute (image) ? g_strdup (image) : g_build_filename (folder, image, NULL);
      pixbuf = load_rgb_image (image_path, &image_error);
      if (pixbuf != NULL)
        result = analyse_pixbuf (recognizer, pixbuf, &image_error);
      if (result == NULL)
        {
          g_printerr ("nigran-recognize: %s:%u: %s is not enrolled: %s\n",
                      csv_path, row + 1, image_path, image_error->message);
          continue;
        }
      if (result->n_faces == 0)
        {
          g_printerr ("nigran-recognize: %s:%u: %s is not enrolled: no face found\n",
                      csv_path, row + 1, image_path);
          continue;
        }
      /* A gallery photo shows its person largest. */
      nigran_face_gallery_add (recognizer->gallery, identity, result->faces[0].embedding);
    }
  return TRUE;
}

/* A JSON string literal, quotes and escapes included. */
static char *
json_string_literal (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

/* Printed by hand rather than by JsonGenerator, to give the score three decimals. */
static void
print_faces (Recognizer       *recognizer,
             const char       *file,
             guint64           frame,
             NigranFaceResult *result)
{
  g_autofree char *file_literal = json_string_literal (file);

  for (guint i = 0; i < result->n_faces; i++)
    {
      const NigranFace *face = &result->faces[i];
      float score = -1;
      const char *identity = nigran_face_gallery_search (recognizer->gallery, face->embedding, &score);
      g_autofree char *identity_literal = identity != NULL && score >= recognizer->threshold
                                          ? json_string_literal (identity) : g_strdup ("null");
      char score_text[G_ASCII_DTOSTR_BUF_SIZE] = "null";

      if (identity != NULL)
        g_ascii_formatd (score_text, sizeof score_text, "%.3f", score);
      g_print ("{\"file\":%s,\"frame\":%" G_GUINT64_FORMAT ",\"box\":[%ld,%ld,%ld,%ld],"
               "\"identity\":%s,\"score\":%s}\n",
               file_literal, frame, lroundf (face->x), lroundf (face->y),
               lroundf (face->width), lroundf (face->height), identity_literal, score_text);
    }
}

static void
find_faces (Recognizer        *recognizer,
            const char        *file,
            guint64            frame,
            NigranPixelFormat  format,
            const guint8      *data,
            int                width,
            int                height,
            int                stride)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranFaceResult) result = nigran_engine_analyse (recognizer->engine, format, data, width, height,
                                                              stride, &error);

  if (result == NULL)
    g_printerr ("nigran-recognize: %s, frame %" G_GUINT64_FORMAT ": %s\n", file, frame, error->message);
  else
    print_faces (recognizer, file, frame, result);
}

static void
print_plate (const char               *file,
             guint64                   frame,
             int                       x,
             int                       y,
             int                       width,
             int                       height,
             const NigranPlateReading *reading)
{
  g_autofree char *file_literal = json_string_literal (file);
  g_autofree char *text_literal = json_string_literal (reading->standard ? reading->plate.display : reading->text);
  g_autofree char *registration_literal = json_string_literal (reading->plate.registration);
  g_autofree char *authority_literal = reading->standard
                                       ? json_string_literal (nigran_plate_authority_to_string (reading->plate.authority))
                                       : g_strdup ("null");
  char confidence[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (confidence, sizeof confidence, "%.2f", reading->confidence);
  g_print ("{\"file\":%s,\"frame\":%" G_GUINT64_FORMAT ",\"box\":[%d,%d,%d,%d],\"text\":%s,"
           "\"registration\":%s,\"authority\":%s,\"confidence\":%s}\n",
           file_literal, frame, x, y, width, height, text_literal, registration_literal, authority_literal,
           confidence);
}

typedef struct
{
  int                x, y, width, height;   /* what is read */
  int                box[4];                /* what is reported: the plate as detected */
  NigranPlateReading reading;
} Found;

/* Reads @region; whether that gave a plate (nigran_plate_reading_is_plate). */
static gboolean
read_region (Recognizer        *recognizer,
             NigranPixelFormat  format,
             const guint8      *data,
             int                stride,
             Found             *region)
{
  const guint8 *corner = data + (gsize)region->y * stride +
                         (gsize)region->x * nigran_pixel_format_get_bytes_per_pixel (format);

  return nigran_plate_reader_read (recognizer->plate_reader, format, corner, region->width, region->height, stride,
                                   &region->reading, NULL) &&
         nigran_plate_reading_is_plate (&region->reading);
}

#define MAX_CANDIDATES_READ 8

/* Reads the first MAX_CANDIDATES_READ of @candidates, with a margin, into @found: those
 * that gave a plate. */
static void
read_candidates (Recognizer        *recognizer,
                 NigranPixelFormat  format,
                 const guint8      *data,
                 int                width,
                 int                height,
                 int                stride,
                 GArray            *candidates,
                 GArray            *found)
{
  for (guint i = 0; i < MIN (candidates->len, MAX_CANDIDATES_READ); i++)
    {
      const NigranPlateCandidate *candidate = &g_array_index (candidates, NigranPlateCandidate, i);
      /* A little of the plate's surroundings: the detector's box can cut a character. */
      int margin_x = candidate->width / 10, margin_y = candidate->height / 5;
      Found region;

      region.x = MAX (0, candidate->x - margin_x);
      region.y = MAX (0, candidate->y - margin_y);
      region.width = MIN (width, candidate->x + candidate->width + margin_x) - region.x;
      region.height = MIN (height, candidate->y + candidate->height + margin_y) - region.y;
      region.box[0] = candidate->x;
      region.box[1] = candidate->y;
      region.box[2] = candidate->width;
      region.box[3] = candidate->height;
      if (read_region (recognizer, format, data, stride, &region))
        g_array_append_val (found, region);
    }
}

/* Each candidate region is read, most characters first; a picture in which no
 * candidate reads is read whole, as a plate cut close is. */
static void
find_plates (Recognizer        *recognizer,
             const char        *file,
             guint64            frame,
             NigranPixelFormat  format,
             const guint8      *data,
             int                width,
             int                height,
             int                stride)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) candidates = nigran_plate_detect (format, data, width, height, stride, &error);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Found));
  gboolean any_standard = FALSE;
  Found whole = { 0, 0, width, height, { 0, 0, width, height } };

  if (candidates == NULL)
    {
      g_printerr ("nigran-recognize: %s, frame %" G_GUINT64_FORMAT ": %s\n", file, frame, error->message);
      return;
    }
  read_candidates (recognizer, format, data, width, height, stride, candidates, found);
  /* Where no edges gave a plate, the picture's lines of text. */
  if (found->len == 0)
    {
      g_autoptr(GArray) lines = nigran_plate_detect_text_lines (format, data, width, height, stride, NULL);

      if (lines != NULL)
        read_candidates (recognizer, format, data, width, height, stride, lines, found);
    }
  /* A picture of a plate's shape may be a plate cut close. */
  if ((width >= 1.5 * height && width <= 6 * height) || found->len == 0)
    if (read_region (recognizer, format, data, stride, &whole))
      g_array_append_val (found, whole);

  /* What fits a plate grammar, if anything does; else all that was read (a foreign
   * plate fits none). */
  for (guint i = 0; i < found->len; i++)
    any_standard |= g_array_index (found, Found, i).reading.standard;
  for (guint i = 0; i < found->len; i++)
    {
      const Found *region = &g_array_index (found, Found, i);
      gboolean repeated = FALSE;

      for (guint j = 0; j < i && !repeated; j++)
        repeated = g_str_equal (g_array_index (found, Found, j).reading.plate.registration,
                                region->reading.plate.registration);
      if (!repeated && (region->reading.standard || !any_standard))
        print_plate (file, frame, region->box[0], region->box[1], region->box[2], region->box[3], &region->reading);
    }
}

static gboolean
recognize_image (Recognizer  *recognizer,
                 const char  *path,
                 PictureFunc  func,
                 GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = load_rgb_image (path, error);

  if (pixbuf == NULL)
    return FALSE;
  func (recognizer, path, 0, gdk_pixbuf_get_has_alpha (pixbuf) ? NIGRAN_PIXEL_FORMAT_RGBA : NIGRAN_PIXEL_FORMAT_RGB,
        gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf),
        gdk_pixbuf_get_rowstride (pixbuf));
  return TRUE;
}

/* Decodes with GStreamer, as the console does, into RGB frames pulled one by one. */
static gboolean
recognize_video (Recognizer  *recognizer,
                 const char  *path,
                 PictureFunc  func,
                 GError     **error)
{
  g_autofree char *uri = gst_filename_to_uri (path, error);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstClockTime next_pts = 0;
  guint64 frame = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such file");
      return FALSE;
    }
  if (uri == NULL)
    return FALSE;
  description = g_strdup_printf ("uridecodebin uri=\"%s\" ! videoconvert ! "
                                 "video/x-raw,format=RGB ! appsink name=sink sync=false max-buffers=2",
                                 uri);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return FALSE;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  /* An error does not wake a waiting appsink: wait a little at a time and look. */
  while (!gst_app_sink_is_eos (GST_APP_SINK (sink)) &&
         (message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR)) == NULL)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      GstBuffer *buffer;
      GstVideoInfo info;
      GstMapInfo map;

      if (sample == NULL)
        continue;
      frame++;
      buffer = gst_sample_get_buffer (sample);
      if (recognizer->video_fps > 0 && GST_BUFFER_PTS_IS_VALID (buffer))
        {
          if (GST_BUFFER_PTS (buffer) < next_pts)
            continue;
          next_pts = GST_BUFFER_PTS (buffer) + (GstClockTime)(GST_SECOND / recognizer->video_fps);
        }
      if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
          !gst_buffer_map (buffer, &map, GST_MAP_READ))
        continue;
      func (recognizer, path, frame - 1, NIGRAN_PIXEL_FORMAT_RGB, map.data, GST_VIDEO_INFO_WIDTH (&info),
            GST_VIDEO_INFO_HEIGHT (&info), GST_VIDEO_INFO_PLANE_STRIDE (&info, 0));
      gst_buffer_unmap (buffer, &map);
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (message != NULL)
    {
      gst_message_parse_error (message, error, NULL);
      return FALSE;
    }
  if (frame == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "neither an image nor a video");
      return FALSE;
    }
  return TRUE;
}

/* FALSE, having said why on standard error, for options that do not parse. */
static gboolean
parse_options (int                *argc,
               char             ***argv,
               const char         *parameter,
               const char         *summary,
               const GOptionEntry *entries)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("nigran-recognize: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* 0, or 1 if a file could not be read. */
static int
recognize_files (Recognizer  *recognizer,
                 char       **files,
                 PictureFunc  func)
{
  int status = 0;

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean done = gdk_pixbuf_get_file_info (files[i], NULL, NULL) != NULL
                      ? recognize_image (recognizer, files[i], func, &error)
                      : recognize_video (recognizer, files[i], func, &error);

      if (!done)
        {
          g_printerr ("nigran-recognize: %s: %s\n", files[i], error->message);
          status = 1;
        }
    }
  return status;
}

static int
run_plates (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  double video_fps = 0;
  Recognizer recognizer = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "fps", 0, 0, G_OPTION_ARG_DOUBLE, &video_fps,
      "Read at most this many frames a second of a video (default: every frame)", "FPS" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL }
  };

  if (!parse_options (&argc, &argv, "plates FILE… — find and read number plates",
                      "Prints one JSON object per line per plate read in each image or video:\n"
                      "{\"file\":…, \"frame\":N, \"box\":[x,y,w,h], \"text\":\"AC-4903\", \"registration\":\"AC4903\",\n"
                      " \"authority\":\"sindh\" or null, \"confidence\":0.91}", entries))
    return 2;
  if (files == NULL || video_fps < 0)
    {
      g_printerr ("nigran-recognize: usage: nigran-recognize plates [--fps FPS] FILE…\n");
      return 2;
    }
  recognizer.plate_reader = nigran_plate_reader_new (NULL, &error);
  if (recognizer.plate_reader == NULL)
    {
      g_printerr ("nigran-recognize: %s\n", error->message);
      return 1;
    }
  recognizer.video_fps = video_fps;
  status = recognize_files (&recognizer, files, find_plates);
  nigran_plate_reader_free (recognizer.plate_reader);
  return status;
}

static int
run_faces (int    argc,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *models_dir = NULL;
  g_autofree char *gallery_path = NULL;
  g_auto(GStrv) files = NULL;
  double threshold = DEFAULT_THRESHOLD;
  double video_fps = 0;
  NigranEngineConfig config = { 0 };
  Recognizer recognizer = { 0 };
  int status = 0;
  const GOptionEntry entries[] = {
    { "models", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      "The folder of the face models (default: the build's or the installed ones)", "DIR" },
    { "gallery", 'g', 0, G_OPTION_ARG_FILENAME, &gallery_path,
      "Enrol the photos of this CSV of identity,image rows", "GALLERY.csv" },
    { "threshold", 't', 0, G_OPTION_ARG_DOUBLE, &threshold,
      "Name an identity only at this similarity or above (default 0.40)", "SCORE" },
    { "fps", 0, 0, G_OPTION_ARG_DOUBLE, &video_fps,
      "Analyse at most this many frames a second of a video (default: every frame)", "FPS" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL }
  };

  if (!parse_options (&argc, &argv, "faces --gallery GALLERY.csv FILE… — find and identify faces",
                      "Prints one JSON object per line per face found in each image or video:\n"
                      "{\"file\":…, \"frame\":N, \"box\":[x,y,w,h], \"identity\":\"…\" or null, \"score\":0.83}",
                      entries))
    return 2;
  if (gallery_path == NULL || files == NULL || threshold < -1 || threshold > 1 || video_fps < 0)
    {
      g_printerr ("nigran-recognize: usage: nigran-recognize faces [--models DIR] --gallery GALLERY.csv FILE…\n"
                  "(--threshold takes -1 to 1)\n");
      return 2;
    }

  if (models_dir == NULL)
    models_dir = nigran_engine_dup_default_models_dir ();
  config.models_dir = models_dir;
  recognizer.engine = nigran_engine_new (&config, NULL, NULL, &error);
  if (recognizer.engine == NULL)
    {
      g_printerr ("nigran-recognize: %s\n", error->message);
      return 1;
    }
  recognizer.gallery = nigran_face_gallery_new ();
  recognizer.threshold = threshold;
  recognizer.video_fps = video_fps;

  if (!load_gallery (&recognizer, gallery_path, &error))
    {
      g_printerr ("nigran-recognize: %s\n", error->message);
      status = 1;
    }
  else
    status = recognize_files (&recognizer, files, find_faces);

  g_object_unref (recognizer.gallery);
  nigran_engine_free (recognizer.engine);
  return status;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  if (argc >= 2 && g_str_equal (argv[1], "faces"))
    return run_faces (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "plates"))
    return run_plates (argc - 1, argv + 1);

  g_printerr ("nigran-recognize: usage: nigran-recognize faces [--models DIR] --gallery GALLERY.csv FILE…\n"
              "                  or: nigran-recognize plates [--fps FPS] FILE…\n");
  return 2;
}
