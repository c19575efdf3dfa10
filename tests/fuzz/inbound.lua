-- The Lua half of the inbound-message fuzz target (tests/fuzz/fuzz_inbound.c): a session of
-- an app with a control of each kind, behind a fake socket. feed(msg) handles one decoded
-- message as the host does, in a task of its own, and runs the loop until nothing is left to
-- do; reset() ends the session so that memory stays bounded over millions of inputs.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local ft = require "flet"
local session = require "flet.session"

local M = {}

-- Errors the app's own code raised, which the host reported to page.on_error as it must:
-- those are not findings.
local app_errors = 0

local function app(page)
  page.on_error = function() app_errors = app_errors + 1 end
  local count = ft.Text "0"
  page:add(count, ft.ElevatedButton{"+", on_click = function()
    count.value = tostring(tonumber(count.value) + 1)
    page:update()
  end}, ft.TextField{on_change = function(e) count.value = e.data; page:update() end,
                     on_submit = function() page:add(ft.Text "submitted") end},
    ft.Container{content = ft.Column{ft.Text "inside"}, on_click = function() end})
  page.on_resize = function() page.title = ("%gx%g"):format(page.width, page.height) end
end

local on_message, on_close = session.handlers(app, "http://fuzz/", {session_timeout = 0})

local conn = {sent = 0}
function conn:send(text)
  -- What goes back must always be one JSON object.
  local ok, msg = pcall(core.json_decode, text)
  assert(ok and type(msg) == "table", "the host sent something that is not a JSON object")
  self.sent = self.sent + 1
  return true
end
function conn:send_async(text) return self:send(text) end
function conn:close() end
function conn:registered() end
function conn:address() return "127.0.0.1" end

function M.feed(msg)
  local before = app_errors
  local t = asyncio.create_task(on_message, conn, msg)
  core.drain()
  -- A handler that raised, unless the app's own code did and it was reported, is a bug of
  -- the host's: bad input must get an answer, not an error.
  local ok, err = pcall(t.result, t)
  if not ok and app_errors == before then error(err, 0) end
end

function M.reset()
  asyncio.create_task(on_close, conn, 1001)
  core.drain()
end

return M
