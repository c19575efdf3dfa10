-- The load benchmark's timers: the guide's Countdown, one per session, ticking each second.
local ft = require "flet"
local asyncio = require "asyncio"

local Countdown = ft.UserControl:extend("Countdown")
function Countdown:init(seconds) self.seconds = seconds end
function Countdown:did_mount() self.running = true; asyncio.create_task(self.run, self) end
function Countdown:will_unmount() self.running = false end
function Countdown:run()
  while self.running and self.seconds > 0 do
    asyncio.sleep(1)
    self.seconds = self.seconds - 1
    self.countdown.value = ("%02d:%02d"):format(self.seconds // 60, self.seconds % 60)
    self:update()
  end
end
function Countdown:build()
  self.countdown = ft.Text(("%02d:%02d"):format(self.seconds // 60, self.seconds % 60))
  return self.countdown
end

ft.app(function(page)
  page:add(Countdown(3600))
end)
