/* nigran-face-import.c: a watchlist enrolled in bulk from a CSV of photos
 *
 * The CSV has rows "record,name,photo" (a first row of those words is a header; a
 * photo path is relative to the CSV's folder); a folder of photos enrols each as a
 * person named after its file. Photos are read and analysed on a
 * worker thread, with the quality check of every enrolment; a row that fails is
 * listed with its number and why, and the others go on. Only when every row has been
 * looked at are the good ones enrolled and recorded, on the main thread: a cancelled
 * import enrols no one, and none is ever half enrolled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "core/nigran-csv.h"
#include "nigran-face-import.h"

typedef struct
{
  char       *record;
  char       *name;
  char       *photo;
  NigranFace  face;
  GdkTexture *face_photo;
  char       *face_photo_path;
  char       *face_photo_sha256;
} Accepted;

struct _NigranFaceImport
{
  GObject              parent_instance;

  NigranFaceWatch     *watch;
  char                *watchlist;
  NigranAlertPriority  priority;
  guint                verifiers_required;
  char                *actor;
  char                *photo_directory;

  gint                 n_rows;       /* atomic */
  gint                 n_done;       /* atomic */
  guint                n_enrolled;
  GPtrArray           *problems;     /* "row N: …", NULL-terminated, filled on the worker */
  GArray              *accepted;     /* of Accepted, filled on the worker */
  gboolean             running;
};

G_DEFINE_FINAL_TYPE (NigranFaceImport, nigran_face_import, G_TYPE_OBJECT)

static void
accepted_clear (gpointer data)
{
  Accepted *accepted = data;

  g_free (accepted->record);
  g_free (accepted->name);
  g_free (accepted->photo);
  g_clear_object (&accepted->face_photo);
  g_free (accepted->face_photo_path);
  g_free (accepted->face_photo_sha256);
}

static void
nigran_face_import_finalize (GObject *object)
{
  NigranFaceImport *self = NIGRAN_FACE_IMPORT (object);

  g_clear_object (&self->watch);
  g_free (self->watchlist);
  g_free (self->actor);
  g_free (self->photo_directory);
  g_ptr_array_unref (self->problems);
  g_array_unref (self->accepted);

  G_OBJECT_CLASS (nigran_face_import_parent_class)->finalize (object);
}

static void
nigran_face_import_class_init (NigranFaceImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_face_import_finalize;
}

static void
nigran_face_import_init (NigranFaceImport *self)
{
  self->problems = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->accepted = g_array_new (FALSE, TRUE, sizeof (Accepted));
  g_array_set_clear_func (self->accepted, accepted_clear);
}

NigranFaceImport *
nigran_face_import_new (NigranFaceWatch     *watch,
                        const char          *watchlist,
                        NigranAlertPriority  priority,
                        guint                verifiers_required)
{
  NigranFaceImport *self;

  g_return_val_if_fail (NIGRAN_IS_FACE_WATCH (watch), NULL);
  g_return_val_if_fail (watchlist != NULL, NULL);
  g_return_val_if_fail (verifiers_required == 1 || verifiers_required == 2, NULL);

  self = g_object_new (NIGRAN_TYPE_FACE_IMPORT, NULL);
  self->watch = g_object_ref (watch);
  self->watchlist = g_strdup (watchlist);
  self->priority = priority;
  self->verifiers_required = verifiers_required;
  return self;
}

/* @where: "row 12", or a photo's file name */
static void
add_problem (NigranFaceImport *self,
             const char       *where,
             const char       *message)
{
  g_ptr_array_add (self->problems, g_strdup_printf ("%s: %s", where, message));
}

static char *
row_label (guint row)
{
  return g_strdup_printf (_("row %u"), row);
}

/* One row: a face that passes the quality check, or a problem. */
static void
look_at_row (NigranFaceImport *self,
             const char       *folder,
             const char       *where,
             GPtrArray        *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(NigranFaceResult) faces = NULL;
  g_autofree char *path = NULL;
  const char *record = fields->pdata[0], *name = fields->pdata[1], *photo = fields->pdata[2];
  const NigranFace *face;
  Accepted accepted = { 0 };

  if (*record == '\0' || *name == '\0' || *photo == '\0')
    {
      add_problem (self, where, _("the record number, the name and the photo must all be given"));
      return;
    }
  path = g_path_is_absolute (photo) ? g_strdup (photo) : g_build_filename (folder, photo, NULL);
  if ((loaded = gdk_pixbuf_new_from_file (path, &error)) == NULL)
    {
      add_problem (self, where, error->message);
      return;
    }
  pixbuf = gdk_pixbuf_apply_embedded_orientation (loaded);
  faces = nigran_engine_analyse (nigran_face_watch_get_engine (self->watch),
                                 gdk_pixbuf_get_has_alpha (pixbuf) ? NIGRAN_PIXEL_FORMAT_RGBA : NIGRAN_PIXEL_FORMAT_RGB,
                                 gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_width (pixbuf),
                                 gdk_pixbuf_get_height (pixbuf), gdk_pixbuf_get_rowstride (pixbuf), &error);
  if (faces == NULL || (face = nigran_face_watch_check_quality (faces, &error)) == NULL)
    {
      add_problem (self, where, error->message);
      return;
    }

  accepted.record = g_strdup (record);
  accepted.name = g_strdup (name);
  accepted.photo = g_steal_pointer (&path);
  accepted.face = *face;
  accepted.face_photo = nigran_face_watch_crop_face (gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_width (pixbuf),
                                                     gdk_pixbuf_get_height (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
                                                     gdk_pixbuf_get_has_alpha (pixbuf) ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                                     face);
  nigran_face_watch_keep_photo (accepted.face_photo, self->photo_directory,
                                &accepted.face_photo_path, &accepted.face_photo_sha256);
  g_array_append_val (self->accepted, accepted);
}

static gboolean
is_photo (const char *name)
{
  static const char * const suffixes[] = { ".jpg", ".jpeg", ".png", ".pgm", ".ppm", ".bmp", ".tif", ".tiff" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* A folder of photos: each is a person, named and numbered after its file. */
static void
import_folder (GTask            *task,
               NigranFaceImport *self,
               const char       *folder,
               GCancellable     *cancellable)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  const char *name;

  if ((dir = g_dir_open (folder, 0, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_photo (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_atomic_int_set (&self->n_rows, (gint)names->len);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = names->pdata[i];
      g_autofree char *person = g_strndup (file, strrchr (file, '.') - file);
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (fields, g_strdup (person));
      g_ptr_array_add (fields, g_strdup (person));
      g_ptr_array_add (fields, g_strdup (file));
      look_at_row (self, folder, file, fields);
      g_atomic_int_inc (&self->n_done);
    }
  g_task_return_boolean (task, TRUE);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  NigranFaceImport *self = source_object;
  const char *csv_path = task_data;
  g_autofree char *contents = NULL;
  g_autofree char *folder = g_path_get_dirname (csv_path);
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;
  guint first = 0;

  if (g_file_test (csv_path, G_FILE_TEST_IS_DIR))
    {
      import_folder (task, self, csv_path, cancellable);
      return;
    }
  if (!g_file_get_contents (csv_path, &contents, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  lines = g_strsplit (contents, "\n", -1);
  if (lines[0] != NULL && g_str_has_prefix (g_strstrip (lines[0]), "record,name,photo"))
    first = 1;
  for (guint i = first; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_atomic_int_inc (&self->n_rows);

  for (guint i = first; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autofree char *where = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      if (*lines[i] == '\0')
        continue;
      fields = nigran_csv_split_record (lines[i]);
      where = row_label (i + 1);
      if (fields->len != 3)
        add_problem (self, where, _("a row is “record,name,photo”"));
      else
        look_at_row (self, folder, where, fields);
      g_atomic_int_inc (&self->n_done);
    }
  g_task_return_boolean (task, TRUE);
}

/* Reads @csv_path (or, a folder, its photos) on a worker thread; call nigran_face_import_run_finish() from
 * @callback, which enrols. Progress: nigran_face_import_get_n_done() of
 * nigran_face_import_get_n_rows(). */
void
nigran_face_import_run_async (NigranFaceImport    *self,
                              const char          *csv_path,
                              const char          *actor,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (NIGRAN_IS_FACE_IMPORT (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  g_free (self->actor);
  self->actor = g_strdup (actor);
  g_free (self->photo_directory);
  self->photo_directory = nigran_face_watch_dup_photo_directory (self->watch);
  g_task_set_source_tag (task, nigran_face_import_run_async);
  g_task_set_task_data (task, g_strdup (csv_path), g_free);
  g_task_run_in_thread (task, import_thread);
}

/* On the main thread: enrols and records every accepted row, or (cancelled, or the
 * CSV unreadable) no one. */
gboolean
nigran_face_import_run_finish (NigranFaceImport  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->running = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  for (guint i = 0; i < self->accepted->len; i++)
    {
      Accepted *accepted = &g_array_index (self->accepted, Accepted, i);
      g_autofree char *entry = g_strdup_printf ("%s (%s)", accepted->name, accepted->record);
      g_autofree char *subject = g_strconcat ("file:", accepted->photo, NULL);

      nigran_face_watch_enrol_and_record (self->watch, entry, accepted->record, self->watchlist,
                                          self->priority, self->verifiers_required, &accepted->face,
                                          accepted->face_photo, accepted->face_photo_path,
                                          accepted->face_photo_sha256, "CSV import", subject, self->actor);
    }
  self->n_enrolled = self->accepted->len;
  g_array_set_size (self->accepted, 0);
  return TRUE;
}

guint
nigran_face_import_get_n_rows (NigranFaceImport *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT (self), 0);
  return (guint)g_atomic_int_get (&self->n_rows);
}

guint
nigran_face_import_get_n_done (NigranFaceImport *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT (self), 0);
  return (guint)g_atomic_int_get (&self->n_done);
}

guint
nigran_face_import_get_n_enrolled (NigranFaceImport *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT (self), 0);
  return self->n_enrolled;
}

/* After the run: what was wrong with which row, in order. */
const char * const *
nigran_face_import_get_problems (NigranFaceImport *self)
{
  g_return_val_if_fail (NIGRAN_IS_FACE_IMPORT (self), NULL);
  g_return_val_if_fail (!self->running, NULL);
  return (const char * const *)self->problems->pdata;
}
