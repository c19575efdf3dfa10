-- Routes, as Flet's: a route is a path and a query ("/books/7?sort=asc"). page.query reads
-- the query of page.route; ft.TemplateRoute matches a route against a template with :params.
--
--   local t = ft.TemplateRoute(page.route)
--   if t:match("/books/:id") then show_book(t.id) end
local kinds = require "flet.kinds"

local M = {}

local function unescape(s)
  s = s:gsub("+", " ")
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

--- The path of a route, without its query and fragment.
function M.path(route)
  return (route:match("^([^?#]*)"))
end

--- The app's route in the browser's address (its path, query and fragment, as a client's
-- register gives it), by the app's route_url_strategy: "path" takes the path and query
-- ("/store?x=1"), "hash" the fragment ("/#/store" is "/store"); "/" when the address holds
-- none.
function M.route_of(address, strategy)
  if strategy == "hash" then
    local fragment = address:match("#(.*)$")
    if fragment and fragment:sub(1, 1) == "/" then return fragment end
    return "/"
  end
  local route = address:match("^([^#]*)")
  return route ~= "" and route or "/"
end

--- The query of a route as a table of strings (the last value of a repeated key).
function M.query_of(route)
  local out = {}
  local q = route:match("%?([^#]*)")
  if q then
    for pair in q:gmatch("[^&]+") do
      local k, v = pair:match("^([^=]*)=?(.*)$")
      if k ~= "" then out[unescape(k)] = unescape(v) end
    end
  end
  return out
end

-- page.query: get(key) and to_dict, callable with a dot (as Flet's page.query.get("id") ports
-- line by line) or a colon.
function M.query(route)
  local values = M.query_of(route)
  local q = {}
  q.get = function(a, b)
    local key = a == q and b or a
    return values[key]
  end
  q.to_dict = values
  q.path = M.path(route)
  return q
end

local TemplateRoute = {}
TemplateRoute.__index = TemplateRoute

--- ft.TemplateRoute(route): a route to match against templates.
function M.TemplateRoute(route)
  if type(route) ~= "string" then kinds.app_error("TemplateRoute: expected a route") end
  return setmetatable({route = route}, TemplateRoute)
end

--- Whether the route matches template ("/books/:id"); on a match each :param becomes a field
-- (t.id). Callable as t:match(template) or t.match(template).
function TemplateRoute.match(self, template)
  if getmetatable(self) ~= TemplateRoute then
    kinds.app_error("TemplateRoute.match: call it with a colon, t:match(\"/books/:id\")")
  end
  if type(template) ~= "string" then kinds.app_error("TemplateRoute:match: expected a template") end
  local path = M.path(self.route)
  local names, pattern = {}, {"^"}
  for part, sep in template:gmatch("([^/]*)(/?)") do
    if part:sub(1, 1) == ":" then
      names[#names + 1] = part:sub(2)
      pattern[#pattern + 1] = "([^/]+)"
    else
      pattern[#pattern + 1] = (part:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
    end
    pattern[#pattern + 1] = sep
  end
  pattern[#pattern + 1] = "$"
  -- Without captures, a match returns the whole path; with them, the captures.
  local found = table.pack(path:match(table.concat(pattern)))
  if found[1] == nil then return false end
  for i, name in ipairs(names) do rawset(self, name, unescape(found[i])) end
  return true
end

return M
