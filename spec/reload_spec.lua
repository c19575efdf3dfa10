local ft = require "flet"
local core = require "luaflet.core"
local asyncio = require "asyncio"
local session = require "flet.session"
local reload = require "flet.reload"
local helper = require "spec.helper"

local deliver, register = helper.deliver, helper.register

local write = helper.write_file
-- busted gives `finally` to the spec's own code: it is handed over.
local function scratch() return helper.scratch(finally) end

-- Every text the messages sent so far put on the page, in order.
local function texts(conn)
  local out = {}
  local function walk(node)
    if node.type == "text" and node.props and node.props.value then out[#out + 1] = node.props.value end
    for _, kids in pairs(node.slots or {}) do
      for _, kid in ipairs(kids) do walk(kid) end
    end
  end
  for _, m in ipairs(conn.sent) do
    for _, op in ipairs(m.ops or {}) do
      if op.node then walk(op.node) end
    end
  end
  return out
end

describe("reload", function()
  it("names a file one way whichever path led to it", function()
    assert.equal("app.lua", reload.normalize("./app.lua"))
    assert.equal("a/b.lua", reload.normalize("a/./b.lua"))
    assert.equal("/x/y/b.lua", reload.normalize("/x/y/./././b.lua"))
    assert.equal("/x", reload.folder("/x/app.lua"))
    assert.equal(".", reload.folder("app.lua"))
  end)

  describe("load_main", function()
    local saved_path
    before_each(function() saved_path = package.path end)
    after_each(function()
      package.path = saved_path
      package.loaded.reload_spec_words = nil
    end)

    it("runs the script again with ft.app handing over main, and loads its modules afresh", function()
      local dir = scratch()
      package.path = package.path .. ";" .. dir .. "/?.lua"
      write(dir .. "/reload_spec_words.lua", 'return {word = "one"}')
      write(dir .. "/app.lua", [[
        local ft = require "flet"
        local words = require "reload_spec_words"
        ft.app(function() return words.word end)
      ]])
      assert.same({reload_spec_words = dir .. "/reload_spec_words.lua"}, (function()
        require "reload_spec_words"
        local mods = reload.app_modules(dir)
        mods.busted = nil
        return mods
      end)())
      -- a library's module is never the app's, even with a file of its name in the folder
      write(dir .. "/asyncio.lua", "error('not this one')")
      assert.is_nil(reload.app_modules(dir).asyncio)

      local app = ft.app
      local main = assert(reload.load_main(ft, dir .. "/app.lua", dir))
      assert.equal("one", main())
      assert.equal(app, ft.app)
      write(dir .. "/reload_spec_words.lua", 'return {word = "two"}')
      main = assert(reload.load_main(ft, dir .. "/app.lua", dir))
      assert.equal("two", main())
    end)

    it("leaves the old modules in place when the new code fails", function()
      local dir = scratch()
      package.path = package.path .. ";" .. dir .. "/?.lua"
      write(dir .. "/reload_spec_words.lua", 'return {word = "one"}')
      write(dir .. "/app.lua", 'local ft = require "flet"\nrequire "reload_spec_words"\nft.app(print)\n')
      assert(reload.load_main(ft, dir .. "/app.lua", dir))
      local words = package.loaded.reload_spec_words
      local app = ft.app

      write(dir .. "/reload_spec_words.lua", "return {word = = 1}")
      local main, err = reload.load_main(ft, dir .. "/app.lua", dir)
      assert.is_nil(main)
      assert.matches("reload_spec_words.lua:1: unexpected symbol near '='", err)
      assert.equal(words, package.loaded.reload_spec_words)
      assert.equal(app, ft.app)

      write(dir .. "/app.lua", 'local ft = require "flet"\n')
      main, err = reload.load_main(ft, dir .. "/app.lua", dir)
      assert.is_nil(main)
      assert.matches("the script ended without calling ft.app", err)

      write(dir .. "/app.lua", 'error("at the top")\n')
      main, err = reload.load_main(ft, dir .. "/app.lua", dir)
      assert.is_nil(main)
      assert.matches("app.lua:1: at the top", err)
      assert.matches("stack traceback", err)
    end)
  end)

  describe("a session's rebuild", function()
    it("runs the new main on the page, keeping the session and sending what changed", function()
      local conn = helper.fake_conn()
      local ticks, old_closed = 0, false
      local on_message, on_close, sessions = session.handlers(function(page)
        page.title = "old"
        page.on_resize = function() end
        page.on_error = function() end
        page.session:set("name", "kept")
        page.overlay:append(ft.Text "old overlay")
        page:add(ft.Text "old text")
        page:run_task(function()
          local _ <close> = setmetatable({}, {__close = function() old_closed = true end})
          while true do
            ticks = ticks + 1
            asyncio.sleep(0.001)
          end
        end)
      end)
      helper.run(function()
        register(on_message, conn)
        asyncio.sleep(0.01)
        assert.is_true(ticks > 0)
        local page = next(sessions.sessions) and select(2, next(sessions.sessions)).page
        local before = #conn.sent
        local seen
        assert.equal(1, sessions.rebuild(function(p)
          seen = p
          p:add(ft.Text("new text, " .. tostring(p.session:get("name"))))
        end))
        asyncio.sleep(0.01)
        assert.is_true(old_closed)
        assert.equal(page, seen)
        assert.is_nil(page.title)
        assert.is_nil(page.on_resize)
        assert.is_nil(rawget(page, "on_error"))
        assert.equal(0, #page.overlay)
        assert.equal(1, #page.controls)
        -- one update after the rebuild: old controls out, new in; no new init
        local patches = {}
        for i = before + 1, #conn.sent do
          if conn.sent[i].t ~= "invoke" then patches[#patches + 1] = conn.raw[i] end
        end
        assert.equal(1, #patches)
        local patch = core.json_decode(patches[1])
        assert.equal("patch", patch.t)
        local t = texts(conn)
        assert.equal("new text, kept", t[#t])
        -- the old text and overlay go, and the props the old main set are cleared
        local ops = {}
        for _, op in ipairs(patch.ops) do ops[#ops + 1] = op.op .. (op.slot or "") end
        table.sort(ops)
        assert.same({"addcontrols", "cleanoverlay", "remove", "set"}, ops)
        assert.matches('"title":null', patches[1], 1, true)
        -- a new session gets the new main too
        local conn2 = helper.fake_conn()
        register(on_message, conn2)
        asyncio.sleep(0)
        assert.same({"new text, nil"}, texts(conn2))
        deliver(on_close, conn, 1001)
        deliver(on_close, conn2, 1001)
      end)
    end)
  end)
end)
