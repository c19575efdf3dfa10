-- For the browser tests: ft.app_async under asyncio.run, beside a task that keeps running.
local ft = require "flet"
local asyncio = require "asyncio"

local ticks = 0

local function main(page)
  local shown = ft.Text "background ticks: 0"
  page:add_async(shown, ft.ElevatedButton{"Show ticks", on_click = function()
    shown.value = ("background ticks: %d"):format(ticks)
    shown:update_async()
  end})
end

asyncio.run(function()
  asyncio.create_task(function()
    while true do
      asyncio.sleep(0.05)
      ticks = ticks + 1
    end
  end)
  ft.app_async(main)
end)
