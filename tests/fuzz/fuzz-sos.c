/* fuzz-sos.c: the SOS (JSON) and CAP (XML) parsers against hostile bodies
 *
 * LLVMFuzzerTestOneInput is libFuzzer's entry point: built with clang and
 * -fsanitize=fuzzer it runs under libFuzzer. Built plainly (make check), main() runs
 * every file of the seed corpora given, then a fixed number of mutations of each, so
 * the run is the same every time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "net/nigran-sos-request.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(NigranSosRequest) json = NULL;
  g_autoptr(NigranSosRequest) cap = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GError) cap_error = NULL;

  json = nigran_sos_request_parse_json ((const char *) data, size, &json_error);
  cap = nigran_sos_request_parse_cap ((const char *) data, size, &cap_error);
  /* Either a request or an error that says why, never both, never neither. */
  g_assert_true ((json == NULL) != (json_error == NULL));
  g_assert_true ((cap == NULL) != (cap_error == NULL));
  if (json != NULL && json->message != NULL)
    g_assert_true (g_utf8_validate (json->message, -1, NULL));
  return 0;
}

#ifndef NIGRAN_LIBFUZZER
static void
mutate (GRand  *random,
        GByteArray *bytes)
{
  static const char * const tokens[] = {
    "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", "&x;", "<![CDATA[", "]]>", "\"", "{", "}", "[", "]",
    ":", ",", "\\u0000", "\\ud800", "1e308", "-1", "null", "<info>", "</info>", "<area>", "xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"",
  };
  guint operation = g_rand_int_range (random, 0, 4);
  guint position = bytes->len > 0 ? g_rand_int_range (random, 0, bytes->len) : 0;

  switch (operation)
    {
    case 0:  /* flip a byte */
      if (bytes->len > 0)
        bytes->data[position] ^= (guint8) g_rand_int_range (random, 1, 256);
      break;
    case 1:  /* cut */
      g_byte_array_set_size (bytes, position);
      break;
    case 2:  /* insert a token */
      {
        const char *token = tokens[g_rand_int_range (random, 0, G_N_ELEMENTS (tokens))];
        {
          g_autoptr(GByteArray) tail = g_byte_array_new ();
          g_byte_array_append (tail, bytes->data + position, bytes->len - position);
          g_byte_array_set_size (bytes, position);
          g_byte_array_append (bytes, (const guint8 *) token, strlen (token));
          g_byte_array_append (bytes, tail->data, tail->len);
        }
      }
      break;
    default:  /* repeat a slice, for depth and size */
      {
        guint length = MIN (bytes->len - position, 64u);
        g_autoptr(GByteArray) slice = g_byte_array_new ();

        g_byte_array_append (slice, bytes->data + position, length);
        for (guint i = 0; i < 20; i++)
          g_byte_array_append (bytes, slice->data, slice->len);
      }
    }
}

static guint
run_file (const char *path,
          GRand      *random,
          guint       mutations)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return 0;
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  for (guint i = 0; i < mutations; i++)
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      guint rounds = g_rand_int_range (random, 1, 6);

      g_byte_array_append (bytes, (const guint8 *) contents, MIN (length, 256 * 1024));
      for (guint r = 0; r < rounds; r++)
        mutate (random, bytes);
      LLVMFuzzerTestOneInput (bytes->data, bytes->len);
    }
  return 1 + mutations;
}

/* Usage: fuzz-sos [--mutations N] DIRECTORY|FILE… */
int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) random = g_rand_new_with_seed (20261121);
  guint mutations = 200, inputs = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--mutations") && i + 1 < argc)
        {
          mutations = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
          continue;
        }
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) directory = g_dir_open (argv[i], 0, NULL);
          const char *name;

          while (directory != NULL && (name = g_dir_read_name (directory)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);

              if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
                inputs += run_file (path, random, mutations);
            }
        }
      else if (g_file_test (argv[i], G_FILE_TEST_IS_REGULAR))
        inputs += run_file (argv[i], random, mutations);
    }
  g_print ("fuzz-sos: %u inputs, no crash\n", inputs);
  return inputs > 0 ? 0 : 1;
}
#endif
