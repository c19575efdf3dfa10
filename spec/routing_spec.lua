-- Routes as Flet's: page.route, page:go, page.query, ft.TemplateRoute, route_change from the
-- browser, view_pop, and the list methods Flet code calls on page.views.
local ft = require "flet"
local helper = require "spec.helper"

describe("routes", function()
  it("start at / and change with page:go, which runs on_route_change and sends the route", function()
    local page, conn = helper.page()
    assert.equal("/", page.route)
    local seen = {}
    page.on_route_change = function(e) seen[#seen + 1] = e.route .. " " .. e.data end
    page:go("/store")
    assert.same({"/store /store"}, seen)
    assert.equal("/store", page.route)
    assert.equal("/store", conn:last().ops[1].props.route)
    page:go("/search", {q = "lua flet", skip_route_change_event = true})
    assert.equal("/search?q=lua%20flet", page.route)
    assert.equal(1, #seen)
    assert.equal("lua flet", page.query.get("q"))
    assert.equal("lua flet", page.query:get("q"))
    assert.matches("page:go: expected a route starting with /", select(2, pcall(page.go, page, "x")))
    page:push_route("/x") -- Flet 1.0's name
    assert.equal("/x", page.route)
  end)

  it("follow the browser's back and forward without sending the route back", function()
    local page, conn = helper.page()
    local got
    page.on_route_change = function(e) got = e.route end
    page:update()
    local n = #conn.sent
    assert.is_true(page:_dispatch(0, "route_change", "/settings?tab=2"))
    assert.equal("/settings?tab=2", got)
    assert.equal("/settings?tab=2", page.route)
    assert.equal("2", page.query.get("tab"))
    page:update()
    assert.equal(n, #conn.sent)
    -- Not a route: dropped.
    assert.is_false(page:_dispatch(0, "route_change", "settings"))
  end)

  it("start where the browser's address says, by the app's route_url_strategy", function()
    local session = require "flet.session"
    local asyncio = require "asyncio"
    local function opened_at(address, strategy)
      local conn, seen = helper.fake_conn(), {}
      local on_message, on_close = session.handlers(function(page)
        seen.route = page.route
        page:update()
      end, nil, {route_url_strategy = strategy})
      helper.run(function()
        helper.register(on_message, conn, {route = address})
        asyncio.sleep(0)
        helper.deliver(on_close, conn, 1001)
      end)
      return seen.route, conn.sent[2] and conn.sent[2].ops[1].props or {}
    end
    -- The path and query, by default: a fragment is the browser's own.
    local route, props = opened_at("/store?x=1#top")
    assert.equal("/store?x=1", route)
    assert.is_nil(props.route_url_strategy)
    assert.equal("/", (opened_at("/#/store", "path")))
    -- The fragment with "hash", which the page's first update tells the client.
    route, props = opened_at("/#/books/7?x=1", "hash")
    assert.equal("/books/7?x=1", route)
    assert.same({route = "/books/7?x=1", route_url_strategy = "hash"}, props)
    assert.equal("/", (opened_at("/store", "hash")))
    assert.equal("/", (opened_at("/#top", "hash")))
    local routing = require "flet.routing"
    assert.equal("/", routing.route_of("", "path"))
    assert.equal("/a", routing.route_of("/x#/a", "hash"))
  end)

  it("keep their strategy through a rebuild (--reload)", function()
    local session = require "flet.session"
    local asyncio = require "asyncio"
    local on_message, on_close, sessions = session.handlers(function(page)
      page.title = "old"
      page:update()
    end, nil, {route_url_strategy = "hash"})
    helper.run(function()
      local conn = helper.fake_conn()
      helper.register(on_message, conn, {route = "/#/store"})
      asyncio.sleep(0)
      local page = select(2, next(sessions.sessions)).page
      local route
      sessions.rebuild(function(p)
        route = p.route
        p:update()
      end)
      asyncio.sleep(0.005)
      assert.equal("/store", route)
      assert.equal("hash", require("flet.fields").raw(page, "route_url_strategy"))
      for _, raw in ipairs(conn.raw) do
        assert.is_nil(raw:find('"route_url_strategy":null', 1, true), raw)
      end
      helper.deliver(on_close, conn, 1001)
    end)
  end)

  it("match template routes, with parameters as fields", function()
    local t = ft.TemplateRoute("/books/42?x=1")
    assert.is_true(t:match("/books/:id"))
    assert.equal("42", t.id)
    assert.is_false(t:match("/books"))
    assert.is_false(t:match("/authors/:id"))
    assert.is_true(ft.TemplateRoute("/a/b%20c/d"):match("/a/:x/d"))
    assert.is_true(ft.TemplateRoute("/about"):match("/about"))
    assert.is_false(ft.TemplateRoute("/about/more"):match("/about"))
    local two = ft.TemplateRoute("/u/7/posts/9")
    assert.is_true(two:match("/u/:user/posts/:post"))
    assert.same({"7", "9"}, {two.user, two.post})
  end)

  it("pop views through page.on_view_pop, given the view", function()
    local page = helper.page()
    local home = ft.View{route = "/", ft.Text "home"}
    local store = ft.View{route = "/store", ft.Text "store"}
    page.views:append(home)
    page.views:append(store)
    page:update()
    local popped
    page.on_view_pop = function(e) popped = e.view end
    assert.is_true(page:_dispatch(store._id, "view_pop", ""))
    assert.equal(store, popped)
    assert.equal(store, page.views:pop())
    assert.equal(1, #page.views)
    page.views:clear()
    assert.equal(0, #page.views)
  end)
end)

describe("control lists", function()
  it("have the list methods Flet code calls, each a change to send", function()
    local page, conn = helper.page()
    local col = ft.Column{}
    page:add(col)
    local a, b, c = ft.Text "a", ft.Text "b", ft.Text "c"
    col.controls:append(a)
    col.controls:extend({b})
    col.controls:insert(1, c)
    page:update()
    assert.equal(3, #conn:last().ops)
    assert.equal(2, col.controls:index(a))
    col.controls:remove(a)
    assert.equal(b, col.controls:pop())
    assert.equal(1, #col.controls)
    assert.has_error(function() col.controls:remove(a) end)
  end)
end)

describe("the page's session end and facts", function()
  it("runs page.on_close when the session ends, and tells page.web", function()
    local page = helper.page()
    assert.is_true(page.web)
    local closed
    page.on_close = function(e) closed = e.name end
    page:_close()
    assert.equal("close", closed)
  end)

  it("runs page:run_thread's function as a task of the page, cancelled with its session", function()
    helper.run(function()
      local page = helper.page()
      local ran, gone = false, false
      local t = page:run_thread(function(x)
        ran = x
        local ok = pcall(require("asyncio").sleep, 60)
        gone = not ok
      end, "yes")
      require("asyncio").sleep(0)
      assert.equal("yes", ran)
      page:_close()
      require("asyncio").sleep(0)
      assert.is_true(gone)
      assert.is_true(t:done())
    end)
  end)
end)

describe("Flet's older and newer dialog methods", function()
  it("open and close through show_dialog/pop_dialog, show_snack_bar and close_dialog", function()
    local page = helper.page()
    local dlg = ft.AlertDialog{title = ft.Text "hi"}
    local other = ft.AlertDialog{title = ft.Text "other"}
    page:show_dialog(dlg)
    page:show_dialog(other)
    assert.is_true(dlg.open and other.open)
    page:pop_dialog()
    assert.is_false(other.open)
    assert.is_true(dlg.open)
    page:pop_dialog()
    assert.is_false(dlg.open)
    local sb = ft.SnackBar{ft.Text "saved"}
    page:show_snack_bar(sb)
    assert.equal(sb, page.snack_bar)
    assert.is_true(sb.open)
    local old = ft.AlertDialog{title = ft.Text "old style"}
    page.dialog = old
    old.open = true
    page:update()
    page:close_dialog()
    assert.is_false(old.open)
    page.window.width = 400 -- Flet's desktop window settings: kept and ignored
    assert.equal(400, page.window.width)
  end)
end)
