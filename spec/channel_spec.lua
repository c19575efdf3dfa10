-- flet.channel: numbering, keeping patches until they are acknowledged, catching a client
-- up, the byte budgets, and send/send_async through sockets that come and go. (send_async
-- waiting while detached, released by attach or raising at the session's end, is in
-- awaits_spec.lua.)
local asyncio = require "asyncio"
local core = require "luaflet.core"
local channel = require "flet.channel"
local helper = require "spec.helper"

-- Sends patch number seq, `size` bytes long, as the page does: its number comes from
-- next_seq().
local function patch(ch, size)
  local seq = ch:next_seq()
  local text = ('{"n":%d%s}'):format(seq, (" "):rep(size and size - #tostring(seq) - 6 or 0))
  assert(ch:send(text, seq, false))
  return text
end

-- The patches a catch_up carries, as the numbers written in them; nil for no catch-up.
local function missed(ch, seq)
  local msg = ch:catch_up(seq)
  if not msg then return nil end
  local decoded = core.json_decode(msg)
  assert.equal("resume", decoded.t)
  assert.equal(ch:seq(), decoded.seq)
  local out = {}
  for i, p in ipairs(decoded.patches) do out[i] = p.n end
  return out
end

describe("a channel", function()
  it("numbers messages from 1, one count for the session's life", function()
    local ch = channel.new(1000)
    assert.equal(0, ch:seq())
    assert.equal(1, ch:next_seq())
    patch(ch)
    patch(ch)
    assert.equal(2, ch:seq())
    ch:send("{}", ch:next_seq(), true) -- an init takes the next number too
    assert.equal(3, ch:seq())
    assert.equal(4, ch:next_seq())
  end)

  it("catches a client up with exactly the patches it missed", function()
    local ch = channel.new(1000)
    for _ = 1, 4 do patch(ch) end
    assert.same({2, 3, 4}, missed(ch, 1))
    assert.same({1, 2, 3, 4}, missed(ch, 0))
    assert.same({}, missed(ch, 4), "a client that missed nothing")
    assert.is_nil(ch:catch_up(5), "a number never sent")
    assert.is_nil(ch:catch_up(1.5))
    assert.is_nil(ch:catch_up("1"))
  end)

  it("forgets what an init makes irrelevant", function()
    local ch = channel.new(1000)
    patch(ch)
    patch(ch)
    ch:send('{"whole":1}', ch:next_seq(), true)
    assert.equal(0, ch:kept_bytes())
    assert.is_nil(ch:catch_up(1), "the client needs the whole page")
    assert.same({}, missed(ch, 3))
    patch(ch)
    assert.same({4}, missed(ch, 3))
  end)

  it("restarts the run after a patch that does not follow it", function()
    local ch = channel.new(1000)
    patch(ch)
    ch:send('{"n":5}', 5, false)
    assert.equal(5, ch:seq())
    assert.is_nil(ch:catch_up(0))
    assert.same({}, missed(ch, 5))
    assert.equal(0, ch:kept_bytes())
  end)

  it("forgets acknowledged patches, and ignores a number it cannot use", function()
    local ch = channel.new(1000)
    for _ = 1, 4 do patch(ch, 20) end
    assert.equal(80, ch:kept_bytes())
    ch:ack(2)
    assert.equal(40, ch:kept_bytes())
    assert.is_nil(ch:catch_up(1), "acknowledged: no longer kept")
    assert.same({3, 4}, missed(ch, 2))
    ch:ack(3.5)
    ch:ack("3")
    ch:ack(nil)
    assert.equal(40, ch:kept_bytes())
    assert.same({3, 4}, missed(ch, 2))
    ch:ack(99) -- past the last sent: everything sent
    assert.equal(0, ch:kept_bytes())
    assert.same({}, missed(ch, 4))
    patch(ch)
    assert.same({5}, missed(ch, 4), "numbering goes on after an ack past the end")
  end)

  it("drops the oldest patches past its budget; a client that needs them gets the page", function()
    local ch = channel.new(100)
    ch:attach(helper.fake_conn())
    for _ = 1, 5 do patch(ch, 30) end
    assert.equal(90, ch:kept_bytes())
    assert.is_nil(ch:catch_up(1))
    assert.same({3, 4, 5}, missed(ch, 2))
    patch(ch, 150) -- bigger than the whole budget: nothing can be kept
    assert.equal(0, ch:kept_bytes())
    assert.same({}, missed(ch, 6))
    assert.is_nil(ch:catch_up(5))
  end)

  it("keeps up to its budget exactly, not a byte more", function()
    local ch = channel.new(100)
    ch:attach(helper.fake_conn())
    patch(ch, 50)
    patch(ch, 50)
    assert.equal(100, ch:kept_bytes())
    ch:ack(1)
    patch(ch, 51) -- 101 bytes: the oldest goes
    assert.equal(51, ch:kept_bytes())
    assert.same({3}, missed(ch, 2))
    assert.is_nil(ch:catch_up(1))
  end)

  it("keeps to the detached budget while no socket is attached", function()
    local ch = channel.new(100, 40)
    local conn = helper.fake_conn()
    ch:attach(conn)
    for _ = 1, 3 do patch(ch, 30) end
    assert.equal(90, ch:kept_bytes())
    ch:attach(nil) -- the tab is gone: what is kept shrinks at once
    assert.equal(30, ch:kept_bytes())
    assert.same({3}, missed(ch, 2))
    patch(ch, 30)
    assert.equal(30, ch:kept_bytes(), "and stays within it")
    assert.same({4}, missed(ch, 3))
    ch:attach(conn)
    patch(ch, 30)
    patch(ch, 30)
    assert.equal(90, ch:kept_bytes(), "the whole budget again once attached")
  end)

  it("sends through the socket attached, keeping the message either way", function()
    local ch = channel.new(1000)
    assert.is_true(ch:send('{"n":1}', 1, false), "no socket: kept for the reconnect")
    local conn = helper.fake_conn()
    ch:attach(conn)
    assert.equal(conn, ch:conn())
    assert.is_true(ch:send('{"n":2}', 2, false))
    assert.is_true(ch:send('{"unnumbered":1}'), "a message without a number")
    assert.same({'{"n":2}', '{"unnumbered":1}'}, conn.raw)
    assert.equal(2, ch:seq(), "takes no number and is not kept")
    function conn.send() return false, "closed" end
    local ok, err = ch:send('{"n":3}', 3, false)
    assert.is_false(ok)
    assert.equal("closed", err)
    assert.same({1, 2, 3}, missed(ch, 0), "kept even when the socket refused it")
    ch:close()
    ok, err = ch:send('{"n":4}', 4, false)
    assert.is_false(ok)
    assert.equal("closed", err)
    assert.is_nil(ch:conn())
  end)

  it("lets send_async go once its socket has written the message", function()
    local ch = channel.new(1000)
    local conn = helper.fake_conn()
    ch:attach(conn)
    helper.run(function()
      assert.is_true(ch:send_async('{"n":1}', 1, false))
    end)
    assert.same({'{"n":1}'}, conn.raw)
  end)

  it("lets send_async go when its socket closed under it but another took over", function()
    local ch = channel.new(1000)
    local old = helper.fake_conn()
    local new = helper.fake_conn()
    -- The socket closes while the message is on its way, and the tab registers again.
    function old.send_async()
      asyncio.sleep(0)
      ch:attach(new)
      return false, "closed"
    end
    ch:attach(old)
    helper.run(function()
      assert.is_true(ch:send_async('{"n":1}', 1, false))
    end)
    assert.same({1}, missed(ch, 0), "the new socket's resume carries it")
  end)

  it("makes send_async wait for a socket when its own closed under it", function()
    local ch = channel.new(1000)
    local old = helper.fake_conn()
    function old.send_async()
      asyncio.sleep(0)
      ch:attach(nil)
      return false, "closed"
    end
    ch:attach(old)
    local outcome
    helper.run(function()
      local t = core.spawn(function() outcome = ch:send_async('{"n":1}', 1, false) end)
      asyncio.sleep(0.001)
      assert.is_nil(outcome, "still waiting")
      ch:attach(helper.fake_conn())
      asyncio.sleep(0)
      assert.is_true(outcome)
      assert.is_true(t:done())
    end)
  end)
end)
