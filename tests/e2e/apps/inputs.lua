-- Inputs whose values the host keeps without an on_change: a field read by a button's
-- handler (and focused by another), and a box that reports the pointer entering and
-- leaving it.
local ft = require "flet"

ft.app(function(page)
  local name = ft.TextField{label = "Name"}
  local greeting = ft.Text "nobody yet"
  local pointer = ft.Text "pointer outside"
  page:add(name, ft.ElevatedButton{"Greet", on_click = function()
    greeting.value = "hello " .. tostring(name.value)
    page:update()
  end}, ft.TextButton{"Focus the field", on_click = function() name:focus() end},
  greeting, ft.Container{
    content = ft.Text "hover me", width = 200, height = 60, bgcolor = ft.Colors.AMBER_100,
    on_hover = function(e)
      pointer.value = e.data == "true" and "pointer inside" or "pointer outside"
      page:update()
    end}, pointer)
end)
