-- examples/countdown.lua with flet.testing: two countdowns of two and one minutes, in
-- virtual time (the test takes milliseconds).
local core = require "luaflet.core"
local testing = require "flet.testing"

describe("examples/countdown.lua", function()
  it("counts a minute down in virtual time", function()
    local t0 = core.real_now()
    local app = testing.open("examples/countdown.lua")
    finally(function() app:close() end)
    assert.equal("02:00\n01:00\nRemove the countdowns", app:text())
    app:advance(1)
    assert.equal("01:59\n00:59", app:text():match("^[^\n]*\n[^\n]*"))
    app:advance(58)
    app:expect_text("00:01")
    app:advance(1)
    -- The second countdown's task ends at zero: its text keeps the last second shown.
    assert.equal("01:00\n00:01", app:text():match("^[^\n]*\n[^\n]*"))
    app:click("Remove the countdowns")
    assert.equal("Remove the countdowns", app:text())
    assert.is_true(core.real_now() - t0 < 2)
  end)

  it("finds a text a sleep away with expect_text", function()
    local app = testing.open("examples/countdown.lua")
    finally(function() app:close() end)
    app:expect_text("01:55")
    app:expect_text("00:30", 31)
    assert.has_error(function() app:expect_text("00:00", 1) end)
  end)
end)
