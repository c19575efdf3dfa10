-- The page-weight benchmark's second page: hello_async's text and three icons, so that the
-- difference with the hello page is what the icons cost.
local ft = require "flet"

ft.app(function(page)
  page.title = "Hello, async world"
  page:add(ft.Text "Hello, async world!",
    ft.Row{{ft.Icon(ft.Icons.ADD), ft.Icon(ft.Icons.DELETE_OUTLINE),
            ft.Icon(ft.Icons.STAR_ROUNDED)}})
end)
