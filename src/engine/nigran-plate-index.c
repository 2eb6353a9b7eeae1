/* nigran-plate-index.c: registrations to look out for, found again in what a reader
 * saw despite its confusions
 *
 * OCR confuses O, D and 0; I and 1; B and 8; S and 5; Z and 2; G and 6. Each
 * registration is kept under its canonical form, in which every such letter is its
 * digit, packed into 64 bits (6 bits a character, up to ten), in an open-addressing
 * table. A read is looked up by its canonical form; a hit whose letters differ from
 * the read's is approximate. Only when nothing matches so is one further edit
 * tolerated: one character dropped or one too many, as a dirty plate or a bolt head
 * makes. A changed character is not: two plates of one series differ by exactly
 * that, and must not be taken for each other. The variants are made at lookup (a
 * read of seven characters: 7 shorter, 8 × 29 longer), so the table holds each entry
 * once.
 *
 * A wildcard entry (AC-49*) matches every registration that begins so; it is kept in
 * a second table under its canonical prefix, and a read looks up each of its own
 * prefixes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "nigran-plate-format.h"
#include "nigran-plate-index.h"

#define MAX_CHARACTERS 10

typedef struct
{
  guint64 *keys;      /* 0: empty */
  guint32 *entries;
  gsize    capacity;  /* a power of two */
  gsize    used;
} Table;

struct _NigranPlateIndex
{
  GObject    parent_instance;

  Table      registrations;
  Table      prefixes;
  GPtrArray *patterns;   /* per entry: as normalised ("AC4903", "AC49*") */
  GArray    *removed;    /* of gboolean, per entry */
  guint      size;
};

G_DEFINE_FINAL_TYPE (NigranPlateIndex, nigran_plate_index, G_TYPE_OBJECT)

static char
canonical (char c)
{
  switch (c)
    {
    case 'O': case 'D': return '0';
    case 'I': return '1';
    case 'B': return '8';
    case 'S': return '5';
    case 'Z': return '2';
    case 'G': return '6';
    default: return c;
    }
}

/* The characters a canonical form is made of: digits and the letters left. */
static const char canonical_alphabet[] = "0123456789ACEFHJKLMNPQRTUVWXY";

/* 0 for a form too long to pack. */
static guint64
pack (const char *text,
      gsize       length)
{
  guint64 key = 0;

  if (length == 0 || length > MAX_CHARACTERS)
    return 0;
  for (gsize i = 0; i < length; i++)
    {
      char c = canonical (text[i]);
      guint code = g_ascii_isdigit (c) ? (guint)(c - '0') + 1 : (guint)(c - 'A') + 11;

      key = (key << 6) | code;
    }
  return key;
}

static gsize
mix (guint64 key)
{
  key ^= key >> 33;
  key *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  key ^= key >> 33;
  return (gsize)key;
}

static void table_insert (Table *table, guint64 key, guint32 entry);

static void
table_grow (Table *table)
{
  Table bigger = { 0 };

  bigger.capacity = table->capacity ? table->capacity * 2 : 1024;
  bigger.keys = g_new0 (guint64, bigger.capacity);
  bigger.entries = g_new (guint32, bigger.capacity);
  for (gsize i = 0; i < table->capacity; i++)
    if (table->keys[i] != 0)
      table_insert (&bigger, table->keys[i], table->entries[i]);
  g_free (table->keys);
  g_free (table->entries);
  *table = bigger;
}

static void
table_insert (Table   *table,
              guint64  key,
              guint32  entry)
{
  gsize slot;

  /* At most half full: probes stay short. */
  if ((table->used + 1) * 2 > table->capacity)
    table_grow (table);
  for (slot = mix (key) & (table->capacity - 1); table->keys[slot] != 0; slot = (slot + 1) & (table->capacity - 1))
    ;
  table->keys[slot] = key;
  table->entries[slot] = entry;
  table->used++;
}

/* Calls @found for every entry kept under @key. */
static void
table_find (const Table *table,
            guint64      key,
            void       (*found) (NigranPlateIndex *, guint, const char *, GArray *),
            NigranPlateIndex *self,
            const char  *read,
            GArray      *hits)
{
  if (table->capacity == 0 || key == 0)
    return;
  for (gsize slot = mix (key) & (table->capacity - 1); table->keys[slot] != 0;
       slot = (slot + 1) & (table->capacity - 1))
    if (table->keys[slot] == key)
      found (self, table->entries[slot], read, hits);
}

static void
nigran_plate_index_finalize (GObject *object)
{
  NigranPlateIndex *self = NIGRAN_PLATE_INDEX (object);

  g_free (self->registrations.keys);
  g_free (self->registrations.entries);
  g_free (self->prefixes.keys);
  g_free (self->prefixes.entries);
  g_ptr_array_unref (self->patterns);
  g_array_unref (self->removed);

  G_OBJECT_CLASS (nigran_plate_index_parent_class)->finalize (object);
}

static void
nigran_plate_index_class_init (NigranPlateIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_plate_index_finalize;
}

static void
nigran_plate_index_init (NigranPlateIndex *self)
{
  self->patterns = g_ptr_array_new_with_free_func (g_free);
  self->removed = g_array_new (FALSE, TRUE, sizeof (gboolean));
}

NigranPlateIndex *
nigran_plate_index_new (void)
{
  return g_object_new (NIGRAN_TYPE_PLATE_INDEX, NULL);
}

/* Upper case, letters and digits only. */
static char *
letters_and_digits (const char *text)
{
  GString *kept = g_string_new (NULL);

  for (const char *c = text; *c != '\0'; c++)
    if (g_ascii_isalnum (*c))
      g_string_append_c (kept, g_ascii_toupper (*c));
  return g_string_free (kept, FALSE);
}

/**
 * nigran_plate_index_normalise:
 * @pattern: a registration as people write it ("AC-4903", "LEA-12 2545": the Punjab
 *   year is not part of it), or one ending in `*` for every registration that begins
 *   so ("AC-49*")
 *
 * Returns: (transfer full) (nullable): the pattern as the index keeps it ("AC4903",
 *   "LEA2545", "AC49*"), or NULL, with an error to show, for a pattern that is
 *   empty, has a `*` elsewhere than at its end, or more than ten letters and digits
 */
char *
nigran_plate_index_normalise (const char  *pattern,
                              GError     **error)
{
  g_autofree char *normalised = NULL;
  const char *star;
  gsize length;

  g_return_val_if_fail (pattern != NULL, NULL);

  star = strchr (pattern, '*');
  if (star != NULL && (strchr (star + 1, '*') != NULL || strspn (star + 1, " ") != strlen (star + 1)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: a * may only end a plate, as in AC-49*", pattern);
      return NULL;
    }
  if (star != NULL)
    normalised = letters_and_digits (pattern);
  else
    {
      NigranPlate plate;

      nigran_plate_parse (pattern, &plate);
      normalised = g_strdup (plate.registration);
    }
  length = strlen (normalised);
  if (pack (normalised, length) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   length == 0 ? "“%s” has no letters or digits" : "“%s” is longer than any plate",
                   pattern);
      return NULL;
    }
  return star != NULL ? g_strconcat (normalised, "*", NULL) : g_steal_pointer (&normalised);
}

/**
 * nigran_plate_index_add:
 * @pattern: as nigran_plate_index_normalise() takes it
 * @entry: (out): the entry's number, for nigran_plate_index_remove() and in hits
 *
 * Returns: FALSE, with an error to show, for a pattern that cannot be one
 */
gboolean
nigran_plate_index_add (NigranPlateIndex  *self,
                        const char        *pattern,
                        guint             *entry,
                        GError           **error)
{
  char *normalised;
  gboolean wildcard;
  gsize length;
  gboolean removed = FALSE;

  g_return_val_if_fail (NIGRAN_IS_PLATE_INDEX (self), FALSE);
  g_return_val_if_fail (pattern != NULL && entry != NULL, FALSE);

  normalised = nigran_plate_index_normalise (pattern, error);
  if (normalised == NULL)
    return FALSE;
  length = strlen (normalised);
  wildcard = normalised[length - 1] == '*';

  *entry = self->patterns->len;
  g_ptr_array_add (self->patterns, normalised);
  g_array_append_val (self->removed, removed);
  table_insert (wildcard ? &self->prefixes : &self->registrations, pack (normalised, length - wildcard), *entry);
  self->size++;
  return TRUE;
}

/* The entry matches no more. */
void
nigran_plate_index_remove (NigranPlateIndex *self,
                           guint             entry)
{
  g_return_if_fail (NIGRAN_IS_PLATE_INDEX (self));
  g_return_if_fail (entry < self->removed->len);

  if (!g_array_index (self->removed, gboolean, entry))
    {
      g_array_index (self->removed, gboolean, entry) = TRUE;
      self->size--;
    }
}

guint
nigran_plate_index_get_size (NigranPlateIndex *self)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_INDEX (self), 0);
  return self->size;
}

/* The entry as kept: "AC4903", or "AC49*" for a wildcard. */
const char *
nigran_plate_index_get_pattern (NigranPlateIndex *self,
                                guint             entry)
{
  g_return_val_if_fail (NIGRAN_IS_PLATE_INDEX (self), NULL);
  g_return_val_if_fail (entry < self->patterns->len, NULL);
  return self->patterns->pdata[entry];
}

static void
add_hit (GArray   *hits,
         guint     entry,
         gboolean  approximate)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_array_index (hits, NigranPlateHit, i).entry == entry)
      {
        g_array_index (hits, NigranPlateHit, i).approximate &= approximate;
        return;
      }
  g_array_append_val (hits, ((NigranPlateHit) { entry, approximate }));
}

static void
found_same (NigranPlateIndex *self,
            guint             entry,
            const char       *read,
            GArray           *hits)
{
  if (!g_array_index (self->removed, gboolean, entry))
    add_hit (hits, entry, strcmp (self->patterns->pdata[entry], read) != 0);
}

static void
found_edited (NigranPlateIndex *self,
              guint             entry,
              const char       *read,
              GArray           *hits)
{
  if (!g_array_index (self->removed, gboolean, entry))
    add_hit (hits, entry, TRUE);
}

static void
found_prefix (NigranPlateIndex *self,
              guint             entry,
              const char       *read,
              GArray           *hits)
{
  const char *pattern = self->patterns->pdata[entry];

  if (!g_array_index (self->removed, gboolean, entry))
    add_hit (hits, entry, strncmp (pattern, read, strlen (pattern) - 1) != 0);
}

/**
 * nigran_plate_index_lookup:
 * @registration: as read ("AC4903"; separators and case do not matter)
 *
 * Returns: (transfer full): the entries it matches, of #NigranPlateHit; exact hits
 *   alone when there is one
 */
GArray *
nigran_plate_index_lookup (NigranPlateIndex *self,
                           const char       *registration)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (NigranPlateHit));
  g_autofree char *read = NULL;
  char variant[MAX_CHARACTERS + 2];
  gsize length;
  gboolean exact = FALSE;

  g_return_val_if_fail (NIGRAN_IS_PLATE_INDEX (self), hits);

  read = letters_and_digits (registration);
  length = strlen (read);
  if (length == 0 || length > MAX_CHARACTERS + 1)
    return hits;

  table_find (&self->registrations, pack (read, length), found_same, self, read, hits);
  for (gsize prefix = 1; prefix <= length; prefix++)
    table_find (&self->prefixes, pack (read, prefix), found_prefix, self, read, hits);
  for (guint i = 0; i < hits->len; i++)
    exact |= !g_array_index (hits, NigranPlateHit, i).approximate;

  if (!exact)
    {
      /* One character too many in the read, at any place. */
      for (gsize skip = 0; length > 1 && skip < length; skip++)
        {
          memcpy (variant, read, skip);
          memcpy (variant + skip, read + skip + 1, length - skip - 1);
          table_find (&self->registrations, pack (variant, length - 1), found_edited, self, read, hits);
        }
      /* One character missing from the read. */
      for (gsize at = 0; length < MAX_CHARACTERS && at <= length; at++)
        for (const char *c = canonical_alphabet; *c != '\0'; c++)
          {
            memcpy (variant, read, at);
            variant[at] = *c;
            memcpy (variant + at + 1, read + at, length - at);
            table_find (&self->registrations, pack (variant, length + 1), found_edited, self, read, hits);
          }
    }
  else
    {
      /* Exact hits are the answer: another plate that a confusion makes alike is a
       * different vehicle. */
      for (guint i = hits->len; i-- > 0;)
        if (g_array_index (hits, NigranPlateHit, i).approximate)
          g_array_remove_index (hits, i);
    }
  return hits;
}
