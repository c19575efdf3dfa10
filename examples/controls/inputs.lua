-- The Inputs family, written as a Flet app would be: every control, each showing what it
-- reports. Run it with `./build/luaflet examples/controls/inputs.lua`.
local ft = require "flet"

local function main(page)
  page.title = "Inputs"
  page.scroll = ft.ScrollMode.AUTO
  page.padding = 20

  local status = ft.Text{"Change something", style = ft.TextThemeStyle.TITLE_MEDIUM}
  local function report(what)
    return function(e)
      status.value = ("%s: %s"):format(what, e.data)
      page:update()
    end
  end

  -- TextField: one line, a password, several lines, a filtered one with a prefix.
  local name = ft.TextField{label = "Name", hint_text = "Your name", helper_text = "As on your card",
                            prefix_icon = ft.Icons.PERSON, on_change = report "name",
                            on_submit = report "submitted"}
  local password = ft.TextField{label = "Password", password = true, can_reveal_password = true}
  local notes = ft.TextField{label = "Notes", multiline = true, min_lines = 2, max_lines = 5,
                             filled = true, shift_enter = true, on_submit = report "notes sent"}
  local amount = ft.TextField{label = "Amount", prefix_text = "$ ", suffix_text = "USD",
                              input_filter = ft.NumbersOnlyInputFilter(),
                              keyboard_type = ft.KeyboardType.NUMBER, max_length = 8,
                              border = ft.InputBorder.UNDERLINE, width = 220}

  -- Checkbox, Switch and a RadioGroup.
  local agree = ft.Checkbox{label = "I agree", on_change = report "agree"}
  local maybe = ft.Checkbox{label = "Maybe (tristate)", tristate = true, on_change = report "maybe"}
  local dark = ft.Switch{label = "Dark mode", on_change = function(e)
    page.theme_mode = e.data == "true" and ft.ThemeMode.DARK or ft.ThemeMode.LIGHT
    page:update()
  end}
  local size = ft.RadioGroup{value = "m", on_change = report "size", content = ft.Row{
    ft.Radio{value = "s", label = "Small"}, ft.Radio{value = "m", label = "Medium"},
    ft.Radio{value = "l", label = "Large"}}}

  -- Sliders.
  local volume = ft.Slider{min = 0, max = 100, divisions = 10, value = 40, label = "{value}%",
                           width = 320, on_change = report "volume",
                           on_change_end = report "volume set"}
  local prices = ft.RangeSlider{min = 0, max = 500, start_value = 100, end_value = 300,
                                divisions = 50, label = "{value}", width = 320,
                                on_change = function(e)
                                  status.value = ("prices: %g to %g"):format(
                                    e.control.start_value, e.control.end_value)
                                  page:update()
                                end}

  -- Dropdown and SegmentedButton.
  local color = ft.Dropdown{label = "Color", hint_text = "Pick a color", width = 220,
                            on_change = report "color", options = {
                              ft.dropdown.Option{key = "red", text = "Red"},
                              ft.dropdown.Option{key = "green", text = "Green"},
                              ft.dropdown.Option("blue"),
                              ft.dropdown.Option{key = "none", text = "None", disabled = true}}}
  local view = ft.SegmentedButton{selected = {"day"}, on_change = report "view", segments = {
    ft.Segment{value = "day", label = ft.Text "Day", icon = "calendar_view_day"},
    ft.Segment{value = "week", label = ft.Text "Week", icon = "calendar_view_week"},
    ft.Segment{value = "month", label = ft.Text "Month", icon = "calendar_view_month"}}}

  -- SearchBar with suggestions that close its view.
  local search
  local function suggestion(text)
    return ft.TextButton{text, on_click = function() search:close_view(text) end}
  end
  search = ft.SearchBar{bar_hint_text = "Search fruits", view_hint_text = "Choose a fruit",
                        on_change = report "search", on_submit = report "search submitted",
                        on_tap = report "search tapped", width = 320,
                        controls = {suggestion "Apple", suggestion "Banana", suggestion "Cherry"}}

  -- DatePicker and TimePicker, opened from buttons with page:open(picker), as in Flet 0.25.
  local date = ft.DatePicker{first_date = "2024-01-01", last_date = "2030-12-31",
                             on_change = report "date", on_dismiss = report "date dismissed"}
  local time = ft.TimePicker{on_change = report "time", on_dismiss = report "time dismissed"}
  local function open(picker)
    return function() page:open(picker) end
  end

  page:add(
    status,
    ft.ElevatedButton{"Show the values", on_click = function()
      status.value = ("name=%s agree=%s size=%s volume=%s color=%s view=%s search=%s date=%s")
        :format(name.value, tostring(agree.value), size.value, volume.value, tostring(color.value),
                table.concat(view.selected, "+"), search.value, tostring(date.value))
      page:update()
    end},
    ft.Row{name, password, wrap = true},
    ft.Row{notes, amount, wrap = true},
    ft.Row{agree, maybe, dark, wrap = true},
    size, volume, prices,
    ft.Row{color, view, wrap = true},
    search,
    ft.Row{ft.OutlinedButton{"Pick a date", icon = ft.Icons.CALENDAR_MONTH, on_click = open(date)},
           ft.OutlinedButton{"Pick a time", icon = ft.Icons.SCHEDULE, on_click = open(time)}})
end

ft.app(main)
