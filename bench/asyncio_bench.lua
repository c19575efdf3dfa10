-- make bench: what asyncio's tasks cost, each figure beside the same one for a bare Lua
-- coroutine or a bare libuv timer measured in the same run. Run by the host:
--   build/luaflet bench/asyncio_bench.lua OUTFILE
local core = require "luaflet.core"
local asyncio = require "asyncio"

local report = require("report").new(arg[1])
local say = report.say

local function best_of(runs, fn)
  local best = math.huge
  for _ = 1, runs do best = math.min(best, fn()) end
  return best
end

local N = 200000

-- Resume + yield: a task that awaits sleep(0) (queue, idle turn, resume) vs a bare coroutine.
local bare_switch = best_of(3, function()
  local co = coroutine.wrap(function() while true do coroutine.yield() end end)
  local t0 = core.now()
  for _ = 1, N do co() end
  return (core.now() - t0) / N * 1e9
end)
local task_switch = best_of(3, function()
  return asyncio.run(function()
    local t0 = core.now()
    for _ = 1, N do asyncio.sleep(0) end
    return (core.now() - t0) / N * 1e9
  end)
end)

-- Create + finish: a task that returns at once vs a coroutine run to its end.
local bare_create = best_of(3, function()
  local f = function() end
  local t0 = core.now()
  for _ = 1, N do coroutine.resume(coroutine.create(f)) end
  return (core.now() - t0) / N * 1e9
end)
local task_create = best_of(3, function()
  return asyncio.run(function()
    local f = function() end
    local t0 = core.now()
    for _ = 1, N do asyncio.create_task(f) end
    asyncio.sleep(0) -- they all run and end in this turn
    while core.live_tasks() > 1 do asyncio.sleep(0) end
    return (core.now() - t0) / N * 1e9
  end)
end)

-- Memory per sleeping task vs per suspended bare coroutine: the Lua heap's growth, plus for
-- tasks the timer each keeps outside it.
local M = 10000
local function heap() collectgarbage("collect"); collectgarbage("collect"); return collectgarbage("count") * 1024 end
-- The coroutines are garbage once it returns, before the tasks are measured.
local function bare_coroutine_memory()
  local h0 = heap()
  local cos = {}
  for i = 1, M do
    cos[i] = coroutine.create(function() coroutine.yield() end)
    coroutine.resume(cos[i])
  end
  return (heap() - h0) / M
end
local bare_mem = bare_coroutine_memory()
local task_mem = asyncio.run(function()
  local tasks = {}
  local g0 = heap()
  for i = 1, M do tasks[i] = asyncio.create_task(asyncio.sleep, 3600) end
  asyncio.sleep(0) -- every task is now asleep on its timer
  local per = (heap() - g0) / M + core.sleeper_c_bytes()
  for _, t in ipairs(tasks) do t:cancel() end
  return per
end)

-- Timer lateness: 10,000 sleepers with deadlines spread over a second.
local late = asyncio.run(function()
  local lateness = {}
  local rng = 12345
  for _ = 1, M do
    rng = (rng * 1103515245 + 12345) % 4294967296
    local d = (rng % 1000 + 1) / 1000
    asyncio.create_task(function()
      asyncio.sleep(d)
      lateness[#lateness + 1] = (core.now() - core.deadline()) * 1000
    end)
  end
  while #lateness < M do asyncio.sleep(0.05) end
  table.sort(lateness)
  return {lateness[M // 2], lateness[math.floor(M * 0.99)], lateness[M]}
end)
local p = io.popen("build/bench/uv_timers " .. M)
local b50, b99, bmax = p:read("n", "n", "n")
p:close()

say("asyncio on this machine (%s)", io.popen("uname -m"):read("l"))
say("%-34s %12s %12s %8s", "figure", "asyncio", "baseline", "ratio")
say("%-34s %9.0f ns %9.0f ns %7.1fx   (baseline: bare coroutine)", "resume + yield (sleep(0))",
  task_switch, bare_switch, task_switch / bare_switch)
say("%-34s %9.0f ns %9.0f ns %7.1fx   (baseline: bare coroutine)", "task create + finish",
  task_create, bare_create, task_create / bare_create)
say("%-34s %9.0f B  %9.0f B  %7.1fx   (baseline: suspended coroutine)", "memory per sleeping task",
  task_mem, bare_mem, task_mem / bare_mem)
say("%-34s %9.2f ms %9.2f ms %7.1fx   (baseline: bare uv timers)", "timer lateness p50, 10,000 sleepers",
  late[1], b50, late[1] / math.max(b50, 1e-3))
say("%-34s %9.2f ms %9.2f ms %7.1fx   (baseline: bare uv timers)", "timer lateness p99, 10,000 sleepers",
  late[2], b99, late[2] / math.max(b99, 1e-3))
say("%-34s %9.2f ms %9.2f ms", "timer lateness max", late[3], bmax)

report.save{
  resume_yield_ns = task_switch, resume_yield_bare_ns = bare_switch,
  create_finish_ns = task_create, create_finish_bare_ns = bare_create,
  task_memory_b = task_mem, task_memory_bare_b = bare_mem,
  timer_p50_ms = late[1], timer_p50_bare_ms = b50, timer_p99_ms = late[2], timer_p99_bare_ms = b99,
}
