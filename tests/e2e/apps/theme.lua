-- The page's theme: a seed color, a role of its own, a font, and the mode buttons.
local ft = require "flet"

ft.app(function(page)
  page.theme = ft.Theme{color_scheme_seed = ft.Colors.GREEN, font_family = "Kanit",
                        color_scheme = ft.ColorScheme{tertiary = "#123456"}}
  page.dark_theme = ft.Theme{color_scheme_seed = ft.Colors.GREEN}
  page:add(ft.Text "themed",
    ft.TextButton{"Dark", on_click = function()
      page.theme_mode = ft.ThemeMode.DARK
      page:update()
    end},
    ft.TextButton{"Light", on_click = function()
      page.theme_mode = ft.ThemeMode.LIGHT
      page:update()
    end},
    ft.TextButton{"System", on_click = function()
      page.theme_mode = ft.ThemeMode.SYSTEM
      page:update()
    end},
    ft.TextButton{"Blue", on_click = function()
      page.theme = ft.Theme{color_scheme_seed = "blue"}
      page:update()
    end})
end)
