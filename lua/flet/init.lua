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
  return {
    main = s.target,
    host = opts.host or s.host or "127.0.0.1",
    port = opts.port or s.port or 8550,
    client_dir = s.client_dir or core.client_dir or "build/client",
    session_timeout = opts.session_timeout or s.session_timeout,
    max_message = opts.max_message or s.max_message,
  }
end

--- Serves the app from the current task until the host stops (SIGINT, SIGTERM), while other
-- tasks keep running.
function M.app_async(target)
  local s = settings(target)
  if not asyncio.in_task() then
    error("app_async must be called from a task (for example inside asyncio.run)", 2)
  end
  local on_message, on_close, sessions = session.handlers(s.main,
    ("http://%s:%d/"):format(s.host, s.port), {session_timeout = s.session_timeout})
  local server, err = core.serve{
    host = s.host, port = s.port, client_dir = s.client_dir, max_message = s.max_message,
    on_message = on_message, on_close = on_close,
  }
  if not server then error(err, 2) end
  local ok, werr = pcall(server.wait, server)
  server:stop()
  sessions.close_all()
  if not ok then error(werr, 0) end
end

--- Serves the app until the host stops: ft.app(main) or ft.app{target = main, port = 8550,
-- session_timeout = 3600, max_message = 65536}; the command line's options win.
function M.app(target)
  settings(target)
  return asyncio.run(M.app_async, target)
end

return M
