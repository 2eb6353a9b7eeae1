/* camsim-process.h: nigran-camsim as a child process, for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CamsimProcess CamsimProcess;

CamsimProcess *camsim_process_start   (const char * const *args,
                                       guint16             port,
                                       GError            **error);
guint16        camsim_process_get_port (CamsimProcess     *self);
GHashTable    *camsim_process_get_uris (CamsimProcess     *self);
void           camsim_process_point_cameras (CamsimProcess *self,
                                       GListModel         *cameras);
void           camsim_process_kill    (CamsimProcess      *self);
gboolean       camsim_process_restart (CamsimProcess      *self,
                                       GError            **error);
void           camsim_process_free    (CamsimProcess      *self);
char          *camsim_find_executable (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CamsimProcess, camsim_process_free)

G_END_DECLS
