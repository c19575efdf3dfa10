-- page.pubsub between the sessions of one host, and page.session, a session's own store.
local ft = require "flet"
local asyncio = require "asyncio"
local helper = require "spec.helper"
local pubsub = require "flet.pubsub"

local run = helper.run

-- A list that sets an event once it holds n items: what a spec waits on for deliveries.
local function collector()
  local c = {items = {}, event = asyncio.Event(), want = math.huge}
  function c.add(x)
    c.items[#c.items + 1] = x
    if #c.items >= c.want then c.event:set() end
  end
  function c.wait(n)
    c.want = n
    if #c.items >= n then return end
    c.event:clear()
    c.event:wait()
  end
  return c
end

describe("page.pubsub", function()
  it("sends a copy to every session's subscribers, or to the others only", function()
    run(function()
      local a, b, c = helper.page(), helper.page(), helper.page()
      local ga, gb, gc = collector(), collector(), collector()
      a.pubsub:subscribe(ga.add)
      b.pubsub:subscribe(gb.add)
      c.pubsub:subscribe_topic("elsewhere", gc.add)
      local msg = {user = "ada", text = "hi", tags = {"x"}}
      a.pubsub:send_all(msg)
      ga.wait(1)
      gb.wait(1)
      assert.same(msg, ga.items[1])
      assert.same(msg, gb.items[1])
      -- Copies: no session shares the sender's table, nor another session's.
      assert.are_not.equal(msg, ga.items[1])
      assert.are_not.equal(ga.items[1], gb.items[1])
      assert.are_not.equal(msg.tags, gb.items[1].tags)
      b.pubsub:send_others("from b")
      a.pubsub:send_all("last") -- sent after: once it is in, "from b" has been handled
      ga.wait(3)
      gb.wait(2)
      assert.same({"from b", "last"}, {ga.items[2], ga.items[3]})
      assert.same({"last"}, {gb.items[2]})
      assert.same({}, gc.items)
      for _, p in ipairs({a, b, c}) do p:_close() end
    end)
  end)

  it("delivers on topics, in send order, even to a handler that awaits", function()
    run(function()
      local a, b = helper.page(), helper.page()
      local seen = collector()
      b.pubsub:subscribe_topic("room", function(topic, m)
        -- The first message awaits longest: it is still handled first.
        for _ = 1, 5 - m do asyncio.sleep(0) end
        seen.add(topic .. m)
      end)
      b.pubsub:subscribe(function() seen.add("all") end)
      for i = 1, 4 do a.pubsub:send_all_on_topic("room", i) end
      a.pubsub:send_all_on_topic("other", 9)
      seen.wait(4)
      assert.same({"room1", "room2", "room3", "room4"}, seen.items)
      b.pubsub:send_others_on_topic("room", 5) -- b sends: b does not get it
      b.pubsub:unsubscribe_topic("room")
      a.pubsub:send_all_on_topic("room", 6)
      a.pubsub:send_all("marker") -- handled after anything sent before it
      seen.wait(5)
      assert.same({"room1", "room2", "room3", "room4", "all"}, seen.items)
      a:_close()
      b:_close()
    end)
  end)

  it("ends a session's subscriptions with it, or when it asks", function()
    run(function()
      local before = pubsub.count()
      local a, b = helper.page(), helper.page()
      local n = 0
      a.pubsub:subscribe(function() n = n + 1 end)
      b.pubsub:subscribe(function() n = n + 1 end)
      assert.equal(before + 2, pubsub.count())
      a:_close()
      assert.equal(before + 1, pubsub.count())
      b.pubsub:unsubscribe_all()
      assert.equal(before, pubsub.count())
      b.pubsub:send_all("x")
      asyncio.sleep(0)
      assert.equal(0, n)
      b:_close()
    end)
  end)

  it("reports a failing handler to the page and goes on with the next message", function()
    run(function()
      local a = helper.page()
      local errors, got = {}, collector()
      a.on_error = function(e) errors[#errors + 1] = e.data end
      a.pubsub:subscribe(function(m)
        if m == 1 then error("boom") end
        got.add(m)
      end)
      a.pubsub:send_all(1)
      a.pubsub:send_all(2)
      got.wait(1)
      assert.equal(2, got.items[1])
      assert.matches("boom", errors[1])
      a:_close()
    end)
  end)

  it("refuses a control in a message, sending it to no one", function()
    run(function()
      local a, b = helper.page(), helper.page()
      local n = 0
      b.pubsub:subscribe(function() n = n + 1 end)
      local ok, err = pcall(a.pubsub.send_all, a.pubsub, {c = ft.Text "x"})
      assert.is_false(ok)
      assert.matches("a control cannot be sent", err)
      assert.matches("pubsub.send_all: call it with a colon",
        select(2, pcall(a.pubsub.send_all, {})))
      asyncio.sleep(0)
      assert.equal(0, n)
      a:_close()
      b:_close()
    end)
  end)
end)

describe("page.session", function()
  it("keeps a session's values on the server", function()
    local page = helper.page()
    local other = helper.page()
    page.session:set("user", "ada")
    page.session.store:set("n", 3) -- Flet 1.0's page.session.store
    assert.equal("ada", page.session:get("user"))
    assert.is_true(page.session:contains_key("n"))
    assert.is_nil(other.session:get("user"))
    assert.same({"n", "user"}, page.session:get_keys())
    page.session:remove("n")
    assert.is_false(page.session:contains_key("n"))
    page.session:clear()
    assert.same({}, page.session:get_keys())
    assert.matches("call it with a colon", select(2, pcall(page.session.get, "user")))
  end)
end)
