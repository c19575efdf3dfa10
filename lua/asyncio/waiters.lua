-- Waiters: a FIFO of suspended tasks, the one building block of asyncio's primitives.
--
-- A primitive either wakes a task to look again, or hands it something (a lock, an item) as
-- it wakes it. If a task is cancelled after it was handed something but before it ran, the
-- primitive's `abandon` function gets the thing back, so nothing is lost.
local core = require "luaflet.core"

local M = {}

local Waiters = {}
Waiters.__index = Waiters

function M.new()
  return setmetatable({_first = 1, _last = 0}, Waiters)
end

--- Number of tasks waiting (cancelled ones excluded once they have left).
function Waiters:count()
  local n = 0
  for i = self._first, self._last do
    local r = self[i]
    if r and not r.gone then n = n + 1 end
  end
  return n
end

function Waiters:empty()
  return self:first() == nil
end

--- The longest-waiting record, or nil.
function Waiters:first()
  for i = self._first, self._last do
    local r = self[i]
    if r and not r.gone then return r end
  end
  return nil
end

--- Suspends the running task at the end of the queue; returns what wake_one/wake_all gave.
-- rec may carry data for the waker (a queued item); abandon(value, rec) is called if the task
-- is cancelled after it was handed `value`.
function Waiters:wait(what, rec, abandon)
  local me = core.current()
  if not me then
    error(what .. " must be called from a task (main, an event handler or "
      .. "asyncio.create_task)", 3)
  end
  rec = rec or {}
  rec.task = me
  self._last = self._last + 1
  self[self._last] = rec
  local ok, value = pcall(core.suspend)
  if ok then return value end
  -- Cancelled: leave the queue, and give back what was handed over meanwhile.
  if rec.woken then
    if abandon then abandon(rec.value, rec) end
  else
    rec.gone = true
  end
  error(value, 0)
end

local function pop(self)
  while self._first <= self._last do
    local r = self[self._first]
    self[self._first] = nil
    self._first = self._first + 1
    if r and not r.gone then return r end
  end
  self._first, self._last = 1, 0
  return nil
end

--- Wakes the longest-waiting task with value; returns its record, or nil if none waits.
function Waiters:wake_one(value)
  local r = pop(self)
  while r do
    -- A task cancelled but not yet resumed cannot be woken: it must not count as served.
    if core.wake(r.task, value) then
      r.woken, r.value = true, value
      return r
    end
    r = pop(self)
  end
  return nil
end

--- Wakes every waiting task with value; returns how many.
function Waiters:wake_all(value)
  local n = 0
  while self:wake_one(value) do n = n + 1 end
  return n
end

return M
