-- examples/todo.lua, tested as its users would test it: with flet.testing.
local testing = require "flet.testing"

describe("examples/todo.lua", function()
  it("adds, completes, filters and clears tasks", function()
    local app = testing.open("examples/todo.lua")
    finally(function() app:close() end)
    app:expect_text("0 active item(s) left")
    local field = app:find{hint_text = "What needs to be done?"}
    app:type(field, "milk")
    app:click(app:find{type = "floatingactionbutton"})
    app:type(field, "eggs")
    app:submit(field)
    app:expect_text("2 active item(s) left")
    assert.equal("", field.value)
    app:click(app:find{type = "checkbox", label = "milk"})
    app:expect_text("1 active item(s) left")
    app:click("active")
    assert.is_nil(app:text():find("milk", 1, true))
    app:click("all")
    app:click("Clear completed")
    assert.equal(1, #app:find_all{type = "checkbox"})
  end)
end)
