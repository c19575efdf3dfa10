-- The buttons, as a Flet app has them: elevated, filled, filled tonal, outlined and text,
-- with and without an icon, enabled and disabled. Run: build/luaflet examples/controls/buttons.lua
local ft = require "flet"

local function main(page)
  page.title = "Buttons"
  local log = ft.Text{"Press a button", italic = true}
  local function pressed(name)
    return function()
      log.value = name .. " pressed"
      page:update()
    end
  end
  page:add(log)
  for _, make in ipairs({
    {"ElevatedButton", ft.ElevatedButton}, {"FilledButton", ft.FilledButton},
    {"FilledTonalButton", ft.FilledTonalButton}, {"OutlinedButton", ft.OutlinedButton},
    {"TextButton", ft.TextButton},
  }) do
    local name, Button = make[1], make[2]
    page:add(ft.Row{
      Button{name, on_click = pressed(name)},
      Button{"With icon", icon = ft.Icons.ADD, on_click = pressed(name .. " with icon")},
      Button{"Disabled", icon = ft.Icons.BLOCK, disabled = true},
    })
  end
end

ft.app(main)
