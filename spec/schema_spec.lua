-- The control schema (flet.schema) is the one place a control class is declared: the
-- catalog is built from it, and the C core reads controls by its names.
local schema = require "flet.schema"
local ft = require "flet"
local control = require "flet.control"
local helper = require "helper"

describe("the control schema", function()
  it("makes a class for every entry, with its type, primary prop, slots and events", function()
    for _, e in ipairs(schema.controls) do
      local cls = ft[e.name]
      assert.is_table(cls, e.name)
      local CF = schema.class_fields
      assert.equal(e.type, cls[CF.type])
      assert.equal(e.primary, cls._primary)
      assert.same(control.slots_of(e), cls[CF.slots])
      local events = {}
      for _, name in ipairs(e.events or {}) do events[name] = true end
      -- Every control emits the common events, but for those limited to their own props.
      if not e.only_props then
        for _, name in ipairs(schema.common_events) do events[name] = true end
      end
      assert.same(events, cls[CF.events] or {})
    end
  end)

  it("limits a class to its props only when its entry says only_props", function()
    local CF = schema.class_fields
    assert.is_nil(ft.Text[CF.props])
    local only = {}
    for k in pairs(schema.by_name.UserControl.props) do only[k] = true end
    assert.same(only, ft.UserControl[CF.props])
  end)

  it("gives every prop a kind, and every entry a distinct wire type", function()
    local kinds = {}
    for _, k in ipairs(schema.kinds) do kinds[k] = true end
    local seen = {}
    for _, e in ipairs(schema.controls) do
      assert.is_nil(seen[e.type], e.type)
      seen[e.type] = true
      for prop, kind in pairs(e.props or {}) do
        assert.is_true(kinds[kind] or false, e.name .. "." .. prop .. ": " .. tostring(kind))
      end
    end
    for prop, kind in pairs(schema.common_props) do
      assert.is_true(kinds[kind] or false, prop)
    end
  end)

  it("has one is_control, which asks the class and not the table", function()
    assert.is_true(control.is_control(ft.Text "x"))
    assert.is_false(control.is_control({_type = "text"}))
    assert.is_false(control.is_control(setmetatable({}, {__index = {_type = "text"}})))
    assert.is_false(control.is_control(ft.Column{}.controls))
  end)

  it("is what the C core reads: its not_props and private fields are never sent", function()
    local page, conn = helper.page()
    local t = ft.Text{"x", size = 3}
    for _, name in ipairs(schema.not_props) do
      if name ~= "page" and name ~= "parent" then t[name] = "v" end
    end
    t[schema.private_prefix .. "mine"] = 1
    page:add(t)
    assert.same({value = "x", size = 3}, conn:last().ops[1].node.props)
  end)
end)
