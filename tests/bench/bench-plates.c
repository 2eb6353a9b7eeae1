/* bench-plates.c: number plates, as far as they are built
 *
 * Hotlist lookup with 1,000,000 entries (target ≤ 1 ms a lookup, confusion-tolerant
 * matching included): reads that are on the list, reads with a confusion (O for 0)
 * or a lost character, and reads of cars on no list (the common case, and the
 * slowest: every one-character variant is tried). The baseline, measured in the same
 * run, is an exact lookup of the same reads in a GHashTable of the same registrations.
 *
 * Plate detection per frame, OCR per plate and alert latency come with the reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "engine/nigran-plate-index.h"

#define N_ENTRIES 1000000
#define N_READS   20000

/* A Karachi registration: three letters and three digits, or two and four. */
static char *
random_registration (GRand *rand)
{
  static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  char text[8];
  gboolean three = g_rand_boolean (rand);

  for (guint i = 0; i < (three ? 3u : 2u); i++)
    text[i] = letters[g_rand_int_range (rand, 0, sizeof letters - 1)];
  g_snprintf (text + (three ? 3 : 2), 6, three ? "%03d" : "%04d", g_rand_int_range (rand, 0, three ? 1000 : 10000));
  return g_strdup (text);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(NigranPlateIndex) index = nigran_plate_index_new ();
  g_autoptr(GHashTable) baseline = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *reads[3];
  const char *kinds[3] = { "listed, read right", "listed, one confusion or a lost character", "on no list" };
  gint64 started;
  guint found = 0;

  started = g_get_monotonic_time ();
  for (guint i = 0; i < N_ENTRIES; i++)
    {
      char *registration = random_registration (rand);
      guint entry;

      if (!nigran_plate_index_add (index, registration, &entry, NULL))
        g_error ("%s not added", registration);
      g_hash_table_add (baseline, registration);
      g_ptr_array_add (listed, registration);
    }
  g_print ("hotlist of %u entries built in %.2f s\n", N_ENTRIES, (g_get_monotonic_time () - started) / 1e6);

  for (guint kind = 0; kind < 3; kind++)
    {
      reads[kind] = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < N_READS; i++)
        {
          const char *original = listed->pdata[g_rand_int_range (rand, 0, N_ENTRIES)];
          char *read = g_strdup (original);

          if (kind == 1)
            {
              /* The last digit lost, or a 0 read as O. */
              char *zero = strchr (read, '0');

              if (zero != NULL)
                *zero = 'O';
              else
                read[strlen (read) - 1] = '\0';
            }
          else if (kind == 2)
            {
              g_free (read);
              read = random_registration (rand);
            }
          g_ptr_array_add (reads[kind], read);
        }
    }

  for (guint kind = 0; kind < 3; kind++)
    {
      double index_us, baseline_us;
      guint hits = 0;

      started = g_get_monotonic_time ();
      for (guint i = 0; i < N_READS; i++)
        found += g_hash_table_contains (baseline, reads[kind]->pdata[i]);
      baseline_us = (g_get_monotonic_time () - started) / (double)N_READS;

      started = g_get_monotonic_time ();
      for (guint i = 0; i < N_READS; i++)
        {
          g_autoptr(GArray) matches = nigran_plate_index_lookup (index, reads[kind]->pdata[i]);

          hits += matches->len > 0;
        }
      index_us = (g_get_monotonic_time () - started) / (double)N_READS;
      g_print ("lookup, %-42s %6.2f µs (exact GHashTable lookup %.2f µs, ratio %.0f); %u of %u found\n",
               kinds[kind], index_us, baseline_us, index_us / MAX (baseline_us, 0.001), hits, N_READS);
    }
  for (guint kind = 0; kind < 3; kind++)
    g_ptr_array_unref (reads[kind]);
  return found == 0;
}
