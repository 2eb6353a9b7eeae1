/* test-plate-index.c: hotlist lookups that forgive OCR's confusions, and only those
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "engine/nigran-plate-index.h"

/* The one hit of @read, or G_MAXUINT; whether it is approximate. */
static guint
only_hit (NigranPlateIndex *index,
          const char       *read,
          gboolean         *approximate)
{
  g_autoptr(GArray) hits = nigran_plate_index_lookup (index, read);

  if (hits->len != 1)
    return G_MAXUINT;
  *approximate = g_array_index (hits, NigranPlateHit, 0).approximate;
  return g_array_index (hits, NigranPlateHit, 0).entry;
}

static void
test_confusions (void)
{
  g_autoptr(NigranPlateIndex) index = nigran_plate_index_new ();
  g_autoptr(GError) error = NULL;
  guint stolen, punjab, series, other;
  gboolean approximate = FALSE;
  static const struct { const char *read; gboolean approximate; } stolen_reads[] = {
    { "AC4903", FALSE }, { "ac-4903", FALSE },
    { "AC49O3", TRUE },  /* O for 0 */
    { "A C 4 9 D 3", TRUE },
    { "AC493", TRUE },   /* a character lost */
    { "AC49033", TRUE }, /* one too many */
    { "XAC4903", TRUE },
  };

  g_assert_true (nigran_plate_index_add (index, "AC-4903", &stolen, &error));
  g_assert_true (nigran_plate_index_add (index, "LEA-12 2545", &punjab, &error));
  g_assert_true (nigran_plate_index_add (index, "BF-49*", &series, &error));
  g_assert_true (nigran_plate_index_add (index, "ASY-747", &other, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nigran_plate_index_get_size (index), ==, 4);
  g_assert_cmpstr (nigran_plate_index_get_pattern (index, punjab), ==, "LEA2545");
  g_assert_cmpstr (nigran_plate_index_get_pattern (index, series), ==, "BF49*");

  for (guint i = 0; i < G_N_ELEMENTS (stolen_reads); i++)
    {
      g_assert_cmpuint (only_hit (index, stolen_reads[i].read, &approximate), ==, stolen);
      g_assert_cmpint (approximate, ==, stolen_reads[i].approximate);
    }
  /* A changed digit is another car. */
  g_assert_cmpuint (only_hit (index, "AC4904", &approximate), ==, G_MAXUINT);
  g_assert_cmpuint (only_hit (index, "AC4803", &approximate), ==, G_MAXUINT);

  g_assert_cmpuint (only_hit (index, "LEA2545", &approximate), ==, punjab);
  g_assert_false (approximate);
  g_assert_cmpuint (only_hit (index, "BF4911", &approximate), ==, series);
  g_assert_false (approximate);
  g_assert_cmpuint (only_hit (index, "8F4911", &approximate), ==, series);
  g_assert_true (approximate);
  g_assert_cmpuint (only_hit (index, "BF5911", &approximate), ==, G_MAXUINT);
  g_assert_cmpuint (only_hit (index, "A5Y747", &approximate), ==, other);
  g_assert_true (approximate);

  nigran_plate_index_remove (index, stolen);
  g_assert_cmpuint (nigran_plate_index_get_size (index), ==, 3);
  g_assert_cmpuint (only_hit (index, "AC4903", &approximate), ==, G_MAXUINT);
}

static void
test_bad_patterns (void)
{
  g_autoptr(NigranPlateIndex) index = nigran_plate_index_new ();
  static const char * const bad[] = { "", " - ", "A*C", "AC**", "ABCDEFGHIJK1" };
  guint entry;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (nigran_plate_index_add (index, bad[i], &entry, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
    }
  g_assert_cmpuint (nigran_plate_index_get_size (index), ==, 0);
}

/* 100,000 real registrations of ten Karachi series (AA-1 … AJ-9999): each read
 * right finds itself alone, never another of its series; and 100,000 lookups take
 * what they take. */
static void
test_same_series (void)
{
  g_autoptr(NigranPlateIndex) index = nigran_plate_index_new ();
  g_autoptr(GPtrArray) registrations = g_ptr_array_new_with_free_func (g_free);
  gint64 started;
  double took;

  for (char series = 'A'; series <= 'J'; series++)
    for (guint number = 0; number < 10000; number++)
      {
        char *registration = g_strdup_printf ("A%c%u", series, number);
        guint entry;

        g_assert_true (nigran_plate_index_add (index, registration, &entry, NULL));
        g_assert_cmpuint (entry, ==, registrations->len);
        g_ptr_array_add (registrations, registration);
      }
  g_assert_cmpuint (nigran_plate_index_get_size (index), ==, 100000);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < registrations->len; i++)
    {
      gboolean approximate = TRUE;

      if (only_hit (index, registrations->pdata[i], &approximate) != i || approximate)
        g_error ("%s found %s", (char *)registrations->pdata[i], approximate ? "approximately" : "others too");
    }
  took = (g_get_monotonic_time () - started) / (double)registrations->len;
  g_test_message ("100,000 lookups: %.1f µs each", took);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plate-index/confusions", test_confusions);
  g_test_add_func ("/plate-index/bad-patterns", test_bad_patterns);
  g_test_add_func ("/plate-index/same-series", test_same_series);

  return g_test_run ();
}
