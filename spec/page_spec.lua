local ft = require "flet"
local asyncio = require "asyncio"
local helper = require "spec.helper"

local function new_page()
  return helper.page(800, 600)
end

local function ops_of(conn, kind)
  local r = {}
  for _, op in ipairs(conn:ops()) do
    if op.op == kind then r[#r + 1] = op end
  end
  return r
end

describe("Page", function()
  it("sends an added control as one add op with its subtree", function()
    local page, conn = new_page()
    page:add(ft.Column{ft.Text "a", ft.Text{"b", size = 20}})
    local m = conn:last()
    assert.equal("patch", m.t)
    assert.equal(1, #m.ops)
    local op = m.ops[1]
    assert.equal("add", op.op)
    assert.equal(0, op.parent)
    assert.equal("controls", op.slot)
    assert.is_nil(op.before) -- null: at the end
    assert.equal("column", op.node.type)
    local kids = op.node.slots.controls
    assert.equal(2, #kids)
    assert.equal("a", kids[1].props.value)
    assert.equal(20, kids[2].props.size)
  end)

  it("sends the app's changes to a list a constructor built, read back later", function()
    local page, conn = new_page()
    local col = ft.Column{ft.Text "a"}
    page:add(col)
    local list = col.controls
    list[#list + 1] = ft.Text "b"
    page:update()
    local adds = ops_of(conn, "add")
    assert.equal(1, #adds)
    assert.equal(col._id, adds[1].parent)
    assert.equal("b", adds[1].node.props.value)
    assert.equal(list, col.controls, "the same ControlList from then on")
    table.remove(list, 1)
    page:update()
    assert.equal(1, #ops_of(conn, "remove"))
  end)

  it("sends only the props that changed", function()
    local page, conn = new_page()
    local t = ft.Text{"a", size = 10}
    page:add(t)
    t.value = "b"
    page:update()
    local m = conn:last()
    assert.same({{op = "set", id = t._id, props = {value = "b"}}}, m.ops)
  end)

  it("sends a removed prop as null", function()
    local page, conn, channel = new_page()
    local t = ft.Text{"a", color = "red"}
    page:add(t)
    t.color = nil
    page:update()
    -- null in JSON decodes to a missing key, so the text is checked
    assert.equal(('{"t":"patch","seq":%d,"ops":[{"op":"set","id":%d,"props":{"color":null}}]}')
      :format(channel:seq(), t._id), conn.raw[#conn.raw])
  end)

  it("sends nothing when nothing changed", function()
    local page, conn = new_page()
    page:add(ft.Text "a")
    local n = #conn.sent
    page:update()
    assert.equal(n, #conn.sent)
  end)

  it("keeps prop types", function()
    local page, conn = new_page()
    page:add(ft.Container{padding = {left = 4, top = 2}, expand = true, width = 10.5,
                          content = ft.Text "x"})
    local props = conn:last().ops[1].node.props
    assert.same({left = 4, top = 2}, props.padding)
    assert.equal(true, props.expand)
    assert.equal(10.5, props.width)
  end)

  it("marks event handlers as on_<event> = true", function()
    local page, conn = new_page()
    page:add(ft.ElevatedButton{"b", on_click = function() end})
    assert.equal(true, conn:last().ops[1].node.props.on_click)
  end)

  it("removes, inserts and cleans", function()
    local page, conn = new_page()
    local a, b, c = ft.Text "a", ft.Text "b", ft.Text "c"
    page:add(a, b)
    page:insert(1, c)
    local adds = ops_of(conn, "add")
    assert.equal(1, #adds)
    assert.equal(a._id, adds[1].before)
    assert.equal("c", adds[1].node.props.value)
    page:remove(a)
    assert.same({{op = "remove", id = a._id}}, conn:last().ops)
    page:remove_at(1)
    assert.same({{op = "remove", id = c._id}}, conn:last().ops)
    page:clean()
    assert.same({{op = "clean", id = 0, slot = "controls"}}, conn:last().ops)
    assert.equal(0, #page.controls)
  end)

  it("sends page props such as the title, and not its private fields", function()
    local page, conn = new_page()
    page.title = "T"
    page:update()
    assert.same({{op = "set", id = 0, props = {title = "T"}}}, conn:last().ops)
  end)

  it("weighs little while idle: lists and services it never used are not made", function()
    local channel_mod, page_mod = require "flet.channel", require "flet.page"
    local N, pages = 500, {}
    for i = 1, N do pages[i] = false end
    collectgarbage("collect")
    local h0 = collectgarbage("count")
    for i = 1, N do
      local p = page_mod.new(channel_mod.new(1000), 800, 600)
      p:add(ft.Text "0", ft.ElevatedButton{"+", on_click = function() end})
      pages[i] = p
    end
    collectgarbage("collect")
    local per = (collectgarbage("count") - h0) * 1024 / N
    -- The counter's page, its two controls, channel and snapshot: 1.5 KB in the Lua heap
    -- when this was written, 2.1 KB with each control a table of private fields and one of
    -- props, 3.0 KB with its overlay, views and window made up front.
    assert.is_true(per < 1800, ("%.0f bytes per page"):format(per))
    -- The load benchmark's idle page (a title and six rows of a label and a button): 4.6 KB
    -- when this was written, 7.8 KB with two tables per control and a ControlList for every
    -- list a constructor built.
    local big = {}
    for i = 1, N do big[i] = false end
    collectgarbage("collect")
    h0 = collectgarbage("count")
    for i = 1, N do
      local p = page_mod.new(channel_mod.new(1000), 800, 600)
      local rows = {}
      for r = 1, 6 do rows[r] = ft.Row{ft.Text("label " .. r), ft.TextButton("edit " .. r)} end
      p:add(ft.Text "Idle", ft.Column(rows))
      big[i] = p
    end
    collectgarbage("collect")
    per = (collectgarbage("count") - h0) * 1024 / N
    assert.is_true(per < 5400, ("%.0f bytes per page of 21 controls"):format(per))
    -- Their lists read back are ControlLists, whose changes are sent.
    local row = big[1].controls[2].controls[1]
    row.controls:append(ft.Text "new")
    assert.equal(3, #row.controls)
    -- Made on first use, they work as if they had always been there.
    local p = pages[1]
    p.window.width = 400
    p.overlay:append(ft.Text "o")
    assert.equal(1, #p.overlay)
    assert.equal(400, p.window.width)
    assert.equal(0, #p.views)
  end)

  it("knows its size under Flet's names", function()
    local page = new_page()
    assert.equal(800, page.width)
    assert.equal(600, page.window_height)
  end)

  it("refuses _async methods outside a task, saying why", function()
    local page = new_page()
    assert.has_error(function() page:add_async(ft.Text "x") end,
      "page:add_async must be called from a task (main, an event handler or "
      .. "asyncio.create_task); use page:add outside one")
  end)

  it("waits in _async methods until the patch is handed over", function()
    local page, conn = new_page()
    helper.run(function()
      page:add_async(ft.Text "x")
      assert.equal(1, #conn.sent)
    end)
  end)

  describe("user controls", function()
    local Box = ft.UserControl:extend("Box")
    function Box:init(label) self.label = label; self.log = {} end
    function Box:build()
      self.text = ft.Text(self.label)
      return self.text
    end
    function Box:did_mount() self.log[#self.log + 1] = "mount" end
    function Box:will_unmount() self.log[#self.log + 1] = "unmount" end

    it("builds once, sends the build as content and none of the app's fields", function()
      local page, conn = new_page()
      local b = Box "hi"
      page:add(b)
      local node = conn:last().ops[1].node
      assert.equal("usercontrol", node.type)
      assert.same({}, node.props)
      assert.equal("hi", node.slots.content[1].props.value)
      b.text.value = "there"
      b:update()
      assert.same({{op = "set", id = b.text._id, props = {value = "there"}}}, conn:last().ops)
    end)

    it("runs did_mount after adding and will_unmount after removing", function()
      local page = new_page()
      local b = Box "x"
      page:add(b)
      assert.same({"mount"}, b.log)
      assert.equal(page, b.page)
      page:remove(b)
      assert.same({"mount", "unmount"}, b.log)
      assert.is_nil(b.page)
    end)

    it("does not unmount a control that only moved", function()
      local page = new_page()
      local a, b = Box "a", Box "b"
      page:add(a, b)
      page.controls = {b, a}
      page:update()
      assert.same({"mount"}, a.log)
      assert.same({"mount"}, b.log)
      -- To another parent, and out of a container that is removed.
      local col = ft.Column{}
      page.controls = {b, col}
      col.controls[1] = a
      page:update()
      page.controls = {a}
      page:update()
      assert.same({"mount"}, a.log)
      assert.same({"mount", "unmount"}, b.log)
    end)

    it("awaits did_mount_async in add_async", function()
      local Slow = ft.UserControl:extend("Slow")
      function Slow.build() return ft.Text "s" end
      function Slow:did_mount_async() asyncio.sleep(0.001); self.mounted = true end
      local page = new_page()
      local s = Slow()
      helper.run(function()
        page:add_async(s)
        assert.is_true(s.mounted)
      end)
    end)

    it("names the task of did_mount_async after the hook and the control", function()
      local Named = ft.UserControl:extend("Named")
      function Named.build() return ft.Text "n" end
      function Named:did_mount_async() self.name = asyncio.current_task():get_name() end
      local page = new_page()
      local n = Named()
      helper.run(function()
        page:add(n) -- the plain add starts did_mount_async as a task of its own
        asyncio.sleep(0)
      end)
      assert.equal("did_mount_async of Named " .. n._id, n.name)
    end)

    it("reports a failing build and still sends the rest", function()
      local Bad = ft.UserControl:extend("Bad")
      function Bad.build() error("no build today") end
      local page, conn = new_page()
      assert.has_error(function() page:add(Bad(), ft.Text "ok") end)
      assert.equal(2, #conn:last().ops)
    end)
  end)

  describe("events", function()
    it("calls the handler with control, page, name and data", function()
      local page = new_page()
      local got
      local b = ft.ElevatedButton{"b", on_click = function(e) got = e end}
      page:add(b)
      assert.is_true(page:_dispatch(b._id, "click", "d"))
      assert.equal(b, got.control)
      assert.equal(page, got.page)
      assert.equal("click", got.name)
      assert.equal("d", got.data)
    end)

    it("drops events for unknown, removed and disabled controls", function()
      local page = new_page()
      local calls = 0
      local b = ft.ElevatedButton{"b", on_click = function() calls = calls + 1 end}
      page:add(b)
      assert.is_false(page:_dispatch(999, "click", ""))
      b.disabled = true
      assert.is_false(page:_dispatch(b._id, "click", ""))
      b.disabled = false
      local id = b._id
      page:remove(b)
      assert.is_false(page:_dispatch(id, "click", ""))
      assert.equal(0, calls)
      assert.equal(3, page._ignored_events)
    end)

    it("drops events for controls inside a disabled or hidden one, and kinds a control does not emit", function()
      local page = new_page()
      local calls = 0
      local function count() calls = calls + 1 end
      local b = ft.ElevatedButton{"b", on_click = count}
      local t = ft.Text{"t"}
      -- A handler for an event the class does not emit cannot even be set.
      assert.has_error(function() t.on_click = count end, "Text has no prop 'on_click'")
      require("flet.fields").set_raw(t, "on_click", count)
      local tf = ft.TextField{on_change = count}
      local box = ft.Container{content = ft.Column{b, t, tf}}
      page:add(box)
      box.disabled = true
      page:update()
      local ok, why = page:_dispatch(b._id, "click", "")
      assert.is_false(ok)
      assert.equal("the control is disabled or hidden", why)
      box.disabled = nil
      box.visible = false
      assert.is_false(page:_dispatch(b._id, "click", ""))
      box.visible = true
      -- A text does not emit clicks, nor a button changes, whatever handlers they hold.
      ok, why = page:_dispatch(t._id, "click", "")
      assert.is_false(ok)
      assert.equal("the control does not emit this event", why)
      require("flet.fields").set_raw(b, "on_change", count)
      assert.is_false(page:_dispatch(b._id, "change", "x"))
      assert.is_true(page:_dispatch(b._id, "click", ""))
      assert.is_true(page:_dispatch(tf._id, "change", "x"))
      assert.equal(2, calls)
      assert.equal(4, page._ignored_events)
    end)

    it("names the handler's task after the handler and its control", function()
      local page = new_page()
      local names = {}
      local function record() names[#names + 1] = asyncio.current_task():get_name() end
      local b = ft.ElevatedButton{"b", on_click = record}
      page.on_resize = record
      page:add(b)
      helper.run(function()
        page:_dispatch(b._id, "click", "")
        page:_dispatch(0, "resize", "800,600")
      end)
      assert.same({"on_click of ElevatedButton " .. b._id, "on_resize of page"}, names)
    end)

    it("updates the size before on_resize", function()
      local page = new_page()
      local seen
      page.on_resize = function(e) seen = {page.width, page.height, e.width, e.height} end
      assert.is_true(page:_dispatch(0, "resize", "1024,700"))
      assert.same({1024, 700, 1024, 700}, seen)
      assert.is_false(page:_dispatch(0, "resize", "garbage"))
    end)
  end)
end)
