/* nigran-demo-injector.c: staged alerts for the demo site and for tests
 *
 * There is no recognition engine yet, so the demo shows the review with staged
 * matches. Each is plainly marked: source "demo" and "demo": true in the event, a
 * "DEMO" badge and title in the console, and watchlist entries named as staged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-alert.h"
#include "core/nigran-camera.h"
#include "nigran-demo-injector.h"

struct _NigranDemoInjector
{
  GObject         parent_instance;

  NigranEventLog *log;
  NigranSiteFile *site_file;
  guint           n_injected;
  guint           timeout_id;
  guint           interval_ms;
  NigranFrameFunc frame_func;
  gpointer        frame_data;
  char           *evidence_directory;

  guint           track_timeout_id;
  guint           track_interval_ms;
  guint           track_step;
  guint           track_vehicle;
};

/* The demo track: a car driving from the consulates along Shahrah-e-Faisal to the
 * airport, read at each camera in turn. */
static const char * const track_route[] = {
  "consulate-gate", "gh-gate", "sef-ftc", "sef-nursery", "sef-baloch-colony",
  "ac-karsaz-anpr", "ac-drigh-road", "ac-star-gate", "ap-departures",
};
#define TRACK_BACKFILLED_STEPS 4
#define TRACK_BACKFILL_SPACING (2 * G_TIME_SPAN_MINUTE)

G_DEFINE_FINAL_TYPE (NigranDemoInjector, nigran_demo_injector, G_TYPE_OBJECT)

static void
inject_next (gpointer user_data)
{
  NigranDemoInjector *self = user_data;

  self->timeout_id = 0;
  nigran_demo_injector_inject (self, self->n_injected % NIGRAN_DEMO_N_ALERTS);
  self->timeout_id = nigran_clock_add_timeout (nigran_event_log_get_clock (self->log),
                                               self->interval_ms, inject_next, self);
}

static void
nigran_demo_injector_dispose (GObject *object)
{
  NigranDemoInjector *self = NIGRAN_DEMO_INJECTOR (object);

  if (self->timeout_id != 0)
    nigran_clock_remove_timeout (nigran_event_log_get_clock (self->log), self->timeout_id);
  self->timeout_id = 0;
  if (self->track_timeout_id != 0)
    nigran_clock_remove_timeout (nigran_event_log_get_clock (self->log), self->track_timeout_id);
  self->track_timeout_id = 0;
  g_clear_object (&self->log);
  g_clear_object (&self->site_file);
  g_clear_pointer (&self->evidence_directory, g_free);

  G_OBJECT_CLASS (nigran_demo_injector_parent_class)->dispose (object);
}

static void
nigran_demo_injector_class_init (NigranDemoInjectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nigran_demo_injector_dispose;
}

static void
nigran_demo_injector_init (NigranDemoInjector *self)
{
}

NigranDemoInjector *
nigran_demo_injector_new (NigranEventLog *log,
                          NigranSiteFile *site_file)
{
  NigranDemoInjector *self;

  g_return_val_if_fail (NIGRAN_IS_EVENT_LOG (log), NULL);
  g_return_val_if_fail (NIGRAN_IS_SITE_FILE (site_file), NULL);

  self = g_object_new (NIGRAN_TYPE_DEMO_INJECTOR, NULL);
  self->log = g_object_ref (log);
  self->site_file = g_object_ref (site_file);
  return self;
}

/* Raises one staged alert of @kind at the next camera of the site, in turn. */
void
nigran_demo_injector_inject (NigranDemoInjector *self,
                             NigranDemoAlert     kind)
{
  GListModel *cameras = nigran_site_file_get_cameras (self->site_file);
  guint n_cameras = g_list_model_get_n_items (cameras);
  g_autoptr(NigranCamera) camera = n_cameras ? g_list_model_get_item (cameras, (self->n_injected * 7) % n_cameras) : NULL;
  g_autoptr(GdkTexture) frame = NULL;
  NigranAlertSpec spec = {
    .source = "demo",
    .camera_id = camera ? nigran_camera_get_id (camera) : NULL,
    .site_id = camera ? nigran_camera_get_site_id (camera) : NULL,
    .score = -1,
    .frame_age_ms = -1,
    .demo = TRUE,
  };

  g_return_if_fail (NIGRAN_IS_DEMO_INJECTOR (self));

  switch (kind)
    {
    case NIGRAN_DEMO_ALERT_FACE:
      spec.title = _("Demo: face match, staged watchlist");
      spec.kind = "face.match";
      spec.priority = NIGRAN_ALERT_PRIORITY_HIGH;
      spec.matched = _("Staged watchlist entry 17 (not a real person)");
      spec.score = 0.74;
      spec.verifiers_required = 2;
      break;
    case NIGRAN_DEMO_ALERT_PLATE:
      spec.title = _("Demo: hotlist plate BKH-786");
      spec.kind = "plate.match";
      spec.priority = NIGRAN_ALERT_PRIORITY_HIGH;
      spec.matched = _("Staged hotlist: BKH-786 (not a real vehicle)");
      spec.score = 0.91;
      spec.verifiers_required = 1;
      break;
    case NIGRAN_DEMO_ALERT_SOS:
    default:
      spec.title = _("Demo: SOS button pressed");
      spec.kind = "sos.call";
      spec.priority = NIGRAN_ALERT_PRIORITY_CRITICAL;
      spec.detail = _("A staged SOS from the demo site; nobody is in danger.");
      break;
    }
  self->n_injected++;

  /* Staged, but on a real picture: what the camera shows now. */
  if (self->frame_func != NULL && spec.camera_id != NULL)
    frame = self->frame_func (spec.camera_id, &spec.frame_age_ms, self->frame_data);
  nigran_evidence_raise_alert (self->log, &spec, frame, self->evidence_directory);
}

/* One staged alert every @interval_ms, the first after a few seconds. */
void
nigran_demo_injector_start (NigranDemoInjector *self,
                            guint               interval_ms)
{
  g_return_if_fail (NIGRAN_IS_DEMO_INJECTOR (self));

  self->interval_ms = interval_ms;
  if (self->timeout_id == 0)
    self->timeout_id = nigran_clock_add_timeout (nigran_event_log_get_clock (self->log),
                                                 MIN (interval_ms, 3000), inject_next, self);
}

/* Where the staged alerts' pictures come from, and where they are kept. */
void
nigran_demo_injector_set_evidence (NigranDemoInjector *self,
                                   NigranFrameFunc     frame_func,
                                   gpointer            user_data,
                                   const char         *directory)
{
  g_return_if_fail (NIGRAN_IS_DEMO_INJECTOR (self));

  self->frame_func = frame_func;
  self->frame_data = user_data;
  g_free (self->evidence_directory);
  self->evidence_directory = g_strdup (directory);
}

/* Records the demo car's read at the route's next camera, seen at @captured_us. */
static void
record_track_step (NigranDemoInjector *self,
                   gint64              captured_us)
{
  const char *camera_id = track_route[self->track_step % G_N_ELEMENTS (track_route)];
  NigranCamera *camera = nigran_site_file_lookup_camera (self->site_file, camera_id);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(NigranEvent) event = NULL;
  g_autofree char *text = g_strdup_printf ("BMX-%u", 2207 + self->track_vehicle);
  g_autofree char *registration = g_strdup_printf ("BMX%u", 2207 + self->track_vehicle);
  g_autofree char *camera_subject = g_strconcat ("camera:", camera_id, NULL);
  g_autofree char *plate_subject = g_strconcat ("plate:", registration, NULL);

  if (++self->track_step % G_N_ELEMENTS (track_route) == 0)
    self->track_vehicle++;  /* the route is done: a new car starts it */
  if (camera == NULL)
    return;
  json_object_set_string_member (payload, "text", text);
  json_object_set_string_member (payload, "registration", registration);
  json_object_set_string_member (payload, "authority", "sindh");
  json_object_set_double_member (payload, "confidence", 1.0);
  json_object_set_int_member (payload, "captured_us", captured_us);
  json_object_set_string_member (payload, "site", nigran_camera_get_site_id (camera));
  json_object_set_double_member (payload, "latitude", nigran_camera_get_latitude (camera));
  json_object_set_double_member (payload, "longitude", nigran_camera_get_longitude (camera));
  json_object_set_boolean_member (payload, "hit", FALSE);
  json_object_set_boolean_member (payload, "demo", TRUE);
  event = nigran_event_new ("plate.read", (const char * const[]) { camera_subject, plate_subject, NULL }, payload);
  nigran_event_log_append_async (self->log, event, NIGRAN_ACTOR_SYSTEM, NULL, NULL, NULL);
}

static void
track_next (gpointer user_data)
{
  NigranDemoInjector *self = user_data;
  NigranClock *clock = nigran_event_log_get_clock (self->log);

  record_track_step (self, nigran_clock_get_now_us (clock));
  self->track_timeout_id = nigran_clock_add_timeout (clock, self->track_interval_ms, track_next, self);
}

/**
 * nigran_demo_injector_start_track:
 *
 * A staged car ("demo": true in each read) driving across the demo site's cameras:
 * its first reads are recorded at once, a few minutes apart in the past, so that the
 * map shows a track at start; then one more read every @interval_ms.
 */
void
nigran_demo_injector_start_track (NigranDemoInjector *self,
                                  guint               interval_ms)
{
  gint64 now_us;

  g_return_if_fail (NIGRAN_IS_DEMO_INJECTOR (self));
  if (self->track_timeout_id != 0)
    return;
  now_us = nigran_clock_get_now_us (nigran_event_log_get_clock (self->log));
  for (guint i = 0; i < TRACK_BACKFILLED_STEPS; i++)
    record_track_step (self, now_us - (TRACK_BACKFILLED_STEPS - i) * TRACK_BACKFILL_SPACING);
  self->track_interval_ms = interval_ms;
  self->track_timeout_id = nigran_clock_add_timeout (nigran_event_log_get_clock (self->log), interval_ms,
                                                     track_next, self);
}
