-- channel: what a session's page sends through. Sockets come and go; the channel stays with
-- the session. It keeps each patch it sends until the client acknowledges it, so that a
-- client that lost its socket is sent exactly what it missed, and nothing twice.
--
-- Messages are numbered by the page's snapshot ("seq"), one count for the session's life; an
-- init (the whole page) makes the patches before it irrelevant. The patches kept are always a run seq low..high with nothing missing; when
-- they would take more than the channel's byte budget, the oldest go, and a client that
-- needs them gets the whole page instead.
local P = require "flet.protocol"

local M = {}

local Channel = {}
Channel.__index = Channel

--- A channel that keeps at most `budget` bytes of unacknowledged patches.
function M.new(budget)
  return setmetatable({_conn = nil, _kept = {}, _low = 1, _high = 0, _bytes = 0,
                       _budget = budget}, Channel)
end

--- The socket to send through from now on (nil: none, the session is detached).
function Channel:attach(conn)
  self._conn = conn
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
  while self._bytes > self._budget and self._low <= self._high do
    self:_drop_to(self._low)
  end
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

-- Keeps a numbered message for a client that reconnects, then hands it to the attached
-- socket's send or send_async; a detached channel returns true at once.
local function pass(self, method, text, seq, whole)
  if seq then self:_keep(text, seq, whole) end
  local conn = self._conn
  if conn then return conn[method](conn, text) end
  return true
end

--- Sends text (message number seq; whole: it is an init) if a socket is attached, and keeps
-- it for a client that reconnects. Returns true, or false and a reason from the socket.
function Channel:send(text, seq, whole)
  return pass(self, "send", text, seq, whole)
end

--- The same, waiting until the socket has written it.
function Channel:send_async(text, seq, whole)
  return pass(self, "send_async", text, seq, whole)
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
  return ('{"%s":"%s","%s":%d,"%s":[%s]}'):format(P.T, P.RESUME, P.SEQ, self._high,
    P.PATCHES, table.concat(parts, ","))
end

--- The number of the last message sent.
function Channel:seq()
  return self._high
end

--- Bytes of patches kept, for tests and figures.
function Channel:kept_bytes()
  return self._bytes
end

M.Channel = Channel
return M
