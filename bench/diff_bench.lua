-- make bench: the js-framework-benchmark operations, on the server side. For each: the
-- median time of the diff and its encoding, the ops it sent and the bytes on the wire,
-- beside the baseline measured in the same run: sending the whole tree again.
--   build/luaflet bench/diff_bench.lua OUTFILE
local core = require "luaflet.core"
local ft = require "flet.controls"
local page_mod = require "flet.page"
local channel_mod = require "flet.channel"

local report = require("report").new(arg[1])
local say = report.say

local adjectives = {"pretty", "large", "big", "small", "tall", "short", "long", "handsome",
  "plain", "quaint", "clean", "elegant", "easy", "angry", "crazy", "helpful", "mushy"}
local nouns = {"table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich",
  "burger", "pizza", "mouse", "keyboard"}
local serial = 0
local function row()
  serial = serial + 1
  local label = adjectives[serial % #adjectives + 1] .. " " .. nouns[serial % #nouns + 1]
  return ft.Row{key = serial, ft.Text(tostring(serial)), ft.Text(label)}
end

-- Pages send through a channel with no socket that keeps nothing.
local function new_page()
  return page_mod.new(channel_mod.new(0), 1000, 800)
end

local function page_with(n)
  local page = new_page()
  local rows = ft.Column{}
  for i = 1, n do rows.controls[i] = row() end
  page:add(rows)
  return page, rows
end

-- glibc leaves the blocks a collection frees unsorted, and its next allocations sort them:
-- after a full collection, a whole page's worth, which would land on whichever side of the
-- comparison allocates first. A few allocations larger than its per-size caches do that work
-- here, before either side is timed (a server collects in slices, a little at a time).
local function settle()
  for i = 1, 64 do string.rep(" ", 2048 + 16 * i) end
end

-- Calls f with the collector stopped and returns how long it took, in microseconds. Lua pays
-- for collection out of allocation: with the collector running, whichever side allocated
-- while a cycle was under way (the change itself starts one) was charged steps of it, a
-- third of the diff's figure at times. A server collects in slices of loop time instead
-- (host/gcpace.c).
local function timed(f)
  collectgarbage("stop")
  local t0 = core.now()
  local result = f()
  local us = (core.now() - t0) * 1e6
  collectgarbage("restart")
  return us, result
end

-- Runs setup() then times the diff of the change that op() makes; the median of `runs`.
-- `reps` repeats the diff and takes the mean, for changes too small for one clock reading.
local function measure(runs, setup, op, reps)
  reps = reps or 1
  local times, bytes, nops, full_t, full_b = {}, 0, 0, {}, 0
  for r = 1, runs do
    local page, rows = setup()
    collectgarbage("collect")
    settle()
    op(page, rows)
    local us, patch = timed(function()
      local patch = page._snap:diff(page, page._index, nil, 1)
      for _ = 2, reps do page._snap:diff(page, page._index, nil, 1) end
      return patch
    end)
    times[r] = us / reps
    bytes = patch and #patch or 0
    nops = patch and #core.json_decode(patch).ops or 0
    local full
    full_t[r], full = timed(function() return page._snap:init_message(1) end)
    full_b = #full
  end
  table.sort(times)
  table.sort(full_t)
  return times[(runs + 1) // 2], nops, bytes, full_t[(runs + 1) // 2], full_b
end

local function setup(n) return function() return page_with(n) end end
local function none() return new_page(), nil end

local cases = {
  {"create 1,000 rows", none, function(page)
    local rows = ft.Column{}
    for i = 1, 1000 do rows.controls[i] = row() end
    page.controls[1] = rows
  end},
  {"replace all 1,000 rows", setup(1000), function(_, rows)
    local new = {}
    for i = 1, 1000 do new[i] = row() end
    rows.controls = new
  end},
  {"update every 10th of 10,000 rows", setup(10000), function(_, rows)
    for i = 1, 10000, 10 do
      local label = rows.controls[i].controls[2]
      label.value = label.value .. " !!!"
    end
  end},
  {"select a row (of 1,000)", setup(1000), function(_, rows)
    rows.controls[500].bgcolor = "primaryContainer"
  end},
  {"swap two rows of 1,000", setup(1000), function(_, rows)
    local l = rows.controls
    l[2], l[999] = l[999], l[2]
  end},
  {"remove one row (of 1,000)", setup(1000), function(_, rows)
    table.remove(rows.controls, 500)
  end},
  {"create 10,000 rows", none, function(page)
    local rows = ft.Column{}
    for i = 1, 10000 do rows.controls[i] = row() end
    page.controls[1] = rows
  end},
  {"append 1,000 to 10,000 rows", setup(10000), function(_, rows)
    local l = rows.controls
    for _ = 1, 1000 do l[#l + 1] = row() end
  end},
  {"clear 10,000 rows", setup(10000), function(_, rows)
    rows.controls = {}
  end},
  {"update with nothing changed (10,000 rows)", setup(10000), function() end, 10000},
}

say("diff on this machine (%s), median of 7 runs; baseline: the whole tree sent again",
  io.popen("uname -m"):read("l"))
say("%-42s %10s %6s %9s | %10s %9s | %7s", "operation", "diff", "ops", "bytes",
  "resend", "bytes", "time x")
local figures = {}
for _, case in ipairs(cases) do
  local t, nops, bytes, ft_, fb = measure(7, case[2], case[3], case[4])
  say("%-42s %7.2f us %6d %9d | %7.1f us %9d | %6.3fx", case[1], t, nops, bytes, ft_, fb,
    t / math.max(ft_, 0.001))
  figures[case[1]] = {diff_us = t, ops = nops, bytes = bytes, resend_us = ft_, resend_bytes = fb}
end
local page = page_with(10000)
local b, n = page._snap:stats()
say("snapshot: %d controls in %d bytes, %.0f bytes per control", n, b, b / n)

report.save(figures)
