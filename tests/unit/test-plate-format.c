/* test-plate-format.c: Pakistani plates to registrations, on tables of real formats
 * and near misses, and on every labelled plate of ../shared/data/plates/pakistan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-csv.h"
#include "engine/nigran-plate-format.h"

typedef struct
{
  const char           *text;
  const char           *registration;   /* NULL: non-standard */
  const char           *year;
  NigranPlateAuthority  authority;
  const char           *display;
} Case;

static void
check (const Case *cases,
       guint       n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      NigranPlate plate;
      gboolean fits = nigran_plate_parse (cases[i].text, &plate);

      g_test_message ("%-16s → %-10s %-3s %-18s %s", cases[i].text, plate.registration, plate.year,
                      nigran_plate_authority_to_string (plate.authority), plate.display);
      if (cases[i].registration == NULL)
        {
          g_assert_false (fits);
          g_assert_cmpint (plate.authority, ==, NIGRAN_PLATE_AUTHORITY_NONE);
          continue;
        }
      g_assert_true (fits);
      g_assert_cmpstr (plate.registration, ==, cases[i].registration);
      g_assert_cmpstr (plate.year, ==, cases[i].year);
      g_assert_cmpint (plate.authority, ==, cases[i].authority);
      if (cases[i].display != NULL)
        g_assert_cmpstr (plate.display, ==, cases[i].display);
    }
}

static void
test_formats (void)
{
  static const Case cases[] = {
    { "AC-4903", "AC4903", "", NIGRAN_PLATE_AUTHORITY_SINDH, "AC-4903" },
    { "ac 4903", "AC4903", "", NIGRAN_PLATE_AUTHORITY_SINDH, "AC-4903" },
    { "ASY747", "ASY747", "", NIGRAN_PLATE_AUTHORITY_SINDH, "ASY-747" },
    { "BCS-036 SINDH", "BCS036", "", NIGRAN_PLATE_AUTHORITY_SINDH, "BCS-036" },
    { "C-8649 KARACHI", "C8649", "", NIGRAN_PLATE_AUTHORITY_SINDH, "C-8649" },
    { "TD-483C", "TD483C", "", NIGRAN_PLATE_AUTHORITY_SINDH, "TD-483C" },
    { "LEA-12 2545", "LEA2545", "12", NIGRAN_PLATE_AUTHORITY_PUNJAB, "LEA-12 2545" },
    { "LEA122545", "LEA2545", "12", NIGRAN_PLATE_AUTHORITY_PUNJAB, "LEA-12 2545" },
    { "LEA12 2545", "LEA2545", "12", NIGRAN_PLATE_AUTHORITY_PUNJAB, "LEA-12 2545" },   /* the hyphen not read */
    { "LEA1 7887", "LEA7887", "", NIGRAN_PLATE_AUTHORITY_PUNJAB, "LEA-7887" },        /* the year half read */
    { "LEB 6466", "LEB6466", "", NIGRAN_PLATE_AUTHORITY_PUNJAB, "LEB-6466" },
    { "FD-13 958", "FD958", "13", NIGRAN_PLATE_AUTHORITY_PUNJAB, "FD-13 958" },
    { "RIA 9133 PUNJAB", "RIA9133", "", NIGRAN_PLATE_AUTHORITY_PUNJAB, NULL },
    { "IDA-1234", "IDA1234", "", NIGRAN_PLATE_AUTHORITY_ISLAMABAD, "IDA-1234" },
    { "ABC 123 ISLAMABAD", "ABC123", "", NIGRAN_PLATE_AUTHORITY_ISLAMABAD, "ABC-123" },
    { "PRA-1234", "PRA1234", "", NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA, NULL },
    { "ABC-123 KP", "ABC123", "", NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA, NULL },
    { "QAA-123", "QAA123", "", NIGRAN_PLATE_AUTHORITY_BALOCHISTAN, NULL },
    { "GS-1234", "GS1234", "", NIGRAN_PLATE_AUTHORITY_GOVERNMENT, "GS-1234" },
    { "GP 88", "GP88", "", NIGRAN_PLATE_AUTHORITY_GOVERNMENT, NULL },
    { "CD-45-12", "CD4512", "", NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "CD-45-12" },
    { "45 CD 12", "CD4512", "", NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "CD-45-12" },
    { "CC-7-110", "CC7110", "", NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, NULL },
    { "CD-4512", "CD4512", "", NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "CD-4512" },   /* the gap not seen */
    { "UN 345", "UN345", "", NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "UN-345" },
    { "CD-4512 SINDH", "CD4512", "", NIGRAN_PLATE_AUTHORITY_SINDH, "CD-4512" },   /* a series of the band's */
  };

  check (cases, G_N_ELEMENTS (cases));
}

/* Fake, fancy and dubious: none fits a grammar. */
static void
test_non_standard (void)
{
  static const Case cases[] = {
    { "AC-49034" }, { "ABCD-123" }, { "A1C-123" }, { "ASY-74" }, { "X-123" }, { "786" },
    { "" }, { "AC" }, { "CS-753" }, { "LEA-12 25450" }, { "BOSS 1" }, { "CD-45-12345" }, { "GS-12345" },
  };

  check (cases, G_N_ELEMENTS (cases));
}

/* A province's band word read without its number is no plate: nothing to register,
 * which is how the plate watch and nigran-recognize leave it out. */
static void
test_band_alone (void)
{
  static const char *const bands[] = { "SINDH", "PUNJAB", "KARACHI", "ISLAMABAD", "BALOCHISTAN" };

  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    {
      NigranPlate plate;

      g_assert_false (nigran_plate_parse (bands[i], &plate));
      g_assert_cmpstr (plate.registration, ==, "");
    }
}

/* Every plate of the Pakistani set whose text was legible to its labeller. */
static void
test_labelled_plates (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NIGRAN_SHARED_DATA"), "plates", "pakistan", "labels.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_skip ("../shared/data/plates is absent");
      return;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = nigran_csv_split_record (lines[i]);
      const char *province, *printed, *registration, *year;
      NigranPlate plate;

      if (fields == NULL || fields->len < 6)
        continue;
      province = fields->pdata[1];
      printed = fields->pdata[3];
      registration = fields->pdata[4];
      year = fields->pdata[5];
      if (*registration == '\0' || strchr (printed, '?') != NULL)
        continue;
      g_assert_true (nigran_plate_parse (printed, &plate));
      g_assert_cmpstr (plate.registration, ==, registration);
      g_assert_cmpstr (plate.year, ==, year);
      g_assert_cmpstr (nigran_plate_authority_to_string (plate.authority), ==, province);
      n++;
    }
  g_test_message ("%u labelled plates", n);
  g_assert_cmpuint (n, >=, 60);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plate-format/formats", test_formats);
  g_test_add_func ("/plate-format/non-standard", test_non_standard);
  g_test_add_func ("/plate-format/band-alone", test_band_alone);
  g_test_add_func ("/plate-format/labelled-plates", test_labelled_plates);

  return g_test_run ();
}
