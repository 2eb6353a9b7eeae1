/* nigran-plate-reader.h: the text of a number plate, read with Tesseract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "nigran-engine.h"
#include "nigran-plate-format.h"

G_BEGIN_DECLS

#define NIGRAN_PLATE_READER_MAX_TEXT 32

typedef struct
{
  /* As read, its rows joined by a space: "LEA12 2545". Empty when nothing was read. */
  char        text[NIGRAN_PLATE_READER_MAX_TEXT];
  /* Per letter and digit of @text (spaces skipped), 0–1. */
  float       character_confidence[NIGRAN_PLATE_READER_MAX_TEXT];
  guint       n_characters;
  /* The least sure character's. */
  float       confidence;
  NigranPlate plate;
  gboolean    standard;     /* @plate fits a grammar */
} NigranPlateReading;

typedef struct _NigranPlateReader NigranPlateReader;

NigranPlateReader *nigran_plate_reader_new  (const char          *tessdata_dir,
                                             GError             **error);
void               nigran_plate_reader_free (NigranPlateReader   *self);
gboolean           nigran_plate_reader_read (NigranPlateReader   *self,
                                             NigranPixelFormat    format,
                                             const guint8        *data,
                                             int                  width,
                                             int                  height,
                                             int                  stride,
                                             NigranPlateReading  *reading,
                                             GError             **error);

gboolean           nigran_plate_reading_is_plate (const NigranPlateReading *reading);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranPlateReader, nigran_plate_reader_free)

G_END_DECLS
