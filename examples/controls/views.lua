-- The views family: page.views is a stack of ft.View, and only the last shows. A view that is
-- not the first has a back button, which asks the app to pop it (page.on_view_pop). This one
-- pushes and pops views without routes (examples/routing.lua has them with routes).
-- Run: build/luaflet examples/controls/views.lua
local ft = require "flet"

local function main(page)
  page.title = "Views"
  local depth = 0

  local function push()
    depth = depth + 1
    local n = depth
    page.views:append(ft.View{
      route = "/",
      appbar = n % 2 == 0 and ft.AppBar{title = ft.Text("View " .. n .. " (with an app bar)"),
                                        bgcolor = ft.Colors.SURFACE_CONTAINER_HIGHEST} or nil,
      ft.Text{"View " .. n, size = 30},
      ft.Text "The arrow at the top pops this view; the button pushes another.",
      ft.ElevatedButton{"Push a view", on_click = function() push() page:update() end},
    })
  end

  page.views:append(ft.View{
    route = "/",
    vertical_alignment = "start",
    ft.Text{"The first view", size = 30},
    ft.Text "page.views holds a stack of views; only the last one shows.",
    ft.ElevatedButton{"Push a view", on_click = function() push() page:update() end},
  })

  page.on_view_pop = function()
    if #page.views > 1 then
      page.views:pop()
      depth = depth - 1
      page:update()
    end
  end
  page:update()
end

ft.app(main)
