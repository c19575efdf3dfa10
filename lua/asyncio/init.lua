-- asyncio: tasks on the host's libuv loop, with the names Python's asyncio gives them.
--
-- Everything runs on one loop in one thread: a task runs until it awaits (sleep, an _async
-- page method, waiting for another task), and only then do other tasks and events get a
-- turn. A task that computes for a long time without awaiting holds up every session.
local core = require "luaflet.core"

local M = {}

local select, type, error = select, type, error

-- The value raised inside a task at its await point when the task is cancelled.
M.CancelledError = core.CancelledError

-- A task may belong to an owner (a page): a table with a _report(msg) method, whose _tasks
-- set (made by the host while the owner has live tasks) holds the task while it lives. The
-- host keeps the owner with the task, and when an owned task fails, runs the reporter below
-- in a task of its own with the error and its traceback; the failure is then not logged
-- again as a task's.
core.set_reporter(function(owner, err) owner:_report(err) end)

--- Runs fn(...) in a new task, which starts once the current task awaits. The task belongs to
-- the same page as the task that created it, so it is cancelled when that session ends.
-- A name may come first, as Python's create_task(coro, name=...) takes one:
-- create_task("poller", fn, ...). It names the task in --debug's warnings and get_name().
M.create_task = core.create_task

--- Runs fn(...) (or name, fn, ...) in a new task that belongs to owner, whatever task creates
-- it.
M._create_owned = core.create_owned

--- Runs fn(...) in the current task on behalf of owner: from now on the task belongs to it, so
-- errors are reported to it and the task is cancelled with the owner's other tasks. Used for
-- main() and event handlers.
function M._run_owned(owner, fn, ...)
  core.own(owner)
  return fn(...)
end

--- The owner of the running task, or nil.
M._owner = core.owner

--- Suspends the current task for `seconds` (never less); returns `value`.
function M.sleep(seconds, value)
  if type(seconds) ~= "number" then
    error("asyncio.sleep: expected seconds as a number, got " .. type(seconds), 2)
  end
  return core.sleep(seconds, value)
end

--- The running task, or nil outside any task.
function M.current_task()
  return core.current()
end

--- Whether the calling code runs in a task, where it may await.
function M.in_task()
  return core.current() ~= nil
end

--- Every task that has not ended.
function M.all_tasks()
  return core.all_tasks()
end

-- The tasks given to gather and wait_for: their errors are raised there, so they are not
-- also logged as unhandled.
local function as_task(v, what, i)
  local t = v
  if type(v) == "function" then t = M.create_task(v) end
  if type(t) ~= "userdata" or not t.wait then
    error(("%s: argument %d must be a task or a function"):format(what, i), 3)
  end
  t:_reported()
  return t
end

--- Waits for every task (functions are started as tasks) and returns their first results in
-- order. The first error raised by one of them is raised here and the others are cancelled;
-- with a last argument {return_exceptions = true} errors are returned in their slots instead.
function M.gather(...)
  local n = select("#", ...)
  local opts = n > 0 and select(n, ...) or nil
  if type(opts) == "table" and getmetatable(opts) == nil then n = n - 1 else opts = nil end
  local keep_errors = opts and opts.return_exceptions
  local tasks = {}
  for i = 1, n do tasks[i] = as_task((select(i, ...)), "asyncio.gather", i) end
  local me = core.current()
  if not me then error("asyncio.gather must be called from a task", 2) end

  -- One watcher per task reports its end; the first failure is known as soon as it happens.
  local results, errors, left, failed = {}, {}, n, nil
  local done = require("asyncio.locks").Event.new()
  local watchers = {}
  for i, t in ipairs(tasks) do
    watchers[i] = core.spawn(function()
      local r = table.pack(pcall(t.wait, t))
      if r[1] then results[i] = r[2] else errors[i] = r[2]; failed = failed or i end
      left = left - 1
      if left == 0 or (failed and not keep_errors) then done:set() end
    end)
  end
  if n == 0 then return end
  local ok, err = pcall(done.wait, done)
  if not ok or (failed and not keep_errors) then
    for i, t in ipairs(tasks) do t:cancel(); watchers[i]:cancel() end
    error(ok and errors[failed] or err, 0)
  end
  local out = {}
  for i = 1, n do
    if errors[i] ~= nil then out[i] = errors[i] else out[i] = results[i] end
  end
  return table.unpack(out, 1, n)
end

--- Waits for a task (a function is started as one) for at most `seconds`. Returns its
-- results, or nil, "timeout" after cancelling it.
function M.wait_for(task_or_fn, seconds)
  if type(seconds) ~= "number" then error("asyncio.wait_for: expected seconds as a number", 2) end
  local t = as_task(task_or_fn, "asyncio.wait_for", 1)
  if not core.current() then error("asyncio.wait_for must be called from a task", 2) end
  local timed_out = false
  local timer = core.spawn(function()
    core.sleep(seconds)
    timed_out = true
    t:cancel()
  end)
  local r = table.pack(pcall(t.wait, t))
  timer:cancel()
  if r[1] then return table.unpack(r, 2, r.n) end
  if timed_out and r[2] == M.CancelledError then return nil, "timeout" end
  if r[2] == M.CancelledError and not t:done() then t:cancel() end
  error(r[2], 0)
end

M.fs = require "asyncio.fs"
M.http = require "asyncio.http"

local function thread_results(ok, ...)
  if ok then return ... end
  error(..., 0)
end

--- Runs fn(...) in a fresh Lua state on libuv's thread pool and returns its results, so that
-- CPU-heavy work never stalls the loop. fn must be self-contained: it sees the standard
-- libraries but none of the caller's upvalues or modules. Arguments and results are copied:
-- nil, booleans, numbers, strings and tables of those; anything else is an error. An error in
-- fn is raised here with its traceback.
function M.to_thread(fn, ...)
  if type(fn) ~= "function" then error("asyncio.to_thread: expected a function", 2) end
  return thread_results(core.to_thread(fn, ...))
end

local locks = require "asyncio.locks"
local queues = require "asyncio.queues"
M.Event = locks.Event.new
M.Lock = locks.Lock.new
M.Semaphore = locks.Semaphore.new
M.BoundedSemaphore = locks.BoundedSemaphore
M.Condition = locks.Condition.new
M.Queue = queues.Queue
M.PriorityQueue = queues.PriorityQueue
M.LifoQueue = queues.LifoQueue
M.QueueEmpty = queues.QueueEmpty
M.QueueFull = queues.QueueFull

--- Runs fn(...) as the main task of a script and returns its results. When it ends, every
-- task still running is cancelled and allowed to finish. Raises fn's error, with its
-- traceback. A stop by SIGINT, SIGTERM or SIGHUP returns nothing.
function M.run(fn, ...)
  local task = M.create_task("main", fn, ...)
  core.run_until(task)
  core.cancel_all()
  core.drain()
  if task:cancelled() and core.stopping() then return end
  return task:result()
end

return M
