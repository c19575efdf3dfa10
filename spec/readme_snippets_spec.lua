-- The README's Lua snippets run as pasted: each is taken from README.md, written to a file of
-- its own and opened with flet.testing as the host would serve it (an app script), or, for
-- the snippet that is itself a busted spec, loaded to check that it compiles.
local testing = require "flet.testing"

local function snippets()
  local f = assert(io.open("README.md", "r"))
  local text = f:read("a")
  f:close()
  local out = {}
  for line, code in text:gmatch("()[ ]*```lua\n(.-)\n[ ]*```") do
    local n = select(2, text:sub(1, line):gsub("\n", "")) + 1
    out[#out + 1] = {line = n, code = code}
  end
  return out
end

describe("the README's snippets", function()
  local all = snippets()

  it("are there", function()
    assert.is_true(#all >= 8, "only " .. #all .. " Lua snippets found")
  end)

  for _, s in ipairs(all) do
    it("run as pasted: the one at README.md line " .. s.line, function()
      assert.truthy(load(s.code, "=README.md:" .. s.line), "it does not compile")
      if s.code:find("describe(", 1, true) then return end -- a spec, run by busted itself
      assert.truthy(s.code:find('require "flet"', 1, true), "it does not require flet")
      local path = os.tmpname() .. ".lua"
      local f = assert(io.open(path, "w"))
      f:write(s.code, "\n")
      f:close()
      local app = testing.open(path)
      finally(function()
        app:close()
        os.remove(path)
      end)
      -- Something shows, and the page is what the snippet made of it.
      assert.is_true(#app:text() > 0, "the page is empty")
    end)
  end
end)
