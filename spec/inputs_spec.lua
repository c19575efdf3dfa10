-- The Inputs family (lua/flet/catalog/inputs.lua): constructors, kinds, events with Flet's
-- e.data, and the echo that keeps each input's value current on the host without a handler.
local helper = require "spec.helper"
local ft = require "flet"

local function node_of(msg, id)
  local found
  local function walk(n)
    if n.id == id then found = n end
    for _, kids in pairs(n.slots or {}) do
      for _, k in ipairs(kids) do walk(k) end
    end
  end
  for _, op in ipairs(msg.ops or {}) do
    if op.node then walk(op.node) end
  end
  return found
end

-- The props sent for control c by the last update, or nil when it sent nothing for c.
local function sent_props(conn, c)
  local msg = conn:last()
  for _, op in ipairs(msg and msg.ops or {}) do
    if op.op == "set" and op.id == c._id then return op.props end
  end
  return nil
end

describe("the Inputs family", function()
  describe("constructors", function()
    it("take Flet's primary values and children", function()
      assert.equal("Agree", ft.Checkbox("Agree").label)
      assert.equal("Power", ft.Switch("Power").label)
      assert.equal(0.5, ft.Slider(0.5).value)
      assert.equal("hi", ft.TextField("hi").value)
      assert.equal("r", ft.dropdown.Option("r").key)
      assert.equal("v", ft.Segment("v").value)
      local radios = ft.Row{ft.Radio{value = "a"}, ft.Radio{value = "b"}}
      local g = ft.RadioGroup{radios, value = "a"}
      assert.equal(radios, g.content)
      local sb = ft.SearchBar{ft.Text "one", ft.Text "two"}
      assert.equal(2, #sb.controls)
    end)

    it("refuse values of the wrong kind at the app's line", function()
      assert.error_matches(function() ft.Checkbox{value = "yes"} end,
        "Checkbox.value must be true or false, not a string")
      assert.has_error(function() ft.Slider{min = {}} end)
      assert.has_error(function() ft.Dropdown{options = {"a"}} end)
      assert.has_error(function() ft.TextField{prefix = "x"} end)
      assert.error_matches(function() ft.Switch{lable = "x"} end, "did you mean 'label'")
    end)

    it("know Flet's helpers: ft.dropdown.Option, input filters, enums", function()
      assert.same({regex_string = "^[0-9]*$", allow = true, replacement_string = ""},
        ft.NumbersOnlyInputFilter())
      assert.same({regex_string = "[aeiou]", allow = false, replacement_string = "*"},
        ft.InputFilter{regex_string = "[aeiou]", allow = false, replacement_string = "*"})
      assert.equal("underline", ft.InputBorder.UNDERLINE)
      local tf = ft.TextField{input_filter = ft.NumbersOnlyInputFilter(), border = ft.InputBorder.NONE,
                              prefix = ft.Text "$", keyboard_type = ft.KeyboardType.NUMBER}
      assert.equal("none", tf.border)
    end)

    it("send an option's key, which a control's key never is", function()
      helper.run(function()
        local page, conn = helper.page()
        local o = ft.dropdown.Option{key = "r", text = "Red"}
        page:add(ft.Dropdown{options = {o}})
        local n = node_of(conn:last(), o._id)
        assert.equal("r", n.props.option_key)
        assert.equal("Red", n.props.text)
      end)
    end)
  end)

  describe("events", function()
    -- Each input, the event it sends, e.data as Flet gives it, and the prop's new value.
    local cases = {
      {"Checkbox", {}, "change", "true", "value", true},
      {"Checkbox", {value = true}, "change", "false", "value", false},
      {"Switch", {}, "change", "true", "value", true},
      {"RadioGroup", {}, "change", "blue", "value", "blue"},
      {"Slider", {min = 0, max = 10}, "change", "6.0", "value", 6.0},
      {"Dropdown", {}, "change", "g", "value", "g"},
      {"Dropdown", {}, "select", "b", "value", "b"},
      {"SearchBar", {}, "change", "que", "value", "que"},
      {"TextField", {}, "change", "typed", "value", "typed"},
      {"DatePicker", {open = true}, "change", "2024-06-15T00:00:00.000", "value",
       "2024-06-15T00:00:00.000"},
      {"TimePicker", {open = true}, "change", "7:5", "value", "7:5"},
    }
    for _, case in ipairs(cases) do
      local class, props, event, data, prop, value = table.unpack(case)
      it(("%s %s: the handler gets e.data %q, and %s is kept without one"):format(
           class, event, data, prop), function()
        helper.run(function()
          local page = helper.page()
          local got
          local with = ft[class](props)
          with["on_" .. event] = function(e) got = e end
          local without = ft[class](props)
          page:add(with, without)
          assert.is_true(page:_dispatch(with._id, event, data))
          assert.equal(data, got.data)
          assert.equal(value, with[prop])
          -- No handler: dropped, but the value is kept all the same.
          assert.is_false(page:_dispatch(without._id, event, data))
          assert.equal(value, without[prop])
        end)
      end)
    end

    it("a tristate Checkbox's \"\" is neither: value goes back to nil", function()
      helper.run(function()
        local page = helper.page()
        local cb = ft.Checkbox{tristate = true, value = true}
        page:add(cb)
        page:_dispatch(cb._id, "change", "")
        assert.is_nil(cb.value)
      end)
    end)

    it("a Slider's change_start and change_end carry the value", function()
      helper.run(function()
        local page = helper.page()
        local seen = {}
        local s = ft.Slider{value = 1, max = 10,
          on_change_start = function(e) seen[#seen + 1] = "start " .. e.data end,
          on_change_end = function(e) seen[#seen + 1] = "end " .. e.data end}
        page:add(s)
        page:_dispatch(s._id, "change_start", "1.0")
        page:_dispatch(s._id, "change_end", "3.0")
        assert.same({"start 1.0", "end 3.0"}, seen)
      end)
    end)

    it("a RangeSlider's change fills both ends", function()
      helper.run(function()
        local page, conn = helper.page()
        local rs = ft.RangeSlider{min = 0, max = 100, start_value = 10, end_value = 90}
        page:add(rs)
        page:_dispatch(rs._id, "change", "20.0,70.0")
        assert.equal(20, rs.start_value)
        assert.equal(70, rs.end_value)
        -- Not sent back; the app's own change is.
        local n = #conn.sent
        page:update()
        assert.equal(n, #conn.sent)
        rs.end_value = 90
        page:update()
        assert.same({end_value = 90}, sent_props(conn, rs))
        assert.is_false(page:_dispatch(rs._id, "change", "20.0,lots"))
      end)
    end)

    it("a SegmentedButton's change is its selection as JSON, kept as a list", function()
      helper.run(function()
        local page = helper.page()
        local got
        local sb = ft.SegmentedButton{segments = {ft.Segment "a", ft.Segment "b"}, selected = {"a"},
                                      allow_multiple_selection = true,
                                      on_change = function(e) got = e.data end}
        page:add(sb)
        page:_dispatch(sb._id, "change", '["a","b"]')
        assert.equal('["a","b"]', got)
        assert.same({"a", "b"}, sb.selected)
        assert.is_false(page:_dispatch(sb._id, "change", "not json"))
      end)
    end)

    it("a picker closes on the host too: change and dismiss set open to false", function()
      helper.run(function()
        local page, conn = helper.page()
        local dp = ft.DatePicker{value = "2024-01-01"}
        local dismissed
        dp.on_dismiss = function(e) dismissed = e.data end
        page.overlay[#page.overlay + 1] = dp
        page:update()
        dp.open = true
        page:update()
        page:_dispatch(dp._id, "dismiss", "2024-01-01T00:00:00.000")
        assert.equal("2024-01-01T00:00:00.000", dismissed)
        assert.is_false(dp.open)
        -- Opening it again is a change to send.
        dp.open = true
        page:update()
        assert.same({open = true}, sent_props(conn, dp))
        page:_dispatch(dp._id, "change", "2024-02-03T00:00:00.000")
        assert.is_false(dp.open)
        assert.equal("2024-02-03T00:00:00.000", dp.value)
      end)
    end)

    it("a SearchBar's tap marks its view open", function()
      helper.run(function()
        local page = helper.page()
        local sb = ft.SearchBar{}
        page:add(sb)
        page:_dispatch(sb._id, "tap", "")
        assert.is_true(sb.open)
        -- close_view(text), as Flet's, takes the text chosen and closes the view.
        sb:close_view("picked")
        assert.is_false(sb.open)
        assert.equal("picked", sb.value)
        sb:open_view()
        assert.is_true(sb.open)
        sb:close_view()
        assert.equal("", sb.value)
      end)
    end)

    it("a disabled input changes nothing", function()
      helper.run(function()
        local page = helper.page()
        local calls = 0
        local cb = ft.Checkbox{disabled = true, on_change = function() calls = calls + 1 end}
        local col = ft.Column{disabled = true, ft.Slider{value = 1}}
        page:add(cb, col)
        assert.is_false(page:_dispatch(cb._id, "change", "true"))
        assert.is_nil(cb.value)
        assert.is_false(page:_dispatch(col.controls[1]._id, "change", "5.0"))
        assert.equal(1, col.controls[1].value)
        assert.equal(0, calls)
      end)
    end)

    it("a Radio emits nothing of its own: its group does", function()
      helper.run(function()
        local page = helper.page()
        local r = ft.Radio{value = "a"}
        page:add(ft.RadioGroup{r})
        assert.is_false(page:_dispatch(r._id, "change", "a"))
      end)
    end)
  end)
end)
