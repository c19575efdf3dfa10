-- examples/routing.lua with flet.testing: views pushed by page:go, a template route, the
-- back button, and a deep link.
local testing = require "flet.testing"

describe("examples/routing.lua", function()
  it("goes to the store and back", function()
    local app = testing.open("examples/routing.lua")
    finally(function() app:close() end)
    app:expect_text("Home")
    app:click("Visit store")
    assert.equal("Store\nGo home", app:text())
    assert.equal("/store", app:page().route)
    app:back()
    app:expect_text("Visit store")
    assert.equal("/", app:page().route)
    app:click("Read book 42")
    assert.equal("Book 42", app:text())
  end)

  it("opens a deep link", function()
    local app = testing.open("examples/routing.lua", {route = "/books/7"})
    finally(function() app:close() end)
    assert.equal("Book 7", app:text())
  end)
end)
