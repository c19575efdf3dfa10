-- flet.fields on a class of its own (not a catalog control): public fields behind the
-- accessors, the marks an assignment leaves on a control and its ancestors, and the
-- ControlList proxies of child lists. (What the diff does with the marks is in
-- diff_incremental_spec.lua.)
local fields = require "flet.fields"
local schema = require "flet.schema"

local F = schema.fields
local DIRTY, KIDS = fields.DIRTY, fields.KIDS

-- A class with one list slot, `kids`, and one class-level default, `color`.
local Box = {[schema.class_fields.slots] = {"kids"}, color = "plain"}
Box.__index, Box.__newindex = fields.accessors(Box)

-- A new Box whose marks are cleared, as after the diff's visit, placed under parent.
local function box(parent)
  local b = fields.new(Box)
  rawset(b, F.marks, 0)
  rawset(b, F.parent, parent or false)
  return b
end

local marks = function(c) return rawget(c, F.marks) end
local listed = function(c) return rawget(c, F.marked_kids) end

describe("fields", function()
  describe("accessors", function()
    it("keep public fields at their names' numbers, and private ones under their names", function()
      local b = box()
      b.value = "v"
      assert.equal("v", b.value)
      assert.is_nil(rawget(b, "value"))
      local at = schema.prop_index.value
      assert.is_true(at >= schema.first_prop)
      assert.equal("value", schema.prop_names[at - schema.first_prop + 1])
      assert.equal("v", rawget(b, at))
      assert.equal("v", fields.raw(b, "value"))
      b._secret = 1
      assert.equal(1, rawget(b, "_secret"))
      assert.is_nil(schema.prop_index._secret)
      -- The host's three are read by their names too, and kept at their places.
      rawset(b, F.id, 7)
      assert.equal(7, b._id)
      b._id = 8
      assert.equal(8, rawget(b, F.id))
      assert.is_nil(rawget(b, "_id"))
    end)

    it("make a control one table, with its props in the array part", function()
      local N, list = 2000, {}
      for i = 1, N do list[i] = false end
      collectgarbage("collect")
      local h0 = collectgarbage("count")
      for i = 1, N do
        local b = box()
        b.value = "v"
        list[i] = b
      end
      collectgarbage("collect")
      local per = (collectgarbage("count") - h0) * 1024 / N
      -- 128 bytes here when this was written; a table of props beside the control's made
      -- it 232.
      assert.equal(N, #list)
      assert.is_true(per < 160, ("%.0f bytes per control"):format(per))
    end)

    it("fall back to the class, and a field set wins over it", function()
      local b = box()
      assert.equal("plain", b.color)
      b.color = "red"
      assert.equal("red", b.color)
      assert.equal("plain", Box.color)
    end)

    it("answer from `extra` first", function()
      local Sized = {}
      Sized.__index, Sized.__newindex = fields.accessors(Sized, function(_, k)
        if k == "width" then return 42 end
      end)
      local s = fields.new(Sized)
      s.width = 1
      s.height = 2
      assert.equal(42, s.width)
      assert.equal(2, s.height)
    end)

    it("find the page through the parents, and refuse to have it set", function()
      local page = box()
      rawset(page, F.snapshot, {})
      local mid = box(page)
      local leaf = box(mid)
      assert.equal(page, leaf.page)
      assert.equal(page, fields.page_of(leaf))
      assert.is_nil(box().page)
      local ok, err = pcall(function() leaf.page = page end)
      assert.is_false(ok)
      assert.matches("page is set by the host", err)
    end)
  end)

  describe("marks", function()
    it("start dirty: a new control has never been sent", function()
      assert.equal(DIRTY, rawget(fields.new(Box), F.marks))
    end)

    it("mark an assigned control dirty, its ancestors as having a dirty descendant, and list it "
      .. "with its parent", function()
      local top = box()
      local mid = box(top)
      local leaf = box(mid)
      leaf.value = 1
      assert.equal(DIRTY, marks(leaf))
      assert.equal(KIDS, marks(mid))
      assert.equal(KIDS, marks(top))
      assert.same({leaf}, listed(mid))
      assert.same({mid}, listed(top))
      leaf.value = 2 -- already marked: listed once
      assert.same({leaf}, listed(mid))
      assert.same({mid}, listed(top))
    end)

    it("stop at an ancestor already marked, adding its own bit", function()
      local top = box()
      local mid = box(top)
      local a, b = box(mid), box(mid)
      mid.value = "changed"
      assert.equal(DIRTY, marks(mid))
      a.value = 1
      assert.equal(DIRTY | KIDS, marks(mid))
      assert.same({a}, listed(mid))
      assert.same({mid}, listed(top), "top already knew of mid")
      b.value = 1
      assert.same({a, b}, listed(mid))
      assert.equal(KIDS, marks(top))
    end)

    it("list a control whose descendant changed before it did, and only once", function()
      local top = box()
      local mid = box(top)
      local leaf = box(mid)
      leaf.value = 1
      mid.value = 2
      assert.equal(KIDS | DIRTY, marks(mid))
      assert.same({mid}, listed(top))
    end)

    it("leave a private field's assignment unmarked", function()
      local top = box()
      local leaf = box(top)
      leaf._cache = {}
      assert.equal(0, marks(leaf))
      assert.equal(0, marks(top))
    end)
  end)

  describe("ControlList", function()
    it("marks its owner on l[i] = x, table.insert and table.remove", function()
      local owner = box()
      local l = fields.list(owner, {"a"})
      local steps = {
        function() l[2] = "b" end,
        function() table.insert(l, 1, "z") end,
        function() table.remove(l, 1) end,
        function() l[1] = nil end,
      }
      for i, step in ipairs(steps) do
        rawset(owner, F.marks, 0)
        step()
        assert.equal(DIRTY, marks(owner), "step " .. i)
      end
    end)

    it("reads through to its items: index, length, pairs and ipairs", function()
      local items = {"a", "b"}
      local l = fields.list(box(), items)
      assert.equal("b", l[2])
      assert.equal(2, #l)
      local seen = {}
      for i, v in pairs(l) do seen[i] = v end
      assert.same({"a", "b"}, seen)
      seen = {}
      for i, v in ipairs(l) do seen[i] = v end
      assert.same({"a", "b"}, seen)
      assert.equal(items, fields.items(l))
      assert.is_nil(rawget(l, 1), "the entries live in the items table only")
      local plain = {}
      assert.equal(plain, fields.items(plain))
    end)

    it("is made of the app's own table put in a list slot, and marks the owner", function()
      local b = box()
      local mine = {"x", "y"}
      b.kids = mine
      assert.equal(mine, b.kids)
      assert.equal(fields.ControlList, getmetatable(mine))
      assert.same({"x", "y"}, fields.items(mine))
      assert.is_nil(rawget(mine, 1))
      rawset(b, F.marks, 0)
      mine[#mine + 1] = "z"
      assert.equal(DIRTY, marks(b))
      assert.equal(3, #b.kids)
    end)

    it("is copied when it belongs to another control, and kept when it is the owner's", function()
      local a, b = box(), box()
      a.kids = {"x"}
      b.kids = a.kids
      assert.are_not.equal(a.kids, b.kids)
      assert.same({"x"}, fields.items(b.kids))
      b.kids[2] = "y"
      assert.equal(1, #a.kids, "the copy is b's own")
      local own = b.kids
      b.kids = own
      assert.equal(own, b.kids)
    end)

    it("leaves a table that is not a list slot's, or has a metatable, alone", function()
      local b = box()
      local style = {color = "red"}
      b.style = style
      assert.is_nil(getmetatable(style))
      local meta = setmetatable({}, {})
      b.kids = meta
      assert.equal(meta, b.kids)
      assert.are_not.equal(fields.ControlList, getmetatable(meta))
    end)
  end)
end)
