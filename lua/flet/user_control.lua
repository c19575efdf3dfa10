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
local schema = require "flet.schema"

local M = {}

-- Its entry says `hooks`: the diff reports when controls of this class come and go, for
-- their lifecycle hooks. An app makes its own with extend (flet.control's, as for every
-- class): calling the subclass runs its init, and the fields it sets stay on the server.
local UserControl = control.class(schema.by_name.UserControl)
M.UserControl = UserControl

return M
