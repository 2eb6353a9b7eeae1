/* nigran-camsim.h: simulated cameras, served as H.264 over RTSP on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NIGRAN_CAMSIM_ERROR (nigran_camsim_error_quark ())

typedef enum
{
  NIGRAN_CAMSIM_ERROR_NO_FOOTAGE,
  NIGRAN_CAMSIM_ERROR_ENCODE,
  NIGRAN_CAMSIM_ERROR_LISTEN,
} NigranCamsimError;

#define NIGRAN_CAMSIM_FPS          25
#define NIGRAN_CAMSIM_MAIN_WIDTH   1280
#define NIGRAN_CAMSIM_MAIN_HEIGHT  720
#define NIGRAN_CAMSIM_SUB_WIDTH    640
#define NIGRAN_CAMSIM_SUB_HEIGHT   360
#define NIGRAN_CAMSIM_DEFAULT_MTU  1400   /* as on a camera network */

#define NIGRAN_TYPE_CAMSIM (nigran_camsim_get_type ())
G_DECLARE_FINAL_TYPE (NigranCamsim, nigran_camsim, NIGRAN, CAMSIM, GObject)

GQuark        nigran_camsim_error_quark     (void);
const char   *nigran_camsim_get_default_footage (void);
NigranCamsim *nigran_camsim_new             (void);
void          nigran_camsim_set_mtu         (NigranCamsim        *self,
                                             guint                mtu);
void          nigran_camsim_set_basic_auth  (NigranCamsim        *self,
                                             const char          *user,
                                             const char          *password);
void          nigran_camsim_add_camera      (NigranCamsim        *self,
                                             const char          *camera_id,
                                             const char          *footage);
void          nigran_camsim_start_async     (NigranCamsim        *self,
                                             guint16              port,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      nigran_camsim_start_finish    (NigranCamsim        *self,
                                             GAsyncResult        *result,
                                             GError             **error);
guint16       nigran_camsim_get_port        (NigranCamsim        *self);
char         *nigran_camsim_dup_uri         (NigranCamsim        *self,
                                             const char          *camera_id,
                                             gboolean             main_stream);

G_END_DECLS
