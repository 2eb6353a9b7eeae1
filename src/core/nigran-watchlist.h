/* nigran-watchlist.h: a named list of people or vehicles to look out for, and how
 * its matches are raised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_WATCHLIST_DEFAULT_THRESHOLD      0.45
#define NIGRAN_WATCHLIST_DEFAULT_RETENTION_DAYS 180

/* What is heard when one of its entries is seen. */
typedef enum
{
  NIGRAN_ALERT_TONE_BEEPS,   /* the priority's beeps */
  NIGRAN_ALERT_TONE_SIREN,   /* a rising and falling tone: unmistakable */
  NIGRAN_ALERT_TONE_SILENT,
} NigranAlertTone;

const char *nigran_alert_tone_to_string   (NigranAlertTone  tone);
gboolean    nigran_alert_tone_from_string (const char      *text,
                                           NigranAlertTone *tone);

#define NIGRAN_TYPE_WATCHLIST (nigran_watchlist_get_type ())
G_DECLARE_FINAL_TYPE (NigranWatchlist, nigran_watchlist, NIGRAN, WATCHLIST, GObject)

NigranWatchlist     *nigran_watchlist_new                    (const char          *name,
                                                              const char          *category);
NigranWatchlist     *nigran_watchlist_new_from_payload       (JsonObject          *payload,
                                                              GError             **error);
NigranWatchlist     *nigran_watchlist_copy                   (NigranWatchlist     *self);
JsonObject          *nigran_watchlist_to_payload             (NigranWatchlist     *self);

const char          *nigran_watchlist_get_name               (NigranWatchlist     *self);
const char          *nigran_watchlist_get_category           (NigranWatchlist     *self);
void                 nigran_watchlist_set_category           (NigranWatchlist     *self,
                                                              const char          *category);
const char          *nigran_watchlist_get_colour             (NigranWatchlist     *self);
gboolean             nigran_watchlist_set_colour             (NigranWatchlist     *self,
                                                              const char          *colour);
NigranAlertPriority  nigran_watchlist_get_priority           (NigranWatchlist     *self);
void                 nigran_watchlist_set_priority           (NigranWatchlist     *self,
                                                              NigranAlertPriority  priority);
double               nigran_watchlist_get_threshold          (NigranWatchlist     *self);
void                 nigran_watchlist_set_threshold          (NigranWatchlist     *self,
                                                              double               threshold);
guint                nigran_watchlist_get_verifiers_required (NigranWatchlist     *self);
void                 nigran_watchlist_set_verifiers_required (NigranWatchlist     *self,
                                                              guint                verifiers_required);
NigranAlertTone      nigran_watchlist_get_tone               (NigranWatchlist     *self);
void                 nigran_watchlist_set_tone               (NigranWatchlist     *self,
                                                              NigranAlertTone      tone);
guint                nigran_watchlist_get_retention_days     (NigranWatchlist     *self);
void                 nigran_watchlist_set_retention_days     (NigranWatchlist     *self,
                                                              guint                days);

guint                nigran_watchlist_get_expiry_days        (NigranWatchlist     *self);
void                 nigran_watchlist_set_expiry_days        (NigranWatchlist     *self,
                                                              guint                days);
gboolean             nigran_watchlist_is_allow_list          (NigranWatchlist     *self);

const char * const  *nigran_watchlist_categories             (void);
const char * const  *nigran_watchlist_vehicle_categories     (void);
const char          *nigran_watchlist_category_describe      (const char          *category);

G_END_DECLS
