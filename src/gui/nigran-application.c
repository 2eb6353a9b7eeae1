/* nigran-application.c: command line, site loading and the demo's cameras
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/nigran-alert-queue.h"
#include "core/nigran-event-bus.h"
#include "core/nigran-site-file.h"
#include "core/nigran-tracks.h"
#include "store/nigran-account-store.h"
#include "store/nigran-alert-checkpoint.h"
#include "media/nigran-camsim.h"
#include "nigran-application.h"
#include "nigran-camera-health.h"
#include "nigran-demo-injector.h"
#include "nigran-enrol-dialog.h"
#include "nigran-face-import-dialog.h"
#include "nigran-watchlist-window.h"
#include "nigran-face-watch.h"
#include "nigran-dispatcher.h"
#include "nigran-hotlist-window.h"
#include "nigran-login-window.h"
#include "nigran-plate-search-window.h"
#include "nigran-window.h"
#include "core/nigran-fleet-simulator.h"
#include "core/nigran-incidents.h"
#include "core/nigran-road-graph.h"
#include "net/nigran-cad-client.h"
#include "net/nigran-credential-store.h"
#include "net/nigran-sos-server.h"

struct _NigranApplication
{
  GtkApplication  parent_instance;

  NigranClock    *clock;
  GSettings      *settings;
  NigranCamsim   *camsim;
  NigranSiteFile *site_file;
  char           *site_path;
  gboolean        demo;
  GCancellable   *cancellable;

  char           *log_path;
  char           *accounts_path;
  NigranAccountStore *accounts;
  NigranWindow   *main_window;     /* weak */
  GtkWindow      *login_window;    /* weak */
  GPtrArray      *unrecorded;      /* events waiting for the log to open */
  char           *operator_name;
  NigranRole      role;
  NigranEventBus *bus;
  NigranEventLog *log;
  NigranAlertQueue *alert_queue;
  NigranTracks   *tracks;
  GPtrArray      *events_during_rebuild;
  gboolean        site_ready;
  gboolean        preparing_footage;
  NigranCameraHealth *camera_health;
  NigranDemoInjector *demo_injector;
  NigranFaceWatch *face_watch;
  NigranPlateWatch *plate_watch;
  guint           retention_source;

  char           *sos_listen;
  char           *sos_certificate;   /* nullable: PEM with the key; the intake speaks HTTPS */
  NigranUnits    *units;
  NigranIncidents *incidents;
  NigranGeoLayer *roads_layer;       /* nullable: held, so that the map view shares it */
  NigranRoadGraph *roads;            /* nullable: no road data */
  GPtrArray      *dispatch_pending;  /* events committed while the board was rebuilt */
  NigranSosServer *sos_server;
  NigranCadClient *cad;
  NigranDispatcher *dispatcher;
  NigranFleetSimulator *demo_fleet;
  guint           demo_fleet_source;
};

G_DEFINE_FINAL_TYPE (NigranApplication, nigran_application, GTK_TYPE_APPLICATION)

#define PREPARING_FOOTAGE N_("Preparing the demo cameras’ footage (only the first time takes a minute)…")

static NigranWindow *
get_window (NigranApplication *self)
{
  return self->main_window;
}

static void
on_recorded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (nigran_event_log_append_finish (NIGRAN_EVENT_LOG (source), result, &error) == 0)
    g_message ("Not recorded: %s", error->message);
}

/* Records @event by @actor now, or as soon as the log is open. */
static void
record (NigranApplication *self,
        NigranEvent       *event,
        const char        *actor)
{
  if (self->log != NULL)
    nigran_event_log_append_async (self->log, event, actor, NULL, on_recorded_cb, NULL);
  else
    {
      g_object_set_data_full (G_OBJECT (event), "nigran-actor", g_strdup (actor), g_free);
      g_ptr_array_add (self->unrecorded, g_object_ref (event));
    }
}

static NigranEvent *
operator_event_new (const char *type,
                    const char *name,
                    NigranRole  role)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *subject = g_strconcat ("operator:", name, NULL);

  json_object_set_string_member (payload, "role", nigran_role_to_string (role));
  return nigran_event_new (type, (const char * const[]) { subject, NULL }, payload);
}

static void
show_problem (NigranApplication *self,
              const char        *message)
{
  NigranWindow *window = get_window (self);

  g_warning ("%s", message);
  if (window != NULL)
    nigran_window_show_problem (window, message);
}

static GdkTexture *
grab_frame (const char *camera_id,
            gint64     *frame_age_ms,
            gpointer    user_data)
{
  NigranApplication *self = user_data;

  *frame_age_ms = -1;
  return self->main_window
         ? nigran_wall_dup_camera_frame (nigran_window_get_wall (self->main_window), camera_id, frame_age_ms)
         : NULL;
}

static void apply_to_dispatch (NigranApplication *self,
                               NigranEvent       *event);

typedef struct
{
  NigranUnits     *units;
  NigranIncidents *incidents;
  NigranGeoLayer  *roads_layer;
  NigranRoadGraph *roads;
  GPtrArray       *cad_events;
  gint64           last_sequence;
  GTlsCertificate *sos_certificate;
  GError          *sos_certificate_error;
} DispatchRebuild;

static void
free_dispatch_rebuild (gpointer data)
{
  DispatchRebuild *rebuild = data;

  g_clear_object (&rebuild->units);
  g_clear_object (&rebuild->incidents);
  g_clear_object (&rebuild->roads_layer);
  g_clear_object (&rebuild->roads);
  g_clear_pointer (&rebuild->cad_events, g_ptr_array_unref);
  g_clear_object (&rebuild->sos_certificate);
  g_clear_error (&rebuild->sos_certificate_error);
  g_free (rebuild);
}

static gboolean
apply_to_rebuild (NigranEvent *event,
                  gpointer     user_data)
{
  DispatchRebuild *rebuild = user_data;

  nigran_units_apply (rebuild->units, event);
  nigran_incidents_apply (rebuild->incidents, event);
  if (g_str_has_prefix (nigran_event_get_event_type (event), "cad."))
    g_ptr_array_add (rebuild->cad_events, g_object_ref (event));
  rebuild->last_sequence = MAX (rebuild->last_sequence, nigran_event_get_sequence (event));
  return TRUE;
}

/* Worker thread: the units and incidents from the log, the roads to route units on and
 * the intake's certificate. */
static void
rebuild_dispatch_thread (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  static const char * const types[] = {
    "unit.position", "unit.status", "incident.opened", "incident.dispatched", "incident.cleared",
    "incident.closed", "cad.queued", "cad.delivered", "cad.refused", NULL
  };
  NigranApplication *self = source;
  DispatchRebuild *rebuild = g_new0 (DispatchRebuild, 1);
  GPtrArray *layers = nigran_site_file_get_map_layers (self->site_file);
  g_autoptr(GError) error = NULL;

  rebuild->units = nigran_units_new (nigran_site_file_get_units (self->site_file));
  rebuild->incidents = nigran_incidents_new ();
  rebuild->cad_events = g_ptr_array_new_with_free_func (g_object_unref);
  if (!nigran_event_log_foreach_of_types (task_data, types, apply_to_rebuild, rebuild, &error))
    g_message ("The incidents could not be read back: %s", error->message);
  for (guint i = 0; i < layers->len && rebuild->roads == NULL; i++)
    {
      NigranMapLayerFile *layer = layers->pdata[i];

      if (!g_str_equal (layer->style, "roads"))
        continue;
      /* Read once with the map view, whichever comes first; the other shares it. */
      rebuild->roads_layer = nigran_geo_layer_load_shared (layer->path, NULL);
      if (rebuild->roads_layer != NULL)
        rebuild->roads = nigran_road_graph_for_layer (rebuild->roads_layer);
    }
  if (self->sos_certificate != NULL)
    rebuild->sos_certificate = g_tls_certificate_new_from_file (self->sos_certificate,
                                                                &rebuild->sos_certificate_error);
  g_task_return_pointer (task, rebuild, free_dispatch_rebuild);
}

static void
record_intake (GPtrArray  *events,
               const char *actor,
               gpointer    user_data)
{
  for (guint i = 0; i < events->len; i++)
    record (user_data, events->pdata[i], actor);
}

static void
record_system_event (NigranEvent *event,
                     gpointer     user_data)
{
  record (user_data, event, NIGRAN_ACTOR_SYSTEM);
}

static void
on_cad_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(NigranApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  char *token = NULL;

  if (!nigran_credential_store_lookup_finish (NIGRAN_CREDENTIAL_STORE (object), result, &user, &token, &error))
    g_message ("The CAD link’s token is not in the keyring (%s): sending without one", error->message);
  if (self->cad != NULL)
    {
      nigran_cad_client_set_token (self->cad, token);
      nigran_cad_client_start (self->cad);
    }
  nigran_credential_free_password (token);
}

static void
record_decision (NigranEvent *event,
                 const char  *actor,
                 gpointer     user_data)
{
  record (user_data, event, actor);
}

static void
on_dispatch_problem_cb (NigranDispatcher  *dispatcher,
                        const char        *message,
                        NigranApplication *self)
{
  show_problem (self, message);
}

static void
show_dispatch (NigranApplication *self,
               NigranWindow      *window)
{
  nigran_dispatcher_set_window (self->dispatcher, window);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "dispatch", nigran_dispatcher_get_actions (self->dispatcher));
  nigran_dispatch_board_set_projections (nigran_window_get_dispatch_board (window), self->units,
                                         self->incidents, self->roads, self->clock);
  nigran_map_overlay_set_dispatch (nigran_map_view_get_overlay (nigran_window_get_map_view (window)),
                                   G_LIST_MODEL (self->units), G_LIST_MODEL (self->incidents));
}

/* The demo's units report through the log, as a real fleet's AVL feed does. */
static gboolean
step_demo_fleet (gpointer data)
{
  NigranApplication *self = data;
  g_autoptr(GPtrArray) events = nigran_fleet_simulator_step (self->demo_fleet, nigran_clock_get_now_us (self->clock));

  for (guint i = 0; i < events->len; i++)
    record (self, events->pdata[i], "avl:demo");
  return G_SOURCE_CONTINUE;
}

static void
on_dispatch_rebuilt_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  NigranApplication *self = NIGRAN_APPLICATION (object);
  DispatchRebuild *rebuild = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *cad_url;

  if (rebuild == NULL)
    return;
  self->units = g_steal_pointer (&rebuild->units);
  self->incidents = g_steal_pointer (&rebuild->incidents);
  self->roads_layer = g_steal_pointer (&rebuild->roads_layer);
  self->roads = g_steal_pointer (&rebuild->roads);

  cad_url = nigran_site_file_get_cad_url (self->site_file);
  if (cad_url != NULL)
    {
      const char *credential = nigran_site_file_get_cad_credential (self->site_file);

      self->cad = nigran_cad_client_new (cad_url, record_system_event, self);
      for (guint i = 0; i < rebuild->cad_events->len; i++)
        nigran_cad_client_apply (self->cad, rebuild->cad_events->pdata[i]);
      if (credential != NULL)
        nigran_credential_store_lookup_async (nigran_credential_store_get_default (), credential, self->cancellable,
                                              on_cad_token_cb, g_object_ref (self));
      else
        nigran_cad_client_start (self->cad);
    }
  for (guint i = 0; i < self->dispatch_pending->len; i++)
    if (nigran_event_get_sequence (self->dispatch_pending->pdata[i]) > rebuild->last_sequence)
      apply_to_dispatch (self, self->dispatch_pending->pdata[i]);
  g_clear_pointer (&self->dispatch_pending, g_ptr_array_unref);

  self->dispatcher = nigran_dispatcher_new (self->site_file, record_decision, self);
  g_signal_connect_object (self->dispatcher, "problem", G_CALLBACK (on_dispatch_problem_cb), self, 0);
  nigran_dispatcher_set_operator (self->dispatcher, self->operator_name);
  nigran_dispatcher_set_alerts (self->dispatcher, self->alert_queue, self->tracks);
  nigran_dispatcher_set_projections (self->dispatcher, self->units, self->incidents, self->roads);
  if (self->main_window != NULL)
    show_dispatch (self, self->main_window);
  if (self->demo)
    {
      self->demo_fleet = nigran_fleet_simulator_new (self->units, self->incidents, self->roads, g_random_int ());
      self->demo_fleet_source = g_timeout_add_seconds (2, step_demo_fleet, self);
    }

  if (self->sos_listen != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->sos_server = nigran_sos_server_new (self->site_file, record_intake, self);
      if (rebuild->sos_certificate_error != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("The SOS intake is off: its certificate %s cannot be "
                                                        "read (%s)"), self->sos_certificate,
                                                      rebuild->sos_certificate_error->message);
          show_problem (self, message);
          g_clear_object (&self->sos_server);
        }
      else if (!nigran_sos_server_listen (self->sos_server, self->sos_listen, rebuild->sos_certificate, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The SOS intake cannot listen on %s: %s"),
                                                      self->sos_listen, error->message);
          show_problem (self, message);
          g_clear_object (&self->sos_server);
        }
      else
        g_message ("SOS intake listening on %s over %s", self->sos_listen,
                   rebuild->sos_certificate != NULL ? "HTTPS" : "HTTP");
    }
  free_dispatch_rebuild (rebuild);
}

static void
start_dispatch (NigranApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_dispatch_rebuilt_cb, NULL);

  self->dispatch_pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, g_object_ref (self->log), g_object_unref);
  g_task_run_in_thread (task, rebuild_dispatch_thread);
}

/* Pictures kept with alerts and enrolments live beside the log; the demo's apart. */
static char *
dup_evidence_directory (NigranApplication *self)
{
  g_autofree char *log_directory = g_path_get_dirname (self->log_path);

  return g_build_filename (log_directory, self->demo ? "demo-evidence" : "evidence", NULL);
}

static void
load_face_watch_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  g_autofree char *models_dir = nigran_engine_dup_default_models_dir ();
  GError *error = NULL;
  g_autoptr(NigranFaceWatch) watch = nigran_face_watch_new (task_data, models_dir, &error);

  if (watch == NULL || !nigran_face_watch_restore (watch, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&watch), g_object_unref);
}

static void
load_plate_watch_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(NigranPlateWatch) watch = nigran_plate_watch_new (task_data, NULL, &error);

  if (watch == NULL || !nigran_plate_watch_restore (watch, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&watch), g_object_unref);
}

/* The demo's hotlist, with one of the drawn street's plates on it. */
static void
define_demo_hotlist (NigranApplication *self)
{
  const char *name = _("Stolen vehicles (demo)");
  g_autoptr(NigranWatchlist) hotlist = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (nigran_plate_watch_count_entries (self->plate_watch, name) > 0)
    return;
  hotlist = nigran_watchlist_new (name, "stolen-vehicles");
  nigran_watchlist_set_tone (hotlist, NIGRAN_ALERT_TONE_SIREN);
  nigran_watchlist_set_expiry_days (hotlist, 30);
  nigran_plate_watch_define_hotlist (self->plate_watch, hotlist, NIGRAN_ACTOR_SYSTEM);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)nigran_hotlist_entry_free);
  g_ptr_array_add (entries, nigran_hotlist_entry_new (name, "AC-4903", _("Reported stolen from Clifton"),
                                                      _("Demo: CPLC stolen-vehicle list")));
  if (!nigran_plate_watch_add_entries (self->plate_watch, name, entries, _("demo"), NIGRAN_ACTOR_SYSTEM, &error))
    g_message ("The demo hotlist was not filled: %s", error->message);
}

static void
on_plate_watch_loaded_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      data)
{
  NigranApplication *self = NIGRAN_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranPlateWatch) watch = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *evidence = dup_evidence_directory (self);

  if (watch == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Number plates are not read: %s"), error->message);
      show_problem (self, message);
      return;
    }
  nigran_plate_watch_set_evidence_directory (watch, evidence);
  nigran_plate_watch_set_site (watch, nigran_site_file_get_cameras (self->site_file),
                               nigran_site_file_get_zones (self->site_file));
  self->plate_watch = g_steal_pointer (&watch);
  if (self->demo)
    define_demo_hotlist (self);
  nigran_plate_watch_set_running (self->plate_watch, TRUE, NIGRAN_ACTOR_SYSTEM);
  if (self->main_window != NULL)
    nigran_wall_set_plate_watch (nigran_window_get_wall (self->main_window), self->plate_watch);
}

static void
on_retention_applied_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      data)
{
  g_autoptr(GError) error = NULL;
  guint n_matches = 0, n_enrolments = 0;

  if (!nigran_face_watch_apply_retention_finish (NIGRAN_FACE_WATCH (object), result, &n_matches, &n_enrolments, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Retention was not applied: %s", error->message);
      return;
    }
  if (n_matches + n_enrolments > 0)
    g_message ("Retention erased the evidence of %u face matches and %u enrolments of people removed",
               n_matches, n_enrolments);
}

static void
on_reads_purged_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(GError) error = NULL;
  gssize n = nigran_plate_watch_purge_reads_finish (NIGRAN_PLATE_WATCH (object), result, &error);

  if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Plate reads were not purged: %s", error->message);
  else if (n > 0)
    g_message ("Retention erased %zd plate reads that hit no hotlist", n);
}

/* At the start and every hour: nothing is kept longer than its watchlist allows. */
static gboolean
apply_retention (gpointer data)
{
  NigranApplication *self = data;

  if (self->face_watch != NULL)
    nigran_face_watch_apply_retention_async (self->face_watch, nigran_clock_get_now_us (self->clock),
                                             self->cancellable, on_retention_applied_cb, NULL);
  if (self->plate_watch != NULL)
    nigran_plate_watch_purge_reads_async (self->plate_watch, nigran_clock_get_now_us (self->clock),
                                          self->cancellable, on_reads_purged_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
on_face_watch_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      data)
{
  NigranApplication *self = NIGRAN_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(NigranFaceWatch) watch = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *evidence = dup_evidence_directory (self);
  GAction *action;

  if (watch == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Face recognition is off: %s"), error->message);
      show_problem (self, message);
      return;
    }

  nigran_face_watch_set_evidence_directory (watch, evidence);
  self->face_watch = g_steal_pointer (&watch);
  nigran_face_watch_set_running (self->face_watch, TRUE, NIGRAN_ACTOR_SYSTEM);
  apply_retention (self);
  self->retention_source = g_timeout_add_seconds (3600, apply_retention, self);
  if (self->main_window != NULL)
    nigran_wall_set_face_watch (nigran_window_get_wall (self->main_window), self->face_watch);

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "face-recognition");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (TRUE));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "enrol-face");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "import-watchlist");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "watchlists");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "camera-recognition");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
}

/* The switch in the header bar and Ctrl+Shift+R: one action stops recognition on
 * every camera, within a second, as the signed-in operator; video goes on. */
static void
face_recognition_change_state (GSimpleAction *action,
                               GVariant      *state,
                               gpointer       user_data)
{
  NigranApplication *self = user_data;

  if (self->face_watch == NULL)
    return;
  nigran_face_watch_set_running (self->face_watch, g_variant_get_boolean (state), self->operator_name);
  g_simple_action_set_state (action, state);
}

static void
on_enrolled_cb (NigranEnrolDialog *dialog,
                const char        *name,
                NigranApplication *self)
{
  NigranWindow *window = get_window (self);

  if (window != NULL)
    nigran_window_show_problem (window, _("Enrolled. An alert follows when a camera on the wall sees this "
                                          "person; a person must verify it before anyone acts."));
}

/* Ctrl+Shift+E: the focused tile's picture, frozen, to pick a face from and enrol. */
static void
enrol_face_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  NigranApplication *self = user_data;
  NigranWall *wall;
  NigranTile *tile;
  NigranCamera *camera;
  g_autoptr(GdkTexture) frame = NULL;
  NigranEnrolDialog *dialog;

  if (self->face_watch == NULL || self->main_window == NULL)
    return;
  wall = nigran_window_get_wall (self->main_window);
  tile = nigran_wall_get_tile (wall, nigran_wall_get_focus (wall));
  camera = nigran_tile_get_camera (tile);
  frame = nigran_video_paintable_dup_texture (nigran_tile_get_paintable (tile));
  if (camera == NULL || frame == NULL)
    {
      show_problem (self, _("The focused tile shows no picture to enrol a face from."));
      return;
    }
  dialog = nigran_enrol_dialog_new (GTK_WINDOW (self->main_window), self->face_watch, frame,
                                    nigran_camera_get_id (camera), nigran_camera_get_name (camera),
                                    self->operator_name);
  g_signal_connect_object (dialog, "enrolled", G_CALLBACK (on_enrolled_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Ctrl+Alt+R: recognition off, or on again, for the focused tile's camera only. */
static void
camera_recognition_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  NigranApplication *self = user_data;
  NigranWall *wall;
  NigranCamera *camera;
  g_autofree char *message = NULL;
  gboolean enabled;

  if (self->face_watch == NULL || self->main_window == NULL)
    return;
  wall = nigran_window_get_wall (self->main_window);
  camera = nigran_tile_get_camera (nigran_wall_get_tile (wall, nigran_wall_get_focus (wall)));
  if (camera == NULL)
    return;
  enabled = !nigran_face_watch_get_camera_enabled (self->face_watch, nigran_camera_get_id (camera));
  nigran_face_watch_set_camera_enabled (self->face_watch, nigran_camera_get_id (camera), enabled, self->operator_name);
  message = g_strdup_printf (enabled ? _("Face recognition is on again for %s.")
                                     : _("Face recognition is off for %s; its video goes on."),
                             nigran_camera_get_name (camera));
  nigran_window_show_problem (self->main_window, message);
}

/* Supervisors and administrators import watchlists; operators enrol from a tile. */
static void
import_watchlist_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  NigranApplication *self = user_data;
  NigranFaceImportDialog *dialog;

  if (self->face_watch == NULL)
    return;
  if (self->role == NIGRAN_ROLE_OPERATOR)
    {
      show_problem (self, _("Importing a watchlist is for a supervisor or an administrator."));
      return;
    }
  dialog = nigran_face_import_dialog_new (GTK_WINDOW (self->main_window), self->face_watch, self->operator_name);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Supervisors and administrators see and edit the watchlists; operators do not see
 * who is on them. */
static void
watchlists_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  NigranApplication *self = user_data;
  NigranWatchlistWindow *window;

  if (self->face_watch == NULL)
    return;
  if (self->role == NIGRAN_ROLE_OPERATOR)
    {
      show_problem (self, _("The watchlists are for a supervisor or an administrator."));
      return;
    }
  window = nigran_watchlist_window_new (GTK_WINDOW (self->main_window), self->face_watch, self->operator_name);
  /* Its "Import photos…" is the application's action. */
  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
}

/* Supervisors and administrators keep the hotlists. */
static void
hotlists_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  NigranApplication *self = user_data;
  NigranHotlistWindow *window;

  if (self->plate_watch == NULL || self->main_window == NULL)
    {
      show_problem (self, _("Number plates are not being read, so there are no hotlists to edit."));
      return;
    }
  if (self->role == NIGRAN_ROLE_OPERATOR || self->role == NIGRAN_ROLE_TRAINER)
    {
      show_problem (self, _("The hotlists are for a supervisor or an administrator."));
      return;
    }
  window = nigran_hotlist_window_new (GTK_WINDOW (self->main_window), self->plate_watch, self->operator_name);
  gtk_window_present (GTK_WINDOW (window));
}

/* Every operator may search past plate reads; how far back depends on the role. */
static void
plate_search_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  NigranApplication *self = user_data;
  NigranPlateSearchWindow *window;

  if (self->log == NULL || self->site_file == NULL || self->main_window == NULL)
    return;
  window = nigran_plate_search_window_new (GTK_WINDOW (self->main_window), self->log,
                                           nigran_site_file_get_cameras (self->site_file),
                                           self->operator_name, self->role);
  gtk_window_present (GTK_WINDOW (window));
}

/* Once the site's cameras have their streams and the alert queue is rebuilt. */
static void
start_alert_sources (NigranApplication *self)
{
  g_autofree char *evidence = NULL;

  if (!self->site_ready || self->alert_queue == NULL || self->camera_health != NULL)
    return;

  evidence = dup_evidence_directory (self);
  start_dispatch (self);

  self->camera_health = nigran_camera_health_new (self->log, nigran_site_file_get_cameras (self->site_file));
  nigran_camera_health_set_evidence (self->camera_health, grab_frame, self, evidence);
  self->demo_injector = nigran_demo_injector_new (self->log, self->site_file);
  nigran_demo_injector_set_evidence (self->demo_injector, grab_frame, self, evidence);
  if (self->demo)
    {
      nigran_demo_injector_start (self->demo_injector, 60 * 1000);
      nigran_demo_injector_start_track (self->demo_injector, 45 * 1000);
    }

  /* Reading the models takes a moment: not on the main thread. */
  {
    g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_face_watch_loaded_cb, NULL);

    g_task_set_task_data (task, g_object_ref (self->log), g_object_unref);
    g_task_run_in_thread (task, load_face_watch_thread);
  }
  {
    g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_plate_watch_loaded_cb, NULL);

    g_task_set_task_data (task, g_object_ref (self->log), g_object_unref);
    g_task_run_in_thread (task, load_plate_watch_thread);
  }
}

static void
apply_to_dispatch (NigranApplication *self,
                   NigranEvent       *event)
{
  NigranIncident *incident;

  nigran_units_apply (self->units, event);
  incident = nigran_incidents_apply (self->incidents, event);
  if (incident != NULL && self->cad != NULL)
    {
      g_autoptr(NigranEvent) queued = nigran_cad_client_queue_event_new (event, incident);

      if (queued != NULL)
        record (self, queued, NIGRAN_ACTOR_SYSTEM);
    }
  if (self->cad != NULL)
    nigran_cad_client_apply (self->cad, event);
  if (incident != NULL && self->main_window != NULL &&
      g_str_equal (nigran_event_get_event_type (event), "incident.opened") &&
      g_strcmp0 (nigran_incident_get_source (incident), "sos") == 0)
    nigran_window_show_incident (self->main_window, incident);
}

static void
on_event_cb (NigranEventBus    *bus,
             NigranEvent       *event,
             NigranApplication *self)
{
  if (self->incidents != NULL)
    apply_to_dispatch (self, event);
  else if (self->dispatch_pending != NULL)
    g_ptr_array_add (self->dispatch_pending, g_object_ref (event));

  if (self->alert_queue != NULL)
    {
      nigran_alert_queue_apply (self->alert_queue, event);
      nigran_tracks_apply (self->tracks, event);
    }
  else
    g_ptr_array_add (self->events_during_rebuild, g_object_ref (event));
}

typedef struct
{
  NigranTracks *tracks;
  gint64        last_sequence;
} TracksRebuild;

static gboolean
apply_to_tracks (NigranEvent *event,
                 gpointer     user_data)
{
  TracksRebuild *rebuild = user_data;

  nigran_tracks_apply (rebuild->tracks, event);
  rebuild->last_sequence = MAX (rebuild->last_sequence, nigran_event_get_sequence (event));
  return TRUE;
}

/* The tracks of the last day, from the sightings in the log. */
static NigranTracks *
rebuild_tracks (NigranEventLog *log,
                gint64          now_us,
                gint64         *last_sequence)
{
  static const char * const types[] = { "plate.read", "face.seen", "alert.raised", "track.linked",
                                        "track.link-confirmed", NULL };
  TracksRebuild rebuild = { nigran_tracks_new (), 0 };
  g_autoptr(GError) error = NULL;

  if (!nigran_event_log_foreach_of_types_between (log, types, now_us - G_TIME_SPAN_DAY, 0,
                                                  apply_to_tracks, &rebuild, &error))
    g_message ("The tracks of the last day could not be read back: %s", error->message);
  *last_sequence = rebuild.last_sequence;
  return rebuild.tracks;
}

/* Worker thread: opens the log and replays it into a new alert queue. */
static void
open_log_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  NigranApplication *self = source;
  g_autofree char *directory = g_path_get_dirname (self->log_path);
  g_autoptr(NigranAlertQueue) queue = NULL;
  g_autoptr(NigranEventLog) log = NULL;
  gboolean from_checkpoint;
  GError *error = NULL;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("The folder %s for the event log cannot be made: %s"),
                               directory, g_strerror (saved_errno));
      return;
    }
  log = nigran_event_log_open (self->log_path, self->clock, self->bus, NULL, &error);
  if (log == NULL || (queue = nigran_alert_queue_rebuild (log, &from_checkpoint, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* After a crash the whole log was replayed: save that work for the next start. */
  if (!from_checkpoint && nigran_alert_queue_get_last_sequence (queue) > 10000 &&
      !nigran_alert_checkpoint_save (log, queue, &error))
    {
      g_message ("%s", error->message);
      g_clear_error (&error);
    }
  g_object_set_data_full (G_OBJECT (task), "queue", g_steal_pointer (&queue), g_object_unref);
  {
    gint64 tracks_sequence = 0;
    NigranTracks *tracks = rebuild_tracks (log, nigran_clock_get_now_us (self->clock), &tracks_sequence);

    g_object_set_data_full (G_OBJECT (task), "tracks", tracks, g_object_unref);
    g_object_set_data_full (G_OBJECT (task), "tracks-sequence", g_memdup2 (&tracks_sequence, sizeof tracks_sequence), g_free);
  }
  g_task_return_pointer (task, g_steal_pointer (&log), g_object_unref);
}

static void
on_log_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  NigranApplication *self = NIGRAN_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  NigranWindow *window;

  self->log = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->log == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Alerts are off: %s"), error->message);
      show_problem (self, message);
      return;
    }
  self->alert_queue = g_object_ref (g_object_get_data (G_OBJECT (result), "queue"));
  self->tracks = g_object_ref (g_object_get_data (G_OBJECT (result), "tracks"));
  for (guint i = 0; i < self->events_during_rebuild->len; i++)
    {
      NigranEvent *event = self->events_during_rebuild->pdata[i];

      if (nigran_event_get_sequence (event) > nigran_alert_queue_get_last_sequence (self->alert_queue))
        nigran_alert_queue_apply (self->alert_queue, event);
      if (nigran_event_get_sequence (event) > *(gint64 *) g_object_get_data (G_OBJECT (result), "tracks-sequence"))
        nigran_tracks_apply (self->tracks, event);
    }
  g_ptr_array_set_size (self->events_during_rebuild, 0);

  for (guint i = 0; i < self->unrecorded->len; i++)
    nigran_event_log_append_async (self->log, self->unrecorded->pdata[i],
                                   g_object_get_data (self->unrecorded->pdata[i], "nigran-actor"),
                                   NULL, on_recorded_cb, NULL);
  g_ptr_array_set_size (self->unrecorded, 0);

  if ((window = get_window (self)) != NULL)
    {
      nigran_window_set_alerts (window, self->alert_queue, self->log, self->operator_name);
      nigran_window_set_tracks (window, self->tracks);
    }
  start_alert_sources (self);
}

static void
inject_demo_alert_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  NigranApplication *self = user_data;
  static guint next;

  if (self->demo_injector != NULL)
    nigran_demo_injector_inject (self->demo_injector, next++ % NIGRAN_DEMO_N_ALERTS);
}

static int
verify_log (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  gint64 n_events, first_broken;

  if (!nigran_event_log_verify (path, &n_events, &first_broken, &problem, &error))
    {
      g_printerr ("nigran: %s\n", error->message);
      return 2;
    }
  if (problem != NULL)
    {
      g_print (_("%s: the chain is broken at sequence number %" G_GINT64_FORMAT ": %s.\n"),
               path, first_broken, problem);
      return 1;
    }
  g_print (ngettext ("%s: the chain holds: %" G_GINT64_FORMAT " event, none changed, none missing.\n",
                     "%s: the chain holds: %" G_GINT64_FORMAT " events, none changed, none missing.\n",
                     n_events), path, n_events);
  return 0;
}

static void
on_camsim_started_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(NigranApplication) self = data;
  g_autoptr(GError) error = NULL;
  NigranWindow *window;
  GListModel *cameras;

  self->preparing_footage = FALSE;
  if (!nigran_camsim_start_finish (NIGRAN_CAMSIM (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The demo cameras could not start: %s"), error->message);
      show_problem (self, message);
      return;
    }

  cameras = nigran_site_file_get_cameras (self->site_file);
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
      g_autofree char *main_uri = NULL;
      g_autofree char *sub_uri = NULL;

      if (!nigran_camera_get_simulated (camera))
        continue;
      main_uri = nigran_camsim_dup_uri (self->camsim, nigran_camera_get_id (camera), TRUE);
      sub_uri = nigran_camsim_dup_uri (self->camsim, nigran_camera_get_id (camera), FALSE);
      nigran_camera_set_uris (camera, main_uri, sub_uri);
    }

  window = get_window (self);
  if (window != NULL)
    {
      nigran_window_show_problem (window, NULL);
      nigran_window_set_site_file (window, self->site_file);
    }
  self->site_ready = TRUE;
  start_alert_sources (self);
}

static void
start_simulated_cameras (NigranApplication *self)
{
  GListModel *cameras = nigran_site_file_get_cameras (self->site_file);
  NigranWindow *window = get_window (self);

  self->camsim = nigran_camsim_new ();
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);

      if (nigran_camera_get_simulated (camera))
        nigran_camsim_add_camera (self->camsim, nigran_camera_get_id (camera),
                                  nigran_camera_get_footage (camera));
    }

  self->preparing_footage = TRUE;
  if (window != NULL)
    nigran_window_show_problem (window, _(PREPARING_FOOTAGE));
  nigran_camsim_start_async (self->camsim, 0, self->cancellable, on_camsim_started_cb, g_object_ref (self));
}

static void
on_site_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(NigranApplication) self = data;
  g_autoptr(GError) error = NULL;
  NigranWindow *window;
  gboolean has_simulated = FALSE;
  GListModel *cameras;

  self->site_file = nigran_site_file_load_finish (result, &error);
  if (self->site_file == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The site file could not be loaded. %s"), error->message);
      show_problem (self, message);
      return;
    }

  cameras = nigran_site_file_get_cameras (self->site_file);
  for (guint i = 0; i < g_list_model_get_n_items (cameras); i++)
    {
      g_autoptr(NigranCamera) camera = g_list_model_get_item (cameras, i);
      has_simulated |= nigran_camera_get_simulated (camera);
    }

  if (has_simulated)
    start_simulated_cameras (self);
  else
    {
      if ((window = get_window (self)) != NULL)
        nigran_window_set_site_file (window, self->site_file);
      self->site_ready = TRUE;
      start_alert_sources (self);
    }
}

static gboolean
has_gpu_render_node (void)
{
  g_autoptr(GDir) dri = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* Call before GTK starts. Without a GPU, GTK's GL renderer runs on llvmpipe and a
 * wall of video costs more to draw than with the cairo renderer fed opaque frames
 * (measured in nigran-video-paintable.c); GSK_RENDERER set by the user wins. */
void
nigran_application_choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  if (renderer == NULL && !has_gpu_render_node ())
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      renderer = "cairo";
    }
  nigran_video_paintable_set_opaque_frames (g_strcmp0 (renderer, "cairo") == 0);
}

/* The console's stylesheet and icon, for every window on the default display. Call after GTK
 * started; the tests and the benchmark call it too, so they draw what operators see. */
void
nigran_application_install_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/nigran/Nigran/style.css");
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/nigran/Nigran/icons");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Installed, the demo site lives in the package's data folder; in a build tree, in
 * the source tree's data/. */
char *
nigran_application_find_demo_site (void)
{
  const char *env = g_getenv ("NIGRAN_DATADIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo-site.json", NULL);

  if (env != NULL)
    return g_build_filename (env, "demo-site.json", NULL);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&installed);
  return g_build_filename (SOURCE_DATADIR, "demo-site.json", NULL);
}

static int
nigran_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);
  const char *site = NULL;
  const char *log = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("nigran %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "verify-log", "^&ay", &log))
    return verify_log (log);

  self->demo = g_variant_dict_contains (options, "demo");
  {
    const char *sos_listen = NULL;
    const char *sos_certificate = NULL;

    if (g_variant_dict_lookup (options, "sos-listen", "&s", &sos_listen))
      self->sos_listen = g_strdup (sos_listen);
    if (g_variant_dict_lookup (options, "sos-certificate", "^&ay", &sos_certificate))
      self->sos_certificate = g_strdup (sos_certificate);
  }
  if (g_variant_dict_lookup (options, "site", "^&ay", &site))
    self->site_path = g_strdup (site);

  if (self->demo && self->site_path != NULL)
    {
      g_printerr ("nigran: --demo and --site exclude each other\n");
      return 2;
    }
  if (!self->demo && self->site_path == NULL)
    {
      g_printerr ("nigran: name a site file with --site FILE, or run the demo with --demo\n");
      return 2;
    }
  if (self->demo)
    self->site_path = nigran_application_find_demo_site ();

  if (g_variant_dict_lookup (options, "accounts", "^&ay", &log))
    self->accounts_path = g_strdup (log);
  else
    self->accounts_path = g_build_filename (g_get_user_data_dir (), "nigran",
                                            self->demo ? "demo-accounts.sqlite" : "accounts.sqlite", NULL);

  /* The demo keeps its staged alerts out of a real site's log. */
  if (g_variant_dict_lookup (options, "log", "^&ay", &log))
    self->log_path = g_strdup (log);
  else
    self->log_path = g_build_filename (g_get_user_data_dir (), "nigran",
                                       self->demo ? "demo-events.sqlite" : "events.sqlite", NULL);
  return -1;
}

static void sign_out_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data);

static void
nigran_application_startup (GApplication *application)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *supervisor_accels[] = { "<Control><Shift>s", NULL };
  g_autoptr(GSimpleAction) quit = g_simple_action_new ("quit", NULL);

  G_APPLICATION_CLASS (nigran_application_parent_class)->startup (application);

  g_signal_connect_swapped (quit, "activate", G_CALLBACK (g_application_quit), application);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (quit));
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.supervisor", supervisor_accels);
  {
    static const char *recognition_accels[] = { "<Control><Shift>r", NULL };
    g_autoptr(GSimpleAction) recognition =
      g_simple_action_new_stateful ("face-recognition", NULL, g_variant_new_boolean (FALSE));

    /* Until the models are loaded. */
    g_simple_action_set_enabled (recognition, FALSE);
    g_signal_connect (recognition, "change-state", G_CALLBACK (face_recognition_change_state), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (recognition));
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.face-recognition",
                                           recognition_accels);
  }
  {
    static const char *enrol_accels[] = { "<Control><Shift>e", NULL };
    g_autoptr(GSimpleAction) enrol = g_simple_action_new ("enrol-face", NULL);

    g_simple_action_set_enabled (enrol, FALSE);
    g_signal_connect (enrol, "activate", G_CALLBACK (enrol_face_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (enrol));
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.enrol-face", enrol_accels);
  }
  {
    static const char *camera_recognition_accels[] = { "<Control><Alt>r", NULL };
    g_autoptr(GSimpleAction) camera_recognition = g_simple_action_new ("camera-recognition", NULL);

    g_simple_action_set_enabled (camera_recognition, FALSE);
    g_signal_connect (camera_recognition, "activate", G_CALLBACK (camera_recognition_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (camera_recognition));
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.camera-recognition",
                                           camera_recognition_accels);
  }
  {
    static const char *hotlists_accels[] = { "<Control><Shift>h", NULL };
    g_autoptr(GSimpleAction) hotlists = g_simple_action_new ("hotlists", NULL);

    g_signal_connect (hotlists, "activate", G_CALLBACK (hotlists_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (hotlists));
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.hotlists", hotlists_accels);
  }
  {
    static const char *plate_search_accels[] = { "<Control><Shift>p", NULL };
    g_autoptr(GSimpleAction) plate_search = g_simple_action_new ("plate-search", NULL);

    g_signal_connect (plate_search, "activate", G_CALLBACK (plate_search_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (plate_search));
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.plate-search", plate_search_accels);
  }
  {
    static const char *watchlists_accels[] = { "<Control><Shift>l", NULL };
    g_autoptr(GSimpleAction) watchlists = g_simple_action_new ("watchlists", NULL);

    g_simple_action_set_enabled (watchlists, FALSE);
    g_signal_connect (watchlists, "activate", G_CALLBACK (watchlists_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (watchlists));
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.watchlists", watchlists_accels);
  }
  {
    g_autoptr(GSimpleAction) import = g_simple_action_new ("import-watchlist", NULL);

    g_simple_action_set_enabled (import, FALSE);
    g_signal_connect (import, "activate", G_CALLBACK (import_watchlist_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (import));
  }
  {
    static const char *new_incident_accels[] = { "<Control><Shift>n", NULL };

    gtk_application_set_accels_for_action (GTK_APPLICATION (application), "dispatch.new-incident",
                                           new_incident_accels);
  }
  {
    g_autoptr(GSimpleAction) sign_out = g_simple_action_new ("sign-out", NULL);

    g_signal_connect (sign_out, "activate", G_CALLBACK (sign_out_action), self);
    g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (sign_out));
  }
  if (self->demo)
    {
      static const char *inject_accels[] = { "<Control><Shift>d", NULL };
      g_autoptr(GSimpleAction) inject = g_simple_action_new ("inject-demo-alert", NULL);

      g_signal_connect (inject, "activate", G_CALLBACK (inject_demo_alert_action), self);
      g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (inject));
      gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.inject-demo-alert", inject_accels);
    }

  self->settings = g_settings_new (APP_ID);
  nigran_application_install_style ();
}

static void show_login (NigranApplication *self);

static void
present_main_window (NigranApplication *self)
{
  NigranWindow *window = nigran_window_new (GTK_APPLICATION (self), self->clock, self->settings);

  self->main_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&self->main_window);
  nigran_window_set_operator (window, self->operator_name, self->role);
  gtk_window_present (GTK_WINDOW (window));
  if (self->face_watch != NULL)
    nigran_wall_set_face_watch (nigran_window_get_wall (window), self->face_watch);
  if (self->plate_watch != NULL)
    nigran_wall_set_plate_watch (nigran_window_get_wall (window), self->plate_watch);
  if (self->site_ready)
    nigran_window_set_site_file (window, self->site_file);
  else if (self->preparing_footage)
    nigran_window_show_problem (window, _(PREPARING_FOOTAGE));
  if (self->alert_queue != NULL)
    {
      nigran_window_set_alerts (window, self->alert_queue, self->log, self->operator_name);
      nigran_window_set_tracks (window, self->tracks);
      if (self->dispatcher != NULL)
        show_dispatch (self, window);
    }
}

static void
on_signed_in_cb (NigranLoginWindow *login,
                 const char        *name,
                 int                role,
                 NigranApplication *self)
{
  g_autoptr(NigranEvent) event = operator_event_new ("operator.signed-in", name, role);

  g_free (self->operator_name);
  self->operator_name = g_strdup (name);
  self->role = role;
  if (self->dispatcher != NULL)
    nigran_dispatcher_set_operator (self->dispatcher, name);
  record (self, event, name);
  present_main_window (self);
  gtk_window_destroy (GTK_WINDOW (login));
}

static void
on_sign_in_refused_cb (NigranLoginWindow *login,
                       const char        *name,
                       gboolean           locked,
                       NigranApplication *self)
{
  g_autoptr(NigranEvent) event = operator_event_new (locked ? "operator.locked-out" : "operator.sign-in-failed",
                                                     name, NIGRAN_ROLE_OPERATOR);

  record (self, event, NIGRAN_ACTOR_SYSTEM);
}

static void
show_login (NigranApplication *self)
{
  NigranLoginWindow *login;

  if (self->login_window != NULL)
    {
      gtk_window_present (self->login_window);
      return;
    }
  login = nigran_login_window_new (GTK_APPLICATION (self), self->accounts, self->clock,
                                   self->demo ? _("Demo accounts, all with the password “demo-password”: alice and bob "
                                                  "(operators), sam (supervisor), tina (trainer), root (administrator).")
                                              : NULL);
  self->login_window = GTK_WINDOW (login);
  g_object_add_weak_pointer (G_OBJECT (login), (gpointer *)&self->login_window);
  g_signal_connect (login, "signed-in", G_CALLBACK (on_signed_in_cb), self);
  g_signal_connect (login, "refused", G_CALLBACK (on_sign_in_refused_cb), self);
  gtk_window_present (GTK_WINDOW (login));
}

/* Worker thread: the accounts file; the demo's accounts on its first start. */
static void
open_accounts_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  NigranApplication *self = source;
  static const struct { const char *name; NigranRole role; } demo_accounts[] = {
    { "alice", NIGRAN_ROLE_OPERATOR }, { "bob", NIGRAN_ROLE_OPERATOR }, { "sam", NIGRAN_ROLE_SUPERVISOR },
    { "tina", NIGRAN_ROLE_TRAINER }, { "root", NIGRAN_ROLE_ADMINISTRATOR },
  };
  g_autofree char *directory = g_path_get_dirname (self->accounts_path);
  g_autoptr(NigranAccountStore) accounts = NULL;
  GError *error = NULL;

  g_mkdir_with_parents (directory, 0700);
  accounts = nigran_account_store_open (self->accounts_path, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->demo && nigran_account_store_count (accounts) == 0)
    for (guint i = 0; i < G_N_ELEMENTS (demo_accounts); i++)
      if (!nigran_account_store_add (accounts, demo_accounts[i].name, demo_accounts[i].role, "demo-password",
                                     *(gint64 *)task_data, &error))
        {
          g_task_return_error (task, error);
          return;
        }
  g_task_return_pointer (task, g_steal_pointer (&accounts), g_object_unref);
}

static void
on_accounts_opened_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  NigranApplication *self = NIGRAN_APPLICATION (object);
  g_autoptr(GError) error = NULL;

  g_application_release (G_APPLICATION (self));
  self->accounts = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->accounts == NULL)
    {
      g_printerr ("nigran: nobody can sign in: %s\n", error->message);
      g_application_quit (G_APPLICATION (self));
      return;
    }
  show_login (self);
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  NigranApplication *self = user_data;
  g_autoptr(NigranEvent) event = NULL;

  if (self->main_window == NULL)
    return;
  event = operator_event_new ("operator.signed-out", self->operator_name, self->role);
  record (self, event, self->operator_name);
  /* The login window keeps the application running while the wall closes. */
  show_login (self);
  gtk_window_destroy (GTK_WINDOW (self->main_window));
}

static void
nigran_application_activate (GApplication *application)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);
  g_autoptr(GTask) accounts_task = NULL;
  g_autoptr(GTask) log_task = NULL;

  if (self->main_window != NULL || self->login_window != NULL)
    {
      gtk_window_present (self->main_window ? GTK_WINDOW (self->main_window) : self->login_window);
      return;
    }

  /* No window until the accounts are open: hold the application meanwhile. */
  g_application_hold (application);
  accounts_task = g_task_new (self, self->cancellable, on_accounts_opened_cb, NULL);
  g_task_set_source_tag (accounts_task, nigran_application_activate);
  /* The clock is read here: a virtual one is the main thread's. */
  g_task_set_task_data (accounts_task, g_memdup2 (&(gint64) { nigran_clock_get_now_us (self->clock) }, sizeof (gint64)),
                        g_free);
  g_task_run_in_thread (accounts_task, open_accounts_thread);

  nigran_site_file_load_async (self->site_path, self->cancellable, on_site_loaded_cb, g_object_ref (self));

  log_task = g_task_new (self, self->cancellable, on_log_opened_cb, NULL);
  g_task_set_source_tag (log_task, nigran_application_activate);
  g_task_run_in_thread (log_task, open_log_thread);
}

static void
nigran_application_shutdown (GApplication *application)
{
  NigranApplication *self = NIGRAN_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retention_source, g_source_remove);
  g_clear_handle_id (&self->demo_fleet_source, g_source_remove);
  g_clear_object (&self->demo_fleet);
  g_clear_object (&self->dispatcher);
  if (self->sos_server != NULL)
    nigran_sos_server_stop (self->sos_server);
  g_clear_object (&self->sos_server);
  g_clear_object (&self->cad);
  /* Its engine's workers end here, before the log closes under them. */
  if (self->main_window != NULL)
    {
      nigran_wall_set_face_watch (nigran_window_get_wall (self->main_window), NULL);
      nigran_wall_set_plate_watch (nigran_window_get_wall (self->main_window), NULL);
    }
  g_clear_object (&self->face_watch);
  g_clear_object (&self->plate_watch);
  /* The next start reads the queue back instead of replaying the log. */
  if (self->log != NULL && self->alert_queue != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!nigran_alert_checkpoint_save (self->log, self->alert_queue, &error))
        g_message ("%s", error->message);
      nigran_event_log_close (self->log);
    }
  G_APPLICATION_CLASS (nigran_application_parent_class)->shutdown (application);
}

static void
nigran_application_finalize (GObject *object)
{
  NigranApplication *self = (NigranApplication *)object;

  g_free (self->sos_listen);
  g_free (self->sos_certificate);
  g_clear_object (&self->units);
  g_clear_object (&self->incidents);
  g_clear_object (&self->roads);
  g_clear_object (&self->roads_layer);
  g_clear_pointer (&self->dispatch_pending, g_ptr_array_unref);

  g_clear_object (&self->face_watch);
  g_clear_object (&self->plate_watch);
  g_clear_object (&self->demo_injector);
  g_clear_object (&self->camera_health);
  g_clear_object (&self->alert_queue);
  g_clear_object (&self->tracks);
  if (self->log != NULL)
    nigran_event_log_close (self->log);
  g_clear_object (&self->log);
  g_clear_object (&self->bus);
  g_clear_pointer (&self->events_during_rebuild, g_ptr_array_unref);
  g_clear_pointer (&self->log_path, g_free);
  g_clear_pointer (&self->accounts_path, g_free);
  g_clear_pointer (&self->unrecorded, g_ptr_array_unref);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->operator_name, g_free);
  g_clear_object (&self->camsim);
  g_clear_object (&self->site_file);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->site_path, g_free);

  G_OBJECT_CLASS (nigran_application_parent_class)->finalize (object);
}

static void
nigran_application_class_init (NigranApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = nigran_application_finalize;
  application_class->handle_local_options = nigran_application_handle_local_options;
  application_class->startup = nigran_application_startup;
  application_class->activate = nigran_application_activate;
  application_class->shutdown = nigran_application_shutdown;
}

static void
nigran_application_init (NigranApplication *self)
{
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start on the built-in demo site, with simulated cameras"), NULL },
    { "site", 's', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Start on this site file"), N_("FILE") },
    { "accounts", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep the operators' accounts in this SQLite file"), N_("FILE") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep the event log in this SQLite file"), N_("FILE") },
    { "sos-listen", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Take SOS calls and unit positions over HTTP on this address (such as 127.0.0.1:8443)"), N_("HOST:PORT") },
    { "sos-certificate", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Serve the SOS intake over HTTPS with this PEM file (certificate and private key)"), N_("FILE") },
    { "verify-log", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Check an event log's hash chain, name the first broken sequence number, and quit"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL }
  };

  self->clock = nigran_clock_new_system ();
  self->cancellable = g_cancellable_new ();
  self->bus = nigran_event_bus_new ();
  self->events_during_rebuild = g_ptr_array_new_with_free_func (g_object_unref);
  self->unrecorded = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (self->bus, "event", G_CALLBACK (on_event_cb), self);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

NigranApplication *
nigran_application_new (void)
{
  return g_object_new (NIGRAN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/nigran/Nigran",
                       NULL);
}
