-- The diff sends the fewest moves: n - LIS for a reorder, two for a swap, one to another
-- parent. (Random changes of every kind are in diff_fuzz_spec.lua.)
local ft = require "flet"
local helper = require "spec.helper"


local function lis_len(seq)
  local tails = {}
  for _, v in ipairs(seq) do
    local lo, hi = 1, #tails + 1
    while lo < hi do
      local mid = (lo + hi) // 2
      if tails[mid] < v then lo = mid + 1 else hi = mid end
    end
    tails[lo] = v
  end
  return #tails
end

describe("the diff, against a model of the browser", function()
  it("reorders a list with the fewest moves, and a swap with exactly two", function()
    local rng_state = 7
    local function rand(n)
      rng_state = (rng_state * 1103515245 + 12345) % 2147483648
      return rng_state % n + 1
    end
    for _ = 1, 200 do
      local page, conn = helper.page(100, 100)
      local n = rand(30)
      for i = 1, n do page.controls[i] = ft.Text("x" .. i) end
      page:update()
      local old_pos = {}
      for i, c in ipairs(page.controls) do old_pos[c] = i end
      local list = page.controls
      for i = #list, 2, -1 do local j = rand(i); list[i], list[j] = list[j], list[i] end
      local seq = {}
      for i, c in ipairs(list) do seq[i] = old_pos[c] end
      local before = #conn.sent
      page:update()
      local ops = #conn.sent > before and conn:last().ops or {}
      for _, op in ipairs(ops) do assert.equal("move", op.op) end
      assert.equal(n - lis_len(seq), #ops)
    end
    local page, conn = helper.page(100, 100)
    for i = 1, 1000 do page.controls[i] = ft.Text("row " .. i) end
    page:update()
    local l = page.controls
    l[2], l[999] = l[999], l[2]
    page:update()
    local ops = conn:last().ops
    assert.equal(2, #ops)
    assert.equal("move", ops[1].op)
    assert.equal("move", ops[2].op)
  end)

  it("moves controls into a new container in their order, before its new children", function()
    local RM = require "spec.model_client"
    local page, conn = helper.page()
    local model = RM.new()
    local a, b = ft.Text "a", ft.Text "b"
    page:add(a, b)
    local n = RM.sync(model, conn)
    page.controls = {ft.Column{a, b, ft.Text "x"}}
    page:update()
    RM.sync(model, conn, n)
    local column = model:shape(0).kids[1]
    local shown = {}
    for i, kid in ipairs(column.kids) do shown[i] = kid.value end
    assert.same({"a", "b", "x"}, shown)
    assert.same({a._id, b._id}, {column.kids[1].id, column.kids[2].id}, "a and b kept their ids")
  end)

  it("moves a control to another parent, keeping its id", function()
    local page, conn = helper.page(100, 100)
    local a, b, t = ft.Column{}, ft.Column{}, ft.Text "wanderer"
    a.controls[1] = t
    page:add(a, b)
    local id = t._id
    table.remove(a.controls, 1)
    b.controls[1] = t
    page:update()
    assert.same({{op = "move", id = id, parent = b._id, slot = "controls"},
                 {op = "clean", id = a._id, slot = "controls"}}, conn:last().ops)
    assert.equal(id, t._id)
  end)
end)
