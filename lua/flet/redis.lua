-- redis: the app's Redis, when --redis (or ft.app{redis = ...}) names one. page.pubsub
-- carries messages to the app's other processes through it, and ft.kv keeps its keys there.
--
-- The client is the host's (host/redis.c): two connections on the host's own loop, one for
-- commands and one subscribed to every channel of the app, each reconnecting by itself with
-- a growing wait. A command that Redis does not answer within --redis-timeout fails, and
-- its connection is made again; an idle connection is pinged as often, so that a Redis that
-- stalls or vanishes is noticed even by the subscriber, which otherwise never writes.
-- The app's prefix (--redis-prefix, by default the script's name and ':') goes before every
-- channel and key, so that two apps sharing one Redis never see each other's messages or
-- keys.
local core = require "luaflet.core"

local M = {}

-- The prefix, once Redis is configured; nil while it is not.
local prefix = nil

-- The prefix as a literal inside a PSUBSCRIBE pattern: Redis's glob characters escaped.
local function glob_literal(s)
  return (s:gsub("[%*%?%[%]\\]", "\\%0"))
end

--- The default prefix: the script's file name without its folder and .lua, then ':'.
function M.default_prefix(script)
  local name = tostring(script or "app"):match("([^/]*)$"):gsub("%.lua$", "")
  if name == "" then name = "app" end
  return name .. ":"
end

--- Connects to the Redis at url with prefix; timeout (seconds, default 5) bounds each answer.
-- Returns true, or nil and why the URL is not one. A second call with the same settings does
-- nothing (a reload runs ft.app again).
function M.configure(url, pfx, timeout)
  local ok, err = core.redis_connect(url, glob_literal(pfx) .. "*", timeout)
  if not ok then return nil, err end
  prefix = pfx
  return true
end

--- The app's prefix when Redis is configured, else nil.
function M.prefix()
  return prefix
end

return M
