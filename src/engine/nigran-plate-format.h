/* nigran-plate-format.h: Pakistani number plates, from what a reader saw to a
 * registration and the authority that issued it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NIGRAN_PLATE_AUTHORITY_NONE,        /* fits no grammar: a non-standard plate */
  NIGRAN_PLATE_AUTHORITY_SINDH,
  NIGRAN_PLATE_AUTHORITY_PUNJAB,
  NIGRAN_PLATE_AUTHORITY_ISLAMABAD,
  NIGRAN_PLATE_AUTHORITY_KHYBER_PAKHTUNKHWA,
  NIGRAN_PLATE_AUTHORITY_BALOCHISTAN,
  NIGRAN_PLATE_AUTHORITY_GOVERNMENT,
  NIGRAN_PLATE_AUTHORITY_DIPLOMATIC,
} NigranPlateAuthority;

#define NIGRAN_PLATE_MAX 16

typedef struct
{
  /* Letters and digits only, without a Punjab year: what hotlists hold ("AC4903"). */
  char                 registration[NIGRAN_PLATE_MAX];
  /* A Punjab plate's two-digit year of registration, apart ("12"), or "". */
  char                 year[3];
  /* As people write it: "AC-4903", "LEA-12 2545", "CD-45-12". */
  char                 display[NIGRAN_PLATE_MAX + 4];
  NigranPlateAuthority authority;
} NigranPlate;

const char *nigran_plate_authority_to_string (NigranPlateAuthority  authority);
gboolean    nigran_plate_parse               (const char           *text,
                                              NigranPlate          *plate);

G_END_DECLS
