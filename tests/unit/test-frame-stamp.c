/* test-frame-stamp.c: the capture time survives a round trip through an access unit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "media/nigran-frame-stamp.h"

static const guint8 access_unit[] = {
  0, 0, 0, 1, 0x09, 0x10,                          /* access unit delimiter */
  0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xda,        /* SPS */
  0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80,              /* PPS */
  0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x33, 0xff,     /* IDR slice */
};

static void
test_round_trip (void)
{
  g_autoptr(GstBuffer) buffer = gst_buffer_new_memdup (access_unit, sizeof access_unit);
  g_autoptr(GstBuffer) stamped = NULL;
  const gint64 capture_us = 1763712000123456;
  gint64 read_us = 0;
  GstMapInfo map;
  const guint8 *slice;

  GST_BUFFER_PTS (buffer) = 40 * GST_MSECOND;
  g_assert_false (nigran_frame_stamp_read (buffer, &read_us));

  stamped = nigran_frame_stamp_insert (buffer, capture_us);
  g_assert_true (nigran_frame_stamp_read (stamped, &read_us));
  g_assert_cmpint (read_us, ==, capture_us);
  g_assert_cmpuint (GST_BUFFER_PTS (stamped), ==, 40 * GST_MSECOND);

  /* The SEI stands after the parameter sets and before the slice, which is intact. */
  g_assert_true (gst_buffer_map (stamped, &map, GST_MAP_READ));
  g_assert_cmpuint (map.size, ==, sizeof access_unit + 4 + 3 + 16 + 16 + 1);
  g_assert_cmpmem (map.data, 23, access_unit, 23);
  g_assert_cmpint (map.data[27], ==, 0x06);
  slice = map.data + map.size - 9;
  g_assert_cmpmem (slice, 9, access_unit + sizeof access_unit - 9, 9);
  /* No start code inside the stamp's payload. */
  for (gsize i = 28; i + 2 < map.size - 9; i++)
    g_assert_false (map.data[i] == 0 && map.data[i + 1] == 0 && map.data[i + 2] <= 3);
  gst_buffer_unmap (stamped, &map);
}

static void
test_no_slice (void)
{
  const guint8 parameter_sets[] = { 0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0xce };
  g_autoptr(GstBuffer) buffer = gst_buffer_new_memdup (parameter_sets, sizeof parameter_sets);
  g_autoptr(GstBuffer) stamped = nigran_frame_stamp_insert (buffer, 5);
  gint64 read_us;

  g_assert_true (nigran_frame_stamp_read (stamped, &read_us));
  g_assert_cmpint (read_us, ==, 5);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame-stamp/round-trip", test_round_trip);
  g_test_add_func ("/frame-stamp/no-slice", test_no_slice);
  return g_test_run ();
}
