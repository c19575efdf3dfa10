-- `luaflet new NAME`: the folder it makes runs its own spec with a bare `busted`, and its
-- app loads in flet.testing.
local testing = require "flet.testing"

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  local ok = p:close()
  return ok, out
end

describe("luaflet new", function()
  local dir
  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(sh("mkdir " .. dir))
  end)
  after_each(function() sh("rm -rf " .. dir) end)

  it("makes an app whose spec passes with a bare busted", function()
    local ok, out = sh(("cd %s && %s/build/luaflet new myapp"):format(dir, os.getenv("PWD")))
    assert.is_true(ok, out)
    for _, f in ipairs({"main.lua", "spec/main_spec.lua", ".busted", "README.md"}) do
      assert.truthy(io.open(dir .. "/myapp/" .. f), f)
    end
    assert.truthy(io.open(dir .. "/myapp/assets/", "r") or sh("test -d " .. dir .. "/myapp/assets"))
    local readme = io.open(dir .. "/myapp/README.md"):read("a")
    assert.equal(3, select(2, readme:gsub("\n", "")))
    assert.matches("--reload", readme, 1, true)
    ok, out = sh(("cd %s/myapp && env -u LUA_PATH -u LUA_CPATH -u LUA_PATH_5_4 -u LUA_CPATH_5_4 busted -o TAP")
      :format(dir))
    assert.is_true(ok, out)
    assert.matches("ok 1 - myapp counts up and down", out, 1, true)

    local app = testing.open(dir .. "/myapp/main.lua")
    finally(function() app:close() end)
    app:click{tooltip = "More"}
    assert.equal("1", app:text())
  end)

  it("refuses a folder that exists, and a missing name", function()
    local luaflet = os.getenv("PWD") .. "/build/luaflet"
    assert(sh(("cd %s && mkdir taken"):format(dir)))
    local ok, out = sh(("cd %s && %s new taken"):format(dir, luaflet))
    assert.is_falsy(ok)
    assert.matches("taken already exists", out, 1, true)
    ok, out = sh(luaflet .. " new")
    assert.is_falsy(ok)
    assert.matches("usage: luaflet new NAME", out, 1, true)
  end)
end)
