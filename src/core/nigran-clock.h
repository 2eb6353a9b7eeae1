/* nigran-clock.h: the one source of time for the console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define NIGRAN_TYPE_CLOCK (nigran_clock_get_type ())
G_DECLARE_FINAL_TYPE (NigranClock, nigran_clock, NIGRAN, CLOCK, GObject)

typedef void (*NigranClockFunc) (gpointer user_data);

NigranClock *nigran_clock_new_system    (void);
NigranClock *nigran_clock_new_virtual   (gint64           start_us);
gboolean     nigran_clock_is_virtual    (NigranClock     *self);
gint64       nigran_clock_get_now_us    (NigranClock     *self);
gint64       nigran_clock_get_monotonic_us (NigranClock  *self);
guint        nigran_clock_add_timeout   (NigranClock     *self,
                                         guint            delay_ms,
                                         NigranClockFunc  func,
                                         gpointer         user_data);
void         nigran_clock_remove_timeout (NigranClock    *self,
                                          guint           timeout_id);
void         nigran_clock_advance       (NigranClock     *self,
                                         gint64           delta_us);

G_END_DECLS
