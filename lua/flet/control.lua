-- Control: the base class of every control, and how control classes are made.
--
-- A control's public fields are its props (`txt.value = "x"`); fields starting with `_` are
-- private, and the class says which fields hold child controls (`_slots`). Public fields
-- live behind accessors (flet.fields) that mark what changed, so an update visits only
-- changed paths.
local asyncio = require "asyncio"
local fields = require "flet.fields"

local M = {}

local type, pairs, setmetatable, getmetatable, error = type, pairs, setmetatable, getmetatable, error

local Control = {}
Control.__index = Control
Control._type = "control"
Control._events = {}
M.Control = Control

--- Whether v is a control (an instance of any control class).
function M.is_control(v)
  return type(v) == "table" and type(v._type) == "string" and getmetatable(v) ~= nil
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
          cls._name, i, children and "a child control" or "its " .. tostring(primary)), 3)
      end
    end
    if kids then
      if children == "content" then
        if #kids > 1 then error(cls._name .. " takes one content control", 3) end
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
      error(cls._name .. " takes a table of props", 3)
    end
    self[primary] = arg
  end
  if children == "controls" and self.controls == nil then self.controls = {} end
  return self
end

--- Makes a control class.
-- spec.type: the kind on the wire; spec.primary: the prop a bare value sets;
-- spec.children: "controls" (a list) or "content" (one control); spec.slots: every field
-- that holds child controls (defaults to {children}); spec.props: if set, the only fields
-- sent as props.
function M.class(name, spec, parent)
  parent = parent or Control
  local cls = setmetatable({}, {__index = parent, __call = construct})
  cls.__index = cls
  cls._name = name
  cls._type = spec.type or parent._type
  cls._primary = spec.primary
  cls._children = spec.children
  cls._slots = spec.slots or (spec.children and {spec.children}) or parent._slots
  cls._props = spec.props or parent._props
  if spec.events then
    cls._events = {}
    for _, name in ipairs(spec.events) do cls._events[name] = true end
  else
    cls._events = parent._events
  end
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
