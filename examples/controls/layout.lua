-- The layout family, as a Flet user writes it: a list and a grid of 10,000 that scroll
-- smoothly (only what is in view is drawn) and jump where the buttons say, a Stack, a
-- ResponsiveRow, dividers, cards, an expansion tile, tabs, a pagelet and a data table.
-- Run: build/luaflet examples/controls/layout.lua
local ft = require "flet"

local function main(page)
  page.title = "Layout"
  page.scroll = "auto"
  local status = ft.Text "Pick something."
  local function say(text)
    status.value = text
    page:update()
  end

  -- ListView and GridView: 10,000 children each.
  local lv = ft.ListView{height = 240, spacing = 8, divider_thickness = 1,
                         on_scroll = function(e)
                           if e.data:find('"t":"end"', 1, true) then say("list scrolled") end
                         end}
  for i = 1, 10000 do lv.controls[i] = ft.Text{"Line " .. i, key = "line" .. i} end
  local grid = ft.GridView{height = 240, max_extent = 120, child_aspect_ratio = 1.5,
                           spacing = 6, run_spacing = 6}
  for i = 1, 10000 do
    grid.controls[i] = ft.Container{ft.Text("Tile " .. i), bgcolor = ft.Colors.AMBER_100,
                                    alignment = ft.alignment.center, border_radius = 8}
  end

  page:add(
    status,
    ft.Row{wrap = true, controls = {
      ft.OutlinedButton{"Line 5000", on_click = function() lv:scroll_to{key = "line5000", duration = 500} end},
      ft.OutlinedButton{"End", on_click = function() lv:scroll_to{offset = -1} end},
      ft.OutlinedButton{"Start", on_click = function() lv:scroll_to{offset = 0, duration = 300} end},
      ft.OutlinedButton{"Down 500", on_click = function() lv:scroll_to{delta = 500} end}}},
    ft.Row{controls = {ft.Container{lv, expand = 1}, ft.Container{grid, expand = 1}}},

    ft.Stack{width = 240, height = 120, controls = {
      ft.Container{width = 240, height = 120, bgcolor = ft.Colors.BLUE_100, border_radius = 12},
      ft.Container{ft.Text "top left", left = 8, top = 8},
      ft.Container{ft.Text "bottom right", right = 8, bottom = 8}}},

    ft.ResponsiveRow{controls = {
      ft.Container{ft.Text "col sm=6 md=4", col = {sm = 6, md = 4}, padding = 8, bgcolor = ft.Colors.GREEN_100},
      ft.Container{ft.Text "col sm=6 md=4", col = {sm = 6, md = 4}, padding = 8, bgcolor = ft.Colors.GREEN_200},
      ft.Container{ft.Text "col md=4", col = {md = 4}, padding = 8, bgcolor = ft.Colors.GREEN_300}}},

    ft.Divider{thickness = 1},
    ft.Row{height = 40, controls = {ft.Text "left", ft.VerticalDivider{}, ft.Text "right"}},

    ft.Row{wrap = true, controls = {
      ft.Card{content = ft.Container{ft.Text "Elevated card", padding = 16}},
      ft.Card{variant = "filled", content = ft.Container{ft.Text "Filled card", padding = 16}},
      ft.Card{variant = "outlined", content = ft.Container{ft.Text "Outlined card", padding = 16}}}},

    ft.ExpansionTile{title = ft.Text "Details", subtitle = ft.Text "Tap to open",
      controls = {ft.Text "Hidden until opened."},
      on_change = function(e) say("tile expanded: " .. e.data) end},

    ft.Tabs{selected_index = 0, height = 100, tabs = {
      ft.Tab{text = "Home", icon = ft.Icons.HOME, content = ft.Text "Home content"},
      ft.Tab{text = "Settings", icon = ft.Icons.SETTINGS, content = ft.Text "Settings content"}},
      on_change = function(e) say("tab " .. e.data) end},

    ft.Pagelet{height = 180, width = 320,
      appbar = ft.Container{ft.Text "Pagelet", bgcolor = ft.Colors.BLUE_100, padding = 12},
      content = ft.Container{ft.Text "Its content", padding = 12},
      floating_action_button = ft.FilledButton{"+"}})

  local function row(name, age)
    return ft.DataRow{cells = {ft.DataCell(ft.Text(name)), ft.DataCell(ft.Text(tostring(age)))},
      on_select_changed = function(e)
        e.control.selected = e.data == "true"
        page:update()
      end}
  end
  local table_ = ft.DataTable{show_checkbox_column = true, sort_column_index = 1,
    sort_ascending = true,
    columns = {ft.DataColumn(ft.Text "Name"),
               ft.DataColumn{label = ft.Text "Age", numeric = true}},
    rows = {row("Ada", 36), row("Alan", 41), row("Grace", 85)}}
  table_.columns[2].on_sort = function(e)
    table_.sort_ascending = not table_.sort_ascending
    say("sort " .. e.data)
  end
  table_.on_select_all = function(e)
    for _, r in ipairs(table_.rows) do r.selected = e.data == "true" end
    page:update()
  end
  page:add(table_)
end

ft.app(main)
