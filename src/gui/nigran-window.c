/* nigran-window.c: the operator's main window: camera tree and video wall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "nigran-alert-rail.h"
#include "nigran-map-view.h"
#include "nigran-supervisor-window.h"
#include "nigran-window.h"
#include "nigran-dispatch-board.h"

struct _NigranWindow
{
  GtkApplicationWindow  parent_instance;

  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkLabel             *title_label;
  GtkSearchEntry       *search_entry;
  GtkListView          *camera_list;
  GtkWidget            *wall_box;
  GtkStack             *view_stack;
  NigranDispatchBoard  *dispatch_board;
  NigranMapView        *map_view;
  NigranTracks         *tracks;
  GtkWidget            *paned;
  NigranAlertRail      *alert_rail;

  NigranWall           *wall;
  NigranClock          *clock;
  GSettings            *settings;
  NigranSiteFile       *site_file;
  GtkStringFilter      *camera_filter;
  NigranEventLog       *log;
  NigranAlertQueue     *alert_queue;
  char                 *operator_name;
  NigranRole            role;
  GtkWindow            *supervisor_window;
};

G_DEFINE_FINAL_TYPE (NigranWindow, nigran_window, GTK_TYPE_APPLICATION_WINDOW)

static void
update_status_dot (NigranCamera *camera,
                   GParamSpec   *pspec,
                   GtkWidget    *dot)
{
  static const char * const classes[] = { "idle", "connecting", "live", "stalled", "offline" };
  NigranCameraStatus status = nigran_camera_get_status (camera);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (dot, classes[i]);
  gtk_widget_add_css_class (dot, nigran_camera_status_to_string (status));
  gtk_widget_set_tooltip_text (dot, nigran_camera_status_to_string (status));
}

static GListModel *
create_site_children (gpointer item,
                      gpointer data)
{
  NigranWindow *self = data;

  if (!NIGRAN_IS_SITE (item))
    return NULL;
  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (nigran_site_get_cameras (item)),
                                                  GTK_FILTER (g_object_ref (self->camera_filter))));
}

static GdkContentProvider *
on_row_drag_prepare_cb (GtkDragSource *source,
                        double         x,
                        double         y,
                        GtkListItem   *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  gpointer item = row ? gtk_tree_list_row_get_item (row) : NULL;
  GdkContentProvider *provider = NULL;

  if (NIGRAN_IS_CAMERA (item))
    provider = gdk_content_provider_new_typed (G_TYPE_STRING, nigran_camera_get_id (item));
  g_clear_object (&item);
  return provider;
}

static void
on_row_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 NigranWindow             *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *dot = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkDragSource *drag_source = gtk_drag_source_new ();

  gtk_widget_add_css_class (dot, "status-dot");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), label);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);

  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (on_row_drag_prepare_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (drag_source));

  g_object_set_data (G_OBJECT (list_item), "dot", dot);
  g_object_set_data (G_OBJECT (list_item), "label", label);
  gtk_list_item_set_child (list_item, expander);
}

static void
on_row_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                NigranWindow             *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *dot = g_object_get_data (G_OBJECT (list_item), "dot");
  GtkWidget *label = g_object_get_data (G_OBJECT (list_item), "label");
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);

  if (NIGRAN_IS_SITE (item))
    {
      gtk_label_set_label (GTK_LABEL (label), nigran_site_get_name (NIGRAN_SITE (item)));
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_visible (dot, FALSE);
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (label), nigran_camera_get_name (NIGRAN_CAMERA (item)));
      gtk_widget_remove_css_class (label, "heading");
      gtk_widget_set_visible (dot, TRUE);
      update_status_dot (NIGRAN_CAMERA (item), NULL, dot);
      g_signal_connect_object (item, "notify::status", G_CALLBACK (update_status_dot), dot, 0);
      g_object_set_data_full (G_OBJECT (list_item), "bound-camera", g_object_ref (item), g_object_unref);
    }
}

static void
on_row_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  NigranWindow             *self)
{
  GObject *camera = g_object_get_data (G_OBJECT (list_item), "bound-camera");
  GtkWidget *dot = g_object_get_data (G_OBJECT (list_item), "dot");

  if (camera != NULL)
    {
      g_signal_handlers_disconnect_by_func (camera, update_status_dot, dot);
      g_object_set_data (G_OBJECT (list_item), "bound-camera", NULL);
    }
}

static void
on_camera_activated_cb (GtkListView  *list,
                        guint         position,
                        NigranWindow *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, position);
  g_autoptr(GObject) item = row ? gtk_tree_list_row_get_item (row) : NULL;

  if (NIGRAN_IS_CAMERA (item))
    nigran_wall_assign (self->wall, nigran_wall_get_focus (self->wall), NIGRAN_CAMERA (item));
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      NigranWindow   *self)
{
  gtk_string_filter_set_search (self->camera_filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
layout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);

  nigran_wall_set_layout (self->wall, g_variant_get_string (parameter, NULL));
}

static void
maximize_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);

  nigran_wall_maximize (self->wall, nigran_wall_get_focus (self->wall));
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  nigran_wall_restore (NIGRAN_WINDOW (widget)->wall);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
focus_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);
  const char *direction = g_variant_get_string (parameter, NULL);

  if (g_str_equal (direction, "left"))
    nigran_wall_move_focus (self->wall, GTK_DIR_LEFT);
  else if (g_str_equal (direction, "right"))
    nigran_wall_move_focus (self->wall, GTK_DIR_RIGHT);
  else if (g_str_equal (direction, "up"))
    nigran_wall_move_focus (self->wall, GTK_DIR_UP);
  else if (g_str_equal (direction, "down"))
    nigran_wall_move_focus (self->wall, GTK_DIR_DOWN);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (NIGRAN_WINDOW (widget)->search_entry));
}

/* The supervisor's review, in a window of its own beside the wall. */
static void
supervisor_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);

  if (self->role == NIGRAN_ROLE_OPERATOR)
    {
      nigran_window_show_problem (self, _("Reviewing the whole queue is for supervisors, trainers and administrators."));
      return;
    }
  if (self->alert_queue == NULL)
    {
      nigran_window_show_problem (self, _("The alert queue is not ready yet: the event log is still opening."));
      return;
    }
  if (self->supervisor_window == NULL)
    {
      self->supervisor_window = GTK_WINDOW (nigran_supervisor_window_new (self->alert_queue, self->log,
                                                                          self->operator_name, self->settings));
      gtk_window_set_transient_for (self->supervisor_window, GTK_WINDOW (self));
      /* The application's keys (Ctrl+Q) work there too. */
      gtk_window_set_application (self->supervisor_window, gtk_window_get_application (GTK_WINDOW (self)));
      g_object_add_weak_pointer (G_OBJECT (self->supervisor_window), (gpointer *)&self->supervisor_window);
    }
  gtk_window_present (self->supervisor_window);
}

NigranSupervisorWindow *
nigran_window_get_supervisor_window (NigranWindow *self)
{
  return self->supervisor_window ? NIGRAN_SUPERVISOR_WINDOW (self->supervisor_window) : NULL;
}

static void
focus_alerts_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  nigran_alert_rail_focus (NIGRAN_WINDOW (widget)->alert_rail);
}

/* An alert's camera: brought to the focused tile unless a tile shows it already. */
static void
on_show_camera_cb (NigranAlertCard *card,
                   const char      *camera_id,
                   NigranWindow    *self)
{
  NigranCamera *camera = self->site_file ? nigran_site_file_lookup_camera (self->site_file, camera_id) : NULL;

  if (camera == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Camera %s is not in this site file."), camera_id);
      nigran_window_show_problem (self, message);
      return;
    }
  for (guint i = 0; i < nigran_wall_get_n_tiles (self->wall); i++)
    if (nigran_tile_get_camera (nigran_wall_get_tile (self->wall, i)) == camera)
      {
        nigran_wall_set_focus (self->wall, i);
        return;
      }
  nigran_wall_assign (self->wall, nigran_wall_get_focus (self->wall), camera);
}

/* The wall's keys are bare digits and arrows, so they must not be taken from the
 * search entry or the camera tree while those have the focus. */
static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   NigranWindow          *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *sidebar = gtk_paned_get_start_child (GTK_PANED (self->paned));
  const char *layout = NULL;
  const char *direction = NULL;

  if (keyval == GDK_KEY_F11)
    return gtk_widget_activate_action (GTK_WIDGET (self), "win.fullscreen", NULL);
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 ||
      gtk_stack_get_visible_child (self->view_stack) != self->wall_box)
    return FALSE;
  if (focus != NULL && (gtk_widget_is_ancestor (focus, sidebar) ||
                        gtk_widget_is_ancestor (focus, GTK_WIDGET (self->alert_rail))))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_1: case GDK_KEY_KP_1: layout = "1"; break;
    case GDK_KEY_2: case GDK_KEY_KP_2: layout = "2x2"; break;
    case GDK_KEY_3: case GDK_KEY_KP_3: layout = "3x3"; break;
    case GDK_KEY_4: case GDK_KEY_KP_4: layout = "4x4"; break;
    case GDK_KEY_5: case GDK_KEY_KP_5: layout = "5x5"; break;
    case GDK_KEY_6: case GDK_KEY_KP_6: layout = "6x6"; break;
    case GDK_KEY_7: case GDK_KEY_KP_7: layout = "1+5"; break;
    case GDK_KEY_8: case GDK_KEY_KP_8: layout = "1+7"; break;
    case GDK_KEY_Left: direction = "left"; break;
    case GDK_KEY_Right: direction = "right"; break;
    case GDK_KEY_Up: direction = "up"; break;
    case GDK_KEY_Down: direction = "down"; break;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter:
      return gtk_widget_activate_action (GTK_WIDGET (self), "win.maximize", NULL);
    case GDK_KEY_Escape:
      if (nigran_wall_is_maximized (self->wall))
        return gtk_widget_activate_action (GTK_WIDGET (self), "win.restore", NULL);
      if (gtk_window_is_fullscreen (GTK_WINDOW (self)))
        {
          gtk_window_unfullscreen (GTK_WINDOW (self));
          return TRUE;
        }
      return FALSE;
    default:
      return FALSE;
    }

  if (layout != NULL)
    return gtk_widget_activate_action (GTK_WIDGET (self), "win.layout", "s", layout);
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.focus", "s", direction);
}

/* Ctrl+M: between the wall and the map. */
static void
show_map_action (GtkWidget  *widget,
                 const char *action_name G_GNUC_UNUSED,
                 GVariant   *parameter G_GNUC_UNUSED)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);
  gboolean on_map = gtk_stack_get_visible_child (self->view_stack) == GTK_WIDGET (self->map_view);

  gtk_stack_set_visible_child_name (self->view_stack, on_map ? "wall" : "map");
}

static void
show_dispatch_action (GtkWidget  *widget,
                      const char *action_name G_GNUC_UNUSED,
                      GVariant   *parameter G_GNUC_UNUSED)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);
  gboolean on_board = gtk_stack_get_visible_child (self->view_stack) == GTK_WIDGET (self->dispatch_board);

  gtk_stack_set_visible_child_name (self->view_stack, on_board ? "wall" : "dispatch");
}

static void
open_next_cameras_action (GtkWidget  *widget,
                          const char *action_name G_GNUC_UNUSED,
                          GVariant   *parameter G_GNUC_UNUSED)
{
  nigran_map_view_open_next_cameras (NIGRAN_WINDOW (widget)->map_view);
}

static NigranMapView *
new_map_view (NigranWindow *self)
{
  NigranMapView *view = nigran_map_view_new ();

  if (self->site_file != NULL)
    nigran_map_view_set_site_file (view, self->site_file);
  nigran_map_view_set_wall (view, self->wall);
  nigran_map_view_set_tracks (view, self->tracks);
  if (self->alert_queue != NULL)
    nigran_map_view_set_open_alerts (view, nigran_alert_queue_get_open_alerts (self->alert_queue));
  if (self->log != NULL)
    nigran_map_view_set_log (view, self->log, self->operator_name);
  return view;
}

/* The map on a second monitor, the wall staying on this one. */
static void
map_window_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  NigranWindow *self = NIGRAN_WINDOW (widget);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_title (window, _("Nigran — map"));
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_set_application (window, gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_child (window, GTK_WIDGET (new_map_view (self)));
  gtk_window_present (window);
}

static void
nigran_window_dispose (GObject *object)
{
  NigranWindow *self = (NigranWindow *)object;

  gtk_list_view_set_model (self->camera_list, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_WINDOW);
  self->wall = NULL;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);
  g_clear_object (&self->alert_queue);
  g_clear_object (&self->tracks);
  g_clear_pointer (&self->operator_name, g_free);
  if (self->supervisor_window != NULL)
    gtk_window_destroy (self->supervisor_window);
  g_clear_object (&self->camera_filter);
  g_clear_object (&self->site_file);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (nigran_window_parent_class)->dispose (object);
}

static void
nigran_window_class_init (NigranWindowClass *klass)
{
  g_type_ensure (NIGRAN_TYPE_ALERT_RAIL);
  g_type_ensure (NIGRAN_TYPE_MAP_VIEW);
  g_type_ensure (NIGRAN_TYPE_DISPATCH_BOARD);

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, camera_list);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, wall_box);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, dispatch_board);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, NigranWindow, alert_rail);

  gtk_widget_class_install_action (widget_class, "win.layout", "s", layout_action);
  gtk_widget_class_install_action (widget_class, "win.maximize", NULL, maximize_action);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "win.focus", "s", focus_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.focus-alerts", NULL, focus_alerts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.focus-alerts", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-map", NULL, show_map_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.show-map", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-dispatch", NULL, show_dispatch_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.show-dispatch", NULL);
  gtk_widget_class_install_action (widget_class, "win.map-window", NULL, map_window_action);
  gtk_widget_class_install_action (widget_class, "win.open-next-cameras", NULL, open_next_cameras_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-next-cameras", NULL);
  gtk_widget_class_install_action (widget_class, "win.supervisor", NULL, supervisor_action);
  /* With Shift held the key arrives as a capital. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.supervisor", NULL);
}

static void
nigran_window_init (NigranWindow *self)
{
  GtkListItemFactory *factory;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->camera_filter = gtk_string_filter_new (gtk_property_expression_new (NIGRAN_TYPE_CAMERA, NULL, "name"));
  gtk_string_filter_set_match_mode (self->camera_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->camera_filter, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind_cb), self);
  gtk_list_view_set_factory (self->camera_list, factory);
  g_object_unref (factory);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect (self->camera_list, "activate", G_CALLBACK (on_camera_activated_cb), self);

  g_signal_connect (nigran_alert_rail_get_card (self->alert_rail), "show-camera",
                    G_CALLBACK (on_show_camera_cb), self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

NigranWindow *
nigran_window_new (GtkApplication *application,
                   NigranClock    *clock,
                   GSettings      *settings)
{
  NigranWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (NIGRAN_IS_CLOCK (clock), NULL);

  self = g_object_new (NIGRAN_TYPE_WINDOW, "application", application, NULL);
  self->clock = g_object_ref (clock);
  self->settings = settings ? g_object_ref (settings) : NULL;
  self->role = NIGRAN_ROLE_SUPERVISOR;
  self->wall = nigran_wall_new (clock);
  gtk_widget_set_hexpand (GTK_WIDGET (self->wall), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->wall), TRUE);
  gtk_box_append (GTK_BOX (self->wall_box), GTK_WIDGET (self->wall));
  nigran_map_view_set_wall (self->map_view, self->wall);
  return self;
}

void
nigran_window_set_site_file (NigranWindow   *self,
                             NigranSiteFile *site_file)
{
  g_autoptr(GtkSingleSelection) selection = NULL;
  GtkTreeListModel *tree;
  g_autofree char *title = NULL;

  g_return_if_fail (NIGRAN_IS_WINDOW (self));
  g_return_if_fail (NIGRAN_IS_SITE_FILE (site_file));

  g_set_object (&self->site_file, site_file);

  tree = gtk_tree_list_model_new (g_object_ref (nigran_site_file_get_sites (site_file)),
                                  FALSE, TRUE, create_site_children, self, NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  gtk_list_view_set_model (self->camera_list, GTK_SELECTION_MODEL (selection));

  if (nigran_site_file_get_name (site_file) != NULL)
    {
      title = g_strdup_printf (_("Nigran — %s"), nigran_site_file_get_name (site_file));
      gtk_label_set_label (self->title_label, title);
    }

  nigran_wall_set_site_file (self->wall, site_file, self->settings);
  nigran_alert_rail_set_site_file (self->alert_rail, site_file);
  nigran_map_view_set_site_file (self->map_view, site_file);
}

/* A sentence at the top of the window, for what the operator must know or do. */
void
nigran_window_show_problem (NigranWindow *self,
                            const char   *message)
{
  g_return_if_fail (NIGRAN_IS_WINDOW (self));

  gtk_label_set_label (self->banner_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->banner_revealer, message != NULL);
}

NigranWall *
nigran_window_get_wall (NigranWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_WINDOW (self), NULL);
  return self->wall;
}

static void
on_log_writable_cb (NigranEventLog *log,
                    GParamSpec     *pspec,
                    NigranWindow   *self)
{
  g_autofree char *message = NULL;

  if (!nigran_event_log_get_writable (log))
    message = g_strdup_printf (_("Actions cannot be recorded, so they are refused: the event log "
                                 "cannot be written (%s). Video goes on. Free disk space or fix the "
                                 "log's permissions; Nigran retries by itself."),
                               nigran_event_log_get_write_error (log));
  nigran_window_show_problem (self, message);
}

/* The alert queue on the rail; actions are recorded in @log as @operator_name. */
void
nigran_window_set_alerts (NigranWindow     *self,
                          NigranAlertQueue *queue,
                          NigranEventLog   *log,
                          const char       *operator_name)
{
  g_return_if_fail (NIGRAN_IS_WINDOW (self));

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_set_object (&self->log, log);
  g_set_object (&self->alert_queue, queue);
  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
  g_signal_connect (log, "notify::writable", G_CALLBACK (on_log_writable_cb), self);
  nigran_alert_rail_set_queue (self->alert_rail, queue, log, operator_name, self->site_file);
  nigran_map_view_set_open_alerts (self->map_view, nigran_alert_queue_get_open_alerts (queue));
  nigran_map_view_set_log (self->map_view, log, operator_name);
}

/* The tracks projection the map shows. */
void
nigran_window_set_tracks (NigranWindow *self,
                          NigranTracks *tracks)
{
  g_return_if_fail (NIGRAN_IS_WINDOW (self));
  g_set_object (&self->tracks, tracks);
  nigran_map_view_set_tracks (self->map_view, tracks);
}

NigranMapView *
nigran_window_get_map_view (NigranWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_WINDOW (self), NULL);
  return self->map_view;
}

/* @page: "wall" or "map" */
void
nigran_window_show_page (NigranWindow *self,
                         const char   *page)
{
  g_return_if_fail (NIGRAN_IS_WINDOW (self));
  gtk_stack_set_visible_child_name (self->view_stack, page);
}

NigranAlertRail *
nigran_window_get_alert_rail (NigranWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_WINDOW (self), NULL);
  return self->alert_rail;
}

/* Who is signed in here, shown in the title bar; what they may open follows the role. */
void
nigran_window_set_operator (NigranWindow *self,
                            const char   *operator_name,
                            NigranRole    role)
{
  g_autofree char *subtitle = g_strdup_printf (_("%s (%s)"), operator_name, nigran_role_to_string (role));

  g_return_if_fail (NIGRAN_IS_WINDOW (self));

  g_free (self->operator_name);
  self->operator_name = g_strdup (operator_name);
  self->role = role;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.supervisor", role != NIGRAN_ROLE_OPERATOR);
}

NigranDispatchBoard *
nigran_window_get_dispatch_board (NigranWindow *self)
{
  g_return_val_if_fail (NIGRAN_IS_WINDOW (self), NULL);
  return self->dispatch_board;
}

/* An SOS or a new incident: the map centres on it and its cameras fill the wall from
 * the first tile. */
void
nigran_window_show_incident (NigranWindow       *self,
                             NigranIncident     *incident)
{
  const char * const *cameras;
  guint n_tiles;

  g_return_if_fail (NIGRAN_IS_WINDOW (self));

  nigran_map_view_center_on (self->map_view, nigran_incident_get_latitude (incident),
                             nigran_incident_get_longitude (incident));
  cameras = nigran_incident_get_camera_ids (incident);
  n_tiles = nigran_wall_get_n_tiles (self->wall);
  for (guint i = 0; cameras != NULL && cameras[i] != NULL && i < n_tiles && self->site_file != NULL; i++)
    {
      NigranCamera *camera = nigran_site_file_lookup_camera (self->site_file, cameras[i]);

      if (camera != NULL)
        nigran_wall_assign (self->wall, i, camera);
    }
}
