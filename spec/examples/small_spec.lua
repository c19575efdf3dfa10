-- The small examples, with flet.testing. Not here: http_fetch.lua (it fetches the page it is
-- served at, which needs the host's HTTP server: tests/host covers it) and upload.lua (its
-- file picker needs a browser's file dialog: tests/e2e covers it).
local testing = require "flet.testing"

describe("the small examples", function()
  it("hello_async.lua shows its text", function()
    local app = testing.open("examples/hello_async.lua")
    finally(function() app:close() end)
    assert.equal("Hello, async world!", app:text())
    assert.equal("Hello, async world", app:page().title)
  end)

  it("say_hello.lua adds a text per click", function()
    local app = testing.open("examples/say_hello.lua")
    finally(function() app:close() end)
    app:click("Say hello!")
    app:click("Say hello!")
    assert.equal("Say hello!\nHello!\nHello!", app:text())
  end)

  it("say_hello_delay.lua answers each click a second later, clicks overlapping", function()
    local app = testing.open("examples/say_hello_delay.lua")
    finally(function() app:close() end)
    app:click("Say hello with delay!")
    app:advance(0.5)
    app:click("Say hello with delay!")
    assert.equal("Say hello with delay!\nClick 1: saying hello in a second...\n"
      .. "Click 2: saying hello in a second...", app:text())
    app:advance(0.5)
    app:expect_text("Hello! (1)")
    assert.is_nil(app:text():find("Hello! (2)", 1, true))
    app:expect_text("Hello! (2)")
  end)

  it("lambda_handlers.lua runs an inline handler that sleeps", function()
    local app = testing.open("examples/lambda_handlers.lua")
    finally(function() app:close() end)
    app:click("Inline, awaits")
    app:expect_text("Working...")
    app:advance(0.5)
    app:expect_text("Done after half a second")
    app:click("Inline, plain")
    app:expect_text("Clicked at once")
  end)

  it("page_resize.lua follows the window's size", function()
    local app = testing.open("examples/page_resize.lua", {width = 800, height = 600})
    finally(function() app:close() end)
    app:expect_text("800 x 600")
    app:resize(1024, 768)
    app:expect_text("1024 x 768")
  end)
end)
