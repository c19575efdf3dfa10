-- asyncio.sleep in a handler: the page stays responsive while one click waits, because the
-- sleep suspends only that click's task.
local ft = require "flet"
local asyncio = require "asyncio"

local function main(page)
  local clicks = 0

  local function button_click()
    clicks = clicks + 1
    local n = clicks
    page:add_async(ft.Text(("Click %d: saying hello in a second..."):format(n)))
    asyncio.sleep(1)
    page:add_async(ft.Text(("Hello! (%d)"):format(n)))
  end

  page:add_async(ft.ElevatedButton{"Say hello with delay!", on_click = button_click})
end

ft.app(main)
