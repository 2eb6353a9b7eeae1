/* nigran-types.h: forward declarations and enums shared across the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A position as GeoJSON orders it: longitude first. */
typedef struct
{
  double longitude;
  double latitude;
} NigranGeoPoint;

typedef struct _NigranAlert    NigranAlert;
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

/* Where an alert is in its review. */
typedef enum
{
  NIGRAN_ALERT_STATE_NEW,
  NIGRAN_ALERT_STATE_ACKNOWLEDGED,
  NIGRAN_ALERT_STATE_VERIFIED,     /* one verifier said it is a match */
  NIGRAN_ALERT_STATE_CONFIRMED,    /* two different verifiers said so */
  NIGRAN_ALERT_STATE_REJECTED,
  NIGRAN_ALERT_STATE_ESCALATED,
  NIGRAN_ALERT_STATE_CLOSED,
} NigranAlertState;

GType nigran_alert_state_get_type (void) G_GNUC_CONST;
#define NIGRAN_TYPE_ALERT_STATE (nigran_alert_state_get_type ())
const char *nigran_alert_state_to_string (NigranAlertState state);
gboolean    nigran_alert_state_is_open   (NigranAlertState state);

/* Lower is more urgent. */
typedef enum
{
  NIGRAN_ALERT_PRIORITY_CRITICAL = 1,  /* SOS */
  NIGRAN_ALERT_PRIORITY_HIGH,          /* watchlist match */
  NIGRAN_ALERT_PRIORITY_MEDIUM,        /* a camera lost */
  NIGRAN_ALERT_PRIORITY_LOW,           /* for information */
} NigranAlertPriority;

const char *nigran_alert_priority_to_string (NigranAlertPriority priority);

/* Why a verifier said an identity match is wrong. */
typedef enum
{
  NIGRAN_REJECT_REASON_WRONG_PERSON,
  NIGRAN_REJECT_REASON_POOR_IMAGE,
  NIGRAN_REJECT_REASON_TWIN_OR_RELATIVE,
  NIGRAN_REJECT_REASON_OTHER,
} NigranRejectReason;

const char *nigran_reject_reason_to_string   (NigranRejectReason reason);
gboolean    nigran_reject_reason_from_string (const char        *text,
                                              NigranRejectReason *reason);

/* What an operator account may do. */
typedef enum
{
  NIGRAN_ROLE_OPERATOR,
  NIGRAN_ROLE_SUPERVISOR,
  NIGRAN_ROLE_TRAINER,
  NIGRAN_ROLE_ADMINISTRATOR,
} NigranRole;

const char *nigran_role_to_string   (NigranRole  role);
gboolean    nigran_role_from_string (const char *text,
                                     NigranRole *role);

gboolean nigran_find_name (const char * const *names,
                           guint               n_names,
                           const char         *text,
                           guint              *index);

/* json-glib's parser recurses: check untrusted JSON with this before parsing it. */
gboolean nigran_json_nesting_within (const char *data,
                                     gsize       length,
                                     int         max_depth);

G_END_DECLS
