-- For the browser tests: a handler that fails on its first click, and page.on_error.
local ft = require "flet"

local function main(page)
  local clicks = 0
  local status = ft.Text "no clicks yet"
  page.on_error = function(e)
    page:add(ft.Text("on_error: " .. e.data:match("^[^\n]*")))
  end
  page:add_async(status, ft.ElevatedButton{"Click me", on_click = function()
    clicks = clicks + 1
    if clicks == 1 then error("the first click fails") end
    status.value = ("clicks: %d"):format(clicks)
    status:update_async()
  end})
end

ft.app(main)
