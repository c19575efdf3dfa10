-- The load benchmark's broadcast: "+" (the last control, so control 1: ids go from the last
-- child to the first) in any session adds one to a value every session shows.
local ft = require "flet"

local shown = {} -- page -> its Text
local value = 0

ft.app(function(page)
  local t = ft.Text "0"
  shown[page] = t
  page.on_disconnect = function() shown[page] = nil end
  page:add(t, ft.ElevatedButton{"+", on_click = function()
    value = value + 1
    for p, text in pairs(shown) do
      text.value = tostring(value)
      p:update()
    end
  end})
end)
