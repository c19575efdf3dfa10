-- examples/chat.lua with flet.testing: two tabs, each its own session, talking through
-- page.pubsub.
local testing = require "flet.testing"

describe("examples/chat.lua", function()
  it("asks for a name, then carries messages between sessions", function()
    local alice = testing.open("examples/chat.lua")
    finally(function() alice:close() end)
    local bob = alice:new_session()
    alice:expect_text("Welcome!")

    alice:click("Join chat")
    alice:expect_text("Name cannot be blank!")
    alice:type(alice:find{label = "Enter your name to join the chat"}, "Alice")
    alice:click("Join chat")
    alice:expect_no_text("Welcome!")
    alice:expect_text("Alice has joined the chat.")
    bob:expect_text("Alice has joined the chat.")

    local name = bob:find{label = "Enter your name to join the chat"}
    bob:type(name, "Bob")
    bob:submit(name)
    alice:expect_text("Bob has joined the chat.")

    local field = alice:find{hint_text = "Write a message..."}
    alice:type(field, "Hi Bob")
    alice:submit(field)
    bob:expect_text("Hi Bob")
    assert.equal("", field.value)
    bob:type(bob:find{hint_text = "Write a message..."}, "Hello")
    bob:click{tooltip = "Send message"}
    alice:expect_text("Hello")
    bob:close()
  end)
end)
