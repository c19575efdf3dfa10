-- Overlays, as a Flet app opens them: a dialog that Escape or a click outside dismisses, a
-- modal one that only its buttons close, a snack bar with an action, a banner, a bottom
-- sheet, a date and a time picker, and a navigation drawer. Each is shown with page:open and
-- hidden with page:close; one the person dismisses tells the app (on_dismiss), and can be
-- opened again at once.
--
--   build/luaflet examples/dialogs.lua
local ft = require "flet"

local function main(page)
  page.title = "Dialogs, sheets and snack bars"
  page.padding = 20

  local status = ft.Text{"Nothing yet", size = 16, italic = true}
  local function tell(text)
    status.value = text
    page:update()
  end

  -- Dismissible: Escape or a click on the scrim closes it, and on_dismiss hears it.
  local hello = ft.AlertDialog{
    title = ft.Text "Hello there",
    content = ft.Text "Press Escape or click outside this dialog to close it.",
    on_dismiss = function() tell("The greeting was dismissed") end,
  }

  -- Modal: it stays until one of its buttons closes it.
  local confirm
  local function answer(text)
    return function()
      page:close(confirm)
      tell(text)
    end
  end
  confirm = ft.AlertDialog{
    modal = true,
    icon = ft.Icon(ft.Icons.DELETE_OUTLINE),
    title = ft.Text "Delete the draft?",
    content = ft.Text "The draft and its attachments go for good.",
    actions = {ft.TextButton{"Delete", on_click = answer("The draft was deleted")},
               ft.TextButton{"Keep", on_click = answer("The draft was kept")}},
    actions_alignment = ft.MainAxisAlignment.END,
  }

  -- A snack bar goes by itself after its duration; its action undoes what it reports.
  local archived = 0
  local snack = ft.SnackBar{ft.Text "", action = "Undo", duration = 5000,
    on_action = function()
      archived = archived - 1
      tell(("Undone: %d message(s) archived"):format(archived))
    end}
  local function archive()
    archived = archived + 1
    snack.content.value = ("Message %d archived"):format(archived)
    page:open(snack)
    tell(("%d message(s) archived"):format(archived))
  end

  -- A banner stays until the app closes it, from one of its actions here.
  local banner
  local function banner_action(text)
    return function()
      page:close(banner)
      tell(text)
    end
  end
  banner = ft.Banner{
    bgcolor = ft.Colors.AMBER_100,
    leading = ft.Icon{ft.Icons.WARNING_AMBER_ROUNDED, color = ft.Colors.AMBER, size = 40},
    content = ft.Text "The last sync failed: some messages may be missing.",
    actions = {ft.TextButton{"Retry", on_click = banner_action("Syncing again")},
               ft.TextButton{"Ignore", on_click = banner_action("Sync error ignored")}},
  }

  -- A bottom sheet rises over a scrim; a click outside dismisses it.
  local sheet
  local function share(where)
    return function()
      page:close(sheet)
      tell("Shared by " .. where)
    end
  end
  sheet = ft.BottomSheet{
    ft.Container{ft.Column{
      ft.Text{"Share this page", style = ft.TextThemeStyle.TITLE_MEDIUM},
      ft.Row{ft.OutlinedButton{"Email", on_click = share("email")},
             ft.OutlinedButton{"Link", on_click = share("link")}},
    }, padding = 24},
    show_drag_handle = true,
    on_dismiss = function() tell("Not shared") end,
  }

  -- The pickers open as dialogs; picking sets their value, and closes them.
  local date = ft.DatePicker{first_date = "2024-01-01", last_date = "2030-12-31",
    on_change = function(e) tell("Date picked: " .. e.control.value:sub(1, 10)) end,
    on_dismiss = function() tell("No date picked") end}
  local time = ft.TimePicker{
    on_change = function(e) tell("Time picked: " .. e.control.value) end,
    on_dismiss = function() tell("No time picked") end}

  -- page:open(drawer) makes it the page's drawer and slides it in.
  local drawer = ft.NavigationDrawer{
    ft.NavigationDrawerDestination{icon = ft.Icons.INBOX, label = "Inbox"},
    ft.NavigationDrawerDestination{icon = ft.Icons.ARCHIVE_OUTLINED, label = "Archive"},
    on_change = function(e)
      page:close(e.control)
      tell("Went to " .. ({"Inbox", "Archive"})[e.control.selected_index + 1])
    end,
  }

  local function opens(c)
    return function() page:open(c) end
  end
  page:add(
    ft.Text{"Overlays", style = ft.TextThemeStyle.HEADLINE_SMALL},
    ft.Row({
      ft.ElevatedButton{"Say hello", on_click = opens(hello)},
      ft.ElevatedButton{"Delete draft", on_click = opens(confirm)},
      ft.ElevatedButton{"Archive", on_click = archive},
      ft.ElevatedButton{"Sync error", on_click = opens(banner)},
    }, {wrap = true}),
    ft.Row({
      ft.ElevatedButton{"Share", on_click = opens(sheet)},
      ft.ElevatedButton{"Pick a date", icon = ft.Icons.CALENDAR_MONTH, on_click = opens(date)},
      ft.ElevatedButton{"Pick a time", icon = ft.Icons.SCHEDULE, on_click = opens(time)},
      ft.ElevatedButton{"Menu", icon = ft.Icons.MENU, on_click = opens(drawer)},
    }, {wrap = true}),
    status)
end

ft.app(main)
