-- The Lua half of the inbound-message fuzz target (tests/fuzz/fuzz_inbound.c): a session of
-- the fuzz app (fuzz_app.lua) behind a fake socket. feed(msg) handles one decoded message as
-- the host does, in a task of its own, and runs the loop until nothing is left to do; reset()
-- ends the session so that memory stays bounded over millions of inputs.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local app = require "fuzz_app"
local session = require "flet.session"

local M = {}

local on_message, on_close = session.handlers(app.main, "http://fuzz/", {session_timeout = 0})

local conn = {sent = 0}
function conn:send(text)
  -- What goes back must always be one JSON object.
  local ok, msg = pcall(core.json_decode, text)
  assert(ok and type(msg) == "table", "the host sent something that is not a JSON object")
  self.sent = self.sent + 1
  return true
end
function conn:send_async(text) return self:send(text) end
function conn.close() end
function conn.registered() end
function conn.address() return "127.0.0.1" end
function conn.user_agent() return "Mozilla/5.0 (X11; Linux x86_64)" end

function M.feed(msg)
  local before = app.errors
  local t = asyncio.create_task(on_message, conn, msg)
  core.drain()
  -- A handler that raised, unless the app's own code did and it was reported, is a bug of
  -- the host's: bad input must get an answer, not an error.
  local ok, err = pcall(t.result, t)
  if not ok and app.errors == before then error(err, 0) end
end

function M.reset()
  asyncio.create_task(on_close, conn, 1001)
  core.drain()
end

return M
