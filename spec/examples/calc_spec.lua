-- examples/calc.lua with flet.testing.
local testing = require "flet.testing"

describe("examples/calc.lua", function()
  it("adds, multiplies, divides by zero and clears", function()
    local app = testing.open("examples/calc.lua")
    finally(function() app:close() end)
    local result = app:find{type = "text", text = "0"}
    for _, key in ipairs({"1", "2", "+", "3", "="}) do app:click(key) end
    assert.equal("15", result.value)
    for _, key in ipairs({"*", "2", "="}) do app:click(key) end
    assert.equal("30", result.value)
    for _, key in ipairs({"/", "0", "="}) do app:click(key) end
    assert.equal("Error", result.value)
    app:click("AC")
    assert.equal("0", result.value)
  end)
end)
