-- An app with a mistake in a handler, and no on_error of its own: the page must say so.
local ft = require "flet"

ft.app(function(page)
  page:add(ft.Text "ready", ft.ElevatedButton{"Break", on_click = function()
    error("the button broke")
  end})
end)
