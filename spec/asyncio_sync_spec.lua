local core = require "luaflet.core"
local asyncio = require "asyncio"
local helper = require "spec.helper"

local run = helper.run

describe("asyncio tasks", function()
  it("wait() returns a task's results once it ends", function()
    run(function()
      local t = asyncio.create_task(function() asyncio.sleep(0.002); return 1, 2 end)
      assert.same({1, 2}, {t:wait()})
    end)
  end)

  it("wait() raises the task's error", function()
    run(function()
      local t = asyncio.create_task(function() error("inner") end)
      local ok, err = pcall(t.wait, t)
      assert.is_false(ok)
      assert.matches("inner", err)
    end)
  end)

  it("names tasks and lists them", function()
    run(function()
      local t = asyncio.create_task(asyncio.sleep, 0.001)
      assert.matches("^Task%-", t:get_name())
      t:set_name("worker")
      assert.equal("worker", t:get_name())
      -- A name may come first, as Python's create_task(coro, name=...) takes one.
      local named = asyncio.create_task("poller", function(a) return a end, 7)
      assert.equal("poller", named:get_name())
      assert.equal(7, named:wait())
      assert.has_error(function() asyncio.create_task({}, print) end,
        "asyncio.create_task: expected a name or a function, got table")
      assert.has_error(function() asyncio.create_task("x", 1) end,
        "asyncio.create_task: expected a function, got number")
      local found = false
      for _, x in ipairs(asyncio.all_tasks()) do found = found or x == t end
      assert.is_true(found)
      assert.equal(asyncio.current_task(), asyncio.current_task())
      t:wait()
    end)
  end)

  describe("gather", function()
    it("returns results in order, whatever order they end in", function()
      run(function()
        local r = {asyncio.gather(
          function() asyncio.sleep(0.003); return "a" end,
          asyncio.create_task(function() asyncio.sleep(0.001); return "b" end),
          function() return "c" end)}
        assert.same({"a", "b", "c"}, r)
      end)
    end)

    it("raises the first error at once and cancels the rest", function()
      run(function()
        local slow = asyncio.create_task(asyncio.sleep, 10)
        local t0 = core.now()
        local ok, err = pcall(asyncio.gather, slow, function() asyncio.sleep(0.001); error("bad") end)
        assert.is_false(ok)
        assert.matches("bad", err)
        assert.is_true(core.now() - t0 < 1)
        asyncio.sleep(0)
        assert.is_true(slow:cancelled())
      end)
    end)

    it("collects errors with return_exceptions", function()
      run(function()
        local a, b = asyncio.gather(function() return 1 end, function() error("e") end,
          {return_exceptions = true})
        assert.equal(1, a)
        assert.matches("e", b)
      end)
    end)
  end)

  describe("wait_for", function()
    it("returns the results when in time", function()
      run(function()
        assert.equal("ok", asyncio.wait_for(function() asyncio.sleep(0.001); return "ok" end, 1))
      end)
    end)

    it("times out and cancels the work", function()
      run(function()
        local t = asyncio.create_task(asyncio.sleep, 10)
        local r, err = asyncio.wait_for(t, 0.005)
        assert.is_nil(r)
        assert.equal("timeout", err)
        assert.is_true(t:cancelled())
      end)
    end)
  end)
end)

describe("asyncio primitives", function()
  it("Event wakes every waiter", function()
    run(function()
      local e, woke = asyncio.Event(), 0
      for _ = 1, 3 do asyncio.create_task(function() e:wait(); woke = woke + 1 end) end
      asyncio.sleep(0)
      assert.equal(0, woke)
      assert.is_false(e:is_set())
      e:set()
      asyncio.sleep(0)
      assert.equal(3, woke)
      assert.is_true(e:wait())
      e:clear()
      assert.is_false(e:is_set())
    end)
  end)

  it("Lock is FIFO-fair and releases through <close>", function()
    run(function()
      local lock, order = asyncio.Lock(), {}
      local tasks = {}
      for i = 1, 3 do
        tasks[i] = asyncio.create_task(function()
          local _ <close> = lock:acquire()
          order[#order + 1] = i
          asyncio.sleep(0.001)
        end)
      end
      asyncio.gather(table.unpack(tasks))
      assert.same({1, 2, 3}, order)
      assert.is_false(lock:locked())
      assert.has_error(function() lock:release() end)
    end)
  end)

  it("Lock passes on a grant made to a task cancelled before it ran", function()
    run(function()
      local lock = asyncio.Lock()
      lock:acquire()
      local a = asyncio.create_task(function() lock:acquire(); lock:release() end)
      local b = asyncio.create_task(function() lock:acquire(); lock:release(); return "b" end)
      asyncio.sleep(0)
      lock:release() -- hands the lock to a...
      a:cancel()     -- ...which is cancelled before it runs: b must get it
      assert.equal("b", b:wait())
      assert.is_false(lock:locked())
    end)
  end)

  it("Semaphore admits n at a time; BoundedSemaphore refuses extra releases", function()
    run(function()
      local sem, inside, most = asyncio.Semaphore(2), 0, 0
      local tasks = {}
      for i = 1, 5 do
        tasks[i] = asyncio.create_task(function()
          local _ <close> = sem:acquire()
          inside = inside + 1
          most = math.max(most, inside)
          asyncio.sleep(0.001)
          inside = inside - 1
        end)
      end
      asyncio.gather(table.unpack(tasks))
      assert.equal(2, most)
      local b = asyncio.BoundedSemaphore(1)
      assert.has_error(function() b:release() end)
    end)
  end)

  it("Condition wakes waiters on notify and takes the lock back", function()
    run(function()
      local cond, items, got = asyncio.Condition(), {}, {}
      local consumer = asyncio.create_task(function()
        local _ <close> = cond:acquire()
        cond:wait_for(function() return #items > 0 end)
        got[#got + 1] = table.remove(items, 1)
        assert.is_true(cond:locked())
      end)
      asyncio.sleep(0)
      do
        local _ <close> = cond:acquire()
        items[1] = "x"
        cond:notify()
      end
      consumer:wait()
      assert.same({"x"}, got)
    end)
  end)

  it("Queue passes items in order and blocks a putter while full", function()
    run(function()
      local q = asyncio.Queue(2)
      q:put(1); q:put(2)
      assert.is_true(q:full())
      assert.has_error(function() q:put_nowait(3) end)
      local putter = asyncio.create_task(function() q:put(3); return "put" end)
      asyncio.sleep(0)
      assert.is_false(putter:done())
      assert.equal(1, q:get())
      assert.equal("put", putter:wait())
      assert.equal(2, q:get())
      assert.equal(3, q:get_nowait())
      assert.is_true(q:empty())
      local ok, err = pcall(q.get_nowait, q)
      assert.is_false(ok)
      assert.equal(asyncio.QueueEmpty, err)
    end)
  end)

  it("Queue getters wait in order, and join waits for task_done", function()
    run(function()
      local q, got = asyncio.Queue(), {}
      local tasks = {}
      for i = 1, 3 do
        tasks[i] = asyncio.create_task(function() got[i] = q:get(); q:task_done() end)
      end
      asyncio.sleep(0)
      q:put("a"); q:put("b"); q:put("c")
      q:join()
      assert.same({"a", "b", "c"}, got)
      asyncio.gather(table.unpack(tasks))
    end)
  end)

  it("a getter cancelled after being handed an item gives it back", function()
    run(function()
      local q = asyncio.Queue()
      local g = asyncio.create_task(function() return q:get() end)
      asyncio.sleep(0)
      q:put("item")
      g:cancel()
      asyncio.sleep(0)
      assert.is_true(g:cancelled())
      assert.equal("item", q:get_nowait())
    end)
  end)

  it("PriorityQueue gives the smallest first; LifoQueue the last", function()
    run(function()
      local pq = asyncio.PriorityQueue()
      for _, v in ipairs({{5, "e"}, {1, "a"}, {3, "c"}, {2, "b"}}) do pq:put(v) end
      local out = {}
      while not pq:empty() do out[#out + 1] = pq:get()[2] end
      assert.same({"a", "b", "c", "e"}, out)
      local lq = asyncio.LifoQueue()
      lq:put(1); lq:put(2); lq:put(3)
      assert.same({3, 2, 1}, {lq:get(), lq:get(), lq:get()})
    end)
  end)

  it("PriorityQueue keeps heap order for random puts and gets", function()
    local seed = 12345
    local function rand(n)
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n + 1
    end
    for round = 1, 20 do
      local pq = asyncio.PriorityQueue()
      local model = {} -- what the queue holds, kept sorted
      local got, want = {}, {}
      -- Puts and gets mixed, then everything drained; duplicates included.
      for _ = 1, 300 do
        if #model > 0 and rand(3) == 1 then
          got[#got + 1] = pq:get_nowait()[1]
          want[#want + 1] = table.remove(model, 1)
        else
          local v = rand(round * 50)
          pq:put_nowait({v, "item " .. v})
          model[#model + 1] = v
          table.sort(model)
        end
      end
      while not pq:empty() do got[#got + 1] = pq:get_nowait()[1] end
      for _, v in ipairs(model) do want[#want + 1] = v end
      assert.same(want, got)
    end
  end)

  it("a cancelled waiter is not woken later, while it waits for something else", function()
    run(function()
      local lock, other = asyncio.Lock(), asyncio.Event()
      lock:acquire()
      local t = asyncio.create_task(function()
        pcall(lock.acquire, lock) -- cancelled while it waits...
        other:wait()              -- ...and then waits for something else
        return "woken"
      end)
      asyncio.sleep(0)
      t:cancel()
      asyncio.sleep(0)
      lock:release() -- nobody waits for the lock any more
      asyncio.sleep(0)
      assert.is_false(lock:locked())
      assert.is_false(t:done(), "the lock's release woke the task from its other wait")
      other:set()
      assert.equal("woken", t:wait())
    end)
  end)

  it("cancelling a waiter releases its place in the queue", function()
    run(function()
      local e = asyncio.Event()
      local t = asyncio.create_task(function() e:wait() end)
      asyncio.sleep(0)
      assert.equal(1, e._waiters:count())
      t:cancel()
      asyncio.sleep(0)
      assert.equal(0, e._waiters:count())
    end)
  end)
end)
