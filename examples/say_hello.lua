-- A button whose handler awaits page:add_async: no special marking needed.
local ft = require "flet"

local function main(page)
  local function button_click()
    page:add_async(ft.Text "Hello!")
  end

  page:add_async(ft.ElevatedButton{"Say hello!", on_click = button_click})
end

ft.app(main)
