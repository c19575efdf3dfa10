local ft = require "flet"
local asyncio = require "asyncio"
local session = require "flet.session"
local helper = require "spec.helper"

-- Drives the handlers the way the host does: each call in a task of its own.
local function deliver(handler, ...)
  local t = asyncio.create_task(handler, ...)
  asyncio.sleep(0)
  return t
end

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
      deliver(on_close, conn)
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
      deliver(on_message, conn, {t = "register", width = 1, height = 1})
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
      deliver(on_close, conn)
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
      deliver(on_message, conn, {t = "register", width = 1, height = 1})
      local id = conn:last().ops[1].node.id
      deliver(on_message, conn, {t = "event", id = id, name = "click", data = ""})
      deliver(on_message, conn, {t = "event", id = id, name = "click", data = ""})
      assert.equal(2, clicks)
      assert.equal(1, #errors)
      assert.matches("first click fails", errors[1])
      assert.matches("stack traceback", errors[1])
      deliver(on_close, conn)
    end)
  end)

  it("cancels the session's tasks and unmounts its controls when it ends", function()
    local conn = helper.fake_conn()
    local ticker, unmounted
    local Box = ft.UserControl:extend("Box")
    function Box:build() return ft.Text "b" end
    function Box:will_unmount() unmounted = true end
    local on_message, on_close = session.handlers(function(page)
      page:add(Box())
      ticker = asyncio.create_task(function() while true do asyncio.sleep(0.001) end end)
      asyncio.sleep(60)
    end)
    helper.run(function()
      local main = deliver(on_message, conn, {t = "register", width = 1, height = 1})
      asyncio.sleep(0.005)
      deliver(on_close, conn)
      asyncio.sleep(0)
      assert.is_true(ticker:cancelled())
      assert.is_true(main:cancelled())
      assert.is_true(unmounted)
    end)
  end)
end)
