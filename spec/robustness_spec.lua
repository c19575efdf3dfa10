-- Misuse and odd cases that must give a clear error and leave everything working.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local ft = require "flet"
local helper = require "spec.helper"

local run = helper.run

local function new_page()
  return helper.page(800, 600)
end

describe("the scheduler", function()
  it("refuses to await where the task cannot be suspended", function()
    run(function()
      local other = asyncio.create_task(asyncio.sleep, 0.001)
      local ok, err = pcall(table.sort, {3, 2, 1}, function(a, b) other:wait(); return a < b end)
      assert.is_false(ok)
      assert.matches("cannot await here", err)
      assert.is_nil(other:wait()) -- and the task can still wait normally
    end)
  end)

  it("takes many arguments and results", function()
    local t = {}
    for i = 1, 2000 do t[i] = i end
    local r = {run(function(...) return ... end, table.unpack(t))}
    assert.equal(2000, #r)
  end)

  it("ignores extra arguments to result()", function()
    run(function()
      local t = asyncio.create_task(function() return 1, 2 end)
      asyncio.sleep(0)
      assert.same({1, 2}, {t:result(5)})
    end)
  end)

  it("sleeps forever on math.huge, until cancelled", function()
    run(function()
      local t = asyncio.create_task(asyncio.sleep, math.huge)
      asyncio.sleep(0.01)
      assert.is_false(t:done())
      t:cancel()
      asyncio.sleep(0)
      assert.is_true(t:cancelled())
    end)
  end)

  it("does not let a cancelled, not yet resumed waiter hold a lock or an item", function()
    run(function()
      local lock, holders = asyncio.Lock(), 0
      lock:acquire()
      local a = asyncio.create_task(function() lock:acquire(); lock:release() end)
      local b = asyncio.create_task(function()
        local _ <close> = lock:acquire()
        holders = holders + 1
        asyncio.sleep(0.001)
        holders = holders - 1
      end)
      asyncio.sleep(0)
      a:cancel() -- a is cancelled but has not run yet...
      lock:release() -- ...so the lock goes to b alone
      b:wait()
      assert.equal(0, holders)
      assert.is_false(lock:locked())
    end)
  end)

  it("keeps every item when a waiting putter is cancelled", function()
    run(function()
      local q = asyncio.Queue(1)
      q:put("x0")
      local p1 = asyncio.create_task(function() q:put("x1") end)
      local p2 = asyncio.create_task(function() q:put("x2") end)
      asyncio.sleep(0)
      p1:cancel()
      assert.equal("x0", q:get())
      p2:wait()
      assert.equal("x2", q:get())
      assert.is_true(q:empty())
    end)
  end)
end)

describe("the diff", function()
  it("refuses an update from inside build() and stays usable", function()
    local page = new_page()
    local C = ft.UserControl:extend("C")
    function C.build() page:update(); return ft.Text "built" end
    page:add(ft.Text "a")
    page.controls = {ft.Text "b", C()}
    local ok, err = pcall(page.update, page)
    assert.is_false(ok)
    assert.matches("cannot be updated while it is being updated", err)
    page:update()
  end)

  it("is not thrown by a build() that changes the list being sent", function()
    local page, conn = new_page()
    local C = ft.UserControl:extend("C")
    function C.build() table.remove(page.controls); return ft.Text "x" end
    page:add(C(), ft.Text "later")
    assert.equal(2, #conn:last().ops)
  end)

  it("survives an error half-way: the next update sends the whole page again", function()
    local page, conn = new_page()
    page:add(ft.Text "a", ft.Text "b")
    local top = ft.Container{}
    local cur = top
    for _ = 1, 600 do local k = ft.Container{}; cur.content = k; cur = k end
    page.controls = {top}
    assert.has_error(function() page:update() end)
    page.controls = {ft.Text "c"}
    page:update()
    local m = conn:last()
    assert.equal("init", m.t)
    assert.equal("c", m.tree.slots.controls[1].props.value)
    assert.equal(1, #m.tree.slots.controls)
  end)

  it("refuses a tree deeper than 500 levels", function()
    local page = new_page()
    local top = ft.Container{}
    local c = top
    for _ = 1, 600 do
      local n = ft.Container{}
      c.content = n
      c = n
    end
    local ok, err = pcall(page.add, page, top)
    assert.is_false(ok)
    assert.matches("nested deeper than 500 levels", err)
  end)

  it("shows a control that is twice on the page once, and says so", function()
    local page, conn = new_page()
    local t = ft.Text "same"
    local ok, err = pcall(page.add, page, t, t)
    assert.is_false(ok)
    assert.matches("appears more than once", err)
    assert.equal(1, #conn:last().ops)
    local col = ft.Column{}
    col.controls[1] = col
    assert.has_error(function() page:add(col) end)
  end)
end)

describe("the page", function()
  it("runs did_mount even if add_async is cancelled while it waits", function()
    local page = new_page()
    local C = ft.UserControl:extend("C")
    function C.build() return ft.Text "c" end
    function C:did_mount() self.mounted = true end
    local c = C()
    run(function()
      local t = asyncio.create_task(function() page:add_async(c) end)
      asyncio.sleep(0) -- t waits in send_async
      t:cancel()
      asyncio.sleep(0)
      assert.is_true(c.mounted)
      assert.equal(page, c.page)
    end)
  end)

  it("owns the tasks of run_task, whoever starts them", function()
    local a, b = new_page(), new_page()
    run(function()
      local t
      asyncio._run_owned(a, function() t = b:run_task(asyncio.sleep, 60) end)
      assert.is_true(b._tasks[t])
      assert.is_nil(a._tasks[t])
      b:_close()
      asyncio.sleep(0)
      assert.is_true(t:cancelled())
    end)
  end)

  it("rejects resize data that is not two finite sizes", function()
    local page = new_page()
    for _, bad in ipairs({"...,...", "1.2.3,4", string.rep("9", 400) .. ",1", "10"}) do
      assert.is_false(page:_dispatch(0, "resize", bad))
    end
    assert.equal(800, page.width)
  end)
end)

describe("numbers JSON cannot carry", function()
  it("are not sent, and do not resend on every update", function()
    local page, conn = new_page()
    local t = ft.Text{"x", size = 0 / 0, width = math.huge}
    page:add(t)
    local props = conn:last().ops[1].node.props
    assert.is_nil(props.size)
    assert.is_nil(props.width)
    local n = #conn.sent
    t.value = "x" -- marked, nothing changed
    page:update()
    assert.equal(n, #conn.sent)
  end)
end)

describe("json from clients", function()
  it("refuses trailing data", function()
    local v, err = core.json_decode('{"t":"event"} trailing')
    assert.is_nil(v)
    assert.matches("trailing", err)
    assert.same({t = "event"}, core.json_decode('{"t":"event"}  \n'))
  end)
end)
