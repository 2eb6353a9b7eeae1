/* test-utils.h: what several test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "core/nigran-geo-layer.h"

G_BEGIN_DECLS

void test_tolerate_known_gstreamer_criticals (void);
int  test_compare_gint64                     (gconstpointer a,
                                              gconstpointer b);
void test_remove_directory                   (const char   *path);
guint test_count_events                      (const char   *log_path,
                                              const char   *type);
void test_iterate_for                        (gint64        duration_us);
double test_percentile_ms                    (GArray       *values_us,
                                              double        fraction);

NigranGeoLayer *test_load_east_karachi_roads (void);

G_END_DECLS
