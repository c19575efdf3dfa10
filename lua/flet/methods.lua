-- methods: what some catalog classes do beyond holding props, as Flet's classes do: the
-- scrolling lists', views' and page's scroll_to() and on_scroll events, constructors that
-- take a control as their first value, and FilePicker's (flet.file_picker).
-- flet.controls puts each function on its class.
local core = require "luaflet.core"
local control = require "flet.control"
local fields = require "flet.fields"
local kinds = require "flet.kinds"

local is_control = control.is_control
local M = {}

-- Each scroll_to() asks for a new scroll, even to the same place: the request carries a
-- number of its own so that it is always a change to send.
local requests = 0

-- Whether control c is or holds a control whose key is key.
local function holds_key(c, key, depth)
  if c.key == key then return true end
  if depth > 50 then return false end
  local slots = getmetatable(c)._slots or {}
  for _, name in ipairs(slots) do
    -- Read as stored: reading through the accessor would make a ControlList of every list
    -- a constructor built (flet.fields).
    local v = fields.items(fields.raw(c, name))
    if is_control(v) then
      if holds_key(v, key, depth + 1) then return true end
    elseif type(v) == "table" then
      for i = 1, #v do
        if is_control(v[i]) and holds_key(v[i], key, depth + 1) then return true end
      end
    end
  end
  return false
end

--- Scrolls the list, as Flet's scroll_to: to `offset` pixels from the start (a negative one
-- counts from the end: -1 is the very end), by `delta` pixels from where it is, or to the
-- child whose `key` it is (or that holds a control with that key), over `duration`
-- milliseconds. Takes a table {offset=, delta=, key=, duration=, curve=} or those values in
-- that order; sends at once, as Flet's does.
local function scroll_to(self, offset, delta, key, duration, curve)
  if not is_control(self) then
    kinds.app_error("scroll_to: call it with a colon, list:scroll_to{offset = 0}")
  end
  if type(offset) == "table" then
    offset, delta, key, duration, curve =
      offset.offset, offset.delta, offset.key, offset.duration, offset.curve
  end
  local index
  if key ~= nil then
    local list = self.controls or {}
    for i = 1, #list do
      if holds_key(list[i], key, 0) then
        index = i - 1
        break
      end
    end
    if not index then return end
  end
  requests = requests + 1
  self.scroll_request = {offset = offset, delta = delta, index = index, duration = duration,
                         curve = curve, n = requests}
  self:update()
end

-- A class whose primary prop may be a control (DataColumn's label): a control given first
-- goes there, as Flet's positional argument does.
local function control_first(prop)
  return function(self, arg)
    if is_control(arg) then
      arg = {[prop] = arg}
    elseif type(arg) == "table" and not is_control(arg) and is_control(arg[1]) then
      local copy = {}
      for k, v in pairs(arg) do copy[k] = v end
      copy[prop] = table.remove(copy, 1)
      arg = copy
    end
    return control.Control.init(self, arg)
  end
end

-- Events whose e.data is JSON with Flet's short keys also get Flet's event fields, as
-- Flet's typed events have them (e.local_x, e.delta_y, e.src_id, ...); e.data is kept.
local function event_fields(names)
  return function(e)
    local data = e.data
    if type(data) ~= "string" or data:sub(1, 1) ~= "{" then return end
    local ok, t = pcall(core.json_decode, data)
    if not ok or type(t) ~= "table" then return end
    for short, long in pairs(names) do
      local v = t[short]
      if v ~= nil and e[long] == nil and type(v) ~= "userdata" then e[long] = v end
    end
  end
end
local POINTER = {lx = "local_x", ly = "local_y", gx = "global_x", gy = "global_y",
                 dx = "delta_x", dy = "delta_y", kind = "kind", ts = "timestamp",
                 pd = "primary_delta", pv = "primary_velocity", vx = "velocity_x",
                 vy = "velocity_y"}
local SCROLL = {t = "event_type", p = "pixels", minse = "min_scroll_extent",
                maxse = "max_scroll_extent", vd = "viewport_dimension", sd = "scroll_delta",
                dir = "direction", os = "overscroll", v = "velocity"}

-- Pagelet's drawers: opened and closed from code, as Flet's show_drawer(drawer) does. The
-- request carries a number of its own, like scroll_to's, so the same one can come again.
local function drawer_request(side, slot)
  return function(self, drawer)
    if not is_control(self) then
      kinds.app_error("call it with a colon: pagelet:show_drawer(drawer)")
    end
    if drawer ~= nil then self[slot] = drawer end
    requests = requests + 1
    self.drawer_request = {open = side, n = requests}
    self:update()
  end
end

M.Pagelet = {show_drawer = drawer_request("start", "drawer"),
             show_end_drawer = drawer_request("end", "end_drawer"),
             close_drawer = drawer_request(nil), close_end_drawer = drawer_request(nil)}

M.ListView = {scroll_to = scroll_to, _event_fields = event_fields(SCROLL)}
M.GridView = {scroll_to = scroll_to, _event_fields = event_fields(SCROLL)}
-- A view's column of controls scrolls as a list's does, and so does the page's (flet.page
-- takes Page's: its class is made there).
M.View = {scroll_to = scroll_to, _event_fields = event_fields(SCROLL)}
M.Page = {scroll_to = scroll_to, _event_fields = event_fields(SCROLL)}
M.DataColumn = {init = control_first("label"),
                _event_fields = event_fields({i = "column_index", a = "ascending"})}
M.GestureDetector = {_event_fields = event_fields(POINTER)}
M.DragTarget = {_event_fields = event_fields({src_id = "src_id", x = "x", y = "y"})}

local file_picker = require "flet.file_picker"
M.FilePicker = {_event_fields = event_fields({file_name = "file_name", progress = "progress",
                                              error = "error"})}
for _, name in ipairs({"pick_files", "upload", "save_file", "get_directory_path"}) do
  M.FilePicker[name] = file_picker[name]
  M.FilePicker[name .. "_async"] = file_picker[name]
end

return M
