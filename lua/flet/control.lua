-- Control: the base class of every control, and how control classes are made.
--
-- A control's public fields are its props (`txt.value = "x"`); fields starting with `_` are
-- private, and the class says which fields hold child controls (`_slots`). Public fields
-- live behind accessors (flet.fields) that mark what changed, so an update visits only
-- changed paths.
local asyncio = require "asyncio"
local fields = require "flet.fields"
local schema = require "flet.schema"

local M = {}

local type, pairs, setmetatable, getmetatable, error = type, pairs, setmetatable, getmetatable, error

local CF = schema.class_fields
local TYPE, NAME = CF.type, CF.name

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

-- Builds an instance from the constructor's argument: a string (or number) for the primary
-- prop, or a table whose named fields are props and whose array part holds the primary value
-- first and then child controls.
local function construct(cls, arg)
  local self = fields.new(cls)
  local primary, children = cls._primary, cls._children
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
      elseif i == 1 and primary and not is_control(v) then
        self[primary] = v
      else
        error(("%s: positional argument %d must be %s"):format(
          cls[NAME], i, children and "a child control" or "its " .. tostring(primary)), 3)
      end
    end
    if kids then
      if children == "content" then
        if #kids > 1 then error(cls[NAME] .. " takes one content control", 3) end
        self.content = kids[1]
      else
        local list = self[children] or {}
        for _, k in ipairs(kids) do list[#list + 1] = k end
        self[children] = list
      end
    end
  elseif is_control(arg) and children then
    if children == "content" then self.content = arg else self[children] = {arg} end
  elseif arg ~= nil then
    if not primary then
      error(cls[NAME] .. " takes a table of props", 3)
    end
    self[primary] = arg
  end
  if children == "controls" and self.controls == nil then self.controls = {} end
  return self
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
  cls[CF.slots] = entry.slots or (entry.children and {entry.children}) or parent[CF.slots]
  if entry.only_props then
    local only = {}
    for k in pairs(entry.props or {}) do only[k] = true end
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
  cls[CF.echo] = entry.echo
  if entry.hooks then cls[CF.hooks] = true end
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
  local page = page_of(self, "update")
  fields.mark(self)
  page:_update_control(self, false)
end

--- The same, waiting until the changes have been handed to the socket.
function Control:update_async()
  if not asyncio.in_task() then
    error("update_async must be called from a task (main, an event handler or "
      .. "asyncio.create_task); call update() from plain code", 2)
  end
  local page = page_of(self, "update_async")
  fields.mark(self)
  return page:_update_control(self, true)
end

return M
