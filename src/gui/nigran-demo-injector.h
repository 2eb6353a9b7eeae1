/* nigran-demo-injector.h: staged alerts for the demo site and for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "core/nigran-site-file.h"
#include "store/nigran-event-log.h"
#include "nigran-evidence.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_DEMO_INJECTOR (nigran_demo_injector_get_type ())
G_DECLARE_FINAL_TYPE (NigranDemoInjector, nigran_demo_injector, NIGRAN, DEMO_INJECTOR, GObject)

typedef enum
{
  NIGRAN_DEMO_ALERT_FACE,   /* an identity match under the four-eyes rule */
  NIGRAN_DEMO_ALERT_PLATE,  /* a hotlist plate, one verifier */
  NIGRAN_DEMO_ALERT_SOS,
  NIGRAN_DEMO_N_ALERTS,
} NigranDemoAlert;

NigranDemoInjector *nigran_demo_injector_new    (NigranEventLog     *log,
                                                 NigranSiteFile     *site_file);
void                nigran_demo_injector_inject (NigranDemoInjector *self,
                                                 NigranDemoAlert     kind);
void                nigran_demo_injector_start  (NigranDemoInjector *self,
                                                 guint               interval_ms);
void                nigran_demo_injector_start_track (NigranDemoInjector *self,
                                                      guint               interval_ms);
void                nigran_demo_injector_set_evidence (NigranDemoInjector *self,
                                                       NigranFrameFunc     frame_func,
                                                       gpointer            user_data,
                                                       const char         *directory);

G_END_DECLS
