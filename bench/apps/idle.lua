-- The load benchmark's idle page: 21 controls that never change (the page itself, a title, and
-- a column of six rows of a label and a button), the page of the memory target.
local ft = require "flet"

ft.app(function(page)
  local rows = {}
  for i = 1, 6 do
    rows[i] = ft.Row{ft.Text("label " .. i), ft.TextButton("edit " .. i)}
  end
  page:add(ft.Text "Idle", ft.Column(rows))
end)
