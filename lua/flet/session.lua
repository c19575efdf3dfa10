-- session: what the host calls for each WebSocket: the first message registers a page and
-- runs the app's main(page); later messages are events; the socket's end ends the session.
-- The host runs each call in a task of its own.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local P = require "flet.protocol"
local page_mod = require "flet.page"

local M = {}

local type, math_type = type, math.type

local function reply_error(conn, message)
  core.log("warn", "bad message from a client: " .. message)
  conn:send(core.json_encode({[P.T] = P.ERROR, [P.MESSAGE] = message}))
end

--- The two functions core.serve() wants, for an app whose entry point is main(page), served
-- at url.
function M.handlers(main, url)
  local pages = {} -- conn -> page

  local function register(conn, msg)
    if pages[conn] then return reply_error(conn, "register: the session is already registered") end
    local w, h = msg[P.WIDTH], msg[P.HEIGHT]
    if type(w) ~= "number" or type(h) ~= "number" or not (w >= 0 and w < math.huge)
        or not (h >= 0 and h < math.huge) then
      return reply_error(conn, "register: 'width' and 'height' must be sizes in pixels")
    end
    local page = page_mod.new(conn, w, h)
    page.url = url
    pages[conn] = page
    conn:send(page._snap:init_message())
    core.log("debug", "session started")
    asyncio._run_owned(page, main, page)
  end

  local function event(conn, msg)
    local page = pages[conn]
    if not page then return reply_error(conn, "event: register first") end
    local id, name, data = msg[P.ID], msg[P.NAME], msg[P.DATA]
    if math_type(id) ~= "integer" then return reply_error(conn, "event: 'id' must be an integer") end
    if type(name) ~= "string" then return reply_error(conn, "event: 'name' must be a string") end
    if data ~= nil and type(data) ~= "string" then
      return reply_error(conn, "event: 'data' must be a string")
    end
    asyncio._run_owned(page, page._dispatch, page, id, name, data or "")
  end

  local function on_message(conn, msg)
    if type(msg) ~= "table" then return reply_error(conn, "a message must be a JSON object") end
    local t = msg[P.T]
    if t == P.REGISTER then return register(conn, msg) end
    if t == P.EVENT then return event(conn, msg) end
    return reply_error(conn, "unknown message type " .. tostring(t))
  end

  local function on_close(conn)
    local page = pages[conn]
    if not page then return end
    pages[conn] = nil
    page:_close()
    core.log("debug", "session ended")
  end

  return on_message, on_close
end

return M
