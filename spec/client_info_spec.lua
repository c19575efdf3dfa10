-- What the host learns of a session's browser: its user agent (page.client_user_agent, one
-- copy for the sessions that have the same) and the platform it names (page.platform).
local ft = require "flet"
local session = require "flet.session"
local client_info = require "flet.client_info"
local helper = require "spec.helper"

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

describe("flet.testing", function()
  it("opens an app as a browser with a user agent would", function()
    local testing = require "flet.testing"
    local app = testing.open(function(page)
      page:add(ft.Text(tostring(page.platform)))
    end, {user_agent = UA.iphone})
    assert.equal(UA.iphone, app:page().client_user_agent)
    assert.equal("ios", app:page().controls[1].value)
    app:close()
  end)
end)
