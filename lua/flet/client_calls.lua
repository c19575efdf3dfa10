-- client_calls: what a page asks of its browser, as Flet's page methods do: open a URL, the
-- clipboard, the browser's localStorage (page.client_storage). A call goes to the socket the
-- session has now (it is not kept for a reconnect); one that wants an answer waits for the
-- browser's result message, at most TIMEOUT seconds, and fails with a clear error when the
-- page is not connected, the browser says no, or the session ends.
local asyncio = require "asyncio"
local kinds = require "flet.kinds"
local P = require "flet.protocol"

local M = {}

M.TIMEOUT = 10

-- page -> {next = last call id, pending = {id -> {event, data, err}}}
local state = setmetatable({}, {__mode = "k"})

local function calls_of(page)
  local s = state[page]
  if not s then
    s = {next = 0, pending = {}}
    state[page] = s
  end
  return s
end

--- Sends method(args) to page's browser. With want_answer, waits for it (from a task) and
-- returns its data, or raises; otherwise returns at once. An answer is awaited for TIMEOUT
-- seconds, or as long as the session lasts when wait is "no limit" (a person choosing a
-- file), though not past the page's socket: one that drops ends the wait with an error.
function M.call(page, method, args, want_answer, wait)
  local channel = rawget(page, "_conn")
  local conn = channel and channel.conn and channel:conn()
  if not (channel and channel.conn) then
    if want_answer then error(asyncio.CancelledError, 0) end
    return false
  end
  if not conn then
    if want_answer then kinds.app_error(method .. ": the page is not connected") end
    return false
  end
  if not want_answer then
    conn:send(P.invoke_message(0, method, args or {}))
    return true
  end
  if not asyncio.in_task() then
    kinds.app_error(method .. " must be called from a task (main, an event handler or a task)")
  end
  local s = calls_of(page)
  s.next = s.next + 1
  local id = s.next
  local item = {event = asyncio.Event()}
  s.pending[id] = item
  conn:send(P.invoke_message(id, method, args or {}))
  local ok = true
  if wait == "no limit" then
    item.event:wait()
  else
    ok = asyncio.wait_for(function()
      item.event:wait()
      return true
    end, M.TIMEOUT)
  end
  s.pending[id] = nil
  if item.cancelled then error(asyncio.CancelledError, 0) end
  if item.dropped then kinds.app_error(method .. ": the page disconnected before it answered") end
  if not ok then kinds.app_error(("%s: the browser did not answer in %g s"):format(method, M.TIMEOUT)) end
  if item.err then kinds.app_error(method .. ": " .. item.err) end
  return item.data
end

--- A browser's result message for call id: wakes the task that waits for it. Returns false
-- for an id nobody waits for (answered already, timed out, or made up).
function M.result(page, id, data, err)
  local s = state[page]
  local item = s and s.pending[id]
  if not item then return false end
  item.data, item.err = data, err
  item.event:set()
  return true
end

--- The page's socket dropped: the calls it carried will get no answer (a socket that comes
-- back is a new browser page), so each raises an error now.
function M.detached(page)
  local s = state[page]
  if not s then return end
  for _, item in pairs(s.pending) do
    item.dropped = true
    item.event:set()
  end
end

--- The session ended: every call waiting for its browser raises asyncio.CancelledError.
function M.close(page)
  local s = state[page]
  if not s then return end
  for _, item in pairs(s.pending) do
    item.cancelled = true
    item.event:set()
  end
  state[page] = nil
end

-- page.client_storage: the browser's localStorage, under keys this app's pages share (they
-- are prefixed so that they do not mix with other scripts' keys on the same origin). Each
-- method answers from the browser, so it waits (from a task); the _async names are the same.
local Storage = {}
Storage.__index = Storage

function M.storage(page)
  return setmetatable({_page = page}, Storage)
end

-- A storage method: the key first (a string, but for get_keys' optional prefix and clear).
local function storage_method(name, keyed)
  return function(self, key, ...)
    if (keyed or key ~= nil) and type(key) ~= "string" then
      kinds.app_error(("client_storage:%s: expected a string key"):format(name))
    end
    if name == "set" and select("#", ...) == 0 then
      kinds.app_error("client_storage:set: expected a key and a value")
    end
    return M.call(self._page, "storage_" .. name, {key, ...}, true)
  end
end

for name, keyed in pairs({set = true, get = true, contains_key = true, remove = true,
                          get_keys = false, clear = false}) do
  Storage[name] = storage_method(name, keyed)
  Storage[name .. "_async"] = Storage[name]
end
kinds.colon_methods(Storage, "page.client_storage")

return M
