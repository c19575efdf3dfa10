-- A session whose main starts a task that fails every millisecond, for as long as it lives.
local ft = require "flet"
local asyncio = require "asyncio"

ft.app(function(page)
  page:add(ft.Text "failing")
  while true do
    asyncio.create_task(function() error("this fails every millisecond") end)
    asyncio.sleep(0.001)
  end
end)
