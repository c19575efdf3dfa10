-- A page whose task changes it every 20 ms, whoever is connected: the text shows how many
-- ticks the server has made. Stop ends the ticking and logs the last tick. Used to prove that
-- a reconnect loses and doubles nothing.
local ft = require "flet"
local asyncio = require "asyncio"

io.stdout:setvbuf("line") -- the tests read these lines among the host's own

ft.app(function(page)
  local ticks = ft.Text "tick 0"
  local running = true
  page:add(ticks, ft.ElevatedButton{"Stop", on_click = function() running = false end})
  page.on_disconnect = function() print("app: disconnected") end
  page.on_connect = function() print("app: connected") end
  local n = 0
  while running do
    asyncio.sleep(0.02)
    n = n + 1
    ticks.value = "tick " .. n
    page:update()
  end
  print("app: stopped at " .. n)
end)
