/* nigran-plate-format.c: Pakistani number plates, from what a reader saw to a
 * registration and the authority that issued it
 *
 * A plate's text is split at anything that is not a letter or a digit, then matched
 * against each authority's grammar, most particular first:
 *
 *   diplomatic   CD-45-12, CC-7-110, UN-3-45 (corps, mission, vehicle), or 45-CD-12;
 *                read without the gap between mission and vehicle (CD-4512), still
 *                diplomatic unless a province's band word is read with it: taking a
 *                consulate's car for a private one is the worse mistake
 *   government   GS-1234 (Sindh), GP (Punjab), GK (Khyber Pakhtunkhwa), GB
 *                (Balochistan), GA (federal): G, a letter, up to four digits
 *   Punjab       a district's letters, the two-digit year apart, up to four digits:
 *                LEA-12 2545 (the year kept beside the registration LEA2545; a year
 *                read as one digit is dropped); or the district's letters and the
 *                number alone (LEB 6466)
 *   Islamabad    I and up to two letters, up to four digits (IDA-1234)
 *   Khyber P.    P and up to two letters, up to four digits (PRA-1234)
 *   Balochistan  Q and up to two letters, up to four digits (QAA-123)
 *   Sindh        three letters and three digits (ASY-747), two letters and four
 *                (AC-4903), the old Karachi one letter and four (C-8649), or two
 *                letters, three digits and a letter (TD-483C): a series' numbers are
 *                written with all their digits (BCS-036), so a digit lost in reading
 *                leaves a plate that fits no grammar
 *
 * A band word read with the number (SINDH, PUNJAB, ISLAMABAD, KP, BALOCHISTAN)
 * decides the authority of a plate whose shape any of them could have. The Sindh
 * series have not reached the letters that begin the other provinces' (I, L, M, P,
 * Q, R, F) in Karachi, which is what lets the shape alone tell them apart there.
 * Text that fits none is a non-standard plate: the "fake, fancy and dubious" plates
 * the province asks to be caught.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "nigran-plate-format.h"

/* Punjab's district letters seen on its plates (Lahore, Rawalpindi, Faisalabad,
 * Multan, Gujranwala, Sargodha, Sialkot, Bahawalpur, Dera Ghazi Khan, Sheikhupura). */
#define PUNJAB_DISTRICTS "LE|RI|FD|MN|GA|SG|SK|BW|DG|SP"

typedef struct
{
  NigranPlateAuthority authority;
  const char          *pattern;     /* on the tokens joined by '-' */
  /* The groups that make the registration, the year's group, and how to show it. */
  int                  letters, number, suffix, year;
  gboolean             yields_to_band;   /* another authority's, when its band is read */
} Grammar;

static const Grammar grammars[] = {
  { NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "^(CD|CC|UN)-?([0-9]{1,3})-([0-9]{1,4})$", 1, 2, 3, 0 },
  { NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "^([0-9]{1,3})-(CD|CC|UN)-([0-9]{1,4})$", 2, 1, 3, 0 },
  { NIGRAN_PLATE_AUTHORITY_DIPLOMATIC, "^(CD|CC|UN)-?([0-9]{2,7})$", 1, 2, 0, 0, TRUE },
  { NIGRAN_PLATE_AUTHORITY_GOVERNMENT, "^(G[ABKPS])-?([0-9]{1,4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_PUNJAB, "^((?:" PUNJAB_DISTRICTS ")[A-Z]?)-?([0-9]{1,2})-([0-9]{1,4})$", 1, 3, 0, 2 },
  { NIGRAN_PLATE_AUTHORITY_PUNJAB, "^((?:" PUNJAB_DISTRICTS ")[A-Z]?)-?([0-9]{2})([0-9]{3,4})$", 1, 3, 0, 2 },
  { NIGRAN_PLATE_AUTHORITY_PUNJAB, "^((?:" PUNJAB_DISTRICTS ")[A-Z]?)-?([0-9]{1,4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_ISLAMABAD, "^(I[A-Z]{1,2})-?([0-9]{1,4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA, "^(P[A-Z]{1,2})-?([0-9]{1,4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_BALOCHISTAN, "^(Q[A-Z]{1,2})-?([0-9]{1,4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_SINDH, "^([A-Z]{3})-?([0-9]{3})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_SINDH, "^([A-Z]{2})-?([0-9]{4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_SINDH, "^([A-Z])-?([0-9]{4})$", 1, 2, 0, 0 },
  { NIGRAN_PLATE_AUTHORITY_SINDH, "^([A-Z]{2})-?([0-9]{3})-?([A-Z])$", 1, 2, 3, 0 },
};

/* Band words, and the authority whose grammar then applies to any shape. */
static const struct
{
  const char           *word;
  NigranPlateAuthority  authority;
} bands[] = {
  { "SINDH", NIGRAN_PLATE_AUTHORITY_SINDH },
  { "KARACHI", NIGRAN_PLATE_AUTHORITY_SINDH },
  { "PUNJAB", NIGRAN_PLATE_AUTHORITY_PUNJAB },
  { "ISLAMABAD", NIGRAN_PLATE_AUTHORITY_ISLAMABAD },
  { "ICT", NIGRAN_PLATE_AUTHORITY_ISLAMABAD },
  { "KP", NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA },
  { "KPK", NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA },
  { "BALOCHISTAN", NIGRAN_PLATE_AUTHORITY_BALOCHISTAN },
};

static const char * const authority_names[] = {
  [NIGRAN_PLATE_AUTHORITY_NONE] = "none",
  [NIGRAN_PLATE_AUTHORITY_SINDH] = "sindh",
  [NIGRAN_PLATE_AUTHORITY_PUNJAB] = "punjab",
  [NIGRAN_PLATE_AUTHORITY_ISLAMABAD] = "islamabad",
  [NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA] = "khyber-pakhtunkhwa",
  [NIGRAN_PLATE_AUTHORITY_BALOCHISTAN] = "balochistan",
  [NIGRAN_PLATE_AUTHORITY_GOVERNMENT] = "government",
  [NIGRAN_PLATE_AUTHORITY_DIPLOMATIC] = "diplomatic",
};

const char *
nigran_plate_authority_to_string (NigranPlateAuthority authority)
{
  g_return_val_if_fail (authority < G_N_ELEMENTS (authority_names), "none");
  return authority_names[authority];
}

static GRegex *regexes[G_N_ELEMENTS (grammars)];

static gpointer
compile_grammars (gpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (grammars); i++)
    regexes[i] = g_regex_new (grammars[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
  return NULL;
}

/* Compiled once, for every thread. */
static GRegex *
compiled (guint index)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, compile_grammars, NULL);
  return regexes[index];
}

static gboolean
apply (guint        index,
       const char  *joined,
       NigranPlate *plate)
{
  const Grammar *grammar = &grammars[index];
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *letters = NULL, *number = NULL, *suffix = NULL, *year = NULL;

  if (!g_regex_match (compiled (index), joined, 0, &match))
    return FALSE;
  letters = g_match_info_fetch (match, grammar->letters);
  number = g_match_info_fetch (match, grammar->number);
  suffix = grammar->suffix ? g_match_info_fetch (match, grammar->suffix) : g_strdup ("");
  year = grammar->year ? g_match_info_fetch (match, grammar->year) : g_strdup ("");

  memset (plate, 0, sizeof *plate);
  plate->authority = grammar->authority;
  /* A year of one digit is a year half read: the registration holds, the year is unknown. */
  if (strlen (year) == 2)
    g_strlcpy (plate->year, year, sizeof plate->year);
  if (grammar->authority == NIGRAN_PLATE_AUTHORITY_DIPLOMATIC)
    {
      g_snprintf (plate->registration, sizeof plate->registration, "%s%s%s", letters, number, suffix);
      g_snprintf (plate->display, sizeof plate->display, "%s-%s%s%s", letters, number, *suffix ? "-" : "", suffix);
    }
  else
    {
      g_snprintf (plate->registration, sizeof plate->registration, "%s%s%s", letters, number, suffix);
      if (*plate->year != '\0')
        g_snprintf (plate->display, sizeof plate->display, "%s-%s %s", letters, plate->year, number);
      else
        g_snprintf (plate->display, sizeof plate->display, "%s-%s%s", letters, number, suffix);
    }
  return TRUE;
}

/**
 * nigran_plate_parse:
 * @text: what was read, in any case, with any separators ("ac 4903", "LEA-12 2545")
 *
 * Returns: whether @text fits a grammar; if so @plate holds its registration, year,
 *   how it is written and its authority. If not, @plate holds the letters and digits
 *   read, and NIGRAN_PLATE_AUTHORITY_NONE: a non-standard plate.
 */
gboolean
nigran_plate_parse (const char  *text,
                    NigranPlate *plate)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GString) compact = g_string_new (NULL);
  g_auto(GStrv) tokens = NULL;
  g_autofree char *upper = NULL;
  NigranPlateAuthority band = NIGRAN_PLATE_AUTHORITY_NONE;

  g_return_val_if_fail (text != NULL && plate != NULL, FALSE);

  upper = g_ascii_strup (text, -1);
  for (char *c = upper; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      *c = ' ';
  tokens = g_strsplit (upper, " ", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      gboolean is_band = FALSE;

      if (*tokens[i] == '\0')
        continue;
      for (guint b = 0; b < G_N_ELEMENTS (bands); b++)
        if (g_str_equal (tokens[i], bands[b].word))
          {
            band = bands[b].authority;
            is_band = TRUE;
          }
      if (is_band)
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, '-');
      g_string_append (joined, tokens[i]);
      g_string_append (compact, tokens[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (grammars); i++)
    if (!(grammars[i].yields_to_band && band != NIGRAN_PLATE_AUTHORITY_NONE) && apply (i, joined->str, plate))
      {
        /* A band word says whose plate a shape is that several could have. */
        if (band != NIGRAN_PLATE_AUTHORITY_NONE && plate->authority != NIGRAN_PLATE_AUTHORITY_DIPLOMATIC &&
            plate->authority != NIGRAN_PLATE_AUTHORITY_GOVERNMENT)
          plate->authority = band;
        return TRUE;
      }

  memset (plate, 0, sizeof *plate);
  g_strlcpy (plate->registration, compact->str, sizeof plate->registration);
  g_strlcpy (plate->display, joined->str, sizeof plate->display);
  plate->authority = NIGRAN_PLATE_AUTHORITY_NONE;
  return FALSE;
}
