-- The load benchmark's counter: "+" (the last control, so control 1: ids go from the last
-- child to the first) adds one to the number shown.
local ft = require "flet"

ft.app(function(page)
  local n = 0
  local shown = ft.Text "0"
  page:add(shown, ft.ElevatedButton{"+", on_click = function()
    n = n + 1
    shown.value = tostring(n)
    shown:update()
  end})
end)
