-- pubsub: messages between the sessions of an app, as Flet's page.pubsub.
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
--
-- Across processes. With --redis (or ft.app{redis = ...}), a send also goes to the app's
-- other processes through Redis: it is delivered in this process at once, as without Redis,
-- and published once on the channel PREFIX.."all" or PREFIX.."topic:"..topic. One task of
-- the process receives what the app's processes publish and delivers it to the local
-- subscribers through the same queues, so a session gets one sender's messages in the order
-- they were sent wherever the sender is; the process skips what it published itself (its
-- messages carry an id of the process). A message crosses as bytes: nil, booleans, numbers,
-- strings and tables (any keys, shared parts and cycles kept) cross; a function, a coroutine,
-- a userdata or a control is an error at the send, even for the sessions of this process,
-- and metatables stay behind (the other process gets plain tables). A payload that something
-- else published on the app's channels reaches subscribers as the string it is.
--
-- When a message cannot cross: a send while the connection to Redis is down still reaches
-- this process's sessions, logs a warning and returns nil and why ("redis: not connected
-- (...)"); otherwise it returns true. A publish that Redis refuses, or whose answer never comes
-- because the connection dropped, is found later: it is logged and reported to the sending
-- page as an app error (page.on_error gets it), since the message may not have reached the
-- other processes. Redis keeps no messages: those sent while a process's subscription is
-- being restored do not reach it.
local asyncio = require "asyncio"
local core = require "luaflet.core"
local kinds = require "flet.kinds"
local redis = require "flet.redis"

local M = {}

local pairs, next, type, getmetatable, setmetatable = pairs, next, type, getmetatable, setmetatable
local math_type, pack, unpack = math.type, string.pack, string.unpack

-- Every session's subscriptions: page -> its PubSub. One hub per host process.
local subscribed = {}
-- Pages whose session has ended: a failure found later is only logged for them.
local gone = setmetatable({}, {__mode = "k"})

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

---------------------------------------------------------------- the wire format

-- A message between processes: MAGIC, the sending process's id (s1), the topic, the message.
-- Each value is a tag byte and what follows: n (nil), t / f (booleans), i (integer, 8 bytes),
-- d (float, a double), s (string, its length in 4 bytes and its bytes), T (table: its number
-- of pairs in 4 bytes, then each key and value), r (a table already sent in this message: its
-- number in the order tables began, in 4 bytes). Little-endian throughout.
local MAGIC = "\0LFps1"
-- This process's id: 16 random hex digits.
local ORIGIN = core.random_token():sub(1, 16)

local function encode(v, out, seen, is_control)
  local t = type(v)
  if v == nil then
    out[#out + 1] = "n"
  elseif t == "boolean" then
    out[#out + 1] = v and "t" or "f"
  elseif t == "number" then
    out[#out + 1] = math_type(v) == "integer" and pack("<c1j", "i", v) or pack("<c1d", "d", v)
  elseif t == "string" then
    out[#out + 1] = pack("<c1s4", "s", v)
  elseif t == "table" then
    if is_control(v) then
      kinds.app_error("pubsub: a control cannot be sent to other sessions (send its data instead)")
    end
    local ref = seen[v]
    if ref then
      out[#out + 1] = pack("<c1I4", "r", ref)
      return
    end
    seen.n = seen.n + 1
    seen[v] = seen.n
    local n = 0
    for _ in next, v do n = n + 1 end
    out[#out + 1] = pack("<c1I4", "T", n)
    for k, x in next, v do
      encode(k, out, seen, is_control)
      encode(x, out, seen, is_control)
    end
  else
    kinds.app_error(("pubsub: a %s cannot be sent to other processes (a message is made of nil, "
      .. "booleans, numbers, strings and tables)"):format(t))
  end
end

-- The value at pos in s, and the position after it. Raises on bytes that are not one.
local function decode(s, pos, tables)
  local tag = s:sub(pos, pos)
  pos = pos + 1
  if tag == "n" then return nil, pos end
  if tag == "t" then return true, pos end
  if tag == "f" then return false, pos end
  if tag == "i" then return unpack("<j", s, pos) end
  if tag == "d" then return unpack("<d", s, pos) end
  if tag == "s" then return unpack("<s4", s, pos) end
  if tag == "r" then
    local i
    i, pos = unpack("<I4", s, pos)
    local t = tables[i]
    if not t then error("bad reference", 0) end
    return t, pos
  end
  if tag == "T" then
    local n
    n, pos = unpack("<I4", s, pos)
    local t = {}
    tables[#tables + 1] = t
    for _ = 1, n do
      local k, x
      k, pos = decode(s, pos, tables)
      x, pos = decode(s, pos, tables)
      if k == nil or k ~= k then error("bad key", 0) end
      t[k] = x
    end
    return t, pos
  end
  error("bad tag", 0)
end

local function envelope(topic, msg, is_control)
  local out = {MAGIC, pack("<s1", ORIGIN)}
  local seen = {n = 0}
  encode(topic, out, seen, is_control)
  encode(msg, out, seen, is_control)
  return table.concat(out)
end

-- origin, topic, msg from an envelope; raises on one that is not well made. With skip_origin,
-- a message from that process is not decoded further: origin alone is returned.
local function open_envelope(s, skip_origin)
  local origin, pos = unpack("<s1", s, #MAGIC + 1)
  if origin == skip_origin then return origin end
  local tables = {}
  local topic, msg
  topic, pos = decode(s, pos, tables)
  msg, pos = decode(s, pos, tables)
  if pos ~= #s + 1 then error("trailing bytes", 0) end
  return origin, topic, msg
end

M._encode = function(topic, msg) return envelope(topic, msg, function() return false end) end
M._decode = open_envelope

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

-- Hands msg to every local session's subscribers (to a topic's when topic is given), but
-- the page `except`'s. Every copy is made before any is delivered, so a message that cannot
-- be sent reaches no one.
local function deliver_local(topic, msg, except)
  local is_control = require("flet.control").is_control
  local targets = {}
  for page, ps in pairs(subscribed) do
    if page ~= except then
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

-- The pages that published, by ticket, until Redis has answered.
local publishing = {}

-- Sends msg to every session's subscribers (to a topic's when topic is given), but the
-- sender's own when others_only; with Redis, to the app's other processes too. Returns true,
-- or nil and why the message could not leave this process.
local function send(self, topic, msg, others_only)
  local pfx = redis.prefix()
  -- Encoded first: a message that cannot cross is an error before anyone gets it.
  local wire = pfx and envelope(topic, msg, require("flet.control").is_control)
  deliver_local(topic, msg, others_only and self._page or nil)
  if not pfx then return true end
  local channel = topic == nil and pfx .. "all" or pfx .. "topic:" .. tostring(topic)
  local ticket, err = core.redis_publish(channel, wire)
  if not ticket then
    err = "pubsub: a message did not reach the other processes: " .. err
    core.log("warn", err, true)
    return nil, err
  end
  publishing[ticket] = self._page
  return true
end

function PubSub:send_all(msg)
  return send(self, nil, msg, false)
end

function PubSub:send_others(msg)
  return send(self, nil, msg, true)
end

function PubSub:send_all_on_topic(topic, msg)
  return send(self, topic, msg, false)
end

function PubSub:send_others_on_topic(topic, msg)
  return send(self, topic, msg, true)
end

kinds.colon_methods(PubSub, "page.pubsub")

--- Ends the page's subscriptions: its session has ended.
function M.close(page)
  subscribed[page] = nil
  gone[page] = true
end

---------------------------------------------------------------- from other processes

-- One message from Redis, on channel: delivered to this process's subscribers unless this
-- process sent it.
local function arrived(pfx, channel, payload)
  if channel:sub(1, #pfx) ~= pfx then return end
  local rest = channel:sub(#pfx + 1)
  local topic
  if rest:sub(1, 6) == "topic:" then
    topic = rest:sub(7)
  elseif rest ~= "all" then
    return
  end
  local msg = payload
  if payload:sub(1, #MAGIC) == MAGIC then
    -- This process's own messages come back too; they are told apart before being decoded.
    local ok, origin, t, m = pcall(open_envelope, payload, ORIGIN)
    if ok then
      if origin == ORIGIN then return end
      msg = m
      if topic ~= nil then topic = t end
    end
  end
  if topic == nil and rest ~= "all" then return end
  deliver_local(topic, msg, nil)
end

-- A publish that failed: logged, and reported to the page that sent it, in a task of its own
-- (the app's on_error may await).
local function failed(page, why)
  local msg = "pubsub: a message may not have reached the other processes: " .. why
  if not page or gone[page] then
    core.log("warn", msg, true)
    return
  end
  local ok = pcall(asyncio._create_owned, page, "pubsub failure", function() page:_report(msg) end)
  if not ok then core.log("warn", msg, true) end
end

--- Receives what the app's processes publish, until Redis is closed: the task that
-- ft.app starts when Redis is configured.
function M.receive()
  local pfx = redis.prefix()
  local settled = 0 -- every ticket up to this one has had its answer
  while true do
    local msgs, failures, completed = core.redis_receive()
    if not msgs then return end
    for i = 1, #msgs, 2 do
      local ok, err = pcall(arrived, pfx, msgs[i], msgs[i + 1])
      if not ok then
        if err == asyncio.CancelledError then error(err, 0) end
        core.log("error", "pubsub: a message from Redis could not be delivered: " .. tostring(err), true)
      end
    end
    for ticket = settled + 1, completed do
      local page = publishing[ticket]
      publishing[ticket] = nil
      if failures[ticket] then failed(page, failures[ticket]) end
    end
    if completed > settled then settled = completed end
  end
end

--- The number of sessions subscribed to anything (for tests and figures).
function M.count()
  local n = 0
  for _ in pairs(subscribed) do n = n + 1 end
  return n
end

return M
