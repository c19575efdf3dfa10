-- The dialogs, as a Flet 0.25 app shows them: page:open(c) and page:close(c), and one the
-- older way (page.banner, c.open = true). Dismiss them with Escape or a click outside.
--
--   build/luaflet examples/controls/dialogs.lua
local ft = require "flet"

local function main(page)
  page.title = "Dialogs"
  local log = ft.Text "Nothing yet"
  local function say(what)
    log.value = what
    page:update()
  end

  local dlg = ft.AlertDialog{
    title = ft.Text "Hello",
    content = ft.Text "You can dismiss this dialog with Escape or a click outside it.",
    on_dismiss = function() say("Dialog dismissed") end,
  }

  local confirm
  confirm = ft.AlertDialog{
    modal = true,
    title = ft.Text "Please confirm",
    content = ft.Text "Do you really want to delete all those files?",
    actions = {
      ft.TextButton{"Yes", on_click = function()
        page:close(confirm)
        say("Deleted (not really)")
      end},
      ft.TextButton{"No", on_click = function()
        page:close(confirm)
        say("Kept")
      end},
    },
    actions_alignment = "end",
  }

  local count = 0
  local snack = ft.SnackBar{ft.Text "Item archived", action = "Undo",
    on_action = function() say("Undone") end}

  local banner
  banner = ft.Banner{
    bgcolor = ft.Colors.AMBER_100,
    leading = ft.Text "!",
    content = ft.Text "Oops, there were some errors while trying to delete the file.",
    actions = {
      ft.TextButton{"Retry", on_click = function() page:close(banner) end},
      ft.TextButton{"Ignore", on_click = function() page:close(banner) end},
    },
  }

  local sheet
  sheet = ft.BottomSheet{
    ft.Container{ft.Column{
      ft.Text{"This is a bottom sheet", style = "titleMedium"},
      ft.ElevatedButton{"Close", on_click = function() page:close(sheet) end},
    }, padding = 24},
    show_drag_handle = true,
    on_dismiss = function() say("Sheet dismissed") end,
  }

  page:add(
    ft.ElevatedButton{"Open dialog", on_click = function() page:open(dlg) end},
    ft.ElevatedButton{"Open modal dialog", on_click = function() page:open(confirm) end},
    ft.ElevatedButton{"Show snack bar", on_click = function()
      count = count + 1
      snack.content.value = ("Item %d archived"):format(count)
      page:open(snack)
    end},
    ft.ElevatedButton{"Show banner (the older way)", on_click = function()
      page.banner = banner
      banner.open = true
      page:update()
    end},
    ft.ElevatedButton{"Show bottom sheet", on_click = function() page:open(sheet) end},
    log)
end

ft.app(main)
