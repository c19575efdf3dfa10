-- A button that counts its clicks, and a button that floods the page with large updates
-- (for a client that stops reading).
local ft = require "flet"
local asyncio = require "asyncio"

ft.app(function(page)
  local n = 0
  local shown = ft.Text "clicks 0"
  local big = ft.Text ""
  page:add(shown, ft.ElevatedButton{"+", on_click = function()
    n = n + 1
    shown.value = "clicks " .. n
    page:update()
  end}, ft.ElevatedButton{"flood", on_click = function()
    for i = 1, 400 do
      big.value = string.rep("x", 64 * 1024) .. i
      page:update()
      asyncio.sleep(0)
    end
  end}, big)
end)
