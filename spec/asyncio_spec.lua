local core = require "luaflet.core"
local asyncio = require "asyncio"
local helper = require "spec.helper"

describe("asyncio", function()
  describe("sleep", function()
    it("never wakes before its deadline", function()
      helper.run(function()
        for _, s in ipairs({0.001, 0.005, 0.02}) do
          local t0 = core.now()
          asyncio.sleep(s)
          assert.is_true(core.now() - t0 >= s)
        end
      end)
    end)

    it("returns the value it was given", function()
      assert.equal("v", helper.run(function() return asyncio.sleep(0.001, "v") end))
    end)

    it("wakes sleepers in deadline order", function()
      local order = {}
      helper.run(function()
        local tasks = {}
        for _, d in ipairs({0.03, 0.01, 0.02}) do
          tasks[#tasks + 1] = asyncio.create_task(function()
            asyncio.sleep(d)
            order[#order + 1] = d
          end)
        end
        asyncio.sleep(0.05)
      end)
      assert.same({0.01, 0.02, 0.03}, order)
    end)

    it("keeps deadline order with 10,000 sleepers, none waking early", function()
      local woke, tasks = {}, {}
      helper.run(function()
        local rng = 12345
        for _ = 1, 10000 do
          rng = (rng * 1103515245 + 12345) % 2147483648
          local d = (rng % 50 + 1) / 1000 -- sleep(0) is no timer: it just yields
          tasks[#tasks + 1] = asyncio.create_task(function()
            asyncio.sleep(d)
            -- The deadline the sleep armed, as the scheduler computed it.
            woke[#woke + 1] = {deadline = core.deadline(), at = core.now()}
          end)
        end
        -- Every sleeper ends, however busy the machine is.
        for _, t in ipairs(tasks) do t:wait() end
      end)
      assert.equal(10000, #woke)
      for i, w in ipairs(woke) do
        if w.at < w.deadline then error(("sleeper %d woke early"):format(i)) end
        -- libuv counts whole milliseconds, so deadlines within one may swap; no more.
        if i > 1 and w.deadline < woke[i - 1].deadline - 0.001 then
          error(("sleeper %d woke after one with a later deadline"):format(i))
        end
      end
    end)

    it("lets other ready tasks run with sleep(0)", function()
      local log = {}
      helper.run(function()
        asyncio.create_task(function() log[#log + 1] = "other" end)
        log[#log + 1] = "before"
        asyncio.sleep(0)
        log[#log + 1] = "after"
      end)
      assert.same({"before", "other", "after"}, log)
    end)

    it("lets timers and I/O have the loop while tasks keep yielding with sleep(0)", function()
      helper.run(function()
        -- Two tasks that only ever yield take turns round after round; a sleeper's timer
        -- and a file read still complete while they spin.
        local turns, spinning = {0, 0}, true
        for i = 1, 2 do
          asyncio.create_task(function()
            while spinning do turns[i] = turns[i] + 1; asyncio.sleep(0) end
          end)
        end
        asyncio.sleep(0.02)
        local text = asyncio.fs.read("spec/asyncio_spec.lua")
        spinning = false
        asyncio.sleep(0)
        assert.matches("lets timers and I/O have the loop while tasks keep yielding", text)
        assert.is_true(turns[1] > 100 and math.abs(turns[1] - turns[2]) <= 1,
          ("turns %d and %d"):format(turns[1], turns[2]))
      end)
    end)

    it("refuses to run outside a task, saying why", function()
      assert.has_error(function() asyncio.sleep(1) end,
        "asyncio.sleep must be called from a task (main, an event handler or "
        .. "asyncio.create_task), not from plain code or a nested coroutine")
    end)

    it("refuses a nested coroutine", function()
      helper.run(function()
        local co = coroutine.wrap(function() asyncio.sleep(0.001) end)
        assert.has_error(co)
      end)
    end)
  end)

  describe("create_task", function()
    it("starts the task only once the creator awaits", function()
      local started = false
      helper.run(function()
        local t = asyncio.create_task(function() started = true end)
        assert.is_false(started)
        assert.is_false(t:done())
        asyncio.sleep(0)
        assert.is_true(started)
        assert.is_true(t:done())
      end)
    end)

    it("keeps the task's results", function()
      helper.run(function()
        local t = asyncio.create_task(function(a, b) return a + b, "x" end, 2, 3)
        asyncio.sleep(0)
        local sum, x = t:result()
        assert.equal(5, sum)
        assert.equal("x", x)
      end)
    end)

    it("cancels a task at the sleep it waits in", function()
      local reached, cleaned = false, false
      helper.run(function()
        local t = asyncio.create_task(function()
          local ok, err = pcall(asyncio.sleep, 10)
          cleaned = not ok and err == asyncio.CancelledError
          error(err, 0)
        end)
        asyncio.sleep(0.001)
        assert.is_true(t:cancel())
        asyncio.sleep(0)
        reached = true
        assert.is_true(t:done())
        assert.is_true(t:cancelled())
        assert.has_error(function() t:result() end)
      end)
      assert.is_true(reached)
      assert.is_true(cleaned)
    end)

    it("cancels a task that never started without running it", function()
      local ran = false
      helper.run(function()
        local t = asyncio.create_task(function() ran = true end)
        t:cancel()
        asyncio.sleep(0)
        assert.is_true(t:cancelled())
      end)
      assert.is_false(ran)
    end)

    it("starts thousands of tasks at once, each with its arguments, without a stack each", function()
      local N = 5000
      local got = {}
      local function record(i, a, b, ...) got[i] = {a, b, select("#", ...)} end
      helper.run(function()
        local tasks = {}
        for i = 1, N do tasks[i] = false end
        collectgarbage("collect")
        collectgarbage("stop")
        local h0 = collectgarbage("count")
        for i = 1, N do tasks[i] = asyncio.create_task(record, i, nil, "x", nil) end
        local per = (collectgarbage("count") - h0) * 1024 / N
        collectgarbage("restart")
        -- A coroutine of its own, waiting with its stack, would be over a kilobyte.
        assert.is_true(per < 700, ("%.0f bytes per waiting task"):format(per))
        tasks[N]:cancel()
        for i = 1, N - 1 do tasks[i]:wait() end
        for i = 1, N - 1 do
          assert.same({nil, "x", 1}, got[i], "task " .. i)
          assert.is_true(tasks[i]:done())
        end
        assert.is_nil(got[N])
        assert.is_true(tasks[N]:cancelled())
      end)
    end)

    it("gives a task its creator's owner, which holds it while it lives and hears its failure", function()
      local reported = asyncio.Event()
      local owner = {reports = {}}
      function owner:_report(msg)
        self.reports[#self.reports + 1] = msg
        reported:set()
      end
      helper.run(function()
        local child, owner_seen
        local parent = asyncio._create_owned(owner, "parent", function()
          owner_seen = asyncio._owner()
          child = asyncio.create_task(function() error("child fails") end)
        end)
        assert.is_true(owner._tasks[parent])
        assert.is_nil(asyncio._owner())
        reported:wait()
        assert.equal(owner, owner_seen)
        -- The set goes once it is empty.
        assert.is_nil(owner._tasks)
        assert.equal(1, #owner.reports)
        assert.matches("child fails\nstack traceback", owner.reports[1])
        assert.is_true(parent:done() and not parent:cancelled())
        assert.has_error(function() child:result() end)
      end)
    end)

    it("moves a task that runs on behalf of another owner out of its former owner's set", function()
      local a, b = {}, {}
      helper.run(function()
        local me = asyncio.current_task()
        asyncio._run_owned(a, function() end)
        assert.is_true(a._tasks[me])
        asyncio._run_owned(b, function() end)
        assert.is_nil(a._tasks, "a set left empty goes")
        assert.is_true(b._tasks[me])
        assert.equal(b, asyncio._owner())
      end)
    end)

    it("reports an owned task's failure even when every task is cancelled right after", function()
      local reported = asyncio.Event()
      local owner = {_tasks = {}}
      function owner._report() reported:set() end
      helper.run(function()
        local t = asyncio._create_owned(owner, function() error("boom") end)
        asyncio.sleep(0) -- it ran and failed; its report waits for its turn
        assert.is_true(t:done())
        local me = asyncio.current_task()
        for _, other in ipairs(asyncio.all_tasks()) do
          if other ~= me then other:cancel() end
        end
        reported:wait()
      end)
    end)

    it("closes to-be-closed variables when cancelled", function()
      local closed = false
      helper.run(function()
        local t = asyncio.create_task(function()
          local _ <close> = setmetatable({}, {__close = function() closed = true end})
          asyncio.sleep(10)
        end)
        asyncio.sleep(0.001)
        t:cancel()
        asyncio.sleep(0)
      end)
      assert.is_true(closed)
    end)
  end)

  describe("run", function()
    it("returns the main task's results", function()
      assert.same({1, 2}, {helper.run(function() return 1, 2 end)})
    end)

    it("raises the main task's error with its traceback", function()
      local ok, err = pcall(helper.run, function() error("boom") end)
      assert.is_false(ok)
      assert.matches("boom", err)
      assert.matches("stack traceback", err)
    end)

    it("cancels the tasks still running when main ends", function()
      local t
      helper.run(function() t = asyncio.create_task(asyncio.sleep, 60) end)
      assert.is_true(t:cancelled())
      assert.equal(0, core.live_tasks())
    end)

    it("cannot be nested in a task", function()
      helper.run(function()
        local ok, err = pcall(asyncio.run, function() end)
        assert.is_false(ok)
        assert.matches("cannot be called from a task", err)
      end)
    end)
  end)

  describe("a spec's deadline", function()
    it("gives up on a task that never ends, saying where each task waits", function()
      local ticks = 0
      local ok, err = pcall(helper.run_within, 0.05, function()
        -- Something keeps the loop busy, so only the deadline can end this.
        asyncio.create_task("ticker", function()
          while true do asyncio.sleep(0.001); ticks = ticks + 1 end
        end)
        asyncio.Event():wait()
      end)
      assert.is_false(ok)
      assert.is_true(ticks > 0)
      assert.matches("did not finish within 0.05 s", err, 1, true)
      assert.matches("task ticker waits at:\n[^\n]*\n[^\n]*in function 'luaflet.core.sleep'", err)
      assert.matches("task main waits at:\n[^\n]*\n[^\n]*in function 'luaflet.core.suspend'.-waiters.lua", err)
      assert.equal(0, core.live_tasks())
    end)
  end)
end)
