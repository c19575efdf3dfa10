-- The Lua half of the WebSocket fuzz target (tests/fuzz/fuzz_ws.c): the fuzz app (fuzz_app.lua)
-- served by core.serve() as the host serves an app, each connection a session of its own
-- that ends with its socket. The limits are small, so that inputs of a few kilobytes reach
-- them: messages over 1 KiB are too large, and a client may send 20 messages at once and then
-- one a second, so one that sends 220 closes for its rate.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local app = require "fuzz_app"
local session = require "flet.session"

local M = {}

local on_message, on_close = session.handlers(app.main, "http://fuzz/", {session_timeout = 0})

-- The session's handlers, watched: one that raises, unless the app's own code did and it was
-- reported, is a bug of the host's. The first such error waits in M.failure for the C side.
local function watched(handler)
  return function(...)
    local before = app.errors
    local ok, err = pcall(handler, ...)
    if not ok and err ~= asyncio.CancelledError and app.errors == before and not M.failure then
      M.failure = tostring(err)
    end
  end
end

-- The files folder is never asked for: the fuzz target only opens WebSockets.
M.server = assert(core.serve{host = "127.0.0.1", port = 0, client_dir = "tests/fuzz",
  on_message = watched(on_message), on_close = watched(on_close),
  max_message = 1024, event_rate = 1, event_burst = 20, ping_interval = 0})

return M
