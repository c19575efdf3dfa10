-- The load benchmark's idle page: 20 controls that never change.
local ft = require "flet"

ft.app(function(page)
  local rows = {}
  for i = 1, 6 do
    rows[i] = ft.Row{ft.Text("label " .. i), ft.TextButton("edit " .. i)}
  end
  page:add(ft.Text "Idle", ft.Column(rows), ft.Container{content = ft.Text "footer"})
end)
