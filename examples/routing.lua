-- Routes and views, as Flet's routing guide: a home view, a store view pushed on top of it,
-- and a book view matched by a template route. The browser's back and forward buttons, a
-- deep link (http://127.0.0.1:8550/store) and a reload on a route all work. With
-- `--route-url-strategy hash` (or ft.app{route_url_strategy = "hash"}) the route is in the
-- address's fragment instead: http://127.0.0.1:8550/#/store.
local ft = require "flet"

ft.app(function(page)
  page.title = "Routes example"

  local function route_change()
    page.views:clear()
    page.views:append(ft.View{route = "/", ft.Text{"Home", size = 30},
      ft.ElevatedButton{"Visit store", on_click = function() page:go("/store") end},
      ft.TextButton{"Read book 42", on_click = function() page:go("/books/42") end}})
    local t = ft.TemplateRoute(page.route)
    if page.route == "/store" then
      page.views:append(ft.View{route = "/store", ft.Text{"Store", size = 30},
        ft.ElevatedButton{"Go home", on_click = function() page:go("/") end}})
    elseif t:match("/books/:id") then
      page.views:append(ft.View{route = page.route, ft.Text{"Book " .. t.id, size = 30}})
    end
    page:update()
  end

  -- The back button of a view pops it: the view under it shows, and its route is the page's.
  local function view_pop()
    page.views:pop()
    page:go(page.views[#page.views].route)
  end

  page.on_route_change = route_change
  page.on_view_pop = view_pop
  page:go(page.route)
end)
