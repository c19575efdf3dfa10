-- Each session holds a user control that says when it unmounts, and a task that never ends.
local ft = require "flet"
local asyncio = require "asyncio"

io.stdout:setvbuf("line") -- the test reads these lines among the host's own

local Box = ft.UserControl:extend("Box")
function Box.build() return ft.Text "box" end
function Box.will_unmount() io.write("app: unmounted\n") end

ft.app(function(page)
  page:add(Box())
  asyncio.create_task(function()
    local ok, err = pcall(asyncio.sleep, 3600)
    if not ok and err == asyncio.CancelledError then io.write("app: task cancelled\n") end
    if not ok then error(err, 0) end
  end)
end)
