local ft = require "flet"
local asyncio = require "asyncio"
local session = require "flet.session"
local helper = require "spec.helper"

local deliver, register = helper.deliver, helper.register

-- An app with one text.
local function one_text(page) page:add(ft.Text "x") end

describe("session", function()
  it("answers register with the empty page, then runs main", function()
    local conn = helper.fake_conn()
    local seen_page
    local on_message, on_close = session.handlers(function(page)
      seen_page = page
      page:add(ft.Text "hi")
    end)
    helper.run(function()
      deliver(on_message, conn, {t = "register", width = 640, height = 480})
      assert.equal("init", conn.sent[1].t)
      assert.same({id = 0, type = "page", props = {}, slots = {}}, conn.sent[1].tree)
      assert.equal("add", conn.sent[2].ops[1].op)
      assert.equal(640, seen_page.width)
      deliver(on_close, conn, 1001)
    end)
  end)

  it("answers malformed messages with an error and keeps the session", function()
    local conn = helper.fake_conn()
    local clicks = 0
    local on_message, on_close = session.handlers(function(page)
      page:add(ft.ElevatedButton{"b", on_click = function() clicks = clicks + 1 end})
    end)
    helper.run(function()
      deliver(on_message, conn, {t = "event", id = 1, name = "click"})
      assert.equal("event: register first", conn:last().message)
      register(on_message, conn)
      local id = conn:last().ops[1].node.id
      for _, bad in ipairs({
        {{t = "event", id = "1", name = "click"}, "event: 'id' must be an integer"},
        {{t = "event", id = id, name = 5}, "event: 'name' must be a string"},
        {{t = "event", id = id, name = "click", data = {}}, "event: 'data' must be a string"},
        {{t = "nope"}, "unknown message type nope"},
        {"text", "a message must be a JSON object"},
        {{t = "register", width = 1, height = 1}, "register: the session is already registered"},
      }) do
        deliver(on_message, conn, bad[1])
        assert.equal("error", conn:last().t)
        assert.equal(bad[2], conn:last().message)
      end
      deliver(on_message, conn, {t = "event", id = id, name = "click", data = ""})
      assert.equal(1, clicks)
      deliver(on_close, conn, 1001)
    end)
  end)

  it("reports a handler's error to on_error and handles the next event", function()
    local conn = helper.fake_conn()
    local errors, clicks = {}, 0
    local on_message, on_close = session.handlers(function(page)
      page.on_error = function(e) errors[#errors + 1] = e.data end
      page:add(ft.ElevatedButton{"b", on_click = function()
        clicks = clicks + 1
        if clicks == 1 then error("first click fails") end
      end})
    end)
    helper.run(function()
      register(on_message, conn)
      local id = conn:last().ops[1].node.id
      deliver(on_message, conn, {t = "event", id = id, name = "click", data = ""})
      deliver(on_message, conn, {t = "event", id = id, name = "click", data = ""})
      assert.equal(2, clicks)
      assert.equal(1, #errors)
      assert.matches("first click fails", errors[1])
      assert.matches("stack traceback", errors[1])
      deliver(on_close, conn, 1001)
    end)
  end)

  it("cancels the session's tasks and unmounts its controls when it ends", function()
    local conn = helper.fake_conn()
    local ticker, unmounted
    local Box = ft.UserControl:extend("Box")
    function Box.build() return ft.Text "b" end
    function Box.will_unmount() unmounted = true end
    local on_message, on_close = session.handlers(function(page)
      page:add(Box())
      ticker = asyncio.create_task(function() while true do asyncio.sleep(0.001) end end)
      asyncio.sleep(60)
    end)
    helper.run(function()
      local main = register(on_message, conn)
      asyncio.sleep(0.005)
      deliver(on_close, conn, 1001)
      asyncio.sleep(0)
      assert.is_true(ticker:cancelled())
      assert.is_true(main:cancelled())
      assert.is_true(unmounted)
    end)
  end)
end)

describe("a session whose socket drops", function()
  local RM = require "spec.model_client"

  -- An app whose task changes the page every millisecond, as a clock would.
  local function ticking(state)
    return function(page)
      local t = ft.Text "0"
      page:add(t)
      page.on_connect = function() state.connects = (state.connects or 0) + 1 end
      page.on_disconnect = function() state.disconnects = (state.disconnects or 0) + 1 end
      local n = 0
      while true do
        asyncio.sleep(0.001)
        n = n + 1
        t.value = tostring(n)
        page:update()
      end
    end
  end

  -- Feeds the model the messages conn got from index `from` on, up to `upto` (the rest are
  -- lost in flight); fails on a lost or doubled message.
  local function feed(model, conn, from, upto)
    for i = from, upto or #conn.sent do
      local err = RM.receive(model, conn.sent[i])
      assert(not err, err)
    end
  end

  it("is sent exactly what it missed when it comes back, and tells the app", function()
    local state = {}
    local on_message, on_close = session.handlers(ticking(state))
    helper.run(function()
      local model = RM.new()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      asyncio.sleep(0.01)
      -- The last two patches never reach the browser, then the socket drops.
      feed(model, c1, 1, #c1.sent - 2)
      deliver(on_close, c1, 0)
      assert.equal(1, state.disconnects)
      asyncio.sleep(0.01) -- the app goes on while nobody is connected
      local c2 = helper.fake_conn()
      register(on_message, c2, {session = model.token, seq = model.seq})
      assert.equal("resume", c2.sent[1].t)
      assert.is_true(#c2.sent[1].patches >= 3)
      feed(model, c2, 1)
      assert.equal(1, state.connects)
      asyncio.sleep(0.005)
      feed(model, c2, 2)
      assert.equal(model.seq, c2:last().seq)
      deliver(on_close, c2, 1001)
    end)
  end)

  it("gets the whole page when what it missed is no longer kept", function()
    local on_message, on_close, sessions = session.handlers(ticking({}), nil, {resume_budget = 300})
    helper.run(function()
      local model = RM.new()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      asyncio.sleep(0.005)
      feed(model, c1, 1)
      deliver(on_close, c1, 0)
      -- The app goes on until its patches come to far more than 300 bytes.
      local s = sessions.sessions[model.token]
      local seq = s.channel:seq()
      while s.channel:seq() < seq + 20 do asyncio.sleep(0.001) end
      local c2 = helper.fake_conn()
      register(on_message, c2, {session = model.token, seq = model.seq})
      assert.equal("init", c2.sent[1].t)
      feed(model, c2, 1)
      asyncio.sleep(0.005)
      feed(model, c2, 2)
      deliver(on_close, c2, 1001)
    end)
  end)

  it("keeps nothing the client has acknowledged", function()
    local on_message, on_close, sessions = session.handlers(function(page)
      local t = ft.Text "0"
      page:add(t)
      for i = 1, 3 do
        t.value = tostring(i)
        page:update()
      end
      asyncio.sleep(60)
    end)
    helper.run(function()
      local model = RM.new()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      asyncio.sleep(0.005)
      feed(model, c1, 1)
      local s = sessions.sessions[model.token]
      assert.is_true(s.channel:kept_bytes() > 0)
      deliver(on_message, c1, {t = "ack", seq = s.channel:seq()})
      assert.equal(0, s.channel:kept_bytes())
      deliver(on_message, c1, {t = "ack", seq = "x"})
      assert.equal("ack: 'seq' must be an integer", c1:last().message)
      deliver(on_close, c1, 1001)
    end)
  end)

  it("keeps what an acknowledgement behind the latest message leaves out, for a resume", function()
    local on_message, on_close, sessions = session.handlers(function(page)
      local t = ft.Text "0"
      page:add(t)
      for i = 1, 4 do
        t.value = tostring(i)
        page:update()
      end
      asyncio.sleep(60)
    end)
    helper.run(function()
      local model = RM.new()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      asyncio.sleep(0.005)
      -- The browser applied the page and the first two patches; the ack for them arrives
      -- after the host sent two more, which the network then loses.
      feed(model, c1, 1, 4)
      local s = sessions.sessions[model.token]
      assert.is_true(model.seq < s.channel:seq())
      deliver(on_message, c1, {t = "ack", seq = model.seq})
      deliver(on_close, c1, 0)
      local c2 = helper.fake_conn()
      register(on_message, c2, {session = model.token, seq = model.seq})
      assert.equal("resume", c2.sent[1].t)
      assert.equal(2, #c2.sent[1].patches)
      feed(model, c2, 1)
      assert.equal(s.channel:seq(), model.seq)
      assert.equal("4", model.nodes[model:shape(0).kids[1].id].props.value)
      deliver(on_close, c2, 1001)
    end)
  end)

  it("starts a new session for a tab that has no count, even with a token", function()
    local on_message, on_close, sessions = session.handlers(one_text)
    helper.run(function()
      local c1, c2 = helper.fake_conn(), helper.fake_conn()
      register(on_message, c1)
      local token = c1.sent[1].session
      assert.matches("^%x+$", token)
      assert.equal(32, #token)
      register(on_message, c2, {session = token})
      assert.equal("init", c2.sent[1].t)
      assert.are_not.equal(token, c2.sent[1].session)
      assert.equal(2, sessions.count())
      deliver(on_close, c1, 1001)
      deliver(on_close, c2, 1001)
      assert.equal(0, sessions.count())
    end)
  end)

  it("is taken over by its tab's new socket while the old one still seems open", function()
    local on_message, on_close, sessions = session.handlers(one_text)
    helper.run(function()
      local c1, c2 = helper.fake_conn(), helper.fake_conn()
      register(on_message, c1)
      local token = c1.sent[1].session
      register(on_message, c2, {session = token, seq = c1:last().seq})
      assert.equal("resume", c2.sent[1].t)
      assert.same({}, c2.sent[1].patches)
      assert.equal(4000, c1.closed_with)
      deliver(on_close, c1, 0) -- the old socket's end, noticed late, changes nothing
      assert.equal(1, sessions.count())
      deliver(on_close, c2, 1001)
      assert.equal(0, sessions.count())
    end)
  end)

  it("keeps at most max_sessions, ending the one detached longest to make room", function()
    local on_message, on_close, sessions = session.handlers(one_text,
      nil, {max_sessions = 2})
    helper.run(function()
      local c = {}
      for i = 1, 4 do c[i] = helper.fake_conn() end
      register(on_message, c[1])
      register(on_message, c[2])
      register(on_message, c[3])
      assert.equal("the server is full", c[3]:last().message)
      assert.equal(4008, c[3].closed_with)
      deliver(on_close, c[1], 0)
      register(on_message, c[4])
      assert.equal("init", c[4].sent[1].t)
      assert.equal(2, sessions.count())
      assert.is_nil(sessions.sessions[c[1].sent[1].session])
      deliver(on_close, c[2], 1001)
      deliver(on_close, c[4], 1001)
    end)
  end)

  it("does not wait long for a client that never acknowledged anything", function()
    local session_mod = session
    local saved = session_mod.UNACKED_TIMEOUT
    session_mod.UNACKED_TIMEOUT = 0.01
    local on_message, on_close, sessions = session.handlers(one_text)
    helper.run(function()
      local c1, c2 = helper.fake_conn(), helper.fake_conn()
      register(on_message, c1)
      register(on_message, c2)
      deliver(on_message, c2, {t = "ack", seq = 1})
      deliver(on_close, c1, 0)
      deliver(on_close, c2, 0)
      asyncio.sleep(0.03)
      assert.equal(1, sessions.count()) -- the one that acknowledged waits its hour
      assert.is_not_nil(sessions.sessions[c2.sent[1].session])
      sessions.close_all()
    end)
    session_mod.UNACKED_TIMEOUT = saved
  end)

  it("waits only UNLOAD_TIMEOUT for a page that unloaded (4001) to be reloaded", function()
    local saved = session.UNLOAD_TIMEOUT
    session.UNLOAD_TIMEOUT = 0.01
    local on_message, on_close, sessions = session.handlers(one_text)
    helper.run(function()
      local c1, c2 = helper.fake_conn(), helper.fake_conn()
      register(on_message, c1)
      register(on_message, c2)
      deliver(on_message, c1, {t = "ack", seq = 1})
      deliver(on_message, c2, {t = "ack", seq = 1})
      deliver(on_close, c1, 4001)
      deliver(on_close, c2, 0)
      asyncio.sleep(0.03)
      assert.equal(1, sessions.count()) -- the dropped one waits its hour
      assert.is_nil(sessions.sessions[c1.sent[1].session])
      sessions.close_all()
    end)
    session.UNLOAD_TIMEOUT = saved
  end)

  it("ends when its client does not come back in time", function()
    local unmounted = false
    local Box = ft.UserControl:extend("Box")
    function Box.build() return ft.Text "b" end
    function Box.will_unmount() unmounted = true end
    local main_task
    local on_message, on_close, sessions = session.handlers(function(page)
      main_task = asyncio.current_task()
      page:add(Box())
      asyncio.sleep(60)
    end, nil, {session_timeout = 0.01})
    helper.run(function()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      local token = c1.sent[1].session
      deliver(on_close, c1, 0)
      assert.equal(1, sessions.count())
      asyncio.sleep(0.03)
      assert.equal(0, sessions.count())
      assert.is_true(unmounted)
      assert.is_true(main_task:cancelled())
      local c2 = helper.fake_conn()
      register(on_message, c2, {session = token, seq = 2})
      assert.equal("init", c2.sent[1].t)
      assert.are_not.equal(token, c2.sent[1].session)
      deliver(on_close, c2, 1001)
    end)
  end)
end)

describe("detached sessions' memory", function()
  -- An app whose page changes every millisecond, with a text of some size.
  local function busy(page)
    local t = ft.Text ""
    page:add(t)
    local n = 0
    while true do
      asyncio.sleep(0.001)
      n = n + 1
      t.value = string.rep("x", 200) .. n
      page:update()
    end
  end

  it("keeps at most the detached budget of patches while the socket is gone", function()
    local budget = session.DETACHED_BUDGET
    session.DETACHED_BUDGET = 2000
    local on_message, on_close, sessions = session.handlers(busy)
    helper.run(function()
      local c1 = helper.fake_conn()
      register(on_message, c1)
      local s = sessions.sessions[c1.sent[1].session]
      -- Attached, it keeps more (the fake client never acknowledges).
      while s.channel:kept_bytes() <= 4000 do asyncio.sleep(0.001) end
      deliver(on_close, c1, 0)
      assert.is_true(s.channel:kept_bytes() <= 2000)
      local seq = s.channel:seq()
      while s.channel:seq() < seq + 20 do asyncio.sleep(0.001) end
      assert.is_true(s.channel:kept_bytes() <= 2000)
      -- Its client, back with an old count, gets the whole page.
      local c2 = helper.fake_conn()
      register(on_message, c2, {session = s.token, seq = 2})
      assert.equal("init", c2.sent[1].t)
      deliver(on_close, c2, 1001)
    end)
    session.DETACHED_BUDGET = budget
  end)

  it("ends the sessions detached longest once together they hold over the limit", function()
    local on_message, on_close, sessions = session.handlers(busy, nil,
      {max_detached_memory = 3 * session.DETACHED_BUDGET + 40000})
    helper.run(function()
      local tokens = {}
      for i = 1, 6 do
        local c = helper.fake_conn()
        register(on_message, c)
        tokens[i] = c.sent[1].session
        deliver(on_close, c, 0)
        asyncio.sleep(0.001)
      end
      assert.is_true(sessions.detached_bytes() <= 3 * session.DETACHED_BUDGET + 40000)
      assert.is_true(sessions.count() < 6 and sessions.count() >= 1,
        ("%d sessions left"):format(sessions.count()))
      -- The newest stays; the oldest went first.
      assert.is_not_nil(sessions.sessions[tokens[6]])
      assert.is_nil(sessions.sessions[tokens[1]])
      sessions.close_all()
      assert.equal(0, sessions.detached_bytes())
    end)
  end)

  it("counts an address's detached sessions against its cap, ending its oldest for a new one", function()
    local on_message, on_close, sessions = session.handlers(one_text, nil, {max_sessions_per_ip = 2})
    helper.run(function()
      local a1, a2, a3, b1 = helper.fake_conn(), helper.fake_conn(), helper.fake_conn(), helper.fake_conn()
      a1.addr, a2.addr, a3.addr, b1.addr = "10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"
      register(on_message, a1)
      register(on_message, a2)
      register(on_message, b1)
      register(on_message, a3)
      assert.equal(4008, a3.closed_with) -- both of its sessions are connected
      deliver(on_close, a1, 0)
      local a4 = helper.fake_conn()
      a4.addr = "10.0.0.1"
      register(on_message, a4)
      assert.equal("init", a4.sent[1].t)
      assert.is_nil(sessions.sessions[a1.sent[1].session])
      assert.equal(3, sessions.count())
      assert.is_true(a4.is_registered)
      sessions.close_all()
    end)
  end)
  it("ends the session detached longest of all and of an address, skipping those resumed", function()
    local on_message, on_close, sessions = session.handlers(one_text, nil,
      {max_sessions = 3, max_sessions_per_ip = 2})
    helper.run(function()
      local function open(addr)
        local c = helper.fake_conn()
        c.addr = addr
        register(on_message, c)
        return c, c.sent[1].session
      end
      local b1, tb1 = open("10.0.0.2")
      local a1, ta1 = open("10.0.0.1")
      local a2, ta2 = open("10.0.0.1")
      deliver(on_close, b1, 0) -- detached first of all
      deliver(on_close, a1, 0)
      deliver(on_close, a2, 0)
      -- a1 comes back: it is no longer waiting, so a2 is its address's oldest detached.
      local a1b = helper.fake_conn()
      a1b.addr = "10.0.0.1"
      register(on_message, a1b, {session = ta1, seq = 0})
      assert.equal(3, sessions.count())
      local a3 = open("10.0.0.1")
      assert.equal("init", a3.sent[1].t)
      assert.is_nil(sessions.sessions[ta2]) -- not b1's, detached longer, from another address
      assert.is_not_nil(sessions.sessions[tb1])
      assert.is_not_nil(sessions.sessions[ta1])
      -- The server is full (3): a session from a new address ends b1, detached longest.
      local c1 = open("10.0.0.3")
      assert.equal("init", c1.sent[1].t)
      assert.is_nil(sessions.sessions[tb1])
      assert.equal(3, sessions.count())
      sessions.close_all()
    end)
  end)
end)
