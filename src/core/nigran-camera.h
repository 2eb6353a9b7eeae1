/* nigran-camera.h: one camera of the site file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-types.h"

G_BEGIN_DECLS

/* The footage of a simulated camera that shows a scene the simulator draws. */
#define NIGRAN_CAMERA_SCENE_PREFIX "scene:"

#define NIGRAN_TYPE_CAMERA (nigran_camera_get_type ())
G_DECLARE_FINAL_TYPE (NigranCamera, nigran_camera, NIGRAN, CAMERA, GObject)

typedef enum
{
  NIGRAN_STREAM_SUB,   /* small stream for wall tiles */
  NIGRAN_STREAM_MAIN,  /* full resolution, for a maximised tile */
} NigranStreamVariant;

const char        *nigran_camera_get_id             (NigranCamera        *self);
const char        *nigran_camera_get_name           (NigranCamera        *self);
const char        *nigran_camera_get_site_id        (NigranCamera        *self);
NigranSite        *nigran_camera_get_site           (NigranCamera        *self);
double             nigran_camera_get_latitude       (NigranCamera        *self);
double             nigran_camera_get_longitude      (NigranCamera        *self);
double             nigran_camera_get_heading        (NigranCamera        *self);
double             nigran_camera_get_field_of_view  (NigranCamera        *self);
const char        *nigran_camera_get_uri            (NigranCamera        *self,
                                                     NigranStreamVariant  variant);
const char        *nigran_camera_get_credential_ref (NigranCamera        *self);
const char        *nigran_camera_get_footage        (NigranCamera        *self);
gboolean           nigran_camera_get_simulated      (NigranCamera        *self);
gboolean           nigran_camera_get_reads_plates   (NigranCamera        *self);
void               nigran_camera_set_uris           (NigranCamera        *self,
                                                     const char          *main_uri,
                                                     const char          *sub_uri);
NigranCameraStatus nigran_camera_get_status         (NigranCamera        *self);
void               nigran_camera_set_status         (NigranCamera        *self,
                                                     NigranCameraStatus   status);
void               nigran_camera_report_status      (NigranCamera        *self,
                                                     gconstpointer        reporter,
                                                     NigranCameraStatus   status);

G_END_DECLS
