-- The navigation family in a page's chrome: an app bar with a popup menu, a navigation bar,
-- a floating button that opens the drawer, a rail without on_change, and a menu bar. Each
-- handler writes what it got into the status text the browser test waits for.
local ft = require "flet"

ft.app(function(page)
  page.title = "Navigation"
  local status = ft.Text "status: none"
  local function say(s)
    status.value = s
    page:update()
  end

  local bold = ft.PopupMenuItem{text = "Bold", checked = false,
    on_click = function(e) say("bold " .. e.data) end}
  local popup = ft.PopupMenuButton{
    items = {ft.PopupMenuItem{text = "Copy", icon = "content_copy"}, ft.PopupMenuItem{}, bold},
    on_open = function() say("popup open") end,
    on_cancel = function() say("popup cancelled") end,
    on_select = function(e)
      -- e.data is the picked item's id, as in Flet.
      local ok = e.data == tostring(bold._id)
      bold.checked = ok and not bold.checked or bold.checked
      status.value = status.value .. (ok and ", picked Bold" or ", picked " .. e.data)
      page:update()
    end}
  page.appbar = ft.AppBar{title = ft.Text "Nav app", center_title = true,
                          bgcolor = "primaryContainer", actions = {popup}}

  page.navigation_bar = ft.NavigationBar{
    destinations = {ft.NavigationBarDestination{label = "Explore", icon = "explore"},
                    ft.NavigationBarDestination{label = "Commute", icon = "commute",
                                                selected_icon = "directions_car"},
                    ft.NavigationBarDestination{label = "Saved", icon = "bookmark_border"}},
    on_change = function(e) say("bar " .. e.data) end}

  local drawer = ft.NavigationDrawer{
    controls = {ft.NavigationDrawerDestination{label = "Inbox", icon = "inbox"},
                ft.Container{ft.Text "a divider", padding = 8},
                ft.NavigationDrawerDestination{label = "Sent", icon = "send"}},
    on_change = function(e) say("drawer " .. e.data) end,
    on_dismiss = function(e) say("drawer dismissed [" .. e.data .. "]") end}
  page.drawer = drawer
  page.floating_action_button = ft.FilledButton{"Menu", on_click = function() page:open(drawer) end}

  local rail = ft.NavigationRail{selected_index = 0, label_type = "all", height = 260,
    destinations = {ft.NavigationRailDestination{label = "First", icon = "looks_one"},
                    ft.NavigationRailDestination{label = "Second", icon = "looks_two"},
                    ft.NavigationRailDestination{label = "Third", icon = "looks_3"}}}

  local menubar = ft.MenuBar{
    ft.SubmenuButton{content = ft.Text "File", on_open = function() say("opened File") end,
      on_close = function() say("closed File") end,
      controls = {
        ft.MenuItemButton{content = ft.Text "Open", on_click = function() say("clicked Open") end},
        ft.SubmenuButton{content = ft.Text "Recent", controls = {
          ft.MenuItemButton{content = ft.Text "notes.txt",
                            on_click = function() say("clicked notes.txt") end}}}}},
    ft.SubmenuButton{content = ft.Text "Edit", on_open = function() say("opened Edit") end,
      controls = {ft.MenuItemButton{content = ft.Text "Undo"}}}}

  page:add(menubar, status, ft.Row{rail, ft.ElevatedButton{"Read rail", on_click = function()
    say("rail " .. tostring(rail.selected_index))
  end}})
end)
