/* nigran-site-file.h: sites, cameras and zones read from a JSON site file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nigran-camera.h"
#include "nigran-site.h"
#include "nigran-unit.h"
#include "nigran-zone.h"

G_BEGIN_DECLS

#define NIGRAN_SITE_FILE_ERROR (nigran_site_file_error_quark ())

typedef enum
{
  NIGRAN_SITE_FILE_ERROR_READ,        /* the file could not be read */
  NIGRAN_SITE_FILE_ERROR_SYNTAX,      /* not JSON */
  NIGRAN_SITE_FILE_ERROR_INVALID,     /* JSON, but not a valid site file */
  NIGRAN_SITE_FILE_ERROR_VERSION,     /* a format version this build does not know */
  NIGRAN_SITE_FILE_ERROR_SECRET,      /* a password where only a reference belongs */
} NigranSiteFileError;

#define NIGRAN_SITE_FILE_VERSION 1

/* A GeoJSON file the map draws; @style is "districts", "roads" or "landmarks". */
typedef struct
{
  char *path;
  char *style;
} NigranMapLayerFile;

/* A registered site that may post an SOS, and the bearer token it posts with. */
typedef struct
{
  char *site_id;
  char *token;
} NigranSosRegistration;

#define NIGRAN_TYPE_SITE_FILE (nigran_site_file_get_type ())
G_DECLARE_FINAL_TYPE (NigranSiteFile, nigran_site_file, NIGRAN, SITE_FILE, GObject)

GQuark          nigran_site_file_error_quark   (void);
NigranSiteFile *nigran_site_file_new_from_file (const char      *path,
                                                GError         **error);
NigranSiteFile *nigran_site_file_new_from_data (const char      *data,
                                                gssize           length,
                                                const char      *display_name,
                                                const char      *base_dir,
                                                GError         **error);
void            nigran_site_file_load_async    (const char      *path,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
NigranSiteFile *nigran_site_file_load_finish   (GAsyncResult    *result,
                                                GError         **error);
const char     *nigran_site_file_get_name      (NigranSiteFile  *self);
GListModel     *nigran_site_file_get_sites     (NigranSiteFile  *self);
GListModel     *nigran_site_file_get_cameras   (NigranSiteFile  *self);
GListModel     *nigran_site_file_get_zones     (NigranSiteFile  *self);
NigranCamera   *nigran_site_file_lookup_camera (NigranSiteFile  *self,
                                                const char      *camera_id);
NigranSite     *nigran_site_file_lookup_site   (NigranSiteFile  *self,
                                                const char      *site_id);
const char     *nigran_site_file_get_map_tiles (NigranSiteFile  *self);
const char     *nigran_site_file_get_map_tile_url (NigranSiteFile *self);
GPtrArray      *nigran_site_file_get_map_layers (NigranSiteFile *self);
GListModel     *nigran_site_file_get_units     (NigranSiteFile  *self);
GPtrArray      *nigran_site_file_get_sos_registrations (NigranSiteFile *self);
const char     *nigran_site_file_get_avl_token (NigranSiteFile  *self);
const char     *nigran_site_file_get_cad_url   (NigranSiteFile  *self);
const char     *nigran_site_file_get_cad_credential (NigranSiteFile *self);
const char     *nigran_site_file_find_zone     (NigranSiteFile  *self,
                                                double           latitude,
                                                double           longitude);
GStrv           nigran_site_file_dup_nearest_cameras (NigranSiteFile *self,
                                                double           latitude,
                                                double           longitude,
                                                guint            n);

G_END_DECLS
