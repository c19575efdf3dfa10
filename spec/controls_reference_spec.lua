-- The controls reference (docs/controls/) is written from the schema: it must be what
-- tools/controls_reference.lua writes now, and every control must say what it is.
local reference = dofile("tools/controls_reference.lua")
local schema = require "flet.schema"

local function read(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

describe("the controls reference", function()
  it("is what the schema makes of it (run make docs after changing the catalog)", function()
    for name, text in pairs(reference.pages()) do
      assert.equal(text, read("docs/controls/" .. name), "docs/controls/" .. name .. " is stale")
    end
  end)

  it("has a sentence for every control of the catalog, and a page per family", function()
    for _, family in ipairs(schema.families) do
      for _, e in ipairs(require("flet.catalog." .. family).controls) do
        assert.is_string(e.doc, e.name .. " has no doc")
      end
      assert.truthy(read("docs/controls/" .. family .. ".md"), family)
    end
  end)
end)
