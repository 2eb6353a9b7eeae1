/* nigran-site.h: a place with cameras (a red zone, a hospital, a consulate …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-types.h"

G_BEGIN_DECLS

#define NIGRAN_TYPE_SITE (nigran_site_get_type ())
G_DECLARE_FINAL_TYPE (NigranSite, nigran_site, NIGRAN, SITE, GObject)

const char *nigran_site_get_id          (NigranSite *self);
const char *nigran_site_get_name        (NigranSite *self);
const char *nigran_site_get_kind        (NigranSite *self);
double      nigran_site_get_latitude    (NigranSite *self);
double      nigran_site_get_longitude   (NigranSite *self);
gboolean    nigran_site_get_approximate (NigranSite *self);
GListModel *nigran_site_get_cameras     (NigranSite *self);

G_END_DECLS
