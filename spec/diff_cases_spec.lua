-- Cases found in review of the diff: each patch, applied to a model of the browser, must
-- give the Lua tree.
local RM = require "spec.model_client"
local fields = require "flet.fields"
local ft = require "flet"
local helper = require "spec.helper"

-- A page behind a fake socket, and a model of the browser to apply what it sends.
local function setup()
  local page, conn = helper.page(100, 100)
  return conn, page, RM.new()
end

-- A tree nested deeper than the diff allows makes the update fail half-way.
local function too_deep()
  local top = ft.Column{}
  local cur = top
  for _ = 1, 510 do local k = ft.Column{}; cur.controls[1] = k; cur = k end
  return top
end

describe("moving a control into a new container", function()
  it("keeps the control alive and updatable", function()
    local conn, page, model = setup()
    local x = ft.Text "x"
    page:add(x)
    local n = RM.sync(model, conn)
    page.controls[1] = ft.Column{x}
    page:update()
    n = RM.sync(model, conn, n)
    x.value = "changed"
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)
end)


describe("identity, errors, text fields and UTF-8", function()
  it("builds and mounts a new user control that reuses a key", function()
    local conn, page, model = setup()
    local log = {}
    local U = ft.UserControl:extend("U")
    function U:init(name) self.name = name; self.key = "k" end
    function U:build() log[#log+1] = "build " .. self.name; return ft.Text(self.name) end
    function U:did_mount() log[#log+1] = "mount " .. self.name end
    function U:will_unmount() log[#log+1] = "unmount " .. self.name end
    page:add(U("a"))
    local n = RM.sync(model, conn)
    page.controls[1] = U("b")
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
    assert.is_not_nil(page.controls[1].content)
  end)

  it("lets an existing control keep its own node when it takes a sibling's key", function()
    local conn, page, model = setup()
    local a, b = ft.Text{value = "a", key = "k"}, ft.Text{value = "b", key = "k"}
    local c1, c2 = ft.Column{a}, ft.Column{b}
    page:add(c1, c2)
    local n = RM.sync(model, conn)
    c1.controls[1] = b
    table.remove(c2.controls, 1)
    page:update()
    n = RM.sync(model, conn, n)
    b.value = "b2"
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)

  it("catches up after an error in a new subtree", function()
    local conn, page, model = setup()
    local t = ft.Text "t"
    page:add(t)
    local n = RM.sync(model, conn)
    local col = ft.Column{ft.Text "inner", too_deep()}
    page.controls[2] = col
    t.value = "t2"
    assert.is_false(pcall(page.update, page))
    -- the app fixes its tree
    table.remove(col.controls, 2)
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)

  it("sends a text field set back to its old value after the user typed", function()
    local conn, page, model = setup()
    local tf = ft.TextField{value = "", on_submit = function() end}
    page:add(tf)
    local n = RM.sync(model, conn)
    page:_dispatch(tf._id, "change", "hello")   -- the user typed
    tf.value = ""                              -- the app clears the field
    page:update()
    assert.is_true(#conn.sent > n, "clearing the field sent nothing: the browser keeps 'hello'")
  end)

  it("sends a marked child after a reorder behind the accessors' back; the owner's update() sends the order", function()
    local conn, page, model = setup()
    local x, y = ft.Text "x", ft.Text "y"
    local col = ft.Column{x, y}
    page:add(col)
    local n = RM.sync(model, conn)
    local items = fields.items(col.controls)
    items[1], items[2] = items[2], items[1]
    x.value = "x2"
    page:update()
    n = RM.sync(model, conn, n)
    assert.equal("x2", model.nodes[x._id].props.value)
    col:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)

  it("sends only well-formed UTF-8", function()
    local conn, page = setup()
    page:add(ft.Text("bad \xff\xfe" .. string.sub("é", 1, 1)))
    assert.is_true(utf8.len(conn.raw[#conn.raw]) ~= nil, "patch is not valid UTF-8")
  end)
end)


describe("an update that fails half-way", function()
  it("is followed by the whole page, then by patches again", function()
    local conn, page, model = setup()
    local a, t = ft.Text "a", ft.Text "t"
    page:add(a, t)
    local n = RM.sync(model, conn)
    page.controls = {too_deep(), t}
    t.value = "t2"
    assert.is_false(pcall(page.update, page))
    page.controls = {t}           -- the app fixes it
    page:update()
    assert.equal("init", conn:last().t)
    n = RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
    t.value = "t3"                -- and patches flow again
    page:update()
    assert.equal("patch", conn:last().t)
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)

  it("encodes a prop table without calling its metamethods", function()
    local conn, page = setup()
    local strict = setmetatable({color = "red"}, {__index = function(_, k) error("no field " .. k) end})
    page:add(ft.Text{value = "x", style = strict})
    assert.same({color = "red"}, conn:last().ops[1].node.props.style)
  end)
end)

describe("siblings sharing a key", function()
  it("keeps each where it goes when they swap", function()
    local conn, page, model = setup()
    local x, y, z = ft.Text{value = "x", key = 1}, ft.Text{value = "y", key = 1}, ft.Text "z"
    page:add(x, y, z)
    local n = RM.sync(model, conn)
    local l = page.controls
    l[2], l[3] = l[3], l[2]
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)
end)

describe("moves out of a removed subtree", function()
  for _, variant in ipairs({"later", "earlier", "overlay", "overlay_from"}) do
    it("moves out of a removed subtree: " .. variant, function()
      local conn, page, model = setup()
      local x = ft.Text "x"
      local r = ft.Column{ft.Column{x}, ft.Text "r"}
      local b = ft.Column{}
      if variant == "overlay_from" then page.overlay = {r}; page:add(b)
      elseif variant == "earlier" then page:add(b, r) else page:add(r, b) end
      local n = RM.sync(model, conn)
      if variant == "overlay_from" then
        page.overlay = {}
      else
        for i = #page.controls, 1, -1 do
          if page.controls[i] == r then table.remove(page.controls, i) end
        end
      end
      if variant:match("^overlay$") then page.overlay[1] = x else b.controls[1] = x end
      x.value = "x2"
      page:update()
      n = RM.sync(model, conn, n)
      assert.same(RM.lua_shape(page), model:shape(0))
      x.value = "x3"; page:update(); RM.sync(model, conn, n)
      assert.same(RM.lua_shape(page), model:shape(0))
    end)
  end
end)

describe("after a failed update", function()
  it("keeps moves and removes consistent (no use after free)", function()
    local conn, page, model = setup()
    local d = ft.Text "d"
    local P, Q = ft.Column{d}, ft.Column{}
    page:add(P, Q)
    local n = RM.sync(model, conn)
    P.controls = {too_deep()}
    assert.is_false(pcall(page.update, page))
    P.controls = {}
    Q.controls[1] = d
    page:update()
    page.controls = {Q}
    page:update()
    Q.controls[2] = ft.Text "w"
    page:update()
    RM.sync(model, conn, n)
    assert.same(RM.lua_shape(page), model:shape(0))
  end)
end)

describe("keys", function()
  it("let a control of another type with the same key replace the old one", function()
    local conn, page, model = setup()
    local t = ft.Text{"t", key = "k"}
    page:add(t)
    local n = RM.sync(model, conn)
    local b = ft.TextButton{"b", key = "k"}
    page.controls[1] = b
    page:update()
    RM.sync(model, conn, n)
    local shown = model:shape(0).kids[1]
    assert.equal("textbutton", shown.type)
    assert.equal(b._id, shown.id)
    assert.is_nil(model.nodes[t._id], "the text is gone")
    assert.same(RM.lua_shape(page), model:shape(0))
  end)

  it("follow a change of a control's key, and treat 1 and 1.0 alike", function()
    local _, page = setup()
    local a = ft.Text{"a", key = "old"}
    page:add(a)
    local id = a._id
    a.key = "new"
    page:update()
    page.controls = {ft.Text{"a2", key = "new"}}
    page:update()
    assert.equal(id, page.controls[1]._id) -- the new key matched
    local b = ft.Text{"b", key = 1}
    page.controls[2] = b
    page:update()
    page.controls[2] = ft.Text{"b2", key = 1.0}
    page:update()
    assert.equal(b._id, page.controls[2]._id)
  end)
end)
