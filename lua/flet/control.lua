-- Control: the base class of every control, and how control classes are made.
--
-- A control's public fields are its props (`txt.value = "x"`); fields starting with `_` are
-- private, and the class says which fields hold child controls (`_slots`). Public fields
-- live behind accessors (flet.fields) that mark what changed, so an update visits only
-- changed paths.
local asyncio = require "asyncio"
local fields = require "flet.fields"
local kinds = require "flet.kinds"
local schema = require "flet.schema"

local M = {}

local type, pairs, setmetatable, getmetatable, error = type, pairs, setmetatable, getmetatable, error

local CF = schema.class_fields
local TYPE, NAME = CF.type, CF.name
local HANDLER_PREFIX = schema.handler_prefix

local Control = {}
Control.__index = Control
Control[TYPE] = "control"
Control[CF.events] = {}
M.Control = Control

--- Whether v is a control: a table whose class has a wire type. The one test of it in Lua;
-- the C core's (host/schema.c) asks the same of the class.
function M.is_control(v)
  if type(v) ~= "table" then return false end
  local mt = getmetatable(v)
  return mt ~= nil and type(mt[TYPE]) == "string"
end
local is_control = M.is_control

-- Whether a class's children go in a list (not in one content control).
local function takes_list(children) return children and children ~= "content" end

--- Sets the instance's fields from a constructor's argument: a string (or number) for the
-- primary prop, or a table whose named fields are props and whose array part holds the
-- primary value (or a list of children) first and then child controls; an optional second
-- table holds more props. Every class has it as init(arg); an app's
-- subclass that defines its own init may call it as its parent's (`ft.Column.init(self,
-- {spacing = 10})`), as a Flet class calls super().__init__(...).
function Control:init(arg, opts)
  local cls = getmetatable(self)
  local primary, children = cls._primary, cls._children
  -- A list slot starts empty, so that a subclass's init can append to it right after calling
  -- this, as Flet's self.controls.append(x) after super().__init__(). It is a plain table
  -- until the app reads it (flet.fields), which most lists built by constructors never are.
  if takes_list(children) then fields.slot_items(self, children) end
  if type(arg) == "table" and not is_control(arg) then
    for k, v in pairs(arg) do
      if type(k) ~= "number" then self[k] = v end
    end
    local kids
    for i = 1, #arg do
      local v = arg[i]
      if is_control(v) and children then
        kids = kids or {}
        kids[#kids + 1] = v
      elseif i == 1 and takes_list(children) and type(v) == "table" then
        -- A list of children first, as Flet's ft.Row([a, b], alignment=...) ports:
        -- ft.Row{{a, b}, alignment = ...}.
        kids = kids or {}
        for _, c in ipairs(v) do kids[#kids + 1] = c end
      elseif i == 1 and primary and not is_control(v) then
        self[primary] = v
      else
        kinds.app_error(("%s: positional argument %d must be %s"):format(
          cls[NAME], i, children and "a child control" or "its " .. tostring(primary)))
      end
    end
    if kids then
      if children == "content" then
        if #kids > 1 then kinds.app_error(cls[NAME] .. " takes one content control") end
        self.content = kids[1]
      else
        local list = fields.slot_items(self, children)
        for _, k in ipairs(kids) do list[#list + 1] = k end
        fields.mark(self)
      end
    end
  elseif is_control(arg) and children then
    if children == "content" then
      self.content = arg
    else
      fields.set_raw(self, children, {arg})
      fields.mark(self)
    end
  elseif arg ~= nil then
    if not primary then kinds.app_error(cls[NAME] .. " takes a table of props") end
    self[primary] = arg
  end
  -- Props may also come as a second table, after a primary value or a list of children:
  -- ft.Text("Hi", {size = 20}), ft.Row({a, b}, {alignment = "center"}).
  if opts ~= nil then
    if type(opts) ~= "table" or is_control(opts) then
      kinds.app_error(cls[NAME] .. ": a second argument must be a table of props")
    end
    for k, v in pairs(opts) do
      if type(k) ~= "number" then self[k] = v end
    end
  end
end

-- Calling a class makes an instance and runs its init with the arguments. A list slot that
-- init left empty starts as an empty list, so that `c.controls` can be appended to at once.
local function construct(cls, ...)
  local self = fields.new(cls)
  self:init(...)
  if takes_list(cls._children) then fields.slot_items(self, cls._children) end
  return self
end

-- The fields an instance of a class with this entry may set, and their kinds (flet.kinds):
-- the props every control takes (unless the entry has only_props), the entry's own props,
-- its slots, and a handler for each of its events.
local function kinds_for(entry, slots, events, parent)
  local k = {}
  local base = parent and parent[CF.kinds]
  if base and not entry.only_props then
    for name, kind in pairs(base) do k[name] = kind end
  elseif not entry.only_props then
    for name, kind in pairs(schema.common_props) do k[name] = kind end
  end
  for name, kind in pairs(entry.props or {}) do k[name] = kind end
  if entry.children then
    k[entry.children] = entry.children == "content" and "control" or "controls"
  end
  for _, name in ipairs(slots or {}) do k[name] = k[name] or "controls" end
  for name in pairs(events or {}) do k[HANDLER_PREFIX .. name] = "handler" end
  for name, kind in pairs(entry.server or {}) do k[name] = kind end
  for _, name in ipairs(schema.not_props) do
    if name ~= "page" and name ~= "parent" then k[name] = "any" end
  end
  return k
end

--- The fields of a schema entry that hold child controls: its `children`, then its props of
-- kind "control" or "controls" by name; nil when it has none.
function M.slots_of(entry)
  local slots = {}
  for name, kind in pairs(entry.props or {}) do
    if kind:match("^control") and name ~= entry.children then
      slots[#slots + 1] = name
    end
  end
  table.sort(slots)
  if entry.children then table.insert(slots, 1, entry.children) end
  return slots[1] and slots or nil
end

--- Gives the class cls the fields its schema entry (flet.schema's `controls`) declares:
-- its wire type, primary prop, child slots, events, echoed events, lifecycle hooks, and
-- the props it is limited to when the entry says only_props. What the entry leaves out is
-- inherited from parent.
function M.apply(cls, entry, parent)
  cls[NAME] = entry.name
  cls[TYPE] = entry.type or parent[TYPE]
  cls._primary = entry.primary
  cls._children = entry.children
  cls[CF.slots] = M.slots_of(entry) or parent[CF.slots]
  if entry.only_props then
    local only = {}
    for k in pairs(entry.props or {}) do only[k] = true end
    -- Its handlers are sent too (as on_<event> = true), so the browser knows what to report.
    for _, name in ipairs(entry.events or {}) do only[HANDLER_PREFIX .. name] = true end
    cls[CF.props] = only
  else
    cls[CF.props] = parent[CF.props]
  end
  if entry.events then
    local events = {}
    for _, name in ipairs(entry.events) do events[name] = true end
    cls[CF.events] = events
  else
    cls[CF.events] = parent[CF.events]
  end
  if not entry.only_props then
    local events = {}
    for name in pairs(cls[CF.events] or {}) do events[name] = true end
    for _, name in ipairs(schema.common_events) do events[name] = true end
    cls[CF.events] = events
  end
  cls[CF.echo] = entry.echo
  if entry.hooks then cls[CF.hooks] = true end
  if entry.server then
    local server = {}
    for name in pairs(entry.server) do server[name] = true end
    cls[CF.server] = server
  end
  cls[CF.kinds] = kinds_for(entry, cls[CF.slots], cls[CF.events], parent ~= Control and parent)
  return cls
end

--- Makes a control class from its schema entry; class(name, entry [, parent]) too, for a
-- class that is not in the catalog (an app's own, or a test's).
function M.class(entry, parent, ...)
  if type(entry) == "string" then
    local named = {name = entry}
    for k, v in pairs(parent) do named[k] = v end
    -- In this form, as before the schema, props given are the only ones sent.
    named.only_props = named.props ~= nil
    entry, parent = named, ...
  end
  parent = parent or Control
  local cls = setmetatable({}, {__index = parent, __call = construct})
  cls.__index = cls
  M.apply(cls, entry, parent)
  cls.__index, cls.__newindex = fields.accessors(cls)
  return cls
end

--- A subclass of this class, as an app makes its own controls (`class Task(ft.Column)` in
-- Flet): `local Task = ft.Column:extend("Task")`, then `function Task:init(name) ... end`.
-- Calling it makes an instance and runs its init with the arguments. It is sent as its
-- parent is; the fields it sets that its parent does not know as props stay on the server,
-- on the instance, and never reach the browser.
function Control:extend(name)
  if type(self) ~= "table" or rawget(self, "__index") == nil then
    kinds.app_error("extend: call it on a class, with a colon: ft.Column:extend(\"Task\")")
  end
  if type(name) ~= "string" then kinds.app_error("extend: expected a class name") end
  local cls = setmetatable({}, {__index = self, __call = construct})
  cls[NAME] = name
  cls[CF.own] = true
  cls.__index, cls.__newindex = fields.accessors(cls)
  return cls
end

local function page_of(self, what)
  local page = self.page
  if not page then
    error(what .. ": the control is not on a page yet (add it to the page first)", 3)
  end
  return page
end

--- Sends the changes made in this control's subtree, and only those: other pending
-- changes of the page wait for their own update. Changes made behind the accessors' back
-- (to a list taken out with fields.items) are found too, as the control is compared whole.
function Control:update()
  if not is_control(self) then kinds.app_error("update: call it with a colon, control:update()") end
  local page = page_of(self, "update")
  fields.mark(self)
  page:_update_control(self, false)
end

--- Removes every child of the control's list (its `controls`, or whichever list its class
-- takes children in), and sends that if the control is on a page, as Flet's clean().
function Control:clean()
  if not is_control(self) then kinds.app_error("clean: call it with a colon, control:clean()") end
  local children = getmetatable(self)._children
  if not children or children == "content" then
    kinds.app_error(("clean: %s has no list of child controls"):format(self[NAME]))
  end
  self[children] = {}
  if self.page then self:update() end
end

--- Moves the keyboard focus to the control in the browser (a text field, a button), as
-- Flet's focus(). It is sent with the next update.
function Control:focus()
  if not is_control(self) then kinds.app_error("focus: call it with a colon, control:focus()") end
  self.focus_request = (fields.raw(self, "focus_request") or 0) + 1
  if self.page then self:update() end
end

--- The same, waiting until the changes have been handed to the socket.
function Control:update_async()
  if not is_control(self) then
    kinds.app_error("update_async: call it with a colon, control:update_async()")
  end
  if not asyncio.in_task() then
    error("update_async must be called from a task (main, an event handler or "
      .. "asyncio.create_task); call update() from plain code", 2)
  end
  local page = page_of(self, "update_async")
  fields.mark(self)
  return page:_update_control(self, true)
end

return M
