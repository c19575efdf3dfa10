-- age_list: items in the order they were added, each removable in constant time, so that
-- "the one waiting longest" never needs a walk over them all. The host keeps its detached
-- sessions in these: when ten thousand sockets drop at once and each drop has to end the
-- session detached longest, a scan per drop would hold the loop for seconds.
local M = {}

local AgeList = {}
AgeList.__index = AgeList

--- An empty list.
function M.new()
  return setmetatable({_newer = {}, _older = {}, _oldest = nil, _newest = nil, _n = 0}, AgeList)
end

--- Adds item as the newest. An item already in the list is an error.
function AgeList:push(item)
  if self._older[item] ~= nil or self._oldest == item then
    error("age_list: item already listed", 2)
  end
  local newest = self._newest
  if newest ~= nil then
    self._newer[newest] = item
    self._older[item] = newest
  else
    self._oldest = item
  end
  self._newest = item
  self._n = self._n + 1
end

--- Removes item if it is listed; returns whether it was.
function AgeList:remove(item)
  local older, newer = self._older[item], self._newer[item]
  if older == nil and newer == nil and self._oldest ~= item then return false end
  if older ~= nil then self._newer[older] = newer else self._oldest = newer end
  if newer ~= nil then self._older[newer] = older else self._newest = older end
  self._older[item], self._newer[item] = nil, nil
  self._n = self._n - 1
  return true
end

--- The item added longest ago, or nil.
function AgeList:oldest()
  return self._oldest
end

--- The number of items.
function AgeList:count()
  return self._n
end

return M
