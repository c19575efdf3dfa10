-- For the browser tests: controls whose props the client turns into styles, each with a
-- tooltip naming it so that the test can find it.
local ft = require "flet"

ft.app(function(page)
  page:add(
    ft.Container{ft.Text "a", tooltip = "palette", bgcolor = "blue100"},
    ft.Container{ft.Text "b", tooltip = "hue", bgcolor = "Blue"},
    ft.Container{ft.Text "c", tooltip = "accent", bgcolor = "red_accent"},
    ft.Container{ft.Text "d", tooltip = "role", bgcolor = "primary"},
    ft.Container{ft.Text "e", tooltip = "css", bgcolor = "#123456"},
    ft.Text{"f", tooltip = "see-through", color = "black54"},
    ft.Container{ft.Text "g", tooltip = "box", padding = {left = 1, top = 2, right = 3, bottom = 4},
                 margin = 5, width = 160, height = "50", border_radius = {top_left = 6, bottom_right = 7}},
    ft.Column{tooltip = "column", alignment = "spaceBetween", horizontal_alignment = "center",
              spacing = 9, ft.Text "h"},
    ft.Row{tooltip = "row", alignment = "END", vertical_alignment = "stretch", spacing = 11, ft.Text "i"})
end)
