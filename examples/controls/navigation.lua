-- The navigation controls, as a Flet app uses them: an app bar with a popup menu, a
-- navigation bar, a drawer opened by the floating button, a rail, and a menu bar. What the
-- person picks shows in the middle of the page.
--
--   build/luaflet examples/controls/navigation.lua
local ft = require "flet"

local function main(page)
  page.title = "Navigation"
  local shown = ft.Text{"Pick something", style = "headlineSmall"}
  local function show(what)
    shown.value = what
    page:update()
  end

  local dense = ft.PopupMenuItem{text = "Dense", checked = false}
  dense.on_click = function()
    dense.checked = not dense.checked
    show("Dense: " .. tostring(dense.checked))
  end
  page.appbar = ft.AppBar{
    leading = ft.TextButton{"Menu", on_click = function() page:open(page.drawer) end},
    leading_width = 80,
    title = ft.Text "Navigation",
    center_title = false,
    bgcolor = ft.Colors.SURFACE_CONTAINER_HIGHEST,
    actions = {
      ft.PopupMenuButton{items = {
        ft.PopupMenuItem{text = "Refresh", icon = ft.Icons.REFRESH,
                         on_click = function() show("Refreshed") end},
        ft.PopupMenuItem(), -- a divider
        dense,
      }},
    },
  }

  page.navigation_bar = ft.NavigationBar{
    destinations = {
      ft.NavigationBarDestination{icon = ft.Icons.EXPLORE, label = "Explore"},
      ft.NavigationBarDestination{icon = ft.Icons.COMMUTE, label = "Commute"},
      ft.NavigationBarDestination{icon = ft.Icons.BOOKMARK_BORDER,
                                  selected_icon = ft.Icons.BOOKMARK, label = "Saved"},
    },
    on_change = function(e) show("Bar: destination " .. e.data) end,
  }

  page.drawer = ft.NavigationDrawer{
    on_change = function(e)
      show("Drawer: destination " .. e.control.selected_index)
      page:close(e.control)
    end,
    on_dismiss = function() show("Drawer dismissed") end,
    controls = {
      ft.Container{ft.Text{"Mail", style = "titleSmall"}, padding = 16},
      ft.NavigationDrawerDestination{icon = ft.Icons.INBOX, label = "Inbox"},
      ft.NavigationDrawerDestination{icon = ft.Icons.SEND, label = "Outbox"},
      ft.NavigationDrawerDestination{icon = ft.Icons.DELETE_OUTLINE,
                                     selected_icon = ft.Icons.DELETE, label = "Trash"},
    },
  }
  page.floating_action_button = ft.FilledButton{"Drawer", icon = ft.Icons.MENU,
    on_click = function() page:open(page.drawer) end}

  local rail
  rail = ft.NavigationRail{
    selected_index = 0,
    label_type = "all",
    min_width = 100,
    group_alignment = -0.9,
    leading = ft.TextButton{"Wide", on_click = function()
      rail.extended = not rail.extended
      page:update()
    end},
    destinations = {
      ft.NavigationRailDestination{icon = ft.Icons.FAVORITE_BORDER,
                                   selected_icon = ft.Icons.FAVORITE, label = "First"},
      ft.NavigationRailDestination{icon = ft.Icons.BOOKMARK_BORDER,
                                   selected_icon = ft.Icons.BOOKMARK, label = "Second"},
      ft.NavigationRailDestination{icon = ft.Icons.TUNE,
                                   selected_icon = ft.Icons.SETTINGS, label = "Settings"},
    },
    on_change = function(e) show("Rail: destination " .. e.data) end,
  }

  local menubar = ft.MenuBar{
    ft.SubmenuButton{content = ft.Text "File", controls = {
      ft.MenuItemButton{content = ft.Text "New", on_click = function() show("File > New") end},
      ft.MenuItemButton{content = ft.Text "Open", on_click = function() show("File > Open") end},
      ft.SubmenuButton{content = ft.Text "Recent", controls = {
        ft.MenuItemButton{content = ft.Text "notes.lua",
                          on_click = function() show("File > Recent > notes.lua") end},
      }},
    }},
    ft.SubmenuButton{content = ft.Text "Help", controls = {
      ft.MenuItemButton{content = ft.Text "About", on_click = function() show("Help > About") end},
    }},
  }

  page:add(menubar, ft.Row{rail, ft.Column{shown}, expand = true,
                           vertical_alignment = "start"})
end

ft.app(main)
