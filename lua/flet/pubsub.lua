-- pubsub: messages between the sessions of one host, as Flet's page.pubsub.
--
--   page.pubsub:subscribe(function(msg) ... end)
--   page.pubsub:subscribe_topic("room", function(topic, msg) ... end)
--   page.pubsub:send_all({user = name, text = text})
--
-- A message is a Lua value; a table is copied for each session that gets it (deeply, its
-- metatables kept), so no two sessions share one. Each session gets its messages in the order
-- they were sent: they wait in its queue, and one task of the session at a time hands them to
-- its handlers (a handler may await; the next message waits for it). A session's
-- subscriptions end with it.
local asyncio = require "asyncio"
local kinds = require "flet.kinds"

local M = {}

local pairs, next, type, getmetatable, setmetatable = pairs, next, type, getmetatable, setmetatable

-- Every session's subscriptions: page -> its PubSub. One hub per host process.
local subscribed = {}

-- A copy of v for another session: tables copied deeply (shared parts and cycles as in the
-- original), anything else as it is. A control belongs to one page and cannot be sent.
local function copy(v, seen, is_control)
  if type(v) ~= "table" then return v end
  if is_control(v) then
    kinds.app_error("pubsub: a control cannot be sent to other sessions (send its data instead)")
  end
  local done = seen[v]
  if done then return done end
  local out = {}
  seen[v] = out
  for k, x in next, v do out[copy(k, seen, is_control)] = copy(x, seen, is_control) end
  return setmetatable(out, getmetatable(v))
end

local PubSub = {}
PubSub.__index = PubSub
M.PubSub = PubSub

--- The pubsub of page (made on first use, as page.pubsub).
function M.of(page)
  return setmetatable({_page = page, _all = {}, _topics = {}, _queue = {}, _draining = false},
    PubSub)
end

-- Hands the queued messages to their handlers, one at a time, in a task of the session.
local function drain(self)
  local q = self._queue
  local i = 1
  while q[i] do
    local item = q[i]
    q[i] = false
    i = i + 1
    local ok, err = pcall(item[1], table.unpack(item, 2, item.n))
    if not ok then
      if err == asyncio.CancelledError then error(err, 0) end
      self._page:_report(tostring(err))
    end
  end
  self._queue = {}
  self._draining = false
end

local function deliver(self, fn, ...)
  local q = self._queue
  q[#q + 1] = table.pack(fn, ...)
  if not self._draining then
    self._draining = true
    asyncio._create_owned(self._page, "pubsub of page", drain, self)
  end
end

--- Calls fn(msg) for every message sent to all (send_all, send_others).
function PubSub:subscribe(fn)
  if type(fn) ~= "function" then kinds.app_error("pubsub:subscribe: expected a function") end
  self._all[#self._all + 1] = fn
  subscribed[self._page] = self
end

--- Calls fn(topic, msg) for every message sent on topic.
function PubSub:subscribe_topic(topic, fn)
  if type(fn) ~= "function" then kinds.app_error("pubsub:subscribe_topic: expected a function") end
  local list = self._topics[topic] or {}
  list[#list + 1] = fn
  self._topics[topic] = list
  subscribed[self._page] = self
end

--- Ends this session's subscriptions to all (not its topics).
function PubSub:unsubscribe()
  self._all = {}
end

--- Ends this session's subscriptions to topic.
function PubSub:unsubscribe_topic(topic)
  self._topics[topic] = nil
end

--- Ends every subscription of this session.
function PubSub:unsubscribe_all()
  self._all, self._topics = {}, {}
  subscribed[self._page] = nil
end

-- Sends msg to every session's subscribers (to a topic's when topic is given), but the
-- sender's own when others_only.
local function send(self, topic, msg, others_only)
  local is_control = require("flet.control").is_control
  -- Every copy is made before any is delivered, so a message that cannot be sent reaches no
  -- one.
  local targets = {}
  for page, ps in pairs(subscribed) do
    if not (others_only and page == self._page) then
      local fns = topic == nil and ps._all or ps._topics[topic]
      if fns and fns[1] then targets[#targets + 1] = {ps, fns, copy(msg, {}, is_control)} end
    end
  end
  for _, t in ipairs(targets) do
    local ps, fns, m = t[1], t[2], t[3]
    for _, fn in ipairs(fns) do
      if topic == nil then deliver(ps, fn, m) else deliver(ps, fn, topic, m) end
    end
  end
end

function PubSub:send_all(msg)
  send(self, nil, msg, false)
end

function PubSub:send_others(msg)
  send(self, nil, msg, true)
end

function PubSub:send_all_on_topic(topic, msg)
  send(self, topic, msg, false)
end

function PubSub:send_others_on_topic(topic, msg)
  send(self, topic, msg, true)
end

kinds.colon_methods(PubSub, "page.pubsub")

--- Ends the page's subscriptions: its session has ended.
function M.close(page)
  subscribed[page] = nil
end

--- The number of sessions subscribed to anything (for tests and figures).
function M.count()
  local n = 0
  for _ in pairs(subscribed) do n = n + 1 end
  return n
end

return M
