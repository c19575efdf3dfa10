-- examples/controls/ (each family of the catalog) and examples/gallery.lua, with
-- flet.testing: each opens with no error and shows its controls. Their looks are checked in
-- a browser (tests/e2e/screenshots.test.js).
local testing = require "flet.testing"

describe("examples/controls", function()
  for _, family in ipairs({"buttons", "dialogs", "display", "gestures", "inputs", "layout",
                           "navigation", "text", "utilities", "views"}) do
    it(family .. ".lua opens and shows its controls", function()
      local app = testing.open("examples/controls/" .. family .. ".lua")
      finally(function() app:close() end)
      assert.truthy(#app:text() > 0)
    end)
  end

  it("gallery.lua opens on a family", function()
    local app = testing.open("examples/gallery.lua")
    finally(function() app:close() end)
    assert.truthy(#app:text() > 0)
  end)
end)
