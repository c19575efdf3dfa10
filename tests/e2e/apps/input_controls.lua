-- Every input of the Inputs family twice: the "A" ones with handlers that write their event
-- and e.data into the log line, the "B" ones without any, whose values a button reads (the
-- host must know them anyway); and a disabled checkbox, which must not change.
local ft = require "flet"

ft.app(function(page)
  page.scroll = ft.ScrollMode.AUTO
  local log = ft.Text "log: |"
  local values = ft.Text "values: none"
  local function show(name)
    return function(e)
      log.value = ("%s%s=%s|"):format(log.value, name, tostring(e.data))
      page:update()
    end
  end
  local function opts()
    return {ft.dropdown.Option{key = "r", text = "Red"}, ft.dropdown.Option{key = "g", text = "Green"},
            ft.dropdown.Option{key = "b", text = "Blue", disabled = true}}
  end
  local function segs()
    return {ft.Segment{value = "s", label = ft.Text "Small"}, ft.Segment{value = "m", label = ft.Text "Medium"},
            ft.Segment{value = "l", label = ft.Text "Large"}}
  end

  local a = {
    tf = ft.TextField{label = "A field", on_change = show "tf", on_submit = show "tf_submit"},
    cb = ft.Checkbox{label = "A check", on_change = show "cb"},
    tri = ft.Checkbox{label = "A tri", tristate = true, value = true, on_change = show "tri"},
    sw = ft.Switch{label = "A switch", on_change = show "sw"},
    rg = ft.RadioGroup{content = ft.Row{ft.Radio{value = "red", label = "A red"},
                                        ft.Radio{value = "blue", label = "A blue"}},
                       on_change = show "rg"},
    sl = ft.Slider{min = 0, max = 10, divisions = 10, value = 5, label = "{value}",
                   on_change = show "sl", on_change_end = show "sl_end", width = 300},
    rs = ft.RangeSlider{min = 0, max = 100, divisions = 10, start_value = 20, end_value = 80,
                        on_change = show "rs", width = 300},
    dd = ft.Dropdown{label = "A color", options = opts(), on_change = show "dd", on_select = show "dd_select",
                     width = 200},
    seg = ft.SegmentedButton{segments = segs(), selected = {"m"}, allow_multiple_selection = true,
                             on_change = show "seg"},
    sb = ft.SearchBar{bar_hint_text = "A search", view_hint_text = "Pick one",
                      controls = {ft.Text "suggestion one", ft.TextButton{"Choose me"}},
                      on_change = show "sb", on_submit = show "sb_submit", on_tap = show "sb_tap"},
  }
  local b = {
    tf = ft.TextField{label = "B field"},
    cb = ft.Checkbox{label = "B check"},
    sw = ft.Switch{label = "B switch"},
    rg = ft.RadioGroup{content = ft.Row{ft.Radio{value = "x", label = "B x"},
                                        ft.Radio{value = "y", label = "B y"}}},
    sl = ft.Slider{min = 0, max = 10, divisions = 10, value = 0, width = 300},
    rs = ft.RangeSlider{min = 0, max = 100, divisions = 10, start_value = 20, end_value = 80,
                        width = 300},
    dd = ft.Dropdown{label = "B color", options = opts(), width = 200},
    seg = ft.SegmentedButton{segments = segs(), selected = {"s"}},
    sb = ft.SearchBar{bar_hint_text = "B search"},
  }
  a.sb.controls[2].on_click = function() a.sb:close_view("chosen") end
  local off = ft.Checkbox{label = "Off check", disabled = true}
  local off_slider = ft.Slider{value = 0.5, disabled = true, width = 200}
  local off_dd = ft.Dropdown{label = "Off color", options = opts(), disabled = true, width = 200}
  local digits = ft.TextField{label = "Digits", input_filter = ft.NumbersOnlyInputFilter()}
  local multi = ft.TextField{label = "Multi", multiline = true, shift_enter = true, max_lines = 3,
                             on_submit = show "multi_submit"}
  local fancy = ft.TextField{label = "Fancy", prefix = ft.Text "PRE", suffix_icon = ft.Icons.STAR, icon = ft.Icons.EDIT,
                             error_text = "bad value", password = true, can_reveal_password = true}
  local dp = ft.DatePicker{first_date = "2024-01-01", last_date = "2024-12-31",
                           value = "2024-05-01", on_change = show "dp", on_dismiss = show "dp_dismiss"}
  local tp = ft.TimePicker{value = "09:30", on_change = show "tp"}
  local dp2 = ft.DatePicker{value = "2024-02-02"}

  local function read()
    local sel = table.concat(b.seg.selected or {}, "+")
    values.value = ("values: tf=%s cb=%s sw=%s rg=%s sl=%s rs=%s-%s dd=%s seg=%s sb=%s off=%s dp2=%s open=%s")
      :format(tostring(b.tf.value), tostring(b.cb.value), tostring(b.sw.value), tostring(b.rg.value),
              tostring(b.sl.value), tostring(b.rs.start_value), tostring(b.rs.end_value),
              tostring(b.dd.value), sel, tostring(b.sb.value), tostring(off.value),
              tostring(dp2.value), tostring(dp2.open))
      .. (" digits=%s multi=%s sb_a=%s sbopen=%s"):format(tostring(digits.value),
           (tostring(multi.value):gsub("\n", "/")), tostring(a.sb.value), tostring(b.sb.open))
    page:update()
  end
  -- The app sets the B controls' values: the browser shows them.
  local function set()
    b.tf.value, b.cb.value, b.sw.value, b.rg.value = "from app", false, false, "x"
    b.sl.value, b.rs.start_value, b.rs.end_value = 7, 30, 40
    b.dd.value, b.seg.selected, b.sb.value = "g", {"m", "l"}, "app search"
    page:update()
  end
  local function open(p)
    return function()
      p.open = true
      page:update()
    end
  end
  -- Flet 0.25 opens a picker with page.open(picker) (dp, tp); dp2 sits in the overlay and
  -- opens while its `open` is true, Flet's older way.
  table.insert(page.overlay, dp2)
  page:add(log, values, ft.Row{ft.ElevatedButton{"Read", on_click = read},
                               ft.ElevatedButton{"Pick date", on_click = function() page:open(dp) end},
                               ft.ElevatedButton{"Pick time", on_click = function() page:open(tp) end},
                               ft.ElevatedButton{"Pick B date", on_click = open(dp2)},
                               ft.ElevatedButton{"Set B", on_click = set},
                               ft.ElevatedButton{"Relabel A", on_click = function()
                                 a.dd.label, a.sl.max, a.seg.allow_empty_selection = "A colour", 20, true
                                 page:update()
                               end}},
           ft.Row{ft.Column{a.tf, a.cb, a.tri, a.sw, a.rg, a.sl, a.rs, a.dd, a.seg, a.sb},
                  ft.Column{b.tf, b.cb, b.sw, b.rg, b.sl, b.rs, b.dd, b.seg, b.sb, off}},
           ft.Row{digits, multi, fancy, off_slider, off_dd, wrap = true})
end)
