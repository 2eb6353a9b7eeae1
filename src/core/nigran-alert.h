/* nigran-alert.h: one alert and where it is in its review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-event.h"
#include "nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ALERT (nigran_alert_get_type ())
G_DECLARE_FINAL_TYPE (NigranAlert, nigran_alert, NIGRAN, ALERT, GObject)

/* What raises an alert. */
typedef struct
{
  const char          *source;      /* "camera-health", "demo", "face", "plate", "sos" */
  const char          *kind;        /* "camera.offline", "face.match" … */
  NigranAlertPriority  priority;
  const char          *title;
  const char          *detail;      /* nullable */
  const char          *camera_id;   /* nullable */
  const char          *site_id;     /* nullable */
  const char          *matched;     /* nullable: the watchlist entry it matched */
  double               score;       /* < 0: none */
  gint64               frame_age_ms; /* < 0: unknown */
  gint64               captured_us;  /* UTC µs of the frame it was seen in; 0: unknown */
  const char          *probe_template; /* nullable: base64 of the face seen, to learn from a rejection */
  const char          *snapshot;    /* nullable: an image file of the evidence */
  const char          *snapshot_sha256; /* its digest, so that a changed file shows */
  guint                verifiers_required; /* 0 unless an identity match: 1 or 2 */
  const char          *watchlist;   /* nullable: the watchlist of @matched */
  const char          *colour;      /* nullable: "#rrggbb", the watchlist's */
  const char          *tone;        /* nullable: "beeps", "siren" or "silent"; beeps if NULL */
  gboolean             demo;        /* injected for a demonstration or a test */
} NigranAlertSpec;

typedef enum
{
  NIGRAN_ALERT_ACTION_ACKNOWLEDGE,
  NIGRAN_ALERT_ACTION_ASSIGN,
  NIGRAN_ALERT_ACTION_VERIFY,
  NIGRAN_ALERT_ACTION_REJECT,
  NIGRAN_ALERT_ACTION_ESCALATE,
  NIGRAN_ALERT_ACTION_NOTE,
  NIGRAN_ALERT_ACTION_CLOSE,
} NigranAlertAction;

typedef struct
{
  char               *actor;
  gint64              time_us;
  gboolean            verified;
  NigranRejectReason  reason;
} NigranAlertDecision;

typedef struct
{
  char   *actor;
  gint64  time_us;
  char   *text;
} NigranAlertNote;

NigranEvent        *nigran_alert_raised_event_new     (const NigranAlertSpec *spec);
NigranEvent        *nigran_alert_action_event_new     (NigranAlert           *alert,
                                                       NigranAlertAction      action,
                                                       const char            *text,
                                                       NigranRejectReason     reason);

const char         *nigran_alert_get_id               (NigranAlert *self);
gint64              nigran_alert_get_sequence         (NigranAlert *self);
const char         *nigran_alert_get_source           (NigranAlert *self);
const char         *nigran_alert_get_kind             (NigranAlert *self);
NigranAlertPriority nigran_alert_get_priority         (NigranAlert *self);
const char         *nigran_alert_get_title            (NigranAlert *self);
const char         *nigran_alert_get_detail           (NigranAlert *self);
const char         *nigran_alert_get_camera_id        (NigranAlert *self);
const char         *nigran_alert_get_site_id          (NigranAlert *self);
const char         *nigran_alert_get_matched          (NigranAlert *self);
double              nigran_alert_get_score            (NigranAlert *self);
gint64              nigran_alert_get_frame_age_ms     (NigranAlert *self);
const char         *nigran_alert_get_snapshot         (NigranAlert *self);
const char         *nigran_alert_get_snapshot_sha256  (NigranAlert *self);
guint               nigran_alert_get_verifiers_required (NigranAlert *self);
const char         *nigran_alert_get_watchlist        (NigranAlert *self);
const char         *nigran_alert_get_colour           (NigranAlert *self);
const char         *nigran_alert_get_tone             (NigranAlert *self);
gboolean            nigran_alert_get_demo             (NigranAlert *self);
gint64              nigran_alert_get_raised_us        (NigranAlert *self);
NigranAlertState    nigran_alert_get_state            (NigranAlert *self);
const char         *nigran_alert_get_acknowledged_by  (NigranAlert *self);
gint64              nigran_alert_get_acknowledged_us  (NigranAlert *self);
gint64              nigran_alert_get_decided_us       (NigranAlert *self);
gint64              nigran_alert_get_closed_us        (NigranAlert *self);
const char         *nigran_alert_get_assignee         (NigranAlert *self);
const char         *nigran_alert_get_escalation_reason (NigranAlert *self);
guint               nigran_alert_get_n_decisions      (NigranAlert *self);
const NigranAlertDecision *nigran_alert_get_decision  (NigranAlert *self,
                                                       guint        index);
const NigranAlertDecision *nigran_alert_find_decision (NigranAlert *self,
                                                       const char  *actor);
guint               nigran_alert_get_n_notes          (NigranAlert *self);
const NigranAlertNote *nigran_alert_get_note          (NigranAlert *self,
                                                       guint        index);
gboolean            nigran_alert_is_final             (NigranAlert *self);
gboolean            nigran_alert_can                  (NigranAlert        *self,
                                                       NigranAlertAction   action,
                                                       const char         *actor,
                                                       GError            **error);

#define NIGRAN_ALERT_ERROR (nigran_alert_error_quark ())
typedef enum
{
  NIGRAN_ALERT_ERROR_NOT_ALLOWED,
} NigranAlertError;
GQuark nigran_alert_error_quark (void);

G_END_DECLS
