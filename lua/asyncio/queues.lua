-- Queues: Queue (FIFO), PriorityQueue (smallest first) and LifoQueue (last in, first out),
-- with Python's methods. A maxsize of 0 (the default) means unbounded.
local waiters = require "asyncio.waiters"
local locks = require "asyncio.locks"

local M = {}

local setmetatable, error, type = setmetatable, error, type

M.QueueEmpty = setmetatable({}, {__tostring = function() return "asyncio.QueueEmpty" end})
M.QueueFull = setmetatable({}, {__tostring = function() return "asyncio.QueueFull" end})

-- Storage strategies: each holds items in its own order.
local fifo = {
  init = function(q) q._head, q._tail = 1, 0 end,
  size = function(q) return q._tail - q._head + 1 end,
  push = function(q, item) q._tail = q._tail + 1; q._items[q._tail] = item end,
  pop = function(q)
    local item = q._items[q._head]
    q._items[q._head] = nil
    q._head = q._head + 1
    return item
  end,
  -- Gives an item back at the front, for a getter cancelled after it was handed one.
  unpop = function(q, item) q._head = q._head - 1; q._items[q._head] = item end,
}

local lifo = {
  init = function(q) q._n = 0 end,
  size = function(q) return q._n end,
  push = function(q, item) q._n = q._n + 1; q._items[q._n] = item end,
  pop = function(q)
    local item = q._items[q._n]
    q._items[q._n] = nil
    q._n = q._n - 1
    return item
  end,
}
lifo.unpop = lifo.push

-- A binary heap. Items compare with <, or by their first element when they are tables
-- ({priority, data}, like Python's tuples).
local function key(v) if type(v) == "table" then return v[1] end return v end
local function less(a, b) return key(a) < key(b) end
local heap = {
  init = function(q) q._n = 0 end,
  size = function(q) return q._n end,
  push = function(q, item)
    local h = q._items
    q._n = q._n + 1
    local i = q._n
    h[i] = item
    while i > 1 do
      local p = i // 2
      if not less(h[i], h[p]) then break end
      h[i], h[p] = h[p], h[i]
      i = p
    end
  end,
  pop = function(q)
    local h, n = q._items, q._n
    local top = h[1]
    h[1] = h[n]
    h[n] = nil
    n = n - 1
    q._n = n
    local i = 1
    while true do
      local l, r, m = 2 * i, 2 * i + 1, i
      if l <= n and less(h[l], h[m]) then m = l end
      if r <= n and less(h[r], h[m]) then m = r end
      if m == i then break end
      h[i], h[m] = h[m], h[i]
      i = m
    end
    return top
  end,
}
heap.unpop = heap.push

local Queue = {}
Queue.__index = Queue

local function new(store, maxsize)
  maxsize = maxsize or 0
  if type(maxsize) ~= "number" or maxsize < 0 then error("queue: maxsize must be >= 0", 3) end
  local q = setmetatable({_store = store, _items = {}, _maxsize = maxsize,
    _getters = waiters.new(), _putters = waiters.new(), _unfinished = 0,
    _finished = locks.Event.new()}, Queue)
  store.init(q)
  q._finished:set()
  return q
end

function M.Queue(maxsize) return new(fifo, maxsize) end
function M.LifoQueue(maxsize) return new(lifo, maxsize) end
function M.PriorityQueue(maxsize) return new(heap, maxsize) end

function Queue:qsize() return self._store.size(self) end
function Queue:empty() return self._store.size(self) == 0 end
function Queue:full() return self._maxsize > 0 and self._store.size(self) >= self._maxsize end
function Queue:maxsize() return self._maxsize end

local function accepted(self)
  self._unfinished = self._unfinished + 1
  self._finished:clear()
end

-- Stores an item, or hands it straight to the longest-waiting getter.
local function deliver(self, item)
  accepted(self)
  if self._store.size(self) == 0 and self._getters:wake_one(item) then return end
  self._store.push(self, item)
end

--- Adds an item at once; raises asyncio.QueueFull if the queue is full.
function Queue:put_nowait(item)
  if item == nil then error("queue: cannot put nil", 2) end
  if self:full() or not self._putters:empty() then error(M.QueueFull, 2) end
  deliver(self, item)
end

--- Adds an item, waiting while the queue is full.
function Queue:put(item)
  if item == nil then error("queue: cannot put nil", 2) end
  if not self:full() and self._putters:empty() then return deliver(self, item) end
  -- The getter that frees a place takes the item from the record.
  self._putters:wait("Queue:put", {item = item})
end

-- After an item left the store: the longest-waiting putter's item takes its place.
local function refill(self)
  if self:full() then return end
  local r = self._putters:wake_one(true)
  if r then deliver(self, r.item) end
end

--- Removes and returns an item at once; raises asyncio.QueueEmpty if there is none.
function Queue:get_nowait()
  if self._store.size(self) == 0 then
    local r = self._putters:wake_one(true)
    if not r then error(M.QueueEmpty, 2) end
    accepted(self)
    return r.item
  end
  local item = self._store.pop(self)
  refill(self)
  return item
end

--- Removes and returns an item, waiting while the queue is empty.
function Queue:get()
  if self._store.size(self) > 0 or not self._putters:empty() then return self:get_nowait() end
  return self._getters:wait("Queue:get", nil, function(item)
    self._store.unpop(self, item)
  end)
end

--- Marks one item taken with get() as processed.
function Queue:task_done()
  if self._unfinished <= 0 then error("Queue:task_done called more often than put", 2) end
  self._unfinished = self._unfinished - 1
  if self._unfinished == 0 then self._finished:set() end
end

--- Waits until every item put has been marked done.
function Queue:join()
  return self._finished:wait()
end

return M
