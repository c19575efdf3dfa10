-- kv: ft.kv, a key-value store every session of the app shares, for state that belongs to no
-- one page: a visit counter, a rate limit, a flag.
--
--   local n = ft.kv.incr("visits")
--   ft.kv.set("motd", "Closed on Monday", {ex = 3600})
--   local motd = ft.kv.get("motd")
--
-- It follows Redis's commands of the same names, so that an app keeps its code when the store
-- moves there: keys are strings, a value is kept as a string (a number is kept as Redis would
-- write it), `incr` counts in 64-bit integers, and a key may expire. Each call is made from
-- a task (main, a handler, or asyncio.create_task), as a call that waits for a server would
-- be.
--
-- Where it lives: in the host process, unless --redis (or ft.app{redis = ...}) names a Redis;
-- then every call is a command to it (GET, SET with PX, INCRBY, PEXPIRE, PTTL, DEL) on the
-- key with the app's prefix before it, so that every process of the app shares the store.
-- The answers and the errors for misuse are the same either way; a call that cannot reach
-- Redis (the connection is down) returns nil and why, as does one that Redis does not answer
-- within --redis-timeout (nil, "redis: no answer in 5 s"), and the in-process store is not
-- used in its place.
local asyncio = require "asyncio"
local core = require "luaflet.core"
local redis = require "flet.redis"

local M = {}

local type, math_type, tostring, tonumber = type, math.type, tostring, tonumber

-- key -> value (a string); key -> the time (core.now) it expires at, for keys that do.
local values, expiry = {}, {}
-- Keys that expire are swept at most once a second, by whichever call comes then: a key
-- nobody reads again does not stay for ever.
local next_sweep = 0

local function sweep(now)
  next_sweep = now + 1
  for key, at in pairs(expiry) do
    if at <= now then
      values[key], expiry[key] = nil, nil
    end
  end
end

-- Checks a call's key (at the app's line, 3 levels up) and that it runs in a task; drops
-- the key if it has expired. Returns the time now.
local function enter(what, key)
  if key == M then
    error(("ft.kv.%s: call it with a dot, ft.kv.%s(key, ...)"):format(what, what), 3)
  end
  if type(key) ~= "string" then
    error(("ft.kv.%s: the key must be a string, not %s"):format(what, type(key)), 3)
  end
  if not asyncio.in_task() then
    error(("ft.kv.%s must be called from a task (main, an event handler or "
      .. "asyncio.create_task)"):format(what), 3)
  end
  local now = core.now()
  if now >= next_sweep and next(expiry) then sweep(now) end
  local at = expiry[key]
  if at and at <= now then values[key], expiry[key] = nil, nil end
  return now
end

-- A value as Redis keeps it: a string; an integer without a decimal point.
local function as_text(what, v)
  if type(v) == "string" then return v end
  if math_type(v) == "integer" then return tostring(v) end
  if math_type(v) == "float" then
    if v ~= v or v == math.huge or v == -math.huge then
      error(("ft.kv.%s: the value must be a finite number"):format(what), 3)
    end
    if v == math.floor(v) and v >= -2^53 and v <= 2^53 then return tostring(math.tointeger(v)) end
    return ("%.17g"):format(v)
  end
  error(("ft.kv.%s: the value must be a string or a number, not %s"):format(what, type(v)), 3)
end

-- A number of seconds given as a time to live: positive and finite.
local function seconds(what, s)
  if type(s) ~= "number" or s ~= s or s == math.huge then
    error(("ft.kv.%s: the time to live must be a number of seconds"):format(what), 3)
  end
  return s
end

-- Seconds as Redis's milliseconds: rounded, at least 1 for a time that is not 0 or less
-- (which would otherwise expire at once), and at most some ninety million years (past what
-- Redis takes, 64-bit milliseconds from now, it refuses the time, where the in-process store
-- keeps the key as good as for ever).
local function millis(s)
  local ms = math.floor(math.min(s, 3e15) * 1000 + 0.5)
  if ms < 1 then ms = 1 end
  return ms
end

-- Runs a command on the app's Redis: its reply, or nil and why. An error reply is returned
-- as text for the caller to judge.
local command = core.redis_call

--- The value of key (a string), or nil when it has none.
function M.get(key)
  enter("get", key)
  local pfx = redis.prefix()
  if pfx then
    local v, err = command("GET", pfx .. key)
    if v == nil and err then return nil, err end
    return v
  end
  return values[key]
end

--- Sets key to value (a string or a number). opts.ex: it expires after that many seconds
-- (else it never does, whatever it was set to before, as Redis's SET). Returns true.
function M.set(key, value, opts)
  local now = enter("set", key)
  local text = as_text("set", value)
  local ex = nil
  if opts ~= nil then
    if type(opts) ~= "table" then error("ft.kv.set: options must be a table, {ex = seconds}", 2) end
    for k in pairs(opts) do
      if k ~= "ex" then error(("ft.kv.set: unknown option %q (it takes ex)"):format(tostring(k)), 2) end
    end
    if opts.ex ~= nil then ex = seconds("set", opts.ex) end
  end
  local pfx = redis.prefix()
  if pfx then
    local reply, err
    if ex and ex <= 0 then
      reply, err = command("DEL", pfx .. key)
    elseif ex then
      reply, err = command("SET", pfx .. key, text, "PX", millis(ex))
    else
      reply, err = command("SET", pfx .. key, text)
    end
    if reply == nil then return nil, err end
    return true
  end
  if ex and ex <= 0 then
    values[key], expiry[key] = nil, nil
    return true
  end
  values[key] = text
  expiry[key] = ex and now + ex or nil
  return true
end

--- Adds by (an integer, default 1) to the integer key holds (0 when it holds nothing) and
-- returns the result; a key that expires keeps its time to live. An error if key holds
-- something else or the result would leave 64-bit integers.
function M.incr(key, by)
  enter("incr", key)
  if by == nil then by = 1 end
  by = type(by) == "number" and math.tointeger(by)
  if not by then error("ft.kv.incr: the increment must be an integer", 2) end
  local pfx = redis.prefix()
  if pfx then
    local n, err = command("INCRBY", pfx .. key, by)
    if n ~= nil then return n end
    -- Redis's refusals are the same mistakes as the in-process store's, and raise as they do.
    if err:find("not an integer", 1, true) then
      error(("ft.kv.incr: %q holds a value that is not an integer"):format(key), 2)
    elseif err:find("overflow", 1, true) then
      error(("ft.kv.incr: %q would go past a 64-bit integer"):format(key), 2)
    end
    return nil, err
  end
  local old = values[key]
  local n = 0
  if old ~= nil then
    n = old:match("^%-?%d+$") and math.tointeger(tonumber(old)) or nil
    if not n or tostring(n) ~= old then
      error(("ft.kv.incr: %q holds %q, which is not an integer"):format(key, old), 2)
    end
  end
  local sum = n + by
  -- Integers wrap in Lua; Redis refuses instead.
  if (by > 0 and sum < n) or (by < 0 and sum > n) then
    error(("ft.kv.incr: %q would go past a 64-bit integer"):format(key), 2)
  end
  values[key] = tostring(sum)
  return sum
end

--- Makes key expire after that many seconds (0 or less: now). Returns true, or false when
-- key holds nothing.
function M.expire(key, secs)
  local now = enter("expire", key)
  secs = seconds("expire", secs)
  local pfx = redis.prefix()
  if pfx then
    -- PEXPIRE with a time of 0 or less deletes the key, as the in-process store does.
    local n, err = command("PEXPIRE", pfx .. key, secs <= 0 and 0 or millis(secs))
    if n == nil then return nil, err end
    return n == 1
  end
  if values[key] == nil then return false end
  if secs <= 0 then
    values[key], expiry[key] = nil, nil
  else
    expiry[key] = now + secs
  end
  return true
end

--- Seconds left before key expires; -1 when it never does, -2 when it holds nothing (as
-- Redis's TTL, in seconds that may have a fraction).
function M.ttl(key)
  local now = enter("ttl", key)
  local pfx = redis.prefix()
  if pfx then
    local ms, err = command("PTTL", pfx .. key)
    if ms == nil then return nil, err end
    if ms < 0 then return ms end
    return ms / 1000
  end
  if values[key] == nil then return -2 end
  local at = expiry[key]
  return at and at - now or -1
end

--- Removes key. Returns true, or false when it held nothing.
function M.delete(key)
  enter("delete", key)
  local pfx = redis.prefix()
  if pfx then
    local n, err = command("DEL", pfx .. key)
    if n == nil then return nil, err end
    return n == 1
  end
  local had = values[key] ~= nil
  values[key], expiry[key] = nil, nil
  return had
end

return M
