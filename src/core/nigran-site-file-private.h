/* nigran-site-file-private.h: what the loader needs of the model types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nigran-camera.h"
#include "nigran-site.h"
#include "nigran-zone.h"

G_BEGIN_DECLS

void        _nigran_camera_set_site (NigranCamera *self,
                                     NigranSite   *site);
void        _nigran_site_add_camera (NigranSite   *self,
                                     NigranCamera *camera);
NigranZone *_nigran_zone_new        (const char   *id,
                                     const char   *name,
                                     const char   *kind);
void        _nigran_zone_add_ring   (NigranZone   *self,
                                     GArray       *points);
void        _nigran_zone_set_alerts_nonstandard_plates (NigranZone *self,
                                                        gboolean    alerts);
void        _nigran_zone_set_allow_list (NigranZone *self,
                                         const char *allow_list);
void        _nigran_zone_set_name_ur (NigranZone *self,
                                      const char *name_ur);

G_END_DECLS
