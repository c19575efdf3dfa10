-- flet: the app-facing API. Controls, the Page, UserControl, and app()/app_async() that serve
-- an app's pages.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local control = require "flet.control"
local kinds = require "flet.kinds"
local controls = require "flet.controls"
local session = require "flet.session"

local M = {}

for name, cls in pairs(controls) do M[name] = cls end
-- Flet's constants and helpers, in both their 0.2x and 1.0 spellings.
M.Colors = require "flet.colors"
M.colors = M.Colors
M.Icons = require "flet.icons"
M.icons = M.Icons
for name, enum in pairs(require "flet.enums") do M[name] = enum end
for name, helper in pairs(require "flet.styles") do M[name] = helper end
M.TemplateRoute = require("flet.routing").TemplateRoute
M.Control = control.Control
-- Flet 1.0's names for the same things.
M.Button = controls.ElevatedButton
M.UserControl = require("flet.user_control").UserControl
M.Page = require("flet.page").Page
-- The inputs' helpers: Flet's ft.dropdown.Option, and its TextField input filters as tables.
M.dropdown = {Option = controls.DropdownOption}
-- An option's `key` is Flet's value to choose, but a `key` is never sent (it matches list
-- items): the option sends it as option_key too.
function controls.DropdownOption.before_update(self)
  if self.option_key ~= self.key then self.option_key = self.key end
end
M.InputFilter = function(t) return {regex_string = t.regex_string or t[1], allow = t.allow ~= false,
                                    replacement_string = t.replacement_string or ""} end
-- SearchBar's view opens and closes as Flet's does: close_view(text) also sets its text
-- ("" when none is given).
function controls.SearchBar:open_view()
  self.open = true
  self:update()
end
function controls.SearchBar:close_view(text)
  self.value = text or ""
  self.open = false
  self:update()
end
M.NumbersOnlyInputFilter = function() return M.InputFilter{"^[0-9]*$"} end
M.TextOnlyInputFilter = function() return M.InputFilter{"^[a-zA-Z]*$"} end
-- ft.FilePickerUploadFile(name, upload_url, method): one file for FilePicker:upload.
M.FilePickerUploadFile = require("flet.file_picker").upload_file
-- ft.kv: a key-value store every session shares (get, set, incr, expire, ttl, delete).
M.kv = require "flet.kv"

-- Settings of Flet's ft.app() that have no use here (the browser is the only view, and
-- the host has one renderer): accepted, so that a Flet app ports unchanged, and ignored.
local FLET_ONLY = {name = true, view = true, web_renderer = true,
                   use_color_emoji = true, export_asgi_app = true}

local KIND_CHECKS = {
  number = function(v, info)
    return type(v) == "number" and v >= info.min and v <= info.max,
      ("a number from %g to %g"):format(info.min, info.max)
  end,
  flag = function(v) return type(v) == "boolean", "true or false" end,
  text = function(v) return type(v) == "string", "a string" end,
  choice = function(v, info)
    for _, c in ipairs(info.choices) do if v == c then return true end end
    return false, "one of \"" .. table.concat(info.choices, "\", \"") .. "\""
  end,
  list = function(v)
    if type(v) ~= "table" then return false, "a list of strings" end
    for _, x in ipairs(v) do if type(x) ~= "string" then return false, "a list of strings" end end
    return true
  end,
}

-- The settings an app is served with: each option (core.option_table, from the host's
-- options.c) as the command line gave it, else as the app's ft.app{...} does, else its
-- default. A setting the host does not know, or of the wrong kind, is an error at the app's
-- own line.
local function settings(target, more)
  -- The host checks this once the script ends: a script that loads flet is an app.
  rawset(M, "_app_called", true)
  local s = type(target) == "function" and {target = target} or target
  -- ft.app(main, {port = 8600}) as Flet's ft.app(main, port=8600) ports.
  if more ~= nil then
    if type(more) ~= "table" or type(target) ~= "function" then
      error("expected ft.app(main), ft.app(main, {settings}) or ft.app{target = main, ...}", 3)
    end
    s = {target = target}
    for k, v in pairs(more) do s[k] = v end
  end
  if type(s) ~= "table" or type(s.target) ~= "function" then
    error("expected main(page) or {target = main, host = ..., port = ...}", 3)
  end
  local options, given = core.option_table, core.options_given
  for k, v in pairs(s) do
    if k ~= "target" and k ~= "client_dir" and not FLET_ONLY[k] then
      local info = options[k]
      if info and not info.app then
        error(("ft.app: '%s' is set on the command line only (--%s)")
          :format(k, (k:gsub("_", "-"))), 3)
      end
      if not info then
        error(("ft.app: unknown setting '%s' (luaflet --help lists them)"):format(tostring(k)), 3)
      end
      local ok, want = KIND_CHECKS[info.kind](v, info)
      if not ok then error(("ft.app: '%s' must be %s"):format(k, want), 3) end
      if k == "redis" then
        local url_ok, why = core.redis_url_ok(v)
        if not url_ok then error(("ft.app: 'redis': %s"):format(why), 3) end
      end
    end
  end
  local out = {main = s.target, client_dir = s.client_dir or core.client_dir or "build/client",
               serve = {}}
  for k, info in pairs(options) do
    if given[k] or not info.app or s[k] == nil then out[k] = core.options[k] else out[k] = s[k] end
  end
  -- What core.serve() takes as it is: limits and timeouts.
  for _, k in ipairs({"max_message", "max_send_queue", "event_rate", "event_burst",
                      "ping_interval", "ping_timeout", "handshake_timeout",
                      "keepalive_timeout", "assets_dir", "allow_origins", "certfile",
                      "keyfile", "handshake_rate", "trust_proxy", "csp", "upload_dir",
                      "max_upload"}) do
    out.serve[k] = out[k]
  end
  out.serve.metrics = out.metrics_public and "any" or out.metrics and "local" or nil
  -- Every open socket counts against the same caps as sessions.
  out.serve.max_sockets = out.max_sessions
  out.serve.max_sockets_per_ip = out.max_sessions_per_ip
  return out
end

-- Why core.serve() refused to start, for ft.app to report.
local serve_failed

--- Serves the app from the current task until the host stops (SIGINT, SIGTERM, SIGHUP), while
-- other tasks keep running.
function M.app_async(target, more)
  local s = settings(target, more)
  if not asyncio.in_task() then
    error("app_async must be called from a task (for example inside asyncio.run)", 2)
  end
  local scheme = s.serve.certfile and "https" or "http"
  local server
  -- The address pages are served at; with port 0 the system chooses it when serving starts.
  local function url() return ("%s://%s:%d/"):format(scheme, s.host, server:port()) end
  local on_message, on_close, sessions = session.handlers(s.main, url,
    {session_timeout = s.session_timeout, max_sessions = s.max_sessions,
     max_sessions_per_ip = s.max_sessions_per_ip, max_detached_memory = s.max_detached_memory,
     upload_dir = s.upload_dir, route_url_strategy = s.route_url_strategy})
  local conf = s.serve
  conf.host, conf.port, conf.client_dir = s.host, s.port, s.client_dir
  conf.on_message, conf.on_close, conf.on_ack = on_message, on_close, sessions.on_ack
  local err
  server, err = core.serve(conf)
  if not server then
    serve_failed = err
    error(err, 2)
  end

  -- With Redis, pubsub reaches the app's other processes and ft.kv lives there (flet.redis).
  local receiving
  if s.redis then
    local redis = require "flet.redis"
    local ok, rerr = redis.configure(s.redis, s.redis_prefix or redis.default_prefix(arg and arg[0]),
      s.redis_timeout)
    if not ok then
      server:stop()
      serve_failed = rerr
      error(rerr, 2)
    end
    receiving = asyncio.create_task("pubsub from redis", require("flet.pubsub").receive)
  end

  -- Under --reload, the script and its modules are watched (flet.reload).
  local watching = s.reload and require("flet.reload").start(M, arg and arg[0], sessions)
  local ok, werr = pcall(server.wait, server)
  if watching then watching:cancel() end
  if receiving then receiving:cancel() end
  server:stop()
  sessions.close_all()
  if not ok then error(werr, 0) end
end

--- Serves the app until the host stops: ft.app(main) or ft.app{target = main, port = 8550,
-- ...}, where the settings are those of the command line (session_timeout, max_message,
-- event_rate, ...: see luaflet --help); the command line's options win. Flet's settings that
-- have no use here (view, web_renderer, ...) are accepted and ignored.
function M.app(target, more)
  settings(target, more)
  serve_failed = nil
  local ok, err = pcall(asyncio.run, M.app_async, target, more)
  if ok then return end
  -- A server that could not start (a port in use) is one line, not a traceback: the host
  -- exits with status 1 once the script ends.
  if serve_failed then
    core.log("error", serve_failed)
    core.exit_status(1)
    return
  end
  error(err, 0)
end
-- Flet 1.0 calls them ft.run and ft.run_async.
M.run, M.run_async = M.app, M.app_async

-- A name flet does not have is a mistake in the app (ft.Chekbox, ft.Colours): an error that
-- names the nearest one it has, at the app's line, rather than a nil that fails later.
return setmetatable(M, {__index = function(_, name)
  local near = kinds.nearest(name, M, true)
  kinds.app_error(("flet has no '%s'%s"):format(tostring(name),
    near and (" (did you mean ft.%s?)"):format(near) or ""))
end})
