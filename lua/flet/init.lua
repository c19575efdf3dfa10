-- flet: the app-facing API. Controls, the Page, UserControl, and app()/app_async() that serve
-- an app's pages.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local control = require "flet.control"
local controls = require "flet.controls"
local session = require "flet.session"

local M = {}

for name, cls in pairs(controls) do M[name] = cls end
M.Control = control.Control
M.UserControl = require("flet.user_control").UserControl
M.Page = require("flet.page").Page

local function settings(target)
  local s = type(target) == "function" and {target = target} or target
  if type(s) ~= "table" or type(s.target) ~= "function" then
    error("expected main(page) or {target = main, host = ..., port = ...}", 3)
  end
  -- The command line wins over the app's own settings.
  local opts = core.options or {}
  local out = {
    main = s.target,
    host = opts.host or s.host or "127.0.0.1",
    port = opts.port or s.port or 8550,
    client_dir = s.client_dir or core.client_dir or "build/client",
    session_timeout = opts.session_timeout or s.session_timeout,
    max_sessions = opts.max_sessions or s.max_sessions,
    max_sessions_per_ip = opts.max_sessions_per_ip or s.max_sessions_per_ip,
    max_detached_memory = opts.max_detached_memory or s.max_detached_memory,
    serve = {},
  }
  -- What core.serve() takes as it is: limits and timeouts.
  for _, k in ipairs({"max_message", "max_send_queue", "event_rate", "event_burst",
                      "ping_interval", "ping_timeout", "handshake_timeout",
                      "keepalive_timeout", "assets_dir", "allow_origins", "certfile",
                      "keyfile", "handshake_rate", "trust_proxy"}) do
    if opts[k] ~= nil then out.serve[k] = opts[k] else out.serve[k] = s[k] end
  end
  -- Every open socket counts against the same caps as sessions.
  out.serve.max_sockets = out.max_sessions or session.MAX_SESSIONS
  out.serve.max_sockets_per_ip = out.max_sessions_per_ip or session.MAX_SESSIONS_PER_IP
  return out
end

--- Serves the app from the current task until the host stops (SIGINT, SIGTERM, SIGHUP), while
-- other tasks keep running.
function M.app_async(target)
  local s = settings(target)
  if not asyncio.in_task() then
    error("app_async must be called from a task (for example inside asyncio.run)", 2)
  end
  local scheme = s.serve.certfile and "https" or "http"
  local on_message, on_close, sessions = session.handlers(s.main,
    ("%s://%s:%d/"):format(scheme, s.host, s.port),
    {session_timeout = s.session_timeout, max_sessions = s.max_sessions,
     max_sessions_per_ip = s.max_sessions_per_ip, max_detached_memory = s.max_detached_memory})
  local conf = s.serve
  conf.host, conf.port, conf.client_dir = s.host, s.port, s.client_dir
  conf.on_message, conf.on_close = on_message, on_close
  local server, err = core.serve(conf)
  if not server then error(err, 2) end

  local ok, werr = pcall(server.wait, server)
  server:stop()
  sessions.close_all()
  if not ok then error(werr, 0) end
end

--- Serves the app until the host stops: ft.app(main) or ft.app{target = main, port = 8550,
-- ...}, where the settings are those of the command line (session_timeout, max_message,
-- event_rate, ...: see luaflet --help); the command line's options win.
function M.app(target)
  settings(target)
  return asyncio.run(M.app_async, target)
end

return M
