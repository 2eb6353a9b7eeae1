/* nigran-wall.c: the video wall, a grid of camera tiles
 *
 * Layouts are square grids (1, 2×2 … 6×6) and grids with one large tile (1+5, 1+7).
 * Tiles beyond the current layout keep their camera but close their stream. The
 * layout and which camera sits in which tile are kept in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-wall.h"

#define STATUS_INTERVAL_MS 250
#define NO_TILE            G_MAXUINT

typedef struct
{
  guint8 x, y, width, height;
} Cell;

typedef struct
{
  const char *name;
  guint       n_cells;
  Cell        cells[NIGRAN_WALL_MAX_TILES];
} Layout;

static Layout layouts[8];

static const char * const layout_names[] = {
  "1", "2x2", "3x3", "4x4", "5x5", "6x6", "1+5", "1+7", NULL
};

struct _NigranWall
{
  GtkWidget       parent_instance;

  GtkGrid        *grid;

  NigranClock    *clock;
  NigranSiteFile *site_file;
  GSettings      *settings;
  NigranTile     *tiles[NIGRAN_WALL_MAX_TILES];
  const Layout   *layout;
  guint           focus;
  guint           maximized;
  guint           status_timer_id;
};

G_DEFINE_FINAL_TYPE (NigranWall, nigran_wall, GTK_TYPE_WIDGET)

static void
init_layouts (void)
{
  for (guint n = 1; n <= 6; n++)
    {
      Layout *layout = &layouts[n - 1];

      layout->name = layout_names[n - 1];
      layout->n_cells = n * n;
      for (guint i = 0; i < n * n; i++)
        layout->cells[i] = (Cell) { i % n, i / n, 1, 1 };
    }

  layouts[6] = (Layout) { "1+5", 6, {
    { 0, 0, 2, 2 }, { 2, 0, 1, 1 }, { 2, 1, 1, 1 }, { 0, 2, 1, 1 }, { 1, 2, 1, 1 }, { 2, 2, 1, 1 },
  } };
  layouts[7] = (Layout) { "1+7", 8, {
    { 0, 0, 3, 3 }, { 3, 0, 1, 1 }, { 3, 1, 1, 1 }, { 3, 2, 1, 1 },
    { 0, 3, 1, 1 }, { 1, 3, 1, 1 }, { 2, 3, 1, 1 }, { 3, 3, 1, 1 },
  } };
}

static const Layout *
find_layout (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    if (g_strcmp0 (layouts[i].name, name) == 0)
      return &layouts[i];
  return NULL;
}

static void
save_assignments (NigranWall *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  if (self->settings == NULL)
    return;

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    {
      NigranCamera *camera = nigran_tile_get_camera (self->tiles[i]);

      g_strv_builder_add (builder, camera ? nigran_camera_get_id (camera) : "");
    }
  ids = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "tiles", (const char * const *)ids);
}

static void
update_focus_style (NigranWall *self)
{
  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    nigran_tile_set_focused (self->tiles[i], i == self->focus);
}

static void
clear_grid (NigranWall *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
}

static void
apply_layout (NigranWall *self)
{
  clear_grid (self);

  /* The hidden tiles keep streaming, so that restoring the wall is instant. */
  if (self->maximized != NO_TILE)
    {
      gtk_grid_attach (self->grid, GTK_WIDGET (self->tiles[self->maximized]), 0, 0, 1, 1);
      nigran_tile_set_variant (self->tiles[self->maximized], NIGRAN_STREAM_MAIN);
      return;
    }

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    {
      gboolean shown = i < self->layout->n_cells;

      nigran_tile_set_variant (self->tiles[i], NIGRAN_STREAM_SUB);
      nigran_tile_set_active (self->tiles[i], shown);
      if (shown)
        {
          const Cell *cell = &self->layout->cells[i];

          gtk_grid_attach (self->grid, GTK_WIDGET (self->tiles[i]),
                           cell->x, cell->y, cell->width, cell->height);
        }
    }

  if (self->focus >= self->layout->n_cells)
    self->focus = 0;
  update_focus_style (self);
}

static gboolean
on_status_timer (gpointer data)
{
  NigranWall *self = data;

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    if (gtk_widget_get_parent (GTK_WIDGET (self->tiles[i])) != NULL)
      nigran_tile_update_status (self->tiles[i]);
  return G_SOURCE_CONTINUE;
}

static guint
tile_index (NigranWall *self,
            NigranTile *tile)
{
  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    if (self->tiles[i] == tile)
      return i;
  return NO_TILE;
}

static void
on_tile_camera_dropped_cb (NigranTile *tile,
                           const char *camera_id,
                           NigranWall *self)
{
  NigranCamera *camera;

  if (self->site_file == NULL)
    return;
  camera = nigran_site_file_lookup_camera (self->site_file, camera_id);
  if (camera != NULL)
    nigran_wall_assign (self, tile_index (self, tile), camera);
}

static void
on_tile_clicked_cb (NigranTile *tile,
                    NigranWall *self)
{
  if (self->maximized == NO_TILE)
    nigran_wall_set_focus (self, tile_index (self, tile));
}

static void
on_tile_activated_cb (NigranTile *tile,
                      NigranWall *self)
{
  if (self->maximized != NO_TILE)
    nigran_wall_restore (self);
  else
    nigran_wall_maximize (self, tile_index (self, tile));
}

static void
nigran_wall_dispose (GObject *object)
{
  NigranWall *self = (NigranWall *)object;

  g_clear_handle_id (&self->status_timer_id, g_source_remove);
  if (self->grid != NULL)
    clear_grid (self);
  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    g_clear_object (&self->tiles[i]);
  g_clear_object (&self->site_file);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);

  gtk_widget_dispose_template (GTK_WIDGET (self), NIGRAN_TYPE_WALL);

  G_OBJECT_CLASS (nigran_wall_parent_class)->dispose (object);
}

static void
nigran_wall_class_init (NigranWallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nigran_wall_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/nigran/Nigran/ui/nigran-wall.ui");
  gtk_widget_class_bind_template_child (widget_class, NigranWall, grid);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nigran-wall");

  init_layouts ();
}

static void
nigran_wall_init (NigranWall *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->layout = find_layout ("4x4");
  self->maximized = NO_TILE;
}

NigranWall *
nigran_wall_new (NigranClock *clock)
{
  NigranWall *self;

  g_return_val_if_fail (NIGRAN_IS_CLOCK (clock), NULL);

  self = g_object_new (NIGRAN_TYPE_WALL, NULL);
  self->clock = g_object_ref (clock);

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    {
      self->tiles[i] = g_object_ref_sink (nigran_tile_new (clock));
      g_signal_connect (self->tiles[i], "camera-dropped", G_CALLBACK (on_tile_camera_dropped_cb), self);
      g_signal_connect (self->tiles[i], "clicked", G_CALLBACK (on_tile_clicked_cb), self);
      g_signal_connect (self->tiles[i], "activated", G_CALLBACK (on_tile_activated_cb), self);
    }
  apply_layout (self);
  self->status_timer_id = g_timeout_add (STATUS_INTERVAL_MS, on_status_timer, self);
  return self;
}

/* Puts the site's cameras on the wall: where the settings remember them, else in the
 * site file's order. */
void
nigran_wall_set_site_file (NigranWall     *self,
                           NigranSiteFile *site_file,
                           GSettings      *settings)
{
  g_auto(GStrv) saved = NULL;
  g_autofree char *saved_layout = NULL;
  GListModel *cameras;
  gboolean any_saved = FALSE;

  g_return_if_fail (NIGRAN_IS_WALL (self));
  g_return_if_fail (NIGRAN_IS_SITE_FILE (site_file));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_set_object (&self->site_file, site_file);
  g_set_object (&self->settings, settings);
  cameras = nigran_site_file_get_cameras (site_file);

  if (settings != NULL)
    {
      saved = g_settings_get_strv (settings, "tiles");
      saved_layout = g_settings_get_string (settings, "layout");
      for (guint i = 0; saved[i] != NULL && i < NIGRAN_WALL_MAX_TILES; i++)
        any_saved |= nigran_site_file_lookup_camera (site_file, saved[i]) != NULL;
    }

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    {
      g_autoptr(NigranCamera) in_order = NULL;
      NigranCamera *camera;

      if (any_saved)
        camera = i < g_strv_length (saved) ? nigran_site_file_lookup_camera (site_file, saved[i]) : NULL;
      else
        camera = in_order = g_list_model_get_item (cameras, i);
      nigran_tile_set_camera (self->tiles[i], camera);
    }

  if (saved_layout != NULL && find_layout (saved_layout) != NULL)
    self->layout = find_layout (saved_layout);
  self->maximized = NO_TILE;
  apply_layout (self);
  save_assignments (self);
}

gboolean
nigran_wall_set_layout (NigranWall *self,
                        const char *layout_name)
{
  const Layout *layout;

  g_return_val_if_fail (NIGRAN_IS_WALL (self), FALSE);

  layout = find_layout (layout_name);
  if (layout == NULL)
    return FALSE;

  self->layout = layout;
  self->maximized = NO_TILE;
  apply_layout (self);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "layout", layout->name);
  return TRUE;
}

const char *
nigran_wall_get_layout (NigranWall *self)
{
  g_return_val_if_fail (NIGRAN_IS_WALL (self), NULL);
  return self->layout->name;
}

const char * const *
nigran_wall_list_layouts (void)
{
  return layout_names;
}

/* How many tiles the current layout shows. */
guint
nigran_wall_get_n_tiles (NigranWall *self)
{
  g_return_val_if_fail (NIGRAN_IS_WALL (self), 0);
  return self->layout->n_cells;
}

NigranTile *
nigran_wall_get_tile (NigranWall *self,
                      guint       index)
{
  g_return_val_if_fail (NIGRAN_IS_WALL (self), NULL);
  g_return_val_if_fail (index < NIGRAN_WALL_MAX_TILES, NULL);
  return self->tiles[index];
}

void
nigran_wall_assign (NigranWall   *self,
                    guint         index,
                    NigranCamera *camera)
{
  g_return_if_fail (NIGRAN_IS_WALL (self));
  g_return_if_fail (index < NIGRAN_WALL_MAX_TILES);

  nigran_tile_set_camera (self->tiles[index], camera);
  save_assignments (self);
}

guint
nigran_wall_get_focus (NigranWall *self)
{
  g_return_val_if_fail (NIGRAN_IS_WALL (self), 0);
  return self->focus;
}

void
nigran_wall_set_focus (NigranWall *self,
                       guint       index)
{
  g_return_if_fail (NIGRAN_IS_WALL (self));

  if (index >= self->layout->n_cells)
    return;
  self->focus = index;
  update_focus_style (self);
}

/* Moves to the nearest tile whose centre lies in the direction, by the centre of the
 * focused tile, so that it works for layouts with a large tile too. */
void
nigran_wall_move_focus (NigranWall       *self,
                        GtkDirectionType  direction)
{
  const Cell *from;
  double from_x, from_y, best_score = G_MAXDOUBLE;
  guint best = NO_TILE;

  g_return_if_fail (NIGRAN_IS_WALL (self));

  if (self->maximized != NO_TILE)
    return;

  from = &self->layout->cells[self->focus];
  from_x = from->x + from->width / 2.0;
  from_y = from->y + from->height / 2.0;

  for (guint i = 0; i < self->layout->n_cells; i++)
    {
      const Cell *cell = &self->layout->cells[i];
      double dx = cell->x + cell->width / 2.0 - from_x;
      double dy = cell->y + cell->height / 2.0 - from_y;
      double along, across;

      switch (direction)
        {
        case GTK_DIR_LEFT:  along = -dx; across = dy; break;
        case GTK_DIR_RIGHT: along = dx;  across = dy; break;
        case GTK_DIR_UP:    along = -dy; across = dx; break;
        case GTK_DIR_DOWN:  along = dy;  across = dx; break;
        case GTK_DIR_TAB_FORWARD:
        case GTK_DIR_TAB_BACKWARD:
        default:
          return;
        }
      if (i == self->focus || along <= 0)
        continue;
      if (along + 2 * ABS (across) < best_score)
        {
          best_score = along + 2 * ABS (across);
          best = i;
        }
    }

  if (best != NO_TILE)
    nigran_wall_set_focus (self, best);
}

/* Shows one tile alone, from the camera's main stream. */
void
nigran_wall_maximize (NigranWall *self,
                      guint       index)
{
  g_return_if_fail (NIGRAN_IS_WALL (self));

  if (index >= self->layout->n_cells || nigran_tile_get_camera (self->tiles[index]) == NULL)
    return;
  self->focus = index;
  self->maximized = index;
  apply_layout (self);
}

void
nigran_wall_restore (NigranWall *self)
{
  g_return_if_fail (NIGRAN_IS_WALL (self));

  if (self->maximized == NO_TILE)
    return;
  self->maximized = NO_TILE;
  apply_layout (self);
}

gboolean
nigran_wall_is_maximized (NigranWall *self)
{
  g_return_val_if_fail (NIGRAN_IS_WALL (self), FALSE);
  return self->maximized != NO_TILE;
}

/* Returns: (transfer full) (nullable): the picture a tile shows of @camera_id now,
 * the largest if several show it, and its frame age (-1 when unknown) */
GdkTexture *
nigran_wall_dup_camera_frame (NigranWall *self,
                              const char *camera_id,
                              gint64     *frame_age_ms)
{
  GdkTexture *best = NULL;

  *frame_age_ms = -1;
  g_return_val_if_fail (NIGRAN_IS_WALL (self), NULL);

  for (guint i = 0; i < nigran_wall_get_n_tiles (self); i++)
    {
      NigranTile *tile = nigran_wall_get_tile (self, i);
      NigranCamera *camera = nigran_tile_get_camera (tile);
      GdkTexture *frame;

      if (camera == NULL || g_strcmp0 (nigran_camera_get_id (camera), camera_id) != 0 ||
          (frame = nigran_video_paintable_dup_texture (nigran_tile_get_paintable (tile))) == NULL)
        continue;
      if (best == NULL || gdk_texture_get_width (frame) > gdk_texture_get_width (best))
        {
          g_clear_object (&best);
          best = frame;
          *frame_age_ms = nigran_video_paintable_get_frame_age_us (nigran_tile_get_paintable (tile)) / 1000;
        }
      else
        g_object_unref (frame);
    }
  return best;
}

/* Every tile's camera is analysed by @watch from now on; %NULL stops that. */
void
nigran_wall_set_face_watch (NigranWall      *self,
                            NigranFaceWatch *watch)
{
  g_return_if_fail (NIGRAN_IS_WALL (self));

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    if (self->tiles[i] != NULL)
      nigran_tile_set_face_watch (self->tiles[i], watch);
}

/* Every tile's number-plate camera is read by @watch from now on; %NULL stops that. */
void
nigran_wall_set_plate_watch (NigranWall       *self,
                             NigranPlateWatch *watch)
{
  g_return_if_fail (NIGRAN_IS_WALL (self));

  for (guint i = 0; i < NIGRAN_WALL_MAX_TILES; i++)
    if (self->tiles[i] != NULL)
      nigran_tile_set_plate_watch (self->tiles[i], watch);
}
