/* nigran-types.h: forward declarations and enums shared across the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _NigranCamera   NigranCamera;
typedef struct _NigranClock    NigranClock;
typedef struct _NigranSite     NigranSite;
typedef struct _NigranSiteFile NigranSiteFile;
typedef struct _NigranZone     NigranZone;

/* What an operator is told about a camera's picture. */
typedef enum
{
  NIGRAN_CAMERA_STATUS_IDLE,         /* not shown anywhere */
  NIGRAN_CAMERA_STATUS_CONNECTING,
  NIGRAN_CAMERA_STATUS_LIVE,
  NIGRAN_CAMERA_STATUS_STALLED,
  NIGRAN_CAMERA_STATUS_OFFLINE,      /* lost, waiting to reconnect or reconnecting */
} NigranCameraStatus;

GType nigran_camera_status_get_type (void) G_GNUC_CONST;
#define NIGRAN_TYPE_CAMERA_STATUS (nigran_camera_status_get_type ())

const char *nigran_camera_status_to_string (NigranCameraStatus status);

G_END_DECLS
