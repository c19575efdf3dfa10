-- The page's own scrolling: page.scroll, page:scroll_to and page.on_scroll (set only once
-- "Listen" is pressed: until then the browser sends no scroll events), and page.auto_scroll
-- ("Follow", then "Add": the page stays at its end as items come).
local ft = require "flet"

ft.app(function(page)
  page.title = "Page scroll"
  page.scroll = ft.ScrollMode.AUTO
  local status = ft.Text "ready"
  local function say(s)
    status.value = s
    page:update()
  end
  page.appbar = ft.AppBar{title = status, actions = {
    ft.TextButton{"To 60", on_click = function() page:scroll_to{key = "k60"} end},
    ft.TextButton{"To end", on_click = function() page:scroll_to{offset = -1} end},
    ft.TextButton{"Down 100", on_click = function() page:scroll_to{delta = 100} end},
    ft.TextButton{"Follow", on_click = function()
      page.auto_scroll = true
      page.controls:append(ft.Text{"item 101", size = 20})
      page:update()
    end},
    ft.TextButton{"Add", on_click = function()
      page.controls:append(ft.Text{"item " .. (#page.controls + 1), size = 20})
      page:update()
    end},
    ft.TextButton{"Listen", on_click = function()
      page.on_scroll = function(e)
        say(("scroll %s %d / %d"):format(e.event_type, e.pixels, e.max_scroll_extent))
      end
      say("listening")
    end},
  }}
  for i = 1, 100 do page.controls[i] = ft.Text{"item " .. i, key = "k" .. i, size = 20} end
  page:update()
end)
