-- Synchronization primitives: Event, Lock, Semaphore, BoundedSemaphore, Condition. All are
-- FIFO-fair: the task that waited longest goes first.
local waiters = require "asyncio.waiters"

local M = {}

local setmetatable, error, type = setmetatable, error, type

-- Event ------------------------------------------------------------------------------------

local Event = {}
Event.__index = Event
M.Event = Event

function Event.new()
  return setmetatable({_set = false, _waiters = waiters.new()}, Event)
end

function Event:is_set() return self._set end

--- Sets the flag and wakes every task waiting for it.
function Event:set()
  self._set = true
  self._waiters:wake_all(true)
end

function Event:clear() self._set = false end

--- Waits until the flag is set; returns true.
function Event:wait()
  if self._set then return true end
  return self._waiters:wait("Event:wait")
end

-- Lock ---------------------------------------------------------------------------------------

local Lock = {}
Lock.__index = Lock
M.Lock = Lock

function Lock.new()
  return setmetatable({_locked = false, _waiters = waiters.new()}, Lock)
end

function Lock:locked() return self._locked end

local function lock_pass(self)
  -- The lock goes straight to the next waiter, so nobody can overtake it.
  if not self._waiters:wake_one(true) then self._locked = false end
end

--- Waits until the lock is free and takes it. Returns the lock, so that
-- `local l <close> = lock:acquire()` releases it when l goes out of scope.
function Lock:acquire()
  if not self._locked then
    self._locked = true
    return self
  end
  self._waiters:wait("Lock:acquire", nil, function() lock_pass(self) end)
  return self
end

function Lock:release()
  if not self._locked then error("Lock:release: the lock is not held", 2) end
  lock_pass(self)
end

Lock.__close = function(self) self:release() end

-- Semaphore ----------------------------------------------------------------------------------

local Semaphore = {}
Semaphore.__index = Semaphore
M.Semaphore = Semaphore

function Semaphore.new(value)
  value = value or 1
  if type(value) ~= "number" or value < 0 then
    error("Semaphore: the initial value must be a number >= 0", 2)
  end
  return setmetatable({_value = value, _bound = nil, _waiters = waiters.new()}, Semaphore)
end

function Semaphore:locked() return self._value == 0 end

local function sem_release(self)
  if not self._waiters:wake_one(true) then self._value = self._value + 1 end
end

--- Waits until the counter is above zero, then decrements it; returns the semaphore (usable
-- with <close> like Lock).
function Semaphore:acquire()
  if self._value > 0 then
    self._value = self._value - 1
    return self
  end
  self._waiters:wait("Semaphore:acquire", nil, function() sem_release(self) end)
  return self
end

function Semaphore:release()
  if self._bound and self._value >= self._bound and self._waiters:empty() then
    error("BoundedSemaphore:release: released more often than acquired", 2)
  end
  sem_release(self)
end

Semaphore.__close = function(self) self:release() end

--- A Semaphore that refuses to be released above its initial value.
function M.BoundedSemaphore(value)
  local s = Semaphore.new(value)
  s._bound = s._value
  return s
end

-- Condition ----------------------------------------------------------------------------------

local Condition = {}
Condition.__index = Condition
M.Condition = Condition

function Condition.new(lock)
  lock = lock or Lock.new()
  return setmetatable({_lock = lock, _waiters = waiters.new()}, Condition)
end

function Condition:acquire() self._lock:acquire(); return self end
function Condition:release() self._lock:release() end
function Condition:locked() return self._lock:locked() end
Condition.__close = function(self) self:release() end

--- Releases the lock, waits for notify, and takes the lock again before returning (also when
-- cancelled, as in Python).
function Condition:wait()
  if not self._lock:locked() then error("Condition:wait: the lock is not held", 2) end
  self._lock:release()
  local ok, err = pcall(self._waiters.wait, self._waiters, "Condition:wait")
  self._lock:acquire()
  if not ok then error(err, 0) end
  return true
end

--- Waits until predicate() is true; returns its value.
function Condition:wait_for(predicate)
  local r = predicate()
  while not r do
    self:wait()
    r = predicate()
  end
  return r
end

function Condition:notify(n)
  if not self._lock:locked() then error("Condition:notify: the lock is not held", 2) end
  for _ = 1, n or 1 do
    if not self._waiters:wake_one(true) then break end
  end
end

function Condition:notify_all()
  if not self._lock:locked() then error("Condition:notify_all: the lock is not held", 2) end
  self._waiters:wake_all(true)
end

return M
