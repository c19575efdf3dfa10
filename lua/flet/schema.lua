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
-- This file is data only: it requires nothing, so a test or a tool can read it alone.
local M = {}

-- The private fields of a control's table (fields whose names start with `private_prefix`).
M.fields = {
  marks = "_m",        -- what changed: the bits of M.marks
  props = "_p",        -- the table of public fields (props and child lists)
  id = "_id",          -- given by the host when the control is first sent
  parent = "_parent",  -- the control holding it, set by the host
  marked_kids = "_dk", -- its children marked since the diff last visited it
  built = "_built",    -- set once a user control's build() has run
  snapshot = "_snap",  -- on the page only: the host's snapshot of what the browser shows
  -- A ControlList's fields: its plain list of children, and the control that owns it.
  items = "_items",
  owner = "_owner",
}

-- The fields of a control class (looked up on the class, never on the instance).
M.class_fields = {
  name = "_name",     -- the class's name, as the app knows it (tasks are named after it)
  type = "_type",     -- the wire type; a table whose class has one is a control
  slots = "_slots",   -- the public fields that hold child controls
  props = "_props",   -- when set, the only public fields sent as props
  hooks = "_hooks",   -- true: the diff reports instances added and removed (lifecycle hooks)
  events = "_events", -- the events an instance emits: name -> true
  echo = "_echo",     -- events whose data the browser already shows as a prop: name -> prop
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

-- Props every control takes (client/src/controls/common.js), with their kinds: "string",
-- "number", "boolean", "color" (a name or #rrggbb), "number|boolean", "any" (a number or a
-- table, sent as JSON).
M.common_props = {
  width = "number", height = "number", expand = "number|boolean", visible = "boolean",
  disabled = "boolean", opacity = "number", tooltip = "string",
  left = "number", top = "number", right = "number", bottom = "number",
  key = "any", data = "any",
}

-- The catalog. name: the Lua class; type: its kind on the wire; primary: the prop a bare
-- value sets; children: the slot that a constructor's positional controls go to,
-- "controls" (a list) or "content" (one control); slots: every field holding child controls
-- (default: {children}); events: what it emits; props: its own props and their kinds;
-- only_props: true when only `props` (and no other field) is sent, which keeps the app's
-- own fields on the server; own_module: the class is made by a module of its own
-- (flet.page, flet.user_control), not by flet.controls; echo: events whose data the
-- browser already shows as a prop (event -> prop); hooks: the diff reports when instances
-- come and go, for their lifecycle hooks.
M.controls = {
  {name = "Page", type = "page", slots = {"controls", "overlay"}, events = {"resize"},
   only_props = true, own_module = true,
   props = {title = "string", padding = "any", bgcolor = "color", spacing = "number",
            horizontal_alignment = "string", vertical_alignment = "string", scroll = "string",
            theme_mode = "string"}},
  {name = "Text", type = "text", primary = "value",
   props = {value = "string", size = "number", style = "string", theme_style = "string",
            color = "color", weight = "string", italic = "boolean", text_align = "string",
            selectable = "boolean", max_lines = "number"}},
  {name = "ElevatedButton", type = "elevatedbutton", primary = "text", events = {"click"},
   props = {text = "string", color = "color", bgcolor = "color", icon = "string"}},
  {name = "FilledButton", type = "filledbutton", primary = "text", events = {"click"},
   props = {text = "string", color = "color", bgcolor = "color", icon = "string"}},
  {name = "OutlinedButton", type = "outlinedbutton", primary = "text", events = {"click"},
   props = {text = "string", color = "color", bgcolor = "color", icon = "string"}},
  {name = "TextButton", type = "textbutton", primary = "text", events = {"click"},
   props = {text = "string", color = "color", bgcolor = "color", icon = "string"}},
  {name = "Column", type = "column", children = "controls",
   props = {spacing = "number", run_spacing = "number", alignment = "string",
            horizontal_alignment = "string", wrap = "boolean", scroll = "string"}},
  {name = "Row", type = "row", children = "controls",
   props = {spacing = "number", run_spacing = "number", alignment = "string",
            vertical_alignment = "string", wrap = "boolean", scroll = "string"}},
  {name = "Container", type = "container", children = "content", events = {"click"},
   props = {padding = "any", margin = "any", bgcolor = "color", border_radius = "any",
            alignment = "string"}},
  -- The text typed into a TextField reaches `value` through its change events.
  {name = "TextField", type = "textfield", primary = "value", events = {"change", "submit"},
   echo = {change = "value"},
   props = {value = "string", label = "string", hint_text = "string", password = "boolean"}},
  -- Only a user control's layout props are sent: its own fields stay on the server.
  {name = "UserControl", type = "usercontrol", slots = {"content"}, hooks = true,
   only_props = true, own_module = true,
   props = {expand = "number|boolean", visible = "boolean", width = "number",
            height = "number", opacity = "number", disabled = "boolean"}},
}

-- The same entries by class name.
M.by_name = {}
for _, c in ipairs(M.controls) do M.by_name[c.name] = c end
-- The root of every page's tree.
M.page_type = M.by_name.Page.type

return M
