-- What the host learns of a session's browser: its user agent (page.client_user_agent, one
-- copy for the sessions that have the same), the platform it names (page.platform), and its
-- preferred color scheme (page.platform_brightness, on_platform_brightness_change).
local ft = require "flet"
local session = require "flet.session"
local client_info = require "flet.client_info"
local helper = require "spec.helper"
local asyncio = require "asyncio"

local UA = {
  iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    .. "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  ipad = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)",
  android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    .. "Chrome/124.0.0.0 Mobile Safari/537.36",
  mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    .. "Version/17.4 Safari/605.1.15",
  windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    .. "Chrome/124.0.0.0 Safari/537.36",
  linux = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
  chromeos = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko)",
  fuchsia = "Mozilla/5.0 (Fuchsia) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
}

describe("the client's user agent and platform", function()
  it("name Flet's platforms, or none", function()
    local P = ft.PagePlatform
    assert.equal(P.IOS, client_info.platform_of(UA.iphone))
    assert.equal(P.IOS, client_info.platform_of(UA.ipad))
    assert.equal(P.ANDROID, client_info.platform_of(UA.android))
    assert.equal(P.MACOS, client_info.platform_of(UA.mac))
    assert.equal(P.WINDOWS, client_info.platform_of(UA.windows))
    assert.equal(P.LINUX, client_info.platform_of(UA.linux))
    assert.equal(P.LINUX, client_info.platform_of(UA.chromeos))
    assert.equal(P.FUCHSIA, client_info.platform_of(UA.fuchsia))
    assert.is_nil(client_info.platform_of("curl/8.0"))
    assert.is_nil(client_info.platform_of(nil))
  end)

  it("are the page's, and one copy of a user agent serves every session that has it", function()
    local before = client_info.shared_count()
    local pages, conns, closes = {}, {}, {}
    local function app(page) pages[#pages + 1] = page end
    helper.run(function()
      -- The second is an equal string, but a copy of its own.
      for i, ua in ipairs({UA.android, table.concat({UA.android}), UA.windows, false}) do
        local on_message, on_close = session.handlers(app)
        local conn = helper.fake_conn()
        conn.ua = ua or nil
        helper.register(on_message, conn)
        conns[i], closes[i] = conn, on_close
      end
      assert.equal("android", pages[1].platform)
      assert.equal(UA.android, pages[2].client_user_agent)
      assert.equal(("%p"):format(pages[1].client_user_agent), ("%p"):format(pages[2].client_user_agent))
      assert.equal("windows", pages[3].platform)
      assert.is_nil(pages[4].client_user_agent)
      assert.is_nil(pages[4].platform)
      -- Fields of the server: never sent.
      assert.is_nil(conns[1]:last().tree.props.client_user_agent)
      assert.equal(before + 2, client_info.shared_count())
      helper.deliver(closes[1], conns[1], 1001)
      assert.equal(before + 2, client_info.shared_count(), "another session still has it")
      for i = 2, 4 do helper.deliver(closes[i], conns[i], 1001) end
      assert.equal(before, client_info.shared_count())
    end)
  end)

  it("share the string itself", function()
    -- Two equal long strings are two objects in Lua; %p tells them apart.
    local x1, x2 = ("x"):rep(100), ("x"):rep(100)
    local at = function(s) return ("%p"):format(s) end
    assert.are_not.equal(at(x1), at(x2))
    local a, b = client_info.share(x1), client_info.share(x2)
    assert.equal(at(x1), at(a))
    assert.equal(at(x1), at(b))
    client_info.release(a)
    client_info.release(b)
    client_info.release(b) -- one too many: nothing happens
    -- Released with its last user: the next is a copy of its own.
    assert.equal(at(x2), at(client_info.share(x2)))
    client_info.release(x2)
    assert.is_nil(client_info.share(nil))
  end)
end)

describe("the browser's brightness", function()
  it("starts as register says, light without it; another value is refused", function()
    local pages = {}
    local on_message, on_close = session.handlers(function(page) pages[#pages + 1] = page end)
    helper.run(function()
      local a, b, c = helper.fake_conn(), helper.fake_conn(), helper.fake_conn()
      helper.register(on_message, a, {brightness = "dark"})
      helper.register(on_message, b)
      assert.equal(ft.Brightness.DARK, pages[1].platform_brightness)
      assert.equal(ft.Brightness.LIGHT, pages[2].platform_brightness)
      helper.register(on_message, c, {brightness = "dim"})
      assert.equal("register: 'brightness' must be \"light\" or \"dark\"", c:last().message)
      assert.equal(2, #pages)
      helper.deliver(on_close, a, 1001)
      helper.deliver(on_close, b, 1001)
    end)
  end)

  it("changes before on_platform_brightness_change runs, with or without it", function()
    local page, conn = helper.page()
    page.platform_brightness = "light"
    -- No handler: the page follows all the same, and nothing is sent.
    assert.is_true(page:_dispatch(0, "platform_brightness_change", "dark"))
    assert.equal("dark", page.platform_brightness)
    local seen
    page.on_platform_brightness_change = function(e)
      seen = {e.brightness, e.data, e.page.platform_brightness}
    end
    page:update()
    assert.is_true(conn:last().ops[1].props.on_platform_brightness_change)
    local n = #conn.sent
    assert.is_true(page:_dispatch(0, "platform_brightness_change", "light"))
    assert.same({"light", "light", "light"}, seen)
    assert.is_false(page:_dispatch(0, "platform_brightness_change", "sepia"))
    assert.equal("light", page.platform_brightness)
    page:update()
    assert.equal(n, #conn.sent)
  end)

  it("changed while the socket was away is a change when the tab comes back", function()
    local RM = require "spec.model_client"
    local changes = {}
    local on_message, on_close, sessions = session.handlers(function(page)
      page.on_platform_brightness_change = function(e) changes[#changes + 1] = e.brightness end
      page:update()
    end)
    helper.run(function()
      local model = RM.new()
      local c1 = helper.fake_conn()
      helper.register(on_message, c1, {brightness = "light"})
      asyncio.sleep(0)
      for _, m in ipairs(c1.sent) do assert(not RM.receive(model, m)) end
      helper.deliver(on_close, c1, 0)
      -- Back with the same: nothing to tell.
      local c2 = helper.fake_conn()
      helper.register(on_message, c2, {session = model.token, seq = model.seq, brightness = "light"})
      asyncio.sleep(0)
      assert.same({}, changes)
      helper.deliver(on_close, c2, 0)
      local c3 = helper.fake_conn()
      helper.register(on_message, c3, {session = model.token, seq = model.seq, brightness = "dark"})
      asyncio.sleep(0)
      assert.same({"dark"}, changes)
      assert.equal("dark", sessions.sessions[model.token].page.platform_brightness)
      helper.deliver(on_close, c3, 1001)
    end)
  end)
end)

describe("flet.testing", function()
  it("opens an app as a browser with a user agent and a brightness would", function()
    local testing = require "flet.testing"
    local app = testing.open(function(page)
      page:add(ft.Text(("%s %s"):format(page.platform, page.platform_brightness)))
    end, {user_agent = UA.iphone, brightness = "dark"})
    assert.equal(UA.iphone, app:page().client_user_agent)
    assert.equal("ios dark", app:page().controls[1].value)
    app:close()
  end)
end)

describe("a session's rebuild (--reload)", function()
  it("keeps what the host learned of the browser", function()
    local on_message, on_close, sessions = session.handlers(function(page) page:update() end)
    helper.run(function()
      local conn = helper.fake_conn()
      conn.ua = UA.mac
      helper.register(on_message, conn, {brightness = "dark"})
      asyncio.sleep(0)
      local seen
      sessions.rebuild(function(p)
        seen = {p.client_user_agent, p.platform, p.platform_brightness}
        p:update()
      end)
      asyncio.sleep(0.005)
      assert.same({UA.mac, "macos", "dark"}, seen)
      helper.deliver(on_close, conn, 1001)
    end)
  end)
end)
