/* test-camera.c: a camera shown on several tiles has the best status of its streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "core/nigran-camera.h"

static void
test_status_of_several_streams (void)
{
  g_autoptr(NigranCamera) camera = g_object_new (NIGRAN_TYPE_CAMERA, "id", "cam-1", "name", "Gate", NULL);
  int wall_tile, maximised_tile;

  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_IDLE);
  nigran_camera_report_status (camera, &wall_tile, NIGRAN_CAMERA_STATUS_LIVE);
  nigran_camera_report_status (camera, &maximised_tile, NIGRAN_CAMERA_STATUS_CONNECTING);
  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_LIVE);

  /* One stream lost: the camera is still live through the other. */
  nigran_camera_report_status (camera, &wall_tile, NIGRAN_CAMERA_STATUS_OFFLINE);
  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_CONNECTING);
  nigran_camera_report_status (camera, &maximised_tile, NIGRAN_CAMERA_STATUS_LIVE);
  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_LIVE);
  nigran_camera_report_status (camera, &maximised_tile, NIGRAN_CAMERA_STATUS_STALLED);
  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_STALLED);

  /* Streams that stop showing it no longer count. */
  nigran_camera_report_status (camera, &maximised_tile, NIGRAN_CAMERA_STATUS_IDLE);
  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_OFFLINE);
  nigran_camera_report_status (camera, &wall_tile, NIGRAN_CAMERA_STATUS_IDLE);
  g_assert_cmpint (nigran_camera_get_status (camera), ==, NIGRAN_CAMERA_STATUS_IDLE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera/status-of-several-streams", test_status_of_several_streams);
  return g_test_run ();
}
