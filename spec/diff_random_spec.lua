-- The diff against a model of the browser: random changes to a tree, thousands of updates,
-- and after each one the patch applied to the model must give exactly the Lua tree.
local ft = require "flet"
local page_mod = require "flet.page"
local helper = require "spec.helper"

local RM = require "spec.model_client"
local model_new, lua_shape = RM.new, RM.lua_shape

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
  it("keeps the model equal to the Lua tree through thousands of random updates", function()
    local rng_state = 20261125
    local function rand(n)
      rng_state = (rng_state * 1103515245 + 12345) % 2147483648
      return rng_state % n + 1
    end
    local updates, moves = 0, 0
    for _ = 1, 150 do
      local conn = helper.fake_conn()
      local page = page_mod.new(conn, 100, 100)
      local model = model_new()
      local serial = 0
      local function new_control()
        serial = serial + 1
        local r = rand(10)
        if r <= 3 then return ft.Column{} end
        if r == 4 then return ft.Container{} end
        local t = ft.Text("t" .. serial)
        if rand(3) == 1 then t.key = "k" .. serial end
        return t
      end
      -- Every list on the page (page.controls and the columns' lists) with its owner.
      local function lists()
        local out = {{owner = page, list = page.controls}}
        local function walk(c)
          if c.controls then
            for _, k in ipairs(c.controls) do
              if k.controls then out[#out + 1] = {owner = k, list = k.controls} end
              walk(k)
            end
          end
          if c.content then walk(c.content) end
        end
        walk(page)
        return out
      end
      local function contains(a, b) -- is b inside a (or a itself)?
        if a == b then return true end
        for _, k in ipairs(a.controls or {}) do if contains(k, b) then return true end end
        return a.content ~= nil and contains(a.content, b)
      end
      for _ = 1, 25 do
        local ls = lists()
        local l = ls[rand(#ls)]
        local list = l.list
        local action = rand(9)
        if action <= 2 or #list == 0 then
          table.insert(list, rand(#list + 1), new_control())
        elseif action == 3 then
          table.remove(list, rand(#list))
        elseif action == 4 then
          local i, j = rand(#list), rand(#list)
          list[i], list[j] = list[j], list[i]
        elseif action == 5 then
          for i = #list, 2, -1 do local j = rand(i); list[i], list[j] = list[j], list[i] end
        elseif action == 6 then -- to another list, never into itself
          local i = rand(#list)
          local c = list[i]
          local dest = ls[rand(#ls)]
          if not contains(c, dest.owner) then
            table.remove(list, i)
            table.insert(dest.list, rand(#dest.list + 1), c)
          end
        elseif action == 7 then
          local c = list[rand(#list)]
          if c.value then c.value = c.value .. "!" end
        elseif action == 8 then -- a new object with the same key replaces the old one
          local i = rand(#list)
          local c = list[i]
          if c.key then
            local n = ft.Text(c.value .. "'")
            n.key = c.key
            list[i] = n
          end
        else
          local c = list[rand(#list)]
          if c._type == "container" then
            c.content = c.content == nil and new_control() or nil
          end
        end
        local before = #conn.sent
        page:update()
        updates = updates + 1
        for s = before + 1, #conn.sent do
          for _, op in ipairs(conn.sent[s].ops) do
            model:apply(op)
            if op.op == "move" then moves = moves + 1 end
          end
        end
        assert.same(lua_shape(page), model:shape(0))
      end
    end
    assert.is_true(updates >= 3000)
    assert.is_true(moves > 0)
  end)

  it("reorders a list with the fewest moves, and a swap with exactly two", function()
    local rng_state = 7
    local function rand(n)
      rng_state = (rng_state * 1103515245 + 12345) % 2147483648
      return rng_state % n + 1
    end
    for _ = 1, 200 do
      local conn = helper.fake_conn()
      local page = page_mod.new(conn, 100, 100)
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
    local conn = helper.fake_conn()
    local page = page_mod.new(conn, 100, 100)
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

  it("moves a control to another parent, keeping its id", function()
    local conn = helper.fake_conn()
    local page = page_mod.new(conn, 100, 100)
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
