/* nigran-frame-stamp.c: capture time carried inside an H.264 access unit
 *
 * The simulator stamps each access unit with the UTC time at which it is captured
 * (sent), as an SEI "user data unregistered" message; the console reads it back after
 * depayloading, which gives the frame's age on screen without re-encoding the footage
 * per viewer. The time is written as 16 hexadecimal digits so the payload never holds
 * the byte patterns that H.264 emulation prevention would have to escape. Decoders
 * ignore SEI messages they do not know.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "nigran-frame-stamp.h"

#define STAMP_DIGITS 16

/* "nigran-capture-t": sixteen bytes, none of them zero. */
static const guint8 stamp_uuid[16] = {
  0x6e, 0x69, 0x67, 0x72, 0x61, 0x6e, 0x2d, 0x63,
  0x61, 0x70, 0x74, 0x75, 0x72, 0x65, 0x2d, 0x74,
};

static gsize
nal_type_offset_of_first_slice (const guint8 *data,
                                gsize         size)
{
  for (gsize i = 0; i + 3 < size; i++)
    {
      if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
        {
          guint8 nal_type = data[i + 3] & 0x1f;
          gsize start = (i > 0 && data[i - 1] == 0) ? i - 1 : i;

          if (nal_type == 1 || nal_type == 5)
            return start;
          i += 2;
        }
    }
  return 0;
}

/* Returns a new byte-stream access unit with the stamp before its first slice. */
GstBuffer *
nigran_frame_stamp_insert (GstBuffer *access_unit,
                           gint64     capture_us)
{
  guint8 sei[4 + 1 + 1 + 1 + sizeof stamp_uuid + STAMP_DIGITS + 1];
  g_autoptr(GstBuffer) sei_buffer = NULL;
  GstBuffer *result;
  GstMapInfo map;
  gsize split, pos = 0;
  char digits[STAMP_DIGITS + 1];

  g_return_val_if_fail (GST_IS_BUFFER (access_unit), NULL);

  if (!gst_buffer_map (access_unit, &map, GST_MAP_READ))
    return gst_buffer_ref (access_unit);
  split = nal_type_offset_of_first_slice (map.data, map.size);
  gst_buffer_unmap (access_unit, &map);

  sei[pos++] = 0; sei[pos++] = 0; sei[pos++] = 0; sei[pos++] = 1;
  sei[pos++] = 0x06;                               /* SEI NAL unit */
  sei[pos++] = 0x05;                               /* user data unregistered */
  sei[pos++] = sizeof stamp_uuid + STAMP_DIGITS;   /* payload size */
  memcpy (sei + pos, stamp_uuid, sizeof stamp_uuid);
  pos += sizeof stamp_uuid;
  g_snprintf (digits, sizeof digits, "%016" G_GINT64_MODIFIER "x", capture_us);
  memcpy (sei + pos, digits, STAMP_DIGITS);
  pos += STAMP_DIGITS;
  sei[pos++] = 0x80;                               /* rbsp trailing bits */

  sei_buffer = gst_buffer_new_memdup (sei, pos);
  result = gst_buffer_copy_region (access_unit, GST_BUFFER_COPY_ALL, 0, split);
  result = gst_buffer_append (result, g_steal_pointer (&sei_buffer));
  result = gst_buffer_append (result,
                              gst_buffer_copy_region (access_unit, GST_BUFFER_COPY_MEMORY,
                                                      split, gst_buffer_get_size (access_unit) - split));
  gst_buffer_copy_into (result, access_unit, GST_BUFFER_COPY_METADATA, 0, -1);
  return result;
}

gboolean
nigran_frame_stamp_read (GstBuffer *access_unit,
                         gint64    *capture_us)
{
  GstMapInfo map;
  gboolean found = FALSE;

  g_return_val_if_fail (GST_IS_BUFFER (access_unit), FALSE);

  if (!gst_buffer_map (access_unit, &map, GST_MAP_READ))
    return FALSE;

  if (map.size >= sizeof stamp_uuid + STAMP_DIGITS)
    {
      const guint8 *hit = memmem (map.data, map.size - STAMP_DIGITS, stamp_uuid, sizeof stamp_uuid);

      if (hit != NULL)
        {
          char digits[STAMP_DIGITS + 1];
          char *end = NULL;

          memcpy (digits, hit + sizeof stamp_uuid, STAMP_DIGITS);
          digits[STAMP_DIGITS] = '\0';
          *capture_us = g_ascii_strtoll (digits, &end, 16);
          found = end == digits + STAMP_DIGITS;
        }
    }

  gst_buffer_unmap (access_unit, &map);
  return found;
}
