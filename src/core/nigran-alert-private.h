/* nigran-alert-private.h: how the alert queue moves an alert on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-alert.h"

G_BEGIN_DECLS

/* An alert's whole state, as a checkpoint keeps it; strings are borrowed. */
typedef struct
{
  const char          *id;
  gint64               sequence;
  gint64               raised_us;
  const char          *source;
  const char          *kind;
  const char          *camera_id;
  const char          *site_id;
  const char          *title;
  const char          *detail;
  const char          *matched;
  const char          *snapshot;
  const char          *snapshot_sha256;
  NigranAlertPriority  priority;
  double               score;
  gint64               frame_age_ms;
  guint                verifiers_required;
  gboolean             demo;
  NigranAlertState     state;
  const char          *acknowledged_by;
  gint64               acknowledged_us;
  gint64               decided_us;
  gint64               closed_us;
  const char          *assignee;
  const char          *escalation_reason;
  const char          *decisions_json;  /* [{"actor","time_us","verified","reason"}] or NULL */
  const char          *notes_json;      /* [{"actor","time_us","text"}] or NULL */
  const char          *watchlist;
  const char          *colour;
  const char          *tone;
} NigranAlertRecord;

NigranAlert *_nigran_alert_new_from_event  (NigranEvent             *raised);
NigranAlert *_nigran_alert_new_from_record (const NigranAlertRecord *record);
void         _nigran_alert_fill_record     (NigranAlert             *self,
                                            NigranAlertRecord       *record,
                                            char                   **decisions_json,
                                            char                   **notes_json);
gboolean     _nigran_alert_apply          (NigranAlert *self,
                                           NigranEvent *event);

G_END_DECLS
