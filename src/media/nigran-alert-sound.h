/* nigran-alert-sound.h: a sound for each alert priority, or a watchlist's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "core/nigran-types.h"
#include "core/nigran-watchlist.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_ALERT_SOUND (nigran_alert_sound_get_type ())
G_DECLARE_FINAL_TYPE (NigranAlertSound, nigran_alert_sound, NIGRAN, ALERT_SOUND, GObject)

NigranAlertSound *nigran_alert_sound_new          (const char          *sink_factory);
gboolean          nigran_alert_sound_play         (NigranAlertSound    *self,
                                                   NigranAlertPriority  priority);
gboolean          nigran_alert_sound_play_tone    (NigranAlertSound    *self,
                                                   NigranAlertPriority  priority,
                                                   NigranAlertTone      tone);
guint             nigran_alert_sound_get_n_played (NigranAlertSound    *self);

G_END_DECLS
