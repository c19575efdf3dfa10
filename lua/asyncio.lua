-- asyncio: tasks on the host's libuv loop, with the names Python's asyncio gives them.
--
-- Everything runs on one loop in one thread: a task runs until it awaits (sleep, an _async
-- page method, waiting for another task), and only then do other tasks and events get a
-- turn. A task that computes for a long time without awaiting holds up every session.
local core = require "luaflet.core"

local M = {}

local traceback = debug.traceback
local select, type, tostring, error, xpcall = select, type, tostring, error, xpcall

-- The value raised inside a task at its await point when the task is cancelled.
M.CancelledError = core.CancelledError

-- Which owner (a page) each task belongs to. An owner has a _tasks set and a _report(msg)
-- method that receives the task's uncaught errors.
local owners = setmetatable({}, {__mode = "k"})

local function handler(err)
  if err == M.CancelledError then return err end
  return traceback(tostring(err), 2)
end

local function finish(task, owner, ok, ...)
  if owner then owner._tasks[task] = nil end
  if ok then return ... end
  local err = ...
  if err ~= M.CancelledError and owner then
    owner:_report(err)
    task:_reported() -- logged once, by the owner
  end
  error(err, 0)
end

local function guarded(fn, ...)
  local task = core.current()
  return finish(task, owners[task], xpcall(fn, handler, ...))
end

--- Runs fn(...) in a new task, which starts once the current task awaits. The task belongs to
-- the same page as the task that created it, so it is cancelled when that session ends.
function M.create_task(fn, ...)
  if type(fn) ~= "function" then
    error("asyncio.create_task: expected a function, got " .. type(fn), 2)
  end
  local owner = owners[core.current()]
  local task = core.spawn(guarded, fn, ...)
  if owner then
    owners[task] = owner
    owner._tasks[task] = true
  end
  return task
end

--- Runs fn(...) in the current task on behalf of owner: errors are reported to it, and the
-- task is cancelled with the owner's other tasks. Used for main() and event handlers.
function M._run_owned(owner, fn, ...)
  local task = core.current()
  owners[task] = owner
  owner._tasks[task] = true
  return finish(task, owner, xpcall(fn, handler, ...))
end

--- The owner of the running task, or nil.
function M._owner()
  return owners[core.current()]
end

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

--- Runs fn(...) as the main task of a script and returns its results. When it ends, every
-- task still running is cancelled and allowed to finish. Raises fn's error, with its
-- traceback. A stop by SIGINT or SIGTERM returns nothing.
function M.run(fn, ...)
  local task = M.create_task(fn, ...)
  core.run_until(task)
  core.cancel_all()
  core.drain()
  if task:cancelled() and core.stopping() then return end
  return task:result()
end

return M
