-- Every await suspends or raises: an app that paces itself with update_async alone must not
-- spin (and so hold up every other session) when its client goes away, closes, or the
-- session ends.
local ft = require "flet"
local asyncio = require "asyncio"
local core = require "luaflet.core"
local session = require "flet.session"
local channel_mod = require "flet.channel"
local helper = require "spec.helper"
local RM = require "spec.model_client"

local deliver, register = helper.deliver, helper.register

-- An app that changes its page and awaits update_async, and nothing else. It counts its
-- turns in state.n, and gives up after `limit` turns so that a spin fails the spec instead
-- of hanging it.
local function paced(state, limit)
  return function(page)
    local t = ft.Text "0"
    page:add(t)
    state.n = 0
    while state.n < limit do
      state.n = state.n + 1
      t.value = tostring(state.n)
      local ok, err = pcall(page.update_async, page)
      if not ok then
        state.err = err
        error(err, 0)
      end
    end
    state.finished = true
  end
end

-- A socket that has closed: it answers send_async on the next turn, with false, "closed",
-- as the host's does.
local function closed_conn()
  local conn = helper.fake_conn()
  function conn.send_async()
    asyncio.sleep(0)
    return false, "closed"
  end
  return conn
end

describe("update_async in a loop", function()
  it("waits while the session is detached, then goes on once its tab is back", function()
    local state = {}
    local on_message, on_close = session.handlers(paced(state, 5000))
    helper.run(function()
      local model = RM.new()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      asyncio.sleep(0.005)
      for _, m in ipairs(c1.sent) do assert(not RM.receive(model, m)) end
      deliver(on_close, c1, 0)
      local n0 = state.n
      asyncio.sleep(0.02) -- the loop has had every chance to run
      assert.is_true(state.n <= n0 + 1, ("%d turns while detached"):format(state.n - n0))
      assert.is_nil(state.finished)
      local c2 = helper.fake_conn()
      register(on_message, c2, {session = model.token, seq = model.seq})
      assert.equal("resume", c2.sent[1].t)
      asyncio.sleep(0.005)
      assert.is_true(state.n > n0 + 1, "the loop goes on once the tab is back")
      for _, m in ipairs(c2.sent) do assert(not RM.receive(model, m)) end
      deliver(on_close, c2, 1001)
      asyncio.sleep(0)
      assert.equal(asyncio.CancelledError, state.err)
    end)
  end)

  it("waits while its socket is closing, before the host has noticed the drop", function()
    local state = {}
    local on_message, on_close = session.handlers(paced(state, 5000))
    helper.run(function()
      local c1 = closed_conn()
      register(on_message, c1)
      asyncio.sleep(0.02)
      assert.is_true(state.n <= 2, ("%d turns on a closed socket"):format(state.n))
      deliver(on_close, c1, 1001)
      asyncio.sleep(0)
      assert.equal(asyncio.CancelledError, state.err)
    end)
  end)

  it("raises CancelledError in a task of another owner when the session ends", function()
    local page
    local on_message, on_close = session.handlers(function(p) page = p end, nil,
      {session_timeout = 0.01})
    local outcome, again
    helper.run(function()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      deliver(on_close, c1, 0) -- detached: update_async waits
      -- A task that no session owns, as a broadcast to every page would be.
      local t = core.spawn(function()
        page.controls[1] = ft.Text "changed"
        local ok, err = pcall(page.update_async, page)
        outcome = ok and "returned" or err
        ok, err = pcall(page.update_async, page)
        again = ok and "returned" or err
      end)
      asyncio.sleep(0.005)
      assert.is_nil(outcome)
      asyncio.sleep(0.03) -- the session's timeout passes and it ends
      assert.is_true(t:done())
      assert.equal(asyncio.CancelledError, outcome)
      assert.equal(asyncio.CancelledError, again)
    end)
  end)

  it("sends nothing and still lets the loop turn when nothing changed", function()
    local page, conn = helper.page(100, 100)
    local other = 0
    helper.run(function()
      local ticker = asyncio.create_task(function()
        while true do
          other = other + 1
          asyncio.sleep(0)
        end
      end)
      local sent = #conn.sent
      asyncio._run_owned(page, function()
        for _ = 1, 10 do page:update_async() end
      end)
      assert.equal(sent, #conn.sent)
      assert.is_true(other >= 9, ("the other task ran %d times"):format(other))
      ticker:cancel()
    end)
  end)
end)

describe("a channel", function()
  it("holds send_async while detached and releases it when the session ends", function()
    local ch = channel_mod.new(1024)
    local outcome
    helper.run(function()
      local t = core.spawn(function()
        local ok, err = pcall(ch.send_async, ch, "{}", 1, false)
        outcome = ok and "returned" or err
      end)
      asyncio.sleep(0.005)
      assert.is_nil(outcome)
      ch:close()
      asyncio.sleep(0)
      assert.equal(asyncio.CancelledError, outcome)
      assert.is_true(t:done())
      -- After the end, it raises at once.
      local ok, err = pcall(ch.send_async, ch, "{}", 2, false)
      assert.is_false(ok)
      assert.equal(asyncio.CancelledError, err)
    end)
  end)

  it("lets send_async go once a socket is attached, the message kept for its resume", function()
    local ch = channel_mod.new(1024)
    local outcome
    helper.run(function()
      core.spawn(function() outcome = ch:send_async('{"n":1}', 1, false) end)
      asyncio.sleep(0.005)
      assert.is_nil(outcome)
      local conn = helper.fake_conn()
      ch:attach(conn)
      assert.matches('"patches":%[{"n":1}%]', ch:catch_up(0))
      asyncio.sleep(0)
      assert.is_true(outcome)
    end)
  end)
end)
