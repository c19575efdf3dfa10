-- flet.template: what `luaflet new NAME` writes, a new app's folder: main.lua, a spec of it
-- with flet.testing, a .busted that finds this build's Lua library and C core (so `busted`
-- needs no flags), assets/ and a README of three lines.
local M = {}

local MAIN = [[
-- NAME: a Luaflet app. `luaflet main.lua` serves it at http://127.0.0.1:8550.
local ft = require "flet"

local function main(page)
  page.title = "NAME"
  page.vertical_alignment = ft.MainAxisAlignment.CENTER
  local count = ft.Text{value = "0", size = 40}
  local function add(n)
    return function()
      count.value = tostring(tonumber(count.value) + n)
      page:update()
    end
  end
  page:add(ft.Row({ft.IconButton{ft.Icons.REMOVE, tooltip = "Less", on_click = add(-1)}, count,
                   ft.IconButton{ft.Icons.ADD, tooltip = "More", on_click = add(1)}},
                  {alignment = ft.MainAxisAlignment.CENTER}))
end

ft.app(main)
]]

local SPEC = [[
-- The app, tested as a user uses it: flet.testing runs it headless and clicks its buttons.
local testing = require "flet.testing"

describe("NAME", function()
  it("counts up and down", function()
    local app = testing.open("main.lua")
    finally(function() app:close() end)
    app:expect_text("0")
    app:click{tooltip = "More"}
    app:click{tooltip = "More"}
    app:expect_text("2")
    app:click{tooltip = "Less"}
    assert.equal("1", app:text())
  end)
end)
]]

local BUSTED = [[
-- busted's settings: Lua 5.4, and where Luaflet's library (LUADIR) and its C core (CDIR) are.
return {
  default = {
    lua = "lua5.4",
    lpath = "./?.lua;LUADIR/?.lua;LUADIR/?/init.lua",
    cpath = "CDIR/?.so",
  },
}
]]

local README = [[
# NAME
Run it with `luaflet main.lua --reload` (http://127.0.0.1:8550, the page follows each save of main.lua).
Test it with `busted` (spec/main_spec.lua drives the app through flet.testing).
]]

local function fill(text, vars)
  return (text:gsub("%u%u+", function(w) return vars[w] end))
end

--- The folder's files, {path, text} each, and its folders, for an app named name whose
-- Lua library is at luadir and C modules (luaflet/core.so) under cdir.
function M.files(name, luadir, cdir)
  local vars = {NAME = name:match("[^/]+$"), LUADIR = luadir, CDIR = cdir}
  return {{"main.lua", fill(MAIN, vars)}, {"spec/main_spec.lua", fill(SPEC, vars)},
          {".busted", fill(BUSTED, vars)}, {"README.md", fill(README, vars)}},
    {"", "spec", "assets"}
end

--- Makes the folder `name` (which must not exist) with mkdir(path) -> true or nil, error.
-- Returns nil and why it could not.
function M.new(name, luadir, cdir, mkdir)
  local files, dirs = M.files(name, luadir, cdir)
  if io.open(name, "r") then return nil, name .. " already exists" end
  for _, d in ipairs(dirs) do
    local ok, err = mkdir(d == "" and name or name .. "/" .. d)
    if not ok then return nil, err end
  end
  for _, f in ipairs(files) do
    local path = name .. "/" .. f[1]
    local out, err = io.open(path, "w")
    if not out then return nil, err end
    out:write(f[2])
    out:close()
  end
  return true
end

return M
