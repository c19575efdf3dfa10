-- channel: what a session's page sends through. Sockets come and go; the channel stays with
-- the session. It numbers the messages, and keeps each patch it sends until the client
-- acknowledges it, so that a client that lost its socket is sent exactly what it missed, and
-- nothing twice.
--
-- Messages are numbered here ("seq"), one count for the session's life: the page asks for the
-- next number (next_seq), writes it into the message, and sends the message with it. An init
-- (the whole page) makes the patches before it irrelevant. The patches kept are always a run
-- seq low..high with nothing missing; when they would take more than the channel's byte
-- budget, the oldest go, and a client that needs them gets the whole page instead.
local P = require "flet.protocol"
local asyncio = require "asyncio"
local waiters = require "asyncio.waiters"

local M = {}

local Channel = {}
Channel.__index = Channel

--- A channel that keeps at most `budget` bytes of unacknowledged patches, and at most
-- `detached_budget` (default: budget) while no socket is attached.
function M.new(budget, detached_budget)
  -- _kept holds the patches _low.._high; _high is also the number of the last message sent,
  -- whether kept or not (an init is not).
  -- Fields that start empty (_conn, _waiting, _ended) are not listed: a constructor with
  -- nine fields makes a hash part of sixteen slots, 200 bytes more per session than eight.
  return setmetatable({_kept = {}, _low = 1, _high = 0, _bytes = 0, _budget = budget,
                       _detached_budget = detached_budget or budget}, Channel)
end

-- Forgets the oldest patches until what is kept fits the budget of the moment.
function Channel:_trim()
  local budget = self._conn and self._budget or self._detached_budget
  while self._bytes > budget and self._low <= self._high do
    self:_drop_to(self._low)
  end
end

--- The socket to send through from now on (nil: none, the session is detached). Tasks that
-- wait in send_async for a socket are let go once one is attached: what they sent was kept,
-- and the reconnect's resume (or init) carries it.
function Channel:attach(conn)
  self._conn = conn
  if not conn then self:_trim() end
  if conn and self._waiting then self._waiting:wake_all(true) end
end

--- The session has ended: nothing will be sent any more, and tasks waiting in send_async
-- raise asyncio.CancelledError.
function Channel:close()
  self._conn = nil
  self._ended = true
  if self._waiting then self._waiting:wake_all(false) end
end

function Channel:conn()
  return self._conn
end

-- Records a message sent: an init starts the run afresh, a patch extends it.
function Channel:_keep(text, seq, whole)
  if whole or seq ~= self._high + 1 then
    -- After an init what came before no longer matters; a patch that does not follow the
    -- run cannot be replayed with it. Either way the run restarts after this message.
    self:_drop_to(self._high)
    self._low, self._high = seq + 1, seq
    return
  end
  self._kept[seq] = text
  self._high = seq
  self._bytes = self._bytes + #text
  self:_trim()
end

-- Forgets the kept patches up to seq.
function Channel:_drop_to(seq)
  local kept = self._kept
  for s = self._low, math.min(seq, self._high) do
    local text = kept[s]
    if text then
      self._bytes = self._bytes - #text
      kept[s] = nil
    end
  end
  if seq >= self._low then self._low = math.min(seq, self._high) + 1 end
end

--- Sends text (message number seq; whole: it is an init) if a socket is attached, and keeps
-- it for a client that reconnects. Returns true, or false and a reason from the socket.
function Channel:send(text, seq, whole)
  if self._ended then return false, "closed" end
  if seq then self:_keep(text, seq, whole) end
  local conn = self._conn
  if conn then return conn:send(text) end
  return true
end

--- The same, waiting until the message is on its way: written by the socket, or kept for a
-- socket attached since (whose resume carries it). While the session has no socket, or its
-- socket is closing, this waits for the tab to come back; when the session ends it raises
-- asyncio.CancelledError. So it always suspends or raises: a task that paces itself with
-- update_async never spins, whatever happens to its client.
function Channel:send_async(text, seq, whole)
  if self._ended then error(asyncio.CancelledError, 0) end
  if seq then self:_keep(text, seq, whole) end
  local conn = self._conn
  if conn and conn:send_async(text) then return true end
  -- The socket closed under the message (or there was none). A socket attached meanwhile
  -- was sent what it missed when it registered, this message included.
  if self._conn and self._conn ~= conn and seq then return true end
  self._waiting = self._waiting or waiters.new()
  if not self._waiting:wait("send_async") then error(asyncio.CancelledError, 0) end
  return true
end

--- The client has applied every message up to seq: those need not be kept.
function Channel:ack(seq)
  if math.type(seq) ~= "integer" then return end
  self:_drop_to(math.min(seq, self._high))
end

--- What brings a client that has applied every message up to seq to the last one sent:
-- a resume message holding exactly the patches it missed, or nil when they are not all
-- kept (the client then needs the whole page).
function Channel:catch_up(seq)
  if math.type(seq) ~= "integer" or seq > self._high or seq < self._low - 1 then return nil end
  local parts = {}
  for s = seq + 1, self._high do parts[#parts + 1] = self._kept[s] end
  return P.resume_message(self._high, parts)
end

--- The number of the last message sent.
function Channel:seq()
  return self._high
end

--- The number the next message takes: the page writes it into the message, then sends the
-- message with it.
function Channel:next_seq()
  return self._high + 1
end

--- Bytes of patches kept, for tests and figures.
function Channel:kept_bytes()
  return self._bytes
end

M.Channel = Channel
return M
