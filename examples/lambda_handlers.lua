-- Anonymous handlers may await too: in Lua every function can suspend, so an inline handler
-- can sleep and update the page like a named one.
local ft = require "flet"
local asyncio = require "asyncio"

local function main(page)
  local status = ft.Text "Waiting for a click"
  page:add_async(
    status,
    ft.Row{
      ft.FilledButton{"Inline, awaits", on_click = function()
        status.value = "Working..."
        status:update_async()
        asyncio.sleep(0.5)
        status.value = "Done after half a second"
        status:update_async()
      end},
      ft.TextButton{"Inline, plain", on_click = function()
        status.value = "Clicked at once"
        page:update()
      end},
    }
  )
end

ft.app(main)
