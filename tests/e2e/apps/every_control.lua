-- For the Content-Security-Policy test: every control type the client draws, each with the
-- props that style it, a control type the client does not know, and buttons that change
-- those props (and add a second text field) after the page is up, so that both the first
-- render and patches run.
local ft = require "flet"
local control = require "flet.control"

local Gauge = control.class("Gauge", {type = "gauge"})

local Badge = ft.UserControl:extend("Badge")
function Badge:init(label) self.label = label end
function Badge:build()
  return ft.Container{ft.Text(self.label), padding = 4, bgcolor = "amber100", border_radius = 4}
end

local function main(page)
  page.title = "Every control"
  page.padding = 16
  page.spacing = 12
  page.scroll = "auto"

  local echo = ft.Text{"typed: ", selectable = true, max_lines = 2, tooltip = "what was typed"}
  local heading = ft.Text{"Every control", style = "headlineSmall", color = "primary",
                          weight = "bold", italic = true, text_align = "center"}
  local field = ft.TextField{label = "Name", hint_text = "type here",
    on_change = function(e)
      echo.value = "typed: " .. e.data
      echo:update_async()
    end,
    on_submit = function(e) page:add_async(ft.Text("submitted: " .. e.data)) end}
  local box = ft.Container{ft.Text "boxed", padding = {left = 8, top = 4, right = 8, bottom = 4},
    margin = 2, bgcolor = "blue50", border = {width = 1, color = "outline"}, border_radius = 8,
    alignment = "center", width = 160, height = 48, on_click = function() end}
  local row = ft.Row{spacing = 8, run_spacing = 4, wrap = true, vertical_alignment = "center",
    ft.ElevatedButton{"Elevated", icon = "add", color = "white", bgcolor = "green700",
                      on_click = function() end},
    ft.FilledButton{"Filled", icon_color = "yellow"},
    ft.OutlinedButton{"Outlined", bgcolor = "pink50"},
    ft.TextButton{"Text", disabled = true}}
  local column = ft.Column{spacing = 6, alignment = "start", horizontal_alignment = "stretch",
                           scroll = "auto", height = 140, expand = 1, opacity = 0.9,
                           heading, box, Badge "user control", Gauge{},
    ft.Stack{width = 60, height = 30, ft.Text "s", ft.Text{"t", right = 0, bottom = 0}},
    ft.ListView{height = 40, spacing = 4, divider_thickness = 1, ft.Text "l1", ft.Text "l2"},
    ft.GridView{height = 40, runs_count = 2, ft.Text "g1", ft.Text "g2"},
    ft.ResponsiveRow{ft.Text{"r", col = {sm = 6}}, ft.Text{"r2", col = 6}},
    ft.SafeArea{ft.Text "safe"},
    ft.Divider{thickness = 2, color = "red", leading_indent = 4},
    ft.Row{height = 20, ft.Text "a", ft.VerticalDivider{}, ft.Text "b"},
    ft.Card{ft.Text "card", elevation = 3, shadow_color = "black"},
    ft.ExpansionTile{title = "tile", initially_expanded = true, ft.Text "in tile"},
    ft.Tabs{tabs = {ft.Tab{text = "t1", icon = "star", content = ft.Text "c1"}, ft.Tab "t2"}},
    ft.Pagelet{height = 60, appbar = ft.Text "bar", content = ft.Text "body"},
    ft.DataTable{show_checkbox_column = true, columns = {ft.DataColumn "c", ft.DataColumn "n"},
                 rows = {ft.DataRow{ft.DataCell(ft.Text "x"), ft.DataCell(ft.Text "1")}}},
    ft.GestureDetector{mouse_cursor = "click", ft.Text "gesture", on_tap = function() end},
    ft.Draggable{ft.Text "drag"},
    ft.DragTarget{ft.Text "target"},
    ft.FilledTonalButton{"Tonal", icon = "check"},
    ft.Text{"spans: ", spans = {ft.TextSpan{"bold", style = {weight = "bold"}}}},
    ft.Icon{"favorite_rounded", color = "red", size = 20},
    ft.IconButton{icon = "favorite_border", selected_icon = "favorite", selected = true},
    ft.FilledIconButton{icon = "settings"},
    ft.FilledTonalIconButton{icon = "settings_outlined"},
    ft.OutlinedIconButton{icon = "settings_sharp"},
    ft.FloatingActionButton{icon = "add", text = "FAB", bgcolor = "amber100"},
    ft.Chip{label = "Chip", selected = true, on_select = print, on_delete = print},
    ft.Image{src_base64 = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", fit = "cover"},
    ft.CircleAvatar{content = ft.Text "AB", bgcolor = "teal100", radius = 16},
    ft.ProgressBar{value = 0.3, color = "green", bgcolor = "green100"},
    ft.ProgressRing{stroke_width = 2},
    ft.ListTile{title = "Tile", subtitle = "sub", leading = ft.Icon "person", selected = true},
    ft.Tooltip{message = "tip", content = ft.Text "tooltip", bgcolor = "black"},
    ft.Markdown{value = "**md** [link](https://example.com) <b>raw</b>"}}
  local corner = ft.Text{"corner", right = 8, bottom = 8, bgcolor = "black12"}

  local restyled = false
  local restyle = ft.FilledButton{"Restyle", on_click = function()
    restyled = not restyled
    page.theme_mode = restyled and "dark" or "light"
    page.bgcolor = restyled and "surfaceVariant" or nil
    heading.size = restyled and 30 or nil
    heading.color = restyled and "red,0.5" or "primary"
    box.bgcolor = restyled and "teal100" or "blue50"
    box.border = restyled and {left = {width = 2, color = "red"}} or {width = 1}
    box.alignment = restyled and {x = 1, y = -1} or "center"
    row.controls[1].bgcolor = restyled and "deepOrange400" or "green700"
    row.controls[3].bgcolor = restyled and "lime100" or "pink50"
    field.password = restyled
    field.label = restyled and "Secret" or "Name"
    column.controls[#column.controls + 1] = ft.TextField{label = "added " .. #column.controls}
    page:update_async()
    page:add_async(ft.Text(restyled and "restyled" or "plain"))
  end}

  page.overlay[#page.overlay + 1] = corner
  -- The navigation and dialogs families (dialogs closed, so the page stays usable).
  page.appbar = ft.AppBar{leading = ft.Text "L", title = "App bar", center_title = true,
    bgcolor = "primaryContainer", color = "primary", toolbar_height = 48, elevation = 2,
    leading_width = 40, actions = {ft.PopupMenuButton{icon_color = "red", bgcolor = "white",
      items = {ft.PopupMenuItem{text = "Item", icon = "add", checked = true, height = 40},
               ft.PopupMenuItem{}}}}}
  page.navigation_bar = ft.NavigationBar{selected_index = 1, indicator_color = "amber100",
    label_behavior = "onlyShowSelected", bgcolor = "blue50",
    destinations = {ft.NavigationBarDestination{label = "A", icon = "home"},
      ft.NavigationBarDestination{label = "B", icon = "star", selected_icon = "star_rate"}}}
  page.bottom_appbar = ft.BottomAppBar{ft.Text "bottom", bgcolor = "blue50", padding = 8,
                                       elevation = 0}
  page.drawer = ft.NavigationDrawer{selected_index = 0, bgcolor = "white",
    indicator_color = "amber100",
    ft.NavigationDrawerDestination{label = "Inbox", icon = "inbox", selected_icon = "mail"}}
  page.floating_action_button = ft.FilledButton "FAB"
  page.floating_action_button_location = "centerDocked"
  column.controls[#column.controls + 1] = ft.NavigationRail{selected_index = 0, extended = true,
    label_type = "all", min_width = 60, group_alignment = 0, height = 120,
    leading = ft.Text "rail",
    destinations = {ft.NavigationRailDestination{label = "One", icon = "looks_one", padding = 4}}}
  column.controls[#column.controls + 1] = ft.MenuBar{ft.SubmenuButton{content = "Menu",
    leading = ft.Text ">",
    ft.MenuItemButton{content = ft.Text "Item", trailing = ft.Text "^O", close_on_click = false}}}
  page.overlay[#page.overlay + 1] = ft.AlertDialog{title = "Dialog", content = "text",
    icon = ft.Text "!", actions = {ft.TextButton "OK"}, actions_alignment = "center",
    bgcolor = "white", barrier_color = "black12", title_padding = 8, content_padding = 8,
    actions_padding = 8, modal = true}
  page.overlay[#page.overlay + 1] = ft.SnackBar{ft.Text "snack", action = "Undo",
    action_color = "yellow", show_close_icon = true, close_icon_color = "white",
    behavior = "floating", bgcolor = "black", duration = 1000}
  page.banner = ft.Banner{content = ft.Text "banner", leading = ft.Text "i",
    actions = {ft.TextButton "Hide"}, bgcolor = "amber50", force_actions_below = true,
    divider_color = "red", content_padding = 4, leading_padding = 4}
  page.bottom_sheet = ft.BottomSheet{ft.Text "sheet", show_drag_handle = true,
    dismissible = false, bgcolor = "white", is_scroll_controlled = true}
  -- A view shows only in page.views; here it is only rendered, hidden.
  local view = ft.View{route = "/hidden", visible = false, ft.Text "in a view"}
  page:add_async(restyle, field, echo, row, column, view)
  page.overlay[#page.overlay + 1] = ft.DatePicker{value = "2024-01-02", first_date = "2020-01-01",
    help_text = "When?"}
  page.overlay[#page.overlay + 1] = ft.TimePicker{value = "10:20", confirm_text = "Done"}
  page.overlay[#page.overlay + 1] = ft.FilePicker{}
  -- The inputs, side by side in one scrolling row, so that the column above keeps its room.
  page:add_async(ft.Row{scroll = "auto", vertical_alignment = "start",
    ft.TextField{label = "Multi", multiline = true, min_lines = 2, prefix_icon = "search",
      suffix_text = "kg", helper_text = "help", filled = true, max_length = 20},
    ft.TextField{label = "Secret", password = true, can_reveal_password = true,
      prefix = ft.Text "$", border = "underline", error_text = "wrong", text_align = "right", color = "blue"},
    ft.Checkbox{label = "Check", value = true, check_color = "white", fill_color = "green",
      label_position = "left"},
    ft.Switch{label = "Switch", value = true, active_color = "red", track_color = "pink100"},
    ft.RadioGroup{value = "a", content = ft.Row{ft.Radio{value = "a", label = "A", active_color = "red"},
      ft.Radio{value = "b", label = "B"}}},
    ft.Slider{value = 0.3, label = "{value}", divisions = 10, active_color = "green",
      thumb_color = "red", width = 200},
    ft.RangeSlider{start_value = 0.2, end_value = 0.7, inactive_color = "grey", width = 200},
    ft.Dropdown{label = "Pick", value = "x", border_color = "red", width = 160,
      options = {ft.dropdown.Option("x"), ft.dropdown.Option{key = "y", text = "Why"}}},
    ft.SegmentedButton{selected = {"1"}, segments = {
      ft.Segment{value = "1", label = ft.Text "One", icon = "star"}, ft.Segment{value = "2", label = "Two"}}},
    ft.SearchBar{bar_hint_text = "Search", bar_bgcolor = "amber50", controls = {ft.Text "suggestion"}},
  })
end

ft.app(main)
