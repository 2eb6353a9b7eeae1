/* nigran-watchlist.c: a named list of people or vehicles to look out for, and how
 * its matches are raised
 *
 * A watchlist is defined, and redefined, by "watchlist.defined" events whose payload
 * is what nigran_watchlist_to_payload() gives: the log is the only place it is kept.
 * Each category has a colour of its own unless one is chosen, so that an operator
 * tells a wanted person's alert from a missing child's at a glance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "nigran-watchlist.h"

struct _NigranWatchlist
{
  GObject              parent_instance;

  char                *name;
  char                *category;
  char                *colour;      /* NULL: the category's */
  NigranAlertPriority  priority;
  double               threshold;
  guint                verifiers_required;
  NigranAlertTone      tone;
  guint                retention_days;
  guint                expiry_days;
};

G_DEFINE_FINAL_TYPE (NigranWatchlist, nigran_watchlist, G_TYPE_OBJECT)

static const struct
{
  const char *category;
  const char *colour;       /* GNOME's palette */
  const char *description;
} categories[] = {
  { "wanted",            "#c01c28", N_("Wanted") },
  { "jail-inmates",      "#e66100", N_("Jail inmates") },
  { "missing-persons",   "#1c71d8", N_("Missing persons") },
  { "protected-persons", "#26a269", N_("Protected persons") },
  { "other",             "#813d9c", N_("Other") },
  { "stolen-vehicles",   "#c01c28", N_("Stolen vehicles") },
  { "wanted-vehicles",   "#e66100", N_("Wanted vehicles") },
  { "suspicious-vehicles", "#f5c211", N_("Suspicious vehicles") },
  { "escorted-vehicles", "#26a269", N_("Escort and protected vehicles") },
  { "allow-list",        "#1c71d8", N_("Allow-list (alert on any other plate)") },
};

static const char * const category_names[] = {
  "wanted", "jail-inmates", "missing-persons", "protected-persons", "other", NULL,
};

/* A hotlist is a watchlist of vehicles, by plate. */
static const char * const vehicle_category_names[] = {
  "stolen-vehicles", "wanted-vehicles", "suspicious-vehicles", "escorted-vehicles", "allow-list", NULL,
};

static const char * const tone_names[] = { "beeps", "siren", "silent" };

const char *
nigran_alert_tone_to_string (NigranAlertTone tone)
{
  g_return_val_if_fail (tone <= NIGRAN_ALERT_TONE_SILENT, "beeps");
  return tone_names[tone];
}

gboolean
nigran_alert_tone_from_string (const char      *text,
                               NigranAlertTone *tone)
{
  guint index;

  if (!nigran_find_name (tone_names, G_N_ELEMENTS (tone_names), text, &index))
    return FALSE;
  *tone = index;
  return TRUE;
}

/* The categories a watchlist of people may have, NULL-terminated. */
const char * const *
nigran_watchlist_categories (void)
{
  return category_names;
}

/* The categories of a hotlist (a watchlist of vehicles), NULL-terminated. */
const char * const *
nigran_watchlist_vehicle_categories (void)
{
  return vehicle_category_names;
}

/* The category's name for people; @category itself for one this version does not know. */
const char *
nigran_watchlist_category_describe (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_strcmp0 (category, categories[i].category) == 0)
      return _(categories[i].description);
  return category;
}

static void
nigran_watchlist_finalize (GObject *object)
{
  NigranWatchlist *self = NIGRAN_WATCHLIST (object);

  g_free (self->name);
  g_free (self->category);
  g_free (self->colour);

  G_OBJECT_CLASS (nigran_watchlist_parent_class)->finalize (object);
}

static void
nigran_watchlist_class_init (NigranWatchlistClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nigran_watchlist_finalize;
}

static void
nigran_watchlist_init (NigranWatchlist *self)
{
  self->priority = NIGRAN_ALERT_PRIORITY_HIGH;
  self->threshold = NIGRAN_WATCHLIST_DEFAULT_THRESHOLD;
  self->verifiers_required = 2;
  self->tone = NIGRAN_ALERT_TONE_BEEPS;
  self->retention_days = NIGRAN_WATCHLIST_DEFAULT_RETENTION_DAYS;
}

/* @category: one of nigran_watchlist_categories(); another is kept as "other" */
NigranWatchlist *
nigran_watchlist_new (const char *name,
                      const char *category)
{
  NigranWatchlist *self;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  self = g_object_new (NIGRAN_TYPE_WATCHLIST, NULL);
  self->name = g_strdup (name);
  nigran_watchlist_set_category (self, category);
  return self;
}

NigranWatchlist *
nigran_watchlist_copy (NigranWatchlist *self)
{
  g_autoptr(JsonObject) payload = NULL;

  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NULL);
  payload = nigran_watchlist_to_payload (self);
  return nigran_watchlist_new_from_payload (payload, NULL);
}

/**
 * nigran_watchlist_new_from_payload:
 *
 * Reads a "watchlist.defined" payload. What is missing takes its default (payloads
 * written before a setting existed lack it); a value out of range is brought into it.
 *
 * Returns: (transfer full) (nullable): the watchlist, or %NULL without a name
 */
NigranWatchlist *
nigran_watchlist_new_from_payload (JsonObject  *payload,
                                   GError     **error)
{
  const char *name = json_object_get_string_member_with_default (payload, "name", NULL);
  g_autoptr(NigranWatchlist) self = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("A watchlist without a name"));
      return NULL;
    }
  self = nigran_watchlist_new (name, json_object_get_string_member_with_default (payload, "category", "other"));
  nigran_watchlist_set_colour (self, json_object_get_string_member_with_default (payload, "colour", NULL));
  self->priority = CLAMP (json_object_get_int_member_with_default (payload, "priority", NIGRAN_ALERT_PRIORITY_HIGH),
                          NIGRAN_ALERT_PRIORITY_CRITICAL, NIGRAN_ALERT_PRIORITY_LOW);
  self->threshold = CLAMP (json_object_get_double_member_with_default (payload, "threshold",
                                                                       NIGRAN_WATCHLIST_DEFAULT_THRESHOLD),
                           0.0, 1.0);
  self->verifiers_required = json_object_get_int_member_with_default (payload, "verifiers_required", 2) == 1 ? 1 : 2;
  if (!nigran_alert_tone_from_string (json_object_get_string_member_with_default (payload, "tone", NULL),
                                      &self->tone))
    self->tone = NIGRAN_ALERT_TONE_BEEPS;
  self->retention_days = CLAMP (json_object_get_int_member_with_default (payload, "retention_days",
                                                                         NIGRAN_WATCHLIST_DEFAULT_RETENTION_DAYS),
                                1, 3650);
  self->expiry_days = CLAMP (json_object_get_int_member_with_default (payload, "expiry_days", 0), 0, 3650);
  return g_steal_pointer (&self);
}

JsonObject *
nigran_watchlist_to_payload (NigranWatchlist *self)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "name", self->name);
  json_object_set_string_member (payload, "category", self->category);
  json_object_set_string_member (payload, "colour", nigran_watchlist_get_colour (self));
  json_object_set_int_member (payload, "priority", self->priority);
  json_object_set_double_member (payload, "threshold", self->threshold);
  json_object_set_int_member (payload, "verifiers_required", self->verifiers_required);
  json_object_set_string_member (payload, "tone", nigran_alert_tone_to_string (self->tone));
  json_object_set_int_member (payload, "retention_days", self->retention_days);
  json_object_set_int_member (payload, "expiry_days", self->expiry_days);
  return payload;
}

const char *
nigran_watchlist_get_name (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NULL);
  return self->name;
}

const char *
nigran_watchlist_get_category (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NULL);
  return self->category;
}

void
nigran_watchlist_set_category (NigranWatchlist *self,
                               const char      *category)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  g_free (self->category);
  self->category = g_strdup (category != NULL && (g_strv_contains (category_names, category) ||
                                                  g_strv_contains (vehicle_category_names, category))
                             ? category : "other");
}

/* "#rrggbb": the chosen colour, or the category's. */
const char *
nigran_watchlist_get_colour (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NULL);
  if (self->colour != NULL)
    return self->colour;
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (self->category, categories[i].category))
      return categories[i].colour;
  return categories[G_N_ELEMENTS (categories) - 1].colour;
}

/* @colour: (nullable): "#rrggbb", or NULL for the category's. FALSE, changing nothing,
 * for anything else. */
gboolean
nigran_watchlist_set_colour (NigranWatchlist *self,
                             const char      *colour)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), FALSE);

  if (colour != NULL)
    {
      if (strlen (colour) != 7 || colour[0] != '#')
        return FALSE;
      for (guint i = 1; i < 7; i++)
        if (!g_ascii_isxdigit (colour[i]))
          return FALSE;
    }
  g_free (self->colour);
  self->colour = colour != NULL ? g_ascii_strdown (colour, -1) : NULL;
  return TRUE;
}

NigranAlertPriority
nigran_watchlist_get_priority (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NIGRAN_ALERT_PRIORITY_HIGH);
  return self->priority;
}

void
nigran_watchlist_set_priority (NigranWatchlist     *self,
                               NigranAlertPriority  priority)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  g_return_if_fail (priority >= NIGRAN_ALERT_PRIORITY_CRITICAL && priority <= NIGRAN_ALERT_PRIORITY_LOW);
  self->priority = priority;
}

double
nigran_watchlist_get_threshold (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NIGRAN_WATCHLIST_DEFAULT_THRESHOLD);
  return self->threshold;
}

void
nigran_watchlist_set_threshold (NigranWatchlist *self,
                                double           threshold)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  g_return_if_fail (threshold >= 0 && threshold <= 1);
  self->threshold = threshold;
}

guint
nigran_watchlist_get_verifiers_required (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), 2);
  return self->verifiers_required;
}

void
nigran_watchlist_set_verifiers_required (NigranWatchlist *self,
                                         guint            verifiers_required)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  g_return_if_fail (verifiers_required == 1 || verifiers_required == 2);
  self->verifiers_required = verifiers_required;
}

NigranAlertTone
nigran_watchlist_get_tone (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NIGRAN_ALERT_TONE_BEEPS);
  return self->tone;
}

void
nigran_watchlist_set_tone (NigranWatchlist *self,
                           NigranAlertTone  tone)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  g_return_if_fail (tone <= NIGRAN_ALERT_TONE_SILENT);
  self->tone = tone;
}

/* How long its matches' evidence is kept, in days. */
guint
nigran_watchlist_get_retention_days (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), NIGRAN_WATCHLIST_DEFAULT_RETENTION_DAYS);
  return self->retention_days;
}

void
nigran_watchlist_set_retention_days (NigranWatchlist *self,
                                     guint            days)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  g_return_if_fail (days >= 1 && days <= 3650);
  self->retention_days = days;
}

/* How long an entry stays on the list after it was added, in days; 0: until removed.
 * Stolen-car lists are renewed daily: an entry nobody renews should not alert for ever. */
guint
nigran_watchlist_get_expiry_days (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), 0);
  return self->expiry_days;
}

void
nigran_watchlist_set_expiry_days (NigranWatchlist *self,
                                  guint            days)
{
  g_return_if_fail (NIGRAN_IS_WATCHLIST (self));
  self->expiry_days = MIN (days, 3650);
}

gboolean
nigran_watchlist_is_allow_list (NigranWatchlist *self)
{
  g_return_val_if_fail (NIGRAN_IS_WATCHLIST (self), FALSE);
  return g_str_equal (self->category, "allow-list");
}
