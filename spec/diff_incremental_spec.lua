-- Updates cost what changed: assignments mark controls, and the diff visits marked paths.
local ft = require "flet"
local fields = require "flet.fields"
local MARKS = require("flet.schema").fields.marks
local helper = require "spec.helper"
local RM = require "spec.model_client"

local function big_page(rows)
  local page, conn = helper.page(100, 100)
  local col = ft.Column{}
  for i = 1, rows do col.controls[i] = ft.Row{key = i, ft.Text("label " .. i), ft.Text "x"} end
  page:add(col)
  return page, conn, col
end

describe("incremental updates", function()
  it("mark a changed prop and its ancestors, and clear the marks once sent", function()
    local page, conn, col = big_page(3)
    local t = col.controls[2].controls[1]
    assert.equal(0, rawget(t, MARKS))
    t.value = "changed"
    assert.equal(fields.DIRTY, rawget(t, MARKS))
    assert.equal(fields.KIDS, rawget(col, MARKS))
    assert.equal(fields.KIDS, rawget(page, MARKS))
    page:update()
    assert.same({{op = "set", id = t._id, props = {value = "changed"}}}, conn:last().ops)
    assert.equal(0, rawget(t, MARKS))
    assert.equal(0, rawget(col, MARKS))
  end)

  it("send nothing, and visit nothing, when nothing is marked", function()
    local page, conn = big_page(10000)
    local n = #conn.sent
    page:update()
    assert.equal(n, #conn.sent)
    assert.equal(0, rawget(page, MARKS))
  end)

  it("see list changes made with table.insert, table.remove and assignment", function()
    local page, conn, col = big_page(3)
    local inner = col.controls[1]
    table.insert(inner.controls, 1, ft.Text "first")
    page:update()
    assert.equal("add", conn:last().ops[1].op)
    table.remove(col.controls, 3)
    page:update()
    assert.equal("remove", conn:last().ops[1].op)
    col.controls[#col.controls + 1] = ft.Text "last"
    page:update()
    assert.equal("add", conn:last().ops[1].op)
    assert.equal(3, #col.controls)
  end)

  it("send a one-row change of a 10,000-row list in one small op", function()
    local page, conn, col = big_page(10000)
    col.controls[5000].controls[1].value = "five thousand"
    page:update()
    local raw = conn.raw[#conn.raw]
    assert.equal(1, #conn:last().ops)
    assert.is_true(#raw <= 150, #raw .. " bytes")
  end)

  it("keep list identity: a list put in a slot becomes the control's own", function()
    local col = ft.Column{}
    local a = ft.Text "a"
    local plain = {a}
    col.controls = plain
    assert.equal(plain, col.controls) -- the app's table is the list now
    assert.are_not.equal(plain, fields.items(col.controls))
    assert.equal(a, plain[1])
    assert.equal(1, #plain)
    local other = ft.Column{}
    other.controls = col.controls -- a list owned by another control is copied
    assert.are_not.equal(fields.items(col.controls), fields.items(other.controls))
  end)

  it("see the app's later changes to a table it put in a slot", function()
    local page, conn = helper.page(100, 100)
    local model = RM.new()
    local x, y = ft.Text "x", ft.Text "y"
    local mine = {x, y}
    local col = ft.Column{controls = mine}
    page:add(col)
    local n = RM.sync(model, conn)
    mine[1], mine[2] = mine[2], mine[1]
    table.insert(mine, ft.Text "z")
    mine[#mine + 1] = ft.Text "w"
    table.remove(mine, 1)
    x.value = "x2"
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
    assert.equal(3, #col.controls)
  end)

  it("let control:update() find changes made behind the accessors' back", function()
    local page, conn, col = big_page(2)
    local items = fields.items(col.controls)
    items[#items + 1] = ft.Text "sneaked in"
    page:update()
    local n = #conn.sent
    col:update()
    assert.equal(n + 1, #conn.sent)
    assert.equal("add", conn:last().ops[1].op)
  end)
end)

describe("control updates", function()
  it("send only the control's own subtree; the rest waits for its update", function()
    local page, conn, col = big_page(3)
    local a = col.controls[1].controls[1]
    local b = col.controls[3].controls[1]
    a.value = "a changed"
    b.value = "b changed"
    col.controls[3]:update()
    assert.same({{op = "set", id = b._id, props = {value = "b changed"}}}, conn:last().ops)
    page:update()
    assert.same({{op = "set", id = a._id, props = {value = "a changed"}}}, conn:last().ops)
  end)

  it("run before_update before a changed control's props are read", function()
    local Clock = ft.UserControl:extend("Clock")
    function Clock:init() self.ticks = 0 end
    function Clock:build() self.text = ft.Text "0"; return self.text end
    function Clock:before_update() self.width = self.ticks * 10 end
    local page, conn = big_page(0)
    local c = Clock()
    page:add(c)
    assert.equal(0, conn:last().ops[1].node.props.width)
    c.ticks = 3
    c:update()
    assert.same({{op = "set", id = c._id, props = {width = 30}}}, conn:last().ops)
  end)
end)
