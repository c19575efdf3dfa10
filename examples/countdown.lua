-- Two Countdown user controls, each ticking in a task of its own that did_mount_async starts
-- and will_unmount_async stops.
local ft = require "flet"
local asyncio = require "asyncio"

local Countdown = ft.UserControl:extend("Countdown")

function Countdown:init(seconds)
  self.seconds = seconds
end

function Countdown:did_mount_async()
  self.running = true
  asyncio.create_task(function() self:update_timer() end)
end

function Countdown:will_unmount_async()
  self.running = false
end

function Countdown:update_timer()
  while self.seconds > 0 and self.running do
    self.countdown.value = ("%02d:%02d"):format(self.seconds // 60, self.seconds % 60)
    self:update_async()
    asyncio.sleep(1)
    self.seconds = self.seconds - 1
  end
end

function Countdown:build()
  self.countdown = ft.Text{style = "headlineMedium"}
  return self.countdown
end

local function main(page)
  local first, second = Countdown(120), Countdown(60)
  page:add_async(first, second)
  page:add_async(ft.OutlinedButton{"Remove the countdowns", on_click = function()
    page:remove_async(first, second)
  end})
end

ft.app(main)
