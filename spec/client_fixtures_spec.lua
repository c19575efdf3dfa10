-- Scenarios the diff found hard, recorded as op streams for the browser client's tests
-- (spec/client_fixture.lua says how): moves into new containers, keyed replacements, swaps,
-- moves out of removed subtrees, and an update that fails half-way and is followed by the
-- whole page. Random updates are recorded by diff_fuzz_spec.lua.
local ft = require "flet"
local helper = require "spec.helper"
local fixture = require "spec.client_fixture"

-- A tree nested deeper than the diff allows makes the update fail half-way.
local function too_deep()
  local top = ft.Column{}
  local cur = top
  for _ = 1, 510 do local k = ft.Column{}; cur.controls[1] = k; cur = k end
  return top
end

describe("op streams for the client's tests", function()
  local rec = fixture.recorder("scenarios")
  local function scenario(title)
    local page, conn = helper.page(100, 100)
    return page, rec:scenario(title, page, conn)
  end

  it("move a control into a new container, then update it", function()
    local page, sc = scenario("into a new container")
    local x, y = ft.Text "x", ft.Text "y"
    page:add(x, y)
    sc.step()
    page.controls[1] = ft.Column{x}
    page.controls[2] = ft.Container{content = ft.Row{y}}
    page:update()
    sc.step()
    x.value, y.value = "x2", "y2"
    page:update()
    sc.step()
  end)

  it("replace keyed controls, of the same and of another type", function()
    local page, sc = scenario("keyed replacements")
    local U = ft.UserControl:extend("FixtureU")
    function U:init(name) self.name = name; self.key = "u" end
    function U:build() return ft.Text(self.name) end
    page:add(ft.Text{value = "a", key = "k"}, ft.Text{value = "b", key = 2}, U("first"))
    sc.step()
    page.controls[1] = ft.Text{value = "a2", key = "k"}      -- same key, same type
    page.controls[2] = ft.Column{key = 2, ft.Text "inside"}  -- same key, another type
    page.controls[3] = U("second")
    page:update()
    sc.step()
    local a, b = ft.Text{value = "a", key = "s"}, ft.Text{value = "b", key = "s"}
    local c1, c2 = ft.Column{a}, ft.Column{b}
    page.controls = {c1, c2}
    page:update()
    sc.step()
    c1.controls[1] = b -- b takes a's key and place; a goes
    table.remove(c2.controls, 1)
    page:update()
    sc.step()
  end)

  it("swap siblings, far apart and sharing a key", function()
    local page, sc = scenario("swaps")
    for i = 1, 20 do page.controls[i] = ft.Text("row " .. i) end
    page:update()
    sc.step()
    local l = page.controls
    l[2], l[19] = l[19], l[2]
    l[1], l[20] = l[20], l[1]
    page:update()
    sc.step()
    page.controls = {ft.Text{value = "x", key = 1}, ft.Text{value = "y", key = 1}, ft.Text "z"}
    page:update()
    sc.step()
    l = page.controls
    l[2], l[3] = l[3], l[2]
    page:update()
    sc.step()
  end)

  it("move controls out of subtrees that are removed", function()
    local page, sc = scenario("out of removed subtrees")
    local x, z = ft.Text "x", ft.Text "z"
    local r = ft.Column{ft.Column{x}, ft.Text "r"}
    local q = ft.Container{content = ft.Column{z}}
    local b = ft.Column{}
    page:add(r, b, q)
    page.overlay = {ft.Column{ft.Text "o"}}
    page:update()
    sc.step()
    page.controls = {b}          -- r and q go, x and z stay
    b.controls[1] = x
    page.overlay[1].controls[2] = z
    x.value = "x2"
    page:update()
    sc.step()
    page.overlay = {}            -- the overlay's column goes, z comes out of it
    page.controls[2] = z
    page:update()
    sc.step()
  end)

  it("send the whole page after an update that failed half-way, then patches again", function()
    local page, sc = scenario("init after a failed update")
    local a, t = ft.Text "a", ft.Text "t"
    page:add(a, ft.Column{t})
    sc.step()
    page.controls = {too_deep(), t}
    assert.is_false(pcall(page.update, page))
    page.controls = {t}
    page:update()
    sc.step()
    t.value = "t2"
    page.controls[2] = ft.Text "new"
    page:update()
    sc.step()
  end)

  it("writes them", function()
    rec:write()
  end)
end)
