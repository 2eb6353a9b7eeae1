/* nigran-csv.c: records of the small CSV files that galleries and imports use
 *
 * RFC 4180 fields: quoted or not, "" for a quote inside quotes, one record a line.
 * GLib has no CSV reader, and these files are a few columns of names and paths, too
 * little to bring in a library for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-csv.h"

/* Returns: (transfer full) (element-type utf8): the fields of @line, which ends at
 * its first line break */
GPtrArray *
nigran_csv_split_record (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  g_return_val_if_fail (line != NULL, fields);

  for (const char *c = line; *c != '\0' && *c != '\r' && *c != '\n'; c++)
    {
      if (quoted && *c == '"' && c[1] == '"')
        g_string_append_c (field, *c++);
      else if (*c == '"')
        quoted = !quoted;
      else if (*c == ',' && !quoted)
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else
        g_string_append_c (field, *c);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  return fields;
}
