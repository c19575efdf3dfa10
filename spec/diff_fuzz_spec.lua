local ft = require "flet"
local helper = require "spec.helper"
local RM = require "spec.model_client"
local core = require "luaflet.core"
local fixture = require "spec.client_fixture"
local F = require("flet.schema").fields

-- Random changes of every kind the diff handles: inserts, removes, swaps, moves across
-- parents and into new containers, the overlay, keys (changing type, too), user controls,
-- new wrappers, emptied lists and subtree updates. After every update the browser model
-- must equal the Lua tree, every control must know its page, and no mark may be left.
-- The first rounds are recorded as op streams for the browser client's tests
-- (spec/client_fixture.lua).
describe("the diff, against a model of the browser, under random changes", function()
  local U = ft.UserControl:extend("FU")
  function U:init(v) self.v = v end
  function U:build() self.inner = ft.Column{ft.Text(self.v)}; return self.inner end

  -- Runs `rounds` rounds of 30 updates from seed 1 and returns the number of updates and of
  -- move ops. Each round's page starts with `ballast` texts in a column of their own (so that
  -- the snapshot is large from the start); rec, when given, records the first ten rounds.
  local function fuzz(rounds, ballast, rec)
    local rng = 1
    local function rand(n) rng = (rng * 1103515245 + 12345) % 2147483648; return rng % n + 1 end
    local updates, moves = 0, 0
    for round = 1, rounds do
      local page, conn = helper.page(100, 100)
      local sc = rec and round <= 10 and rec:scenario("fuzz round " .. round, page, conn)
      local model = RM.new()
      local applied = 0
      local serial = 0
      if ballast > 0 then
        local col = ft.Column{}
        for i = 1, ballast do col.controls[i] = ft.Text("b" .. i) end
        page:add(col)
      end
      local function new_control()
        serial = serial + 1
        local r = rand(12)
        if r <= 3 then return ft.Column{} end
        if r == 4 then return ft.Container{} end
        if r == 5 then return U("u" .. serial) end
        local t = ft.Text("t" .. serial)
        if rand(3) == 1 then t.key = (rand(2) == 1) and ("k" .. serial) or serial end
        return t
      end
      local function lists()
        local out = {{owner = page, list = page.controls}}
        out[#out + 1] = {owner = page, list = page.overlay}
        local function visit(c)
          if c._type ~= "page" and c.controls then out[#out + 1] = {owner = c, list = c.controls} end
          for _, k in ipairs(c.controls or {}) do visit(k) end
          if c._type == "page" then for _, k in ipairs(c.overlay or {}) do visit(k) end end
          if c.content then visit(c.content) end
        end
        visit(page)
        return out
      end
      local function all_controls()
        local out = {}
        local function walk(c)
          for _, k in ipairs(c.controls or {}) do out[#out+1] = k; walk(k) end
          if c._type == "page" then for _, k in ipairs(c.overlay or {}) do out[#out+1] = k; walk(k) end end
          if c.content then out[#out+1] = c.content; walk(c.content) end
        end
        walk(page)
        return out
      end
      local function contains(a, b)
        if a == b then return true end
        for _, k in ipairs(a.controls or {}) do if contains(k, b) then return true end end
        return a.content ~= nil and contains(a.content, b)
      end
      local shown = {} -- the controls on the page after the last update
      for step = 1, 30 do
        local nchanges = rand(3)
        for _ = 1, nchanges do
          local ls = lists()
          local l = ls[rand(#ls)]
          local list = l.list
          local action = rand(12)
          if action <= 2 or #list == 0 then
            table.insert(list, rand(#list + 1), new_control())
          elseif action == 3 then
            table.remove(list, rand(#list))
          elseif action == 4 then
            local i, j = rand(#list), rand(#list)
            list[i], list[j] = list[j], list[i]
          elseif action == 5 then
            local i = rand(#list)
            local c = list[i]
            local dest = ls[rand(#ls)]
            if not contains(c, dest.owner) and true then
              table.remove(list, i)
              table.insert(dest.list, rand(#dest.list + 1), c)
            end
          elseif action == 6 then
            local c = list[rand(#list)]
            if c.value then c.value = c.value .. "!" end
          elseif action == 7 then
            local i = rand(#list)
            local c = list[i]
            if c.key ~= nil then
              local n = ft.Text((c.value or "?") .. "'")
              local kk = c.key
              if rand(2) == 1 then kk = type(kk) == "number" and tostring(kk) or #kk end
              n.key = kk
              list[i] = n
            end
          elseif action == 8 then
            -- move a control into a container (existing or new) elsewhere
            local all = all_controls()
            if #all > 0 then
              local c = all[rand(#all)]
              local conts = {}
              for _, x in ipairs(all) do
                if x._type == "container" and not contains(c, x) then conts[#conts+1] = x end
              end
              if #conts > 0 then
                -- detach c
                for _, L2 in ipairs(lists()) do
                  for i = #L2.list, 1, -1 do if L2.list[i] == c then table.remove(L2.list, i) end end
                end
                for _, x in ipairs(all) do if x.content == c then x.content = nil end end
                conts[rand(#conts)].content = c
              end
            end
          elseif action == 9 then
            local i = rand(#list)
            list[i] = ft.Column{list[i]}
          elseif action == 10 then
            local c = list[rand(#list)]
            if c._type == "container" then c.content = c.content == nil and new_control() or nil end
          elseif action == 11 then
            local all = all_controls()
            local c = all[rand(#all)]
            if c and c.page then c:update() end
          elseif action == 12 then
            while #list > 0 do table.remove(list) end
          end
        end
        page:update()
        updates = updates + 1
        for i = applied + 1, #conn.sent do
          for _, op in ipairs(conn.sent[i].ops or {}) do
            if op.op == "move" then moves = moves + 1 end
          end
        end
        local ok, err = pcall(function()
          applied = RM.sync(model, conn, applied)
          assert.same(RM.lua_shape(page), model:shape(0))
          if sc then sc.step() end
        end)
        if not ok then
          error(("round %d step %d: %s\nLua:   %s\nmodel: %s"):format(round, step, tostring(err),
            core.json_encode(RM.lua_shape(page)), core.json_encode(model:shape(0))), 0)
        end
        -- every control on the page must know its page
        for _, c in ipairs(all_controls()) do
          if c.page ~= page then
            error(("round %d step %d: a %s on the page does not know it"):format(round, step, c._type), 0)
          end
        end
        -- a control that left the page (with whatever held it) no longer knows it
        local now = {}
        for _, c in ipairs(all_controls()) do now[c] = true end
        for c in pairs(shown) do
          if not now[c] and c.page ~= nil then
            error(("round %d step %d: a removed %s still knows the page"):format(round, step, c._type), 0)
          end
        end
        shown = now
        -- nothing left marked after a full update
        if rawget(page, F.marks) ~= 0 then
          error(("round %d step %d: page still marked %s"):format(round, step,
            tostring(rawget(page, F.marks))), 0)
        end
        for _, c in ipairs(all_controls()) do
          if (rawget(c, F.marks) or 0) ~= 0 then
            error(("round %d step %d: control still marked %s"):format(round, step,
              tostring(rawget(c, F.marks))), 0)
          end
        end
      end
    end
    return updates, moves
  end

  it("keeps every invariant through 6,000 updates (fixed seed)", function()
    local rec = fixture.recorder("fuzz")
    local updates, moves = fuzz(200, 0, rec)
    assert.is_true(updates >= 3000)
    assert.is_true(moves > 0)
    rec:write()
  end)

  -- Past a few hundred nodes a snapshot takes its nodes from a pool of its own, and a list
  -- emptied of most of the page remakes the id map from what stays: the same invariants.
  it("keeps them on pages large enough for the snapshot's pool", function()
    local updates, moves = fuzz(40, 200, nil)
    assert.is_true(updates >= 1200)
    assert.is_true(moves > 0)
  end)
end)
