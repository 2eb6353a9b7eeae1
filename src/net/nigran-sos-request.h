/* nigran-sos-request.h: an SOS as a registered site posts it, as JSON or as a CAP 1.2 alert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest bodies the intake reads: an SOS is a few hundred bytes; a CAP alert is a
 * few kilobytes, but real ones with detailed areas reach half a megabyte. */
#define NIGRAN_SOS_MAX_JSON (16 * 1024)
#define NIGRAN_SOS_MAX_CAP  (1024 * 1024)

#define NIGRAN_SOS_ERROR (nigran_sos_error_quark ())

typedef enum
{
  NIGRAN_SOS_ERROR_INVALID,    /* not what the schema allows */
  NIGRAN_SOS_ERROR_TOO_LARGE,
  NIGRAN_SOS_ERROR_UNSAFE,     /* a DTD, entities or other XML the intake refuses */
  NIGRAN_SOS_ERROR_VERSION,    /* CAP, but not 1.2 */
} NigranSosError;

typedef struct
{
  char    *type;          /* nullable: an APCO incident code */
  char    *message;       /* nullable */
  char    *caller;        /* nullable */
  int      people;        /* < 0: not said */
  gboolean has_position;
  double   latitude;
  double   longitude;
  gint64   sent_us;       /* 0: not said */
  char    *cap_identifier; /* for CAP alerts */
  char    *cap_sender;
} NigranSosRequest;

GQuark            nigran_sos_error_quark        (void);
NigranSosRequest *nigran_sos_request_parse_json (const char        *data,
                                                 gsize              length,
                                                 GError           **error);
NigranSosRequest *nigran_sos_request_parse_cap  (const char        *data,
                                                 gsize              length,
                                                 GError           **error);
void              nigran_sos_request_free       (NigranSosRequest  *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NigranSosRequest, nigran_sos_request_free)

G_END_DECLS
