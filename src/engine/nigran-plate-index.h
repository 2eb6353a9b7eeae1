/* nigran-plate-index.h: registrations to look out for, found again in what a reader
 * saw despite its confusions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  guint    entry;        /* as nigran_plate_index_add() returned it */
  gboolean approximate;  /* found only through a confusion or one dropped or extra character */
} NigranPlateHit;

#define NIGRAN_TYPE_PLATE_INDEX (nigran_plate_index_get_type ())
G_DECLARE_FINAL_TYPE (NigranPlateIndex, nigran_plate_index, NIGRAN, PLATE_INDEX, GObject)

NigranPlateIndex *nigran_plate_index_new      (void);
char             *nigran_plate_index_normalise (const char      *pattern,
                                               GError         **error);
gboolean          nigran_plate_index_add      (NigranPlateIndex *self,
                                               const char       *pattern,
                                               guint            *entry,
                                               GError          **error);
void              nigran_plate_index_remove   (NigranPlateIndex *self,
                                               guint             entry);
guint             nigran_plate_index_get_size (NigranPlateIndex *self);
const char       *nigran_plate_index_get_pattern (NigranPlateIndex *self,
                                               guint             entry);
GArray           *nigran_plate_index_lookup   (NigranPlateIndex *self,
                                               const char       *registration);

G_END_DECLS
