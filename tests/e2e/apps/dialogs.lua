-- The dialogs family: an alert dialog shown with page:open, a modal one, a snack bar, a
-- banner and a dialog shown the older way (page.banner, page.dialog), a bottom sheet
-- without on_dismiss, and a bottom app bar. Handlers write into the status text; the first
-- snack bar's into a log of its own.
local ft = require "flet"

ft.app(function(page)
  page.title = "Dialogs"
  local status = ft.Text "status: none"
  local function say(s)
    status.value = s
    page:update()
  end

  local dlg, dismissals = nil, 0
  dlg = ft.AlertDialog{title = ft.Text "Hello dialog", content = ft.Text "The body",
    actions = {ft.TextButton{"Close it", on_click = function() page:close(dlg) end}},
    on_dismiss = function(e)
      dismissals = dismissals + 1
      say(("dialog dismissed %d [%s]"):format(dismissals, e.data))
    end}
  local modal
  modal = ft.AlertDialog{modal = true, title = "Modal dialog", icon = ft.Icons.WARNING,
    actions = {ft.TextButton{"OK", on_click = function()
      page:close(modal)
      say("modal closed")
    end}}, on_dismiss = function() say("modal dismissed") end}
  -- The snack bar's events, in order, in a text of their own: pressing its action also
  -- dismisses it, so a status that each handler overwrote would show the action's word for
  -- an instant only.
  local snack_log = ft.Text "snack:"
  local function note(what)
    snack_log.value = snack_log.value .. " " .. what
    page:update()
  end
  local snack = ft.SnackBar{ft.Text "Saved it", action = "Undo", duration = 700,
    on_visible = function() note("visible") end,
    on_action = function() note("action") end,
    on_dismiss = function() note("dismiss") end}
  local snack2 = ft.SnackBar{ft.Text "Second snack", duration = 60000,
    on_dismiss = function() say("snack 2 gone") end}
  local banner
  banner = ft.Banner{content = ft.Text "Banner text", bgcolor = "amber100",
    leading = ft.Text "i",
    actions = {ft.TextButton{"Hide banner", on_click = function()
      page:close(banner)
    end}}}
  local sheet = ft.BottomSheet{ft.Container{ft.Text "Sheet body", padding = 24},
                               show_drag_handle = true}
  local old = ft.AlertDialog{title = ft.Text "Old way", actions = {ft.TextButton{"Old close",
    on_click = function(e)
      page.dialog.open = false
      page:update()
      e.control.text = "Old close"
    end}}}

  page.bottom_appbar = ft.BottomAppBar{ft.Text "bottom app bar", bgcolor = "secondaryContainer"}
  page:add(status, snack_log, ft.Row{wrap = true,
    ft.ElevatedButton{"Open dialog", on_click = function() page:open(dlg) end},
    ft.ElevatedButton{"Open modal", on_click = function() page:open(modal) end},
    ft.ElevatedButton{"Snack", on_click = function()
      snack.duration = 700
      page:open(snack)
    end},
    -- The same snack bar, up long enough for a test to press its action on a busy machine.
    ft.ElevatedButton{"Snack to act on", on_click = function()
      snack.duration = 60000
      page:open(snack)
    end},
    ft.ElevatedButton{"Snack 2", on_click = function() page:open(snack2) end},
    ft.ElevatedButton{"Banner", on_click = function()
      page.banner = banner
      banner.open = true
      page:update()
    end},
    ft.ElevatedButton{"Sheet", on_click = function() page:open(sheet) end},
    ft.ElevatedButton{"Read sheet", on_click = function()
      say("sheet open=" .. tostring(sheet.open))
    end},
    ft.ElevatedButton{"Old dialog", on_click = function()
      page.dialog = old
      old.open = true
      page:update()
    end}})
end)
