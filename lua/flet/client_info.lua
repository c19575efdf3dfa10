-- client_info: what the host learns of a session's browser beside its address: its user
-- agent, with one copy for every session that has the same, and the platform the agent
-- names, as Flet's page.platform gives it (ft.PagePlatform's values).
local M = {}

local type = type

-- Each user agent in use, as the one string the sessions that have it share, and how many
-- do: Lua keeps one copy of a short string only, and a user agent is longer than that.
local shared, users = {}, {}

--- The shared copy of user agent ua (nil stays nil), counted until M.release(ua).
function M.share(ua)
  if type(ua) ~= "string" then return nil end
  local s = shared[ua]
  if s then
    users[s] = users[s] + 1
    return s
  end
  shared[ua], users[ua] = ua, 1
  return ua
end

--- One session that had user agent ua has ended.
function M.release(ua)
  local n = ua and users[ua]
  if not n then return end
  if n > 1 then
    users[ua] = n - 1
  else
    shared[ua], users[ua] = nil, nil
  end
end

--- How many different user agents are shared now (for the specs).
function M.shared_count()
  local n = 0
  for _ in pairs(shared) do n = n + 1 end
  return n
end

-- What a user agent says, tried in this order: an iPhone's names Mac OS X too, and an
-- Android's Linux.
local PLATFORMS = {
  {"iPhone", "ios"}, {"iPad", "ios"}, {"iPod", "ios"},
  {"Android", "android"},
  {"Fuchsia", "fuchsia"},
  {"Macintosh", "macos"}, {"Mac OS X", "macos"},
  {"Windows", "windows"},
  {"CrOS", "linux"}, {"Linux", "linux"}, {"X11", "linux"},
}

--- The platform user agent ua names ("ios", "android", "macos", "windows", "linux",
-- "fuchsia"), or nil when it names none of them (or there is no ua).
function M.platform_of(ua)
  if type(ua) ~= "string" then return nil end
  for _, p in ipairs(PLATFORMS) do
    if ua:find(p[1], 1, true) then return p[2] end
  end
  return nil
end

return M
