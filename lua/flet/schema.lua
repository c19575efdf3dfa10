-- schema: the contract between a control and everything that reads one, declared once.
--
-- It names the private fields a control carries and the diff reads and writes, the bits of
-- its marks, the fields and methods of a control class, and every control class of the
-- catalog: its wire type, the prop a bare value sets, the fields that hold child controls,
-- the events it emits and its props with the kind of value each takes. flet.fields,
-- flet.control and flet.controls build controls from it, and flet.fields hands it to the C
-- core once, at load (core.set_schema), which interns the names it needs from here and keeps
-- no spelling of its own. A new control is one entry of `controls` plus a renderer in
-- client/src/controls/.
--
-- This file is data only: it requires nothing but the catalog's family files (data too), so
-- a test or a tool can read it alone.
local M = {}

-- A control is one table. Its marks, parent and id sit first in its array part, at the
-- places below; each prop (and child list) sits at the number flet.fields gives its name
-- the first time any control sets it, from `first_prop` on, so that a control with a few
-- props costs one table with a short array rather than a table of private fields plus a
-- table of props. `prop_names` lists the names by number, for the C core to read them back.
-- Other private fields are named (`private_prefix`), in the same table.
M.fields = {
  marks = 1,           -- what changed: the bits of M.marks
  parent = 2,          -- the control holding it, set by the host
  id = 3,              -- given by the host when the control is first sent
  marked_kids = "_dk", -- its children marked since the diff last visited it
  built = "_built",    -- set once a user control's build() has run
  snapshot = "_snap",  -- on the page only: the host's snapshot of what the browser shows
  -- A ControlList's fields: its plain list of children, and the control that owns it.
  items = "_items",
  owner = "_owner",
}
-- The names the app reads the first three by (`c._id`).
M.private_names = {_m = M.fields.marks, _parent = M.fields.parent, _id = M.fields.id}
M.first_prop = 4
M.prop_names = {}
M.prop_index = {} -- name -> number

-- The fields of a control class (looked up on the class, never on the instance).
M.class_fields = {
  name = "_name",     -- the class's name, as the app knows it (tasks are named after it)
  type = "_type",     -- the wire type; a table whose class has one is a control
  slots = "_slots",   -- the public fields that hold child controls
  props = "_props",   -- when set, the only public fields sent as props
  hooks = "_hooks",   -- true: the diff reports instances added and removed (lifecycle hooks)
  events = "_events", -- the events an instance emits: name -> true
  echo = "_echo",     -- events whose data the browser already shows as a prop: name -> prop
  kinds = "_kinds",   -- every public field an instance may set: name -> kind (see below)
  own = "_own",       -- set on an app's subclass (Class:extend): other fields are its own
  server = "_server", -- fields an instance keeps on the server, never sent: name -> true
}

-- Methods of a class that the diff calls when present: build() runs once, the first time a
-- control is sent, and its result goes to the slot `build_slot`; before_update() runs before
-- a changed control's fields are read.
M.methods = {build = "build", before_update = "before_update"}
M.build_slot = "content"

-- A control's marks, in fields.marks: DIRTY, its own fields changed; KIDS, a descendant's did.
M.marks = {DIRTY = 1, KIDS = 2}

M.private_prefix = "_"
-- A function in a field named on_<event> is that event's handler, sent as `on_<event> = true`.
M.handler_prefix = "on_"
-- Public fields that are never props: each has a meaning of its own.
M.not_props = {"page", "parent", "data", "key"}
-- The public field whose value lets a new object stand in for an old one in the same list.
M.key = "key"

-- The kinds of value a prop takes: "string" (a number is taken too, as Flet's str props
-- take one), "number", "boolean", "color" (a name such as "blue100" or "primary", or
-- "#rrggbb", with ",opacity" after it), "icon" (an icon's name, as ft.Icons has them),
-- "number|boolean", "any" (a number, a string or a table, sent as JSON: padding, border,
-- style, ...), "control" (one child control), "controls" (a list of them) and
-- "control|string" (a button's content: a control, or its text). A prop of those kinds is a
-- slot: its controls are sent as children, in a slot of that name (a string in it is sent
-- as a prop). An
-- on_<event> field takes a function.
M.kinds = {"string", "number", "boolean", "color", "icon", "number|boolean", "any", "control",
           "controls", "control|string"}

-- Props every control takes (client/src/controls/common.js), with their kinds.
M.common_props = {
  width = "number", height = "number", expand = "number|boolean", expand_loose = "boolean",
  visible = "boolean", disabled = "boolean", opacity = "number", tooltip = "any",
  left = "number", top = "number", right = "number", bottom = "number",
  padding = "any", margin = "any", alignment = "any", bgcolor = "color", border = "any",
  border_radius = "any", col = "any", rotate = "any", scale = "any", offset = "any",
  animate_opacity = "any", animate_size = "any", animate_position = "any",
  animate_rotation = "any", animate_scale = "any", animate_offset = "any",
  key = "any", data = "any",
  -- Set by control:focus(): each new value moves the keyboard focus to the control.
  focus_request = "number",
}

-- Events every control emits when the app sets a handler: the pointer entering and leaving
-- it (e.data "true" or "false"), and focus arriving and leaving.
M.common_events = {"hover", "focus", "blur"}

-- The catalog. name: the Lua class; type: its kind on the wire; primary: the prop a bare
-- value sets; children: the slot that a constructor's positional controls go to,
-- "controls" (a list) or "content" (one control); events: what it emits; props: its own
-- props and their kinds, where those of kind "control" or "controls" are its slots, beside
-- `children`;
-- only_props: true when only `props` (and no other field) is sent, which keeps the app's
-- own fields on the server; own_module: the class is made by a module of its own
-- (flet.page, flet.user_control), not by flet.controls; echo: events whose data the
-- browser already shows as a prop (event -> prop); hooks: the diff reports when instances
-- come and go, for their lifecycle hooks; server: fields an instance keeps on the server
-- (name -> kind), never sent.
M.controls = {
  -- The browser's back and forward reach `route` through route_change events.
  {name = "Page", type = "page",
   events = {"resize", "route_change", "keyboard_event", "platform_brightness_change", "scroll"},
   echo = {route_change = "route"},
   only_props = true, own_module = true,
   props = {controls = "controls", overlay = "controls", views = "controls", route = "string",
            -- Set by the host from the app's route_url_strategy setting when it is "hash".
            route_url_strategy = "string",
            title = "string", padding = "any",
            bgcolor = "color", spacing = "number",
            horizontal_alignment = "string", vertical_alignment = "string", scroll = "string",
            auto_scroll = "boolean", on_scroll_interval = "number", scroll_request = "any",
            theme_mode = "string", theme = "any", dark_theme = "any",
            rtl = "boolean", fonts = "any", appbar = "control", bottom_appbar = "control",
            navigation_bar = "control", drawer = "control", end_drawer = "control",
            floating_action_button = "control", floating_action_button_location = "any",
            -- Flet's older way to show a dialog (page.dialog = dlg; dlg.open = true).
            dialog = "control", snack_bar = "control", banner = "control",
            bottom_sheet = "control"},
   -- Fields the page keeps on the server: what the host tells the app (url, client_ip,
   -- client_user_agent and the platform it names, ft.PagePlatform's values, and the
   -- browser's platform_brightness, ft.Brightness's), the handlers
   -- the session calls itself, and Flet's desktop window settings, which a browser page
   -- has no use for (accepted, so that a Flet app ports unchanged, and ignored).
   server = {url = "string", client_ip = "any", client_user_agent = "any", platform = "any",
             platform_brightness = "any",
             web = "boolean", on_connect = "handler", on_view_pop = "handler",
             on_disconnect = "handler", on_error = "handler", on_close = "handler",
             window_width = "any", window_height = "any", window_min_width = "any",
             window_min_height = "any", window_max_width = "any", window_max_height = "any",
             window_resizable = "any", window_maximizable = "any", window_minimizable = "any",
             window_always_on_top = "any", window_bgcolor = "any", window_opacity = "any",
             window_left = "any", window_top = "any", window_full_screen = "any",
             window_maximized = "any", window_minimized = "any", window_frameless = "any",
             window_title_bar_hidden = "any", window_title_bar_buttons_hidden = "any",
             window_skip_task_bar = "any", window_focused = "any", window_visible = "any",
             window_prevent_close = "any", window_movable = "any",
             window_progress_bar = "any"}},
  -- Only a user control's layout props are sent: its own fields stay on the server.
  {name = "UserControl", type = "usercontrol", hooks = true,
   only_props = true, own_module = true,
   props = {content = "control", expand = "number|boolean", visible = "boolean", width = "number",
            height = "number", opacity = "number", disabled = "boolean"}},
}

-- The catalog's families, each a file of lua/flet/catalog/ (one page of docs/controls/ each),
-- in the order the reference lists them; their entries follow Page and UserControl.
M.families = {"text", "buttons", "display", "layout", "inputs", "views", "navigation", "dialogs",
              "gestures", "utilities"}
M.family_of = {}
for _, name in ipairs(M.families) do
  local family = require("flet.catalog." .. name)
  for _, c in ipairs(family.controls) do
    M.controls[#M.controls + 1] = c
    M.family_of[c.name] = family.family
  end
end

-- The same entries by class name.
M.by_name = {}
for _, c in ipairs(M.controls) do M.by_name[c.name] = c end
-- The root of every page's tree.
M.page_type = M.by_name.Page.type

return M
