-- Store: page.session, a key-value store the server keeps for one session, as Flet's
-- (set/get/contains_key/remove/clear/get_keys; Flet 1.0 reaches the same through
-- page.session.store). It goes with its session.
local kinds = require "flet.kinds"

local M = {}

local Store = {}
Store.__index = Store
M.Store = Store

function M.new()
  local self = setmetatable({_data = {}}, Store)
  self.store = self
  return self
end

local function check_key(key, what)
  if type(key) ~= "string" then kinds.app_error(("session:%s: expected a string key"):format(what)) end
end

function Store:set(key, value)
  check_key(key, "set")
  self._data[key] = value
end

--- The value for key, or nil.
function Store:get(key)
  check_key(key, "get")
  return self._data[key]
end

function Store:contains_key(key)
  check_key(key, "contains_key")
  return self._data[key] ~= nil
end

function Store:remove(key)
  check_key(key, "remove")
  self._data[key] = nil
end

function Store:clear()
  self._data = {}
end

--- The keys, sorted.
function Store:get_keys()
  local keys = {}
  for k in pairs(self._data) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

kinds.colon_methods(Store, "page.session")

return M
