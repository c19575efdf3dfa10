-- Sessions with a few controls each; the "collect" button runs a full garbage collection and
-- logs the Lua heap's size, so that a test can read the host's memory at a quiet moment.
local ft = require "flet"
local asyncio = require "asyncio"

io.stdout:setvbuf("line") -- the tests read these lines among the host's own

ft.app(function(page)
  local t = ft.Text "hello"
  page:add(ft.Column{t, ft.Row{ft.Text "a", ft.Text "b"}, ft.TextField{label = "name"}},
    ft.ElevatedButton{"collect", on_click = function()
      collectgarbage("collect")
      collectgarbage("collect")
      io.write(("app: collected, lua heap %d KB\n"):format(math.floor(collectgarbage("count"))))
    end})
  asyncio.create_task(function()
    for i = 1, 3 do
      asyncio.sleep(0.001)
      t.value = "hello " .. i
      page:update()
    end
  end)
end)
