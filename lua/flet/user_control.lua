-- UserControl: a control made by the app from other controls.
--
--   local Countdown = ft.UserControl:extend("Countdown")
--   function Countdown:init(seconds) self.seconds = seconds end
--   function Countdown:build() self.text = ft.Text(); return self.text end
--   local c = Countdown(120)
--
-- build() runs once, when the control is first sent; its result is the control's content.
-- did_mount / did_mount_async run after the control has reached the page, will_unmount /
-- will_unmount_async before it is forgotten (removed, or its session ended). Only the props
-- its schema entry lists are sent, so the app's own fields stay on the server.
local control = require "flet.control"
local fields = require "flet.fields"
local schema = require "flet.schema"

local M = {}

-- Its entry says `hooks`: the diff reports when controls of this class come and go, for
-- their lifecycle hooks.
local UserControl = control.class(schema.by_name.UserControl)
M.UserControl = UserControl

local function construct(cls, ...)
  local self = fields.new(cls)
  if self.init then self:init(...) end
  return self
end

--- Makes a subclass; calling it builds an instance and runs init(...) on it.
function UserControl:extend(name)
  if type(name) ~= "string" then
    error("UserControl:extend: expected a class name", 2)
  end
  local cls = setmetatable({}, {__index = self, __call = construct})
  cls[schema.class_fields.name] = name
  cls.extend = UserControl.extend
  cls.__index, cls.__newindex = fields.accessors(cls)
  return cls
end

return M
