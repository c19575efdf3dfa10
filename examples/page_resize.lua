-- page.on_resize: the page's size shown in a corner, kept current as the window changes.
local ft = require "flet"

local function main(page)
  local pw = ft.Text{bottom = 50, right = 50, style = "displaySmall"}

  local function show_size()
    pw.value = ("%d x %d"):format(page.window_width, page.window_height)
  end

  -- A handler may await: this one waits until the new size is on its way to the browser.
  page.on_resize = function()
    show_size()
    pw:update_async()
  end

  page.overlay[#page.overlay + 1] = pw
  page:add_async(ft.Text "Resize the window: the size in the corner follows it.")
  show_size()
  page:update_async()
end

ft.app(main)
