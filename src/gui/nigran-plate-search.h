/* nigran-plate-search.h: past plate reads found again, each search audited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "store/nigran-event-log.h"

G_BEGIN_DECLS

/* Reads older than this need a supervisor and a reason. */
#define NIGRAN_PLATE_SEARCH_OPERATOR_DAYS 90

typedef struct
{
  const char *plate;       /* "AC-4903" exact or part ("4903"), "AC-49*" or "A?-4903" wildcard */
  const char *camera_id;   /* nullable: any */
  const char *site_id;     /* nullable: any */
  gint64      from_us;     /* 0: as far back as allowed */
  gint64      to_us;       /* 0: now */
  gboolean    supervisor;  /* the searcher may see reads older than NIGRAN_PLATE_SEARCH_OPERATOR_DAYS */
  const char *reason;      /* required to look further back than that */
} NigranPlateQuery;

typedef struct
{
  char       *text;
  char       *registration;
  char       *camera_id;
  char       *site_id;
  gint64      captured_us;
  double      confidence;
  GdkTexture *crop;        /* nullable: erased, missing or changed */
  gboolean    exact;       /* the whole registration matched */
} NigranPlateSearchHit;

void       nigran_plate_search_async  (NigranEventLog          *log,
                                       const NigranPlateQuery  *query,
                                       const char              *actor,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);
GPtrArray *nigran_plate_search_finish (GAsyncResult            *result,
                                       gboolean                *limited,
                                       GError                 **error);
void       nigran_plate_search_hit_free (NigranPlateSearchHit  *hit);

G_END_DECLS
