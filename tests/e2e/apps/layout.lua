-- The layout family in one page: lists of 10,000 (virtualized, scrolled to from the host),
-- Stack, ResponsiveRow, dividers, Card, ExpansionTile, Tabs, Pagelet, DataTable, and the
-- layout rules of Flutter for Row and Column. Each handler writes e.data into `log`.
local ft = require "flet"

ft.app(function(page)
  page.scroll = "auto"
  local log = ft.Text "log: none"
  local function say(what)
    log.value = "log: " .. what
    page:update()
  end

  local items = {}
  for i = 0, 9999 do items[#items + 1] = ft.Text{"item " .. i, key = "k" .. i} end
  local lv = ft.ListView{controls = items, height = 300, width = 400, spacing = 10,
                         divider_thickness = 1,
                         on_scroll = function(e)
                           if e.data:find('"t":"end"', 1, true) then say("scroll end") end
                         end}
  local tiles = {}
  for i = 0, 9999 do tiles[#tiles + 1] = ft.Container{ft.Text("tile " .. i), bgcolor = "amber100"} end
  local grid = ft.GridView{controls = tiles, height = 300, width = 500, runs_count = 5,
                           spacing = 5, run_spacing = 5, child_aspect_ratio = 2}
  local late = ft.ListView{height = 200, width = 300, item_extent = 20}
  local uneven = {}
  for i = 0, 9999 do uneven[#uneven + 1] = ft.Text("u" .. i .. ("\nmore"):rep(i % 4)) end
  local tall = ft.ListView{controls = uneven, height = 300, width = 200, tooltip = "uneven"}
  local backwards = {}
  for i = 0, 99 do backwards[#backwards + 1] = ft.Text("r" .. i) end
  local reversed = ft.ListView{controls = backwards, reverse = true, height = 100, width = 150,
                               item_extent = 20, tooltip = "reversed"}
  local chat = ft.ListView{height = 60, width = 200, item_extent = 20, auto_scroll = true}

  page:add(log,
    ft.Row{ft.ElevatedButton{"to key 5000", on_click = function() lv:scroll_to{key = "k5000"} end},
           ft.ElevatedButton{"to end", on_click = function() lv:scroll_to{offset = -1} end},
           ft.ElevatedButton{"down 100", on_click = function() lv:scroll_to{delta = 100} end},
           ft.ElevatedButton{"grid to 9000", on_click = function() grid:scroll_to{key = 9000} end},
           ft.ElevatedButton{"add 10000", on_click = function()
             local t = {}
             for i = 0, 9999 do t[#t + 1] = ft.Text("late " .. i) end
             late.controls = t
             late:update()
           end},
           ft.ElevatedButton{"say more", on_click = function()
             for _ = 1, 5 do chat.controls[#chat.controls + 1] = ft.Text("said " .. #chat.controls) end
             chat:update()
           end}},
    lv, grid, late, chat, tall, reversed)
  for i, c in ipairs(grid.controls) do c.key = i - 1 end

  -- Flutter's layout rules.
  page:add(
    ft.Column{tooltip = "rules", width = 400, controls = {
      ft.Row{tooltip = "fill", controls = {ft.Text "a row fills"}},
      ft.Row{tooltip = "tight", tight = true, controls = {ft.Text "a tight row"}},
      ft.Row{tooltip = "weights", width = 310, spacing = 10, controls = {
        ft.Container{tooltip = "w1", expand = 1, height = 10, bgcolor = "red"},
        ft.Container{tooltip = "w2", expand = 2, height = 10, bgcolor = "blue"}}},
      ft.Row{tooltip = "wrap", wrap = true, width = 100, spacing = 10, run_spacing = 20, controls = {
        ft.Container{width = 60, height = 10, bgcolor = "red"},
        ft.Container{width = 60, height = 10, bgcolor = "blue"}}},
      ft.Card{ft.Row{ft.Text "row in a card"}},
    }},
    ft.Column{tooltip = "stretchcol", width = 300, horizontal_alignment = "stretch",
              controls = {ft.Container{ft.Text "stretched", bgcolor = "green100"}}},
    ft.Column{tooltip = "startcol", width = 300,
              controls = {ft.Container{ft.Text "at start", bgcolor = "green100"}}})

  page:add(
    ft.Stack{width = 200, height = 100, controls = {
      ft.Container{width = 200, height = 100, bgcolor = "blue100"},
      ft.Container{ft.Text "corner", right = 0, bottom = 0, bgcolor = "red100"}}},
    ft.ResponsiveRow{controls = {
      ft.Container{ft.Text "half", col = {sm = 6}, bgcolor = "yellow100"},
      ft.Container{ft.Text "third", col = {sm = 4, xl = 6}, bgcolor = "yellow200"},
      ft.Container{ft.Text "hidden", col = 0}}},
    ft.Divider{thickness = 2, color = "red"},
    ft.Row{height = 40, controls = {ft.Text "left", ft.VerticalDivider{width = 20}, ft.Text "right"}},
    ft.Card{content = ft.Container{ft.Text "elevated card", padding = 16}},
    ft.Card{variant = "outlined", content = ft.Container{ft.Text "outlined card", padding = 16}},
    ft.ExpansionTile{title = ft.Text "More", subtitle = ft.Text "opens",
      controls = {ft.Text "inside the tile"},
      on_change = function(e) say("tile " .. e.data) end},
    ft.Tabs{selected_index = 0, height = 120, tabs = {
      ft.Tab{text = "One", content = ft.Text "first tab body"},
      ft.Tab{text = "Two", icon = "star", content = ft.Text "second tab body"},
      ft.Tab{tab_content = ft.Text "Three", content = ft.Text "third tab body"}},
      on_change = function(e) say("tab " .. e.data) end},
    ft.ListView{horizontal = true, height = 40, width = 300, spacing = 10,
                controls = (function()
                  local t = {}
                  for i = 1, 100 do t[i] = ft.Text("h" .. i) end
                  return t
                end)()},
    ft.ElevatedButton{"open drawer", on_click = function()
      -- The Pagelet is the page's last control but one (the DataTable is last).
      page.controls[#page.controls - 1]:show_drawer(ft.Container{ft.Text "drawer body", padding = 12})
    end},
    ft.Pagelet{height = 200, width = 300,
      appbar = ft.Container{ft.Text "pagelet bar", bgcolor = "blue100", height = 40},
      content = ft.Text "pagelet body",
      floating_action_button = ft.ElevatedButton "fab"},
    ft.DataTable{show_checkbox_column = true, sort_column_index = 1, sort_ascending = true,
      on_select_all = function(e) say("all " .. e.data) end,
      columns = {ft.DataColumn(ft.Text "Name"),
                 ft.DataColumn{label = ft.Text "Age", numeric = true,
                               on_sort = function(e) say("sort " .. e.data) end}},
      rows = {
        ft.DataRow{cells = {ft.DataCell(ft.Text "Ada"), ft.DataCell(ft.Text "36")},
                   on_select_changed = function(e)
                     e.control.selected = e.data == "true"
                     say("row " .. e.data)
                   end},
        ft.DataRow{selected = true, cells = {
          ft.DataCell{ft.Text "Alan", on_tap = function() say("cell tap") end},
          ft.DataCell(ft.Text "41")}}}})
end)
