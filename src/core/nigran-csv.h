/* nigran-csv.h: records of the small CSV files that galleries and imports use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GPtrArray *nigran_csv_split_record (const char *line);

G_END_DECLS
