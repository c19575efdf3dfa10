-- Fetching over HTTP without freezing the page: the request suspends only the click's task,
-- so the spinner's task keeps turning while it runs.
--
--   ./build/luaflet examples/http_fetch.lua [URL]     (by default it fetches its own page)
local ft = require "flet"
local asyncio = require "asyncio"

local frames = {"◐", "◓", "◑", "◒"}

local function main(page)
  local url = arg[1] or page.url
  local spinner = ft.Text{frames[1], size = 24}
  local status = ft.Text("Press Fetch to load " .. url)

  asyncio.create_task(function()
    local i = 1
    while true do
      asyncio.sleep(0.1)
      i = i % #frames + 1
      spinner.value = frames[i]
      spinner:update_async()
    end
  end)

  local function fetch(e)
    e.control.disabled = true
    status.value = "Fetching..."
    page:update_async()
    local r, err = asyncio.http.get(url, {timeout = 10})
    if r then
      status.value = ("HTTP %d, %d bytes"):format(r.status, #r.body)
    else
      status.value = "Failed: " .. err
    end
    e.control.disabled = false
    page:update_async()
  end

  page:add_async(ft.Row{spinner, ft.FilledButton{"Fetch", on_click = fetch}}, status)
end

ft.app(main)
