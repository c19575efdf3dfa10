-- Shared by every spec: the real C core and loop, and checks that each spec leaves no task
-- behind (the way libuv's own tests check that nothing is left on the loop).
local core = require "luaflet.core"
local asyncio = require "asyncio"

core.set_log_level("error")

local helper = {}

-- How long a spec's task may take before it is given up on. Specs finish in well under a
-- second; this is for one whose task waits for something that never comes while something
-- else (a ticking app, a server) keeps the loop alive, which would otherwise hang the run.
helper.DEADLINE = 30

-- Every task that has not ended, each with its name and the stack of where it waits.
local function waiting_tasks()
  local parts = {}
  for _, t in ipairs(core.all_tasks()) do
    if t ~= asyncio.current_task() then
      local stack = core.task_stack(t)
      parts[#parts + 1] = stack and ("task %s waits at:\n%s"):format(t:get_name(), stack)
        or ("task %s has not started"):format(t:get_name())
    end
  end
  return table.concat(parts, "\n")
end

--- Runs fn(...) as a task on the real loop until it finishes; returns its results. A task
-- that has not finished within `seconds` (default helper.DEADLINE) fails the spec with what
-- every task was waiting for, and is cancelled with the others.
function helper.run_within(seconds, fn, ...)
  local overdue
  local results = table.pack(pcall(asyncio.run, function(...)
    local deadline = core.spawn(function()
      asyncio.sleep(seconds)
      overdue = ("the spec's task did not finish within %g s\n%s"):format(seconds, waiting_tasks())
      core.cancel_all()
    end)
    deadline:set_name("spec deadline")
    -- The deadline goes with the task, however the task ends.
    local _ <close> = setmetatable({}, {__close = function() deadline:cancel() end})
    return fn(...)
  end, ...))
  if overdue then error(overdue, 2) end
  if not results[1] then error(results[2], 0) end
  return table.unpack(results, 2, results.n)
end

function helper.run(fn, ...)
  return helper.run_within(helper.DEADLINE, fn, ...)
end

--- A stand-in for a session's socket that keeps what was sent, decoded.
function helper.fake_conn()
  local conn = {sent = {}, raw = {}}
  function conn:send(text)
    self.raw[#self.raw + 1] = text
    self.sent[#self.sent + 1] = core.json_decode(text)
    return true
  end
  function conn:send_async(text)
    asyncio.sleep(0) -- a real socket hands the message over on a later turn of the loop
    return self:send(text)
  end
  function conn:close(code) self.closed_with = code or 1000 end
  function conn:registered() self.is_registered = true end
  function conn:address() return self.addr end
  function conn:user_agent() return self.ua end
  function conn:last() return self.sent[#self.sent] end
  function conn:ops()
    local m = self.sent[#self.sent]
    return m and m.ops or {}
  end
  return conn
end

--- A page as a session has it, its channel sending to a fake socket (which keeps nothing
-- for a reconnect): returns the page, the socket and the channel.
function helper.page(width, height)
  local conn = helper.fake_conn()
  local channel = require("flet.channel").new(0)
  channel:attach(conn)
  return require("flet.page").new(channel, width or 100, height or 100), conn, channel
end

--- Drives a session handler the way the host does: the call in a task of its own, which
-- gets its first turn before this returns.
function helper.deliver(handler, ...)
  local t = asyncio.create_task(handler, ...)
  asyncio.sleep(0)
  return t
end

--- A register message from conn, with `extra` fields (a token and a count) when given.
function helper.register(on_message, conn, extra)
  local msg = {t = "register", width = 1, height = 1}
  for k, v in pairs(extra or {}) do msg[k] = v end
  return helper.deliver(on_message, conn, msg)
end

local busted = require "busted"
-- What is left on the loop: handle types with counts, and requests in flight.
local function leftovers()
  local r = core.loop_report()
  local parts = {}
  for k, v in pairs(r.handles) do parts[#parts + 1] = ("%d %s"):format(v, k) end
  if r.requests > 0 then parts[#parts + 1] = r.requests .. " requests" end
  table.sort(parts)
  return table.concat(parts, ", ")
end

busted.subscribe({"test", "end"}, function(element)
  if core.live_tasks() ~= 0 then
    core.cancel_all()
    core.drain()
    error(("%s: a task was left running"):format(element.name), 0)
  end
  -- Work on the thread pool cannot be stopped half-way (a cancelled to_thread call runs to
  -- its end), so requests get a moment to finish; handles must already be gone.
  local t0 = core.now()
  while core.loop_report().requests > 0 and core.now() - t0 < 2 do
    asyncio.run(asyncio.sleep, 0.001)
  end
  local left = leftovers()
  if left ~= "" then
    error(("%s: left on the loop: %s"):format(element.name, left), 0)
  end
  return nil, true
end)

package.loaded["spec.helper"] = helper
--- A folder of its own for a spec's files, removed at the test's end by finally (busted's,
-- which only a spec's own code has: it passes it).
function helper.scratch(finally)
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir))
  finally(function() os.execute("rm -rf " .. dir) end)
  return dir
end

--- Writes text to the file at path.
function helper.write_file(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

return helper
