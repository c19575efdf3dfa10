-- The page-weight benchmark's second page: hello_async's content and three icons.
local ft = require "flet"

ft.app(function(page)
  page:add(ft.Text "Hello, three icons",
    ft.ElevatedButton{"Add", icon = ft.Icons.ADD},
    ft.ElevatedButton{"Delete", icon = ft.Icons.DELETE_OUTLINE},
    ft.ElevatedButton{"Star", icon = ft.Icons.STAR_ROUNDED})
end)
