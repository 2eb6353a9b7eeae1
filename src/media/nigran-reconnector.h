/* nigran-reconnector.h: when a camera stream connects, stalls and reconnects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "core/nigran-clock.h"
#include "core/nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_RECONNECTOR_STALL_US          (2 * G_USEC_PER_SEC)
#define NIGRAN_RECONNECTOR_CONNECT_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define NIGRAN_RECONNECTOR_MAX_BACKOFF_S     30
#define NIGRAN_RECONNECTOR_JITTER            0.1

#define NIGRAN_TYPE_RECONNECTOR (nigran_reconnector_get_type ())
G_DECLARE_FINAL_TYPE (NigranReconnector, nigran_reconnector, NIGRAN, RECONNECTOR, GObject)

NigranReconnector  *nigran_reconnector_new               (NigranClock       *clock,
                                                          guint32            jitter_seed);
void                nigran_reconnector_start             (NigranReconnector *self);
void                nigran_reconnector_stop              (NigranReconnector *self);
void                nigran_reconnector_frame_arrived     (NigranReconnector *self);
void                nigran_reconnector_failed            (NigranReconnector *self,
                                                          const char        *reason);
NigranCameraStatus  nigran_reconnector_get_state         (NigranReconnector *self);
gint64              nigran_reconnector_get_offline_since (NigranReconnector *self);
gint64              nigran_reconnector_get_retry_in_us   (NigranReconnector *self);
guint               nigran_reconnector_get_next_backoff_s (NigranReconnector *self);
const char         *nigran_reconnector_get_last_error    (NigranReconnector *self);
guint               nigran_reconnector_get_n_attempts    (NigranReconnector *self);

G_END_DECLS
