/* test-recognize.c: nigran-recognize, run as an investigator would
 *
 * Faces: identification on the ORL faces (enrol photos 1–5 of each person, probe
 * 6–10) and detection on dlib's hand-marked photos, from ../shared/data/faces; with
 * the models that `make` fetches. Plates: detection and reading on
 * ../shared/data/plates, each set reported apart. Skips, saying why, when the data or
 * the models are absent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/nigran-csv.h"
#include "engine/nigran-engine.h"

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_recognize (const char * const *args,
               Run                *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer)g_getenv ("NIGRAN_RECOGNIZE"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static char *
faces_data (const char *relative)
{
  return g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "faces", relative, NULL);
}

static gboolean
skip_without (const char *what)
{
  g_autofree char *path = faces_data (what);
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *model = g_build_filename (models_dir, "fr_feature.onnx", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/faces is absent");
      return TRUE;
    }
  if (!g_file_test (model, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the face models are absent (make fetches them with npm)");
      return TRUE;
    }
  return FALSE;
}

/* Every line of standard output is one face, as the tool promises. */
static GPtrArray *
parse_faces (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *faces = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *face;
      JsonArray *box;

      if (lines[i][0] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      face = json_node_get_object (json_parser_get_root (parser));
      g_assert_nonnull (face);
      g_assert_true (json_object_has_member (face, "file"));
      g_assert_true (json_object_has_member (face, "frame"));
      g_assert_true (json_object_has_member (face, "identity"));
      g_assert_true (json_object_has_member (face, "score"));
      box = json_object_get_array_member (face, "box");
      g_assert_cmpuint (json_array_get_length (box), ==, 4);
      g_ptr_array_add (faces, json_object_ref (face));
    }
  return faces;
}

static void
test_orl_identification (void)
{
  g_autofree char *orl = faces_data ("orl");
  g_autofree char *work = NULL;
  g_autofree char *gallery = NULL;
  g_autoptr(GString) csv = g_string_new ("identity,image\n");
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) faces = NULL;
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);   /* file → largest face */
  g_auto(Run) run = { 0 };
  guint n_people = 0, n_probes = 0, n_right = 0;
  double rate;

  if (skip_without ("orl"))
    return;

  for (guint person = 1; person <= 40; person++)
    {
      g_autofree char *folder = g_strdup_printf ("%s/s%u", orl, person);

      if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
        continue;
      n_people++;
      for (guint photo = 1; photo <= 5; photo++)
        g_string_append_printf (csv, "s%u,%s/%u.pgm\n", person, folder, photo);
      for (guint photo = 6; photo <= 10; photo++)
        g_ptr_array_add (args, g_strdup_printf ("%s/%u.pgm", folder, photo));
    }
  n_probes = args->len;
  g_assert_cmpuint (n_people, >=, 30);

  work = g_dir_make_tmp ("nigran-recognize-XXXXXX", NULL);
  gallery = g_build_filename (work, "gallery.csv", NULL);
  g_assert_true (g_file_set_contents (gallery, csv->str, -1, NULL));
  g_ptr_array_insert (args, 0, g_strdup ("faces"));
  g_ptr_array_insert (args, 1, g_strdup ("--gallery"));
  g_ptr_array_insert (args, 2, g_strdup (gallery));
  g_ptr_array_add (args, NULL);

  run_recognize ((const char * const *)args->pdata, &run);
  g_assert_cmpint (run.status, ==, 0);
  /* Every gallery photo was enrolled: a refused one is named on standard error. */
  g_assert_cmpstr (run.err, ==, "");
  faces = parse_faces (run.out);

  for (guint i = 0; i < faces->len; i++)
    {
      JsonObject *face = faces->pdata[i], *previous;
      const char *file = json_object_get_string_member (face, "file");
      JsonArray *box = json_object_get_array_member (face, "box");
      gint64 area = json_array_get_int_element (box, 2) * json_array_get_int_element (box, 3);

      previous = g_hash_table_lookup (best, file);
      if (previous == NULL ||
          area > json_array_get_int_element (json_object_get_array_member (previous, "box"), 2) *
                 json_array_get_int_element (json_object_get_array_member (previous, "box"), 3))
        g_hash_table_insert (best, (gpointer)file, face);
    }

  /* After "faces --gallery GALLERY" come the probes, then the NULL. */
  for (guint i = 3; i + 1 < args->len; i++)
    {
      const char *file = args->pdata[i];
      JsonObject *face = g_hash_table_lookup (best, file);
      g_autofree char *folder = NULL, *person = NULL;

      if (face == NULL || json_object_get_null_member (face, "identity"))
        continue;
      folder = g_path_get_dirname (file);
      person = g_path_get_basename (folder);
      if (g_str_equal (json_object_get_string_member (face, "identity"), person))
        n_right++;
    }

  rate = (double)n_right / n_probes;
  g_test_message ("ORL: %u people, %u probes, %u faces found in %u probes, rank-1 identification %.3f",
                  n_people, n_probes, faces->len, g_hash_table_size (best), rate);
  g_assert_cmpuint (g_hash_table_size (best), ==, n_probes);
  g_assert_cmpfloat (rate, >=, 0.98);

  g_remove (gallery);
  g_rmdir (work);
}

static double
intersection_over_union (const int a[4],
                         const int b[4])
{
  int width = MIN (a[0] + a[2], b[0] + b[2]) - MAX (a[0], b[0]);
  int height = MIN (a[1] + a[3], b[1] + b[3]) - MAX (a[1], b[1]);
  double intersection = MAX (0, width) * (double)MAX (0, height);

  return intersection / (a[2] * (double)a[3] + b[2] * (double)b[3] - intersection);
}

/* Recall and precision at IoU ≥ 0.5 against dlib's 43 hand-marked faces; a photo of
 * dogs has none. */
static void
test_dlib_detection (void)
{
  g_autofree char *dlib = faces_data ("dlib");
  g_autofree char *boxes_csv = g_build_filename (dlib, "face_boxes.csv", NULL);
  g_autofree char *empty_gallery = NULL, *work = NULL, *contents = NULL;
  g_auto(GStrv) rows = NULL;
  g_autoptr(GHashTable) truth = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify)g_array_unref);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) faces = NULL;
  g_auto(Run) run = { 0 };
  GHashTableIter iter;
  gpointer key;
  guint n_marked = 0, true_positives = 0, false_positives = 0;
  double recall, precision;

  if (skip_without ("dlib"))
    return;

  g_assert_true (g_file_get_contents (boxes_csv, &contents, NULL, NULL));
  rows = g_strsplit (contents, "\n", -1);
  for (guint i = 1; rows[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (rows[i], ",", -1);
      g_autofree char *path = NULL;
      GArray *marked;
      int box[5];

      if (g_strv_length (fields) != 7)
        continue;
      path = g_build_filename (dlib, fields[1], NULL);
      marked = g_hash_table_lookup (truth, path);
      if (marked == NULL)
        {
          marked = g_array_new (FALSE, FALSE, sizeof box);
          g_hash_table_insert (truth, g_strdup (path), marked);
        }
      for (guint k = 0; k < 4; k++)
        box[k] = atoi (fields[2 + k]);
      box[4] = 0;   /* matched yet */
      g_array_append_val (marked, box);
      n_marked++;
    }
  g_assert_cmpuint (n_marked, ==, 43);

  work = g_dir_make_tmp ("nigran-recognize-XXXXXX", NULL);
  empty_gallery = g_build_filename (work, "gallery.csv", NULL);
  g_assert_true (g_file_set_contents (empty_gallery, "identity,image\n", -1, NULL));
  g_ptr_array_add (args, g_strdup ("faces"));
  g_ptr_array_add (args, g_strdup ("--gallery"));
  g_ptr_array_add (args, g_strdup (empty_gallery));
  g_hash_table_iter_init (&iter, truth);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (args, g_strdup (key));
  g_ptr_array_add (args, g_build_filename (dlib, "faces", "dogs.jpg", NULL));
  g_ptr_array_add (args, NULL);

  run_recognize ((const char * const *)args->pdata, &run);
  g_assert_cmpint (run.status, ==, 0);
  faces = parse_faces (run.out);

  for (guint i = 0; i < faces->len; i++)
    {
      JsonObject *face = faces->pdata[i];
      JsonArray *box_array = json_object_get_array_member (face, "box");
      GArray *marked = g_hash_table_lookup (truth, json_object_get_string_member (face, "file"));
      int box[4];
      double best = 0;
      int *best_box = NULL;

      g_assert_true (json_object_get_null_member (face, "identity"));
      for (guint k = 0; k < 4; k++)
        box[k] = (int)json_array_get_int_element (box_array, k);
      for (guint k = 0; marked != NULL && k < marked->len; k++)
        {
          int *candidate = &g_array_index (marked, int, 5 * k);
          double overlap = candidate[4] ? 0 : intersection_over_union (box, candidate);

          if (overlap > best)
            {
              best = overlap;
              best_box = candidate;
            }
        }
      if (best >= 0.5)
        {
          best_box[4] = 1;
          true_positives++;
        }
      else
        false_positives++;
    }

  recall = (double)true_positives / n_marked;
  precision = faces->len ? (double)true_positives / faces->len : 0;
  g_test_message ("dlib: %u faces marked, %u found, %u right: recall %.3f, precision %.3f at IoU >= 0.5",
                  n_marked, faces->len, true_positives, recall, precision);
  g_assert_cmpfloat (recall, >=, 0.9);
  g_assert_cmpfloat (precision, >=, 0.9);

  g_remove (empty_gallery);
  g_rmdir (work);
}

/* A video is decoded frame by frame: faces come with their frame numbers, in order,
 * and --fps analyses fewer frames. */
static void
test_video (void)
{
  g_autofree char *video = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "video", "intel",
                                             "from-preview-gifs", "head-pose-face-detection-female.mp4", NULL);
  g_autofree char *work = NULL, *gallery = NULL;
  g_autoptr(GPtrArray) every = NULL, sampled = NULL;
  g_autoptr(GHashTable) frames = g_hash_table_new (NULL, NULL);
  gint64 previous = -1;

  if (skip_without ("orl"))
    return;
  if (!g_file_test (video, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/video is absent");
      return;
    }
  work = g_dir_make_tmp ("nigran-recognize-XXXXXX", NULL);
  gallery = g_build_filename (work, "gallery.csv", NULL);
  g_assert_true (g_file_set_contents (gallery, "identity,image\n", -1, NULL));

  {
    const char *args[] = { "faces", "--gallery", gallery, video, NULL };
    g_auto(Run) run = { 0 };

    run_recognize (args, &run);
    g_assert_cmpint (run.status, ==, 0);
    every = parse_faces (run.out);
  }
  {
    const char *args[] = { "faces", "--gallery", gallery, "--fps", "2", video, NULL };
    g_auto(Run) run = { 0 };

    run_recognize (args, &run);
    g_assert_cmpint (run.status, ==, 0);
    sampled = parse_faces (run.out);
  }

  for (guint i = 0; i < every->len; i++)
    {
      gint64 frame = json_object_get_int_member (every->pdata[i], "frame");

      g_assert_cmpint (frame, >=, previous);
      previous = frame;
      g_hash_table_add (frames, GINT_TO_POINTER (frame + 1));
    }
  g_test_message ("%u faces in %u frames; %u faces at 2 fps", every->len,
                  g_hash_table_size (frames), sampled->len);
  /* One woman turning her head, in view throughout. */
  g_assert_cmpuint (g_hash_table_size (frames), >=, 20);
  g_assert_cmpuint (sampled->len, >, 0);
  g_assert_cmpuint (sampled->len, <, every->len / 2);

  g_remove (gallery);
  g_rmdir (work);
}

/* Bad input gets a clear message on standard error and nothing on standard output. */
static void
test_bad_input (void)
{
  g_autofree char *work = g_dir_make_tmp ("nigran-recognize-XXXXXX", NULL);
  g_autofree char *gallery = g_build_filename (work, "gallery.csv", NULL);
  g_autofree char *missing = g_build_filename (work, "missing.jpg", NULL);
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  g_autofree char *model = g_build_filename (models_dir, "fr_feature.onnx", NULL);

  {
    const char *args[] = { NULL };
    g_auto(Run) run = { 0 };

    run_recognize (args, &run);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "usage"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    const char *args[] = { "faces", "--models", work, "--gallery", gallery, missing, NULL };
    g_auto(Run) run = { 0 };

    g_assert_true (g_file_set_contents (gallery, "identity,image\n", -1, NULL));
    run_recognize (args, &run);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "face recognition is off"));
    g_assert_cmpstr (run.out, ==, "");
  }

  if (!g_file_test (model, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the face models are absent (make fetches them with npm)");
    }
  else
    {
      const char *args[] = { "faces", "--gallery", gallery, missing, NULL };
      g_auto(Run) run = { 0 };

      g_assert_true (g_file_set_contents (gallery, "identity,image\nsomeone,a.jpg,extra\n", -1, NULL));
      run_recognize (args, &run);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "gallery.csv:2:"));
      g_assert_cmpstr (run.out, ==, "");

      g_assert_true (g_file_set_contents (gallery, "identity,image\n", -1, NULL));
      g_clear_pointer (&run.out, g_free);
      g_clear_pointer (&run.err, g_free);
      run_recognize (args, &run);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "missing.jpg"));
      g_assert_cmpstr (run.out, ==, "");
    }

  g_remove (gallery);
  g_rmdir (work);
}

typedef struct
{
  char *image;        /* relative to the set's folder */
  int   box[4];
  char *registration; /* as a hotlist holds it; "" when illegible */
} LabelledPlate;

static void
labelled_plate_free (gpointer data)
{
  LabelledPlate *plate = data;

  g_free (plate->image);
  g_free (plate->registration);
  g_free (plate);
}

/* Runs nigran-recognize plates on @plates (of @folder) and counts the ones whose box
 * was found (IoU ≥ 0.5) and whose registration was read exactly. */
static void
measure_plates (const char *name,
                const char *folder,
                GPtrArray  *plates,
                guint      *n_found,
                guint      *n_read)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  gint64 started = g_get_monotonic_time ();

  g_ptr_array_add (args, g_strdup ("plates"));
  for (guint i = 0; i < plates->len; i++)
    g_ptr_array_add (args, g_build_filename (folder, ((LabelledPlate *)plates->pdata[i])->image, NULL));
  g_ptr_array_add (args, NULL);
  run_recognize ((const char * const *)args->pdata, &run);
  g_assert_cmpint (run.status, ==, 0);

  *n_found = *n_read = 0;
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; i < plates->len; i++)
    {
      const LabelledPlate *plate = plates->pdata[i];
      const char *path = args->pdata[i + 1];
      gboolean found = FALSE, read = FALSE;

      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;
          JsonObject *reading;
          JsonArray *box;
          int seen[4];

          if (lines[l][0] == '\0')
            continue;
          json_parser_load_from_data (parser, lines[l], -1, &error);
          g_assert_no_error (error);
          reading = json_node_get_object (json_parser_get_root (parser));
          g_assert_true (json_object_has_member (reading, "text"));
          g_assert_true (json_object_has_member (reading, "authority"));
          g_assert_true (json_object_has_member (reading, "confidence"));
          if (!g_str_equal (json_object_get_string_member (reading, "file"), path))
            continue;
          box = json_object_get_array_member (reading, "box");
          for (guint k = 0; k < 4; k++)
            seen[k] = json_array_get_int_element (box, k);
          found |= intersection_over_union (seen, plate->box) >= 0.5;
          read |= *plate->registration != '\0' &&
                  g_str_equal (json_object_get_string_member (reading, "registration"), plate->registration);
        }
      *n_found += found;
      *n_read += read;
    }
  g_test_message ("%s: %u plates; box found %u (%.0f %%), read exactly %u (%.0f %%); %.2f s a picture", name,
                  plates->len, *n_found, 100.0 * *n_found / plates->len, *n_read, 100.0 * *n_read / plates->len,
                  (g_get_monotonic_time () - started) / 1e6 / plates->len);
}

static GPtrArray *
load_labels (const char *path,
             gboolean    openalpr,
             const char *only)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *plates = g_ptr_array_new_with_free_func (labelled_plate_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = nigran_csv_split_record (lines[i]);
      LabelledPlate *plate;
      /* openalpr: set,image,w,h,x,y,w,h,text; pakistan: image,province,kind,…,x,y,w,h */
      guint box_at = openalpr ? 4 : 6;

      if (fields == NULL || fields->len < box_at + 4)
        continue;
      if (!g_str_equal (fields->pdata[openalpr ? 0 : 2], only))
        continue;
      if (!openalpr && strchr (fields->pdata[3], '?') != NULL)
        continue;
      plate = g_new0 (LabelledPlate, 1);
      plate->image = g_strdup (fields->pdata[1 - !openalpr]);
      for (guint k = 0; k < 4; k++)
        plate->box[k] = atoi (fields->pdata[box_at + k]);
      plate->registration = g_strdup (fields->pdata[openalpr ? 8 : 4]);
      g_ptr_array_add (plates, plate);
    }
  return plates;
}

/* Each set of ../shared/data/plates apart: the boxes found and the plates read. */
static void
test_plates (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "plates", NULL);
  g_autofree char *openalpr = g_build_filename (root, "openalpr", NULL);
  g_autofree char *pakistan = g_build_filename (root, "pakistan", NULL);
  g_autofree char *openalpr_labels = g_build_filename (openalpr, "labels.csv", NULL);
  g_autofree char *pakistan_labels = g_build_filename (pakistan, "labels.csv", NULL);
  static const char * const sets[] = { "eu", "us", "br" };
  static const double found_floors[] = { 0.75, 0.6, 0.8 };
  static const double read_floors[] = { 0.4, 0.15, 0.55 };
  guint n_found, n_read;

  if (!g_file_test (openalpr_labels, G_FILE_TEST_EXISTS) || !g_file_test (pakistan_labels, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/data/plates is absent");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      g_autoptr(GPtrArray) plates = load_labels (openalpr_labels, TRUE, sets[i]);
      g_autofree char *name = g_strdup_printf ("openalpr %s", sets[i]);

      measure_plates (name, openalpr, plates, &n_found, &n_read);
      /* Floors under what was measured (boxes found: EU 83 %, US 69 %, BR 94 %;
       * read exactly: 47 %, 16 %, 71 %); the target is 80 % read end to end. */
      g_assert_cmpfloat ((double)n_found / plates->len, >=, found_floors[i]);
      g_assert_cmpfloat ((double)n_read / plates->len, >=, read_floors[i]);
    }
  {
    g_autoptr(GPtrArray) crops = load_labels (pakistan_labels, FALSE, "crop");
    g_autoptr(GPtrArray) scenes = load_labels (pakistan_labels, FALSE, "scene");

    measure_plates ("pakistan crops", pakistan, crops, &n_found, &n_read);
    /* The target; 53 of 61 (87 %) measured. */
    g_assert_cmpfloat ((double)n_read / crops->len, >=, 0.85);
    measure_plates ("pakistan scenes", pakistan, scenes, &n_found, &n_read);
  }
}

static void
test_plates_bad_input (void)
{
  const char *args[] = { "plates", "/nonexistent.jpg", NULL };
  const char *no_files[] = { "plates", NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) usage = { 0 };

  run_recognize (args, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "/nonexistent.jpg"));
  run_recognize (no_files, &usage);
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_cmpstr (usage.out, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recognize/orl-identification", test_orl_identification);
  g_test_add_func ("/recognize/dlib-detection", test_dlib_detection);
  g_test_add_func ("/recognize/video", test_video);
  g_test_add_func ("/recognize/bad-input", test_bad_input);
  g_test_add_func ("/recognize/plates", test_plates);
  g_test_add_func ("/recognize/plates-bad-input", test_plates_bad_input);

  return g_test_run ();
}
