-- flet.testing itself: finding, the browser's rules for events, errors, virtual time.
local ft = require "flet"
local asyncio = require "asyncio"
local core = require "luaflet.core"
local testing = require "flet.testing"

describe("flet.testing", function()
  it("says what the page shows when nothing or several controls match", function()
    local app = testing.open(function(page)
      page:add(ft.Text "a", ft.Text "a", ft.ElevatedButton{"Go", key = "go"})
    end)
    finally(function() app:close() end)
    local ok, err = pcall(app.find, app, {text = "b"})
    assert.is_false(ok)
    assert.matches('find{text = "b"}: nothing on the page matches; the page shows:\n  text "a"\n  text "a"\n'
      .. '  elevatedbutton "Go" (key "go")', err, 1, true)
    ok, err = pcall(app.find, app, "a")
    assert.is_false(ok)
    assert.matches('2 controls match', err, 1, true)
    assert.equal("a", app:find{text = "a", index = 2}.value)
    assert.equal("Go", app:find{key = "go"}.text)
    assert.equal(2, #app:find_all{type = "Text"})
  end)

  it("refuses events for disabled controls, and clicks the nearest handler", function()
    local clicks = 0
    local app = testing.open(function(page)
      page:add(ft.ElevatedButton{"Off", disabled = true, on_click = function() clicks = clicks + 1 end},
        ft.Container{content = ft.Text "inside", on_click = function() clicks = clicks + 10 end},
        ft.Text "plain")
    end)
    finally(function() app:close() end)
    assert.has_error(function() app:click("Off") end, 'click: elevatedbutton "Off" is disabled')
    app:click("inside")
    assert.equal(10, clicks)
    assert.has_error(function() app:click("plain") end,
      'click: text "plain" has no on_click handler, nor does a control holding it')
  end)

  it("keeps a typed value until the next event, as the browser does", function()
    local seen
    local app = testing.open(function(page)
      local field = ft.TextField{label = "Name"}
      page:add(field, ft.ElevatedButton{"Say", on_click = function() seen = field.value end})
    end)
    finally(function() app:close() end)
    local field = app:find{label = "Name"}
    app:type(field, "Ann")
    assert.equal("Ann", field.value)
    assert.is_nil(app:page().controls[1].value)
    app:click("Say")
    assert.equal("Ann", seen)
    assert.has_error(function() app:submit(field) end, 'submit: textfield "Name" has no on_submit handler')
  end)

  it("sends each keystroke to on_change, and picks dropdown options", function()
    local changes, picked = {}, nil
    local app = testing.open(function(page)
      page:add(ft.TextField{label = "Q", on_change = function(e) changes[#changes + 1] = e.data end},
        ft.Dropdown{label = "Color", options = {ft.dropdown.Option{key = "r", text = "Red"},
                                          ft.dropdown.Option{key = "g", text = "Green"}},
          on_change = function(e) picked = e.data end})
    end)
    finally(function() app:close() end)
    app:type(app:find{label = "Q"}, "abc")
    assert.same({"a", "ab", "abc"}, changes)
    local dd = app:find{type = "dropdown"}
    app:select(dd, "Green")
    assert.equal("g", picked)
    assert.matches("Color Green", app:text(), 1, true)
    assert.has_error(function() app:select(dd, "blue") end)
  end)

  it("fails the test on the app's errors", function()
    local app = testing.open(function(page)
      page:add(ft.ElevatedButton{"Boom", on_click = function() error("kaboom") end})
    end)
    finally(function() app:close() end)
    local ok, err = pcall(app.click, app, "Boom")
    assert.is_false(ok)
    assert.matches("app error: .*kaboom", err)
  end)

  it("runs sleeps on a virtual clock that advance moves", function()
    local ticks = {}
    local app = testing.open(function(page)
      local t = ft.Text "0"
      page:add(t)
      for i = 1, 3600 do
        asyncio.sleep(1)
        ticks[#ticks + 1] = core.now()
        t.value = tostring(i)
        page:update()
      end
    end)
    finally(function() app:close() end)
    local t0 = core.now()
    app:advance(0.5)
    assert.equal("0", app:text())
    app:advance(0.5)
    assert.equal("1", app:text())
    app:advance(3599)
    assert.equal("3600", app:text())
    assert.equal(3600, #ticks)
    assert.near(t0 + 1, ticks[1], 1e-6)
    assert.near(t0 + 3600, core.now(), 1e-6)
  end)

  it("leaves the real clock alone once the apps are closed", function()
    local app = testing.open(function(page) page:add(ft.Text "x") end)
    app:close()
    local t0 = core.real_now()
    assert.near(t0, core.now(), 0.01)
  end)

  it("answers the page's calls on the browser", function()
    local got
    local app = testing.open(function(page)
      page.client_storage:set("k", {1, 2})
      got = page.client_storage:get("k")
      page:launch_url("https://example.com")
    end)
    finally(function() app:close() end)
    assert.same({1, 2}, got)
    assert.same({"https://example.com"}, app.launched)
  end)
end)
