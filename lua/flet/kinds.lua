-- kinds: what a control's fields may hold, checked where the app writes them, and the errors
-- that say so at the app's own line.
--
-- A class's `_kinds` (flet.schema's class_fields.kinds) maps every public field an instance
-- may set to its kind: a prop's kind from the schema (where "control" and "controls" mark the
-- fields holding child controls), and "handler" for on_<event>. flet.fields checks each assignment against
-- it: a name the class does not know is an error naming the nearest one it does (an app's
-- subclass keeps such fields as its own instead), and a value of the wrong kind is an error
-- naming the kind.
local M = {}

local type, error, tostring = type, error, tostring
local getinfo = debug.getinfo

-- The folder flet/ and asyncio/ are in: a frame whose source is under it is the library's.
local LIB = (getinfo(1, "S").source:match("^@(.*)flet/kinds%.lua$")) or ""
local function library_source(src)
  if src:sub(1, 1) ~= "@" or src:sub(2, #LIB + 1) ~= LIB then return false end
  local rest = src:sub(#LIB + 2)
  return rest:match("^flet/") ~= nil or rest:match("^asyncio/") ~= nil
end

--- The app's source around the place an error message names, for a developer's page
-- (--debug, --reload): the first "FILE.lua:N:" of msg whose file is not the library's and
-- can be read, as lines N-3 to N+3 numbered, N marked with ">". Nil when there is none.
function M.source_excerpt(msg)
  for file, n in tostring(msg):gmatch("([^%s:'\"%[%]]+%.lua):(%d+):") do
    n = tonumber(n)
    local f = not library_source("@" .. file) and io.open(file, "r")
    if f then
      local out, i = {}, 0
      for line in f:lines() do
        i = i + 1
        if i > n + 3 then break end
        if i >= n - 3 then
          out[#out + 1] = ("%s %4d | %s"):format(i == n and ">" or " ", i, line)
        end
      end
      f:close()
      if #out > 0 then return file .. ":\n" .. table.concat(out, "\n") end
    end
  end
  return nil
end

--- Raises msg at the first frame outside the library: the app's line that made the mistake,
-- however deep in the library it was found.
function M.app_error(msg)
  local level = 2
  while true do
    local info = getinfo(level, "S")
    if not info then
      level = 2 -- called from the library alone (a test of it): its caller's line
      break
    end
    if info.what ~= "C" and not library_source(info.source) then break end
    level = level + 1
  end
  error(msg, level)
end

--- Makes every public method of class cls check that it was called on an instance: a method
-- called with a dot (page.add(x)) gets x as its self, and the mistake is named at the app's
-- line as "LABEL.NAME: call it with a colon, LABEL:NAME(...)". Call it once the class has
-- all its methods.
function M.colon_methods(cls, label)
  for name, f in pairs(cls) do
    if type(f) == "function" and type(name) == "string" and name:sub(1, 1) ~= "_" then
      cls[name] = function(self, ...)
        if getmetatable(self) ~= cls then
          M.app_error(("%s.%s: call it with a colon, %s:%s(...)"):format(label, name, label, name))
        end
        return f(self, ...)
      end
    end
  end
end

local control -- flet.control, which requires this module: taken when first needed
local function is_control(v)
  control = control or require "flet.control"
  return control.is_control(v)
end

local function is_list_of_controls(v)
  if type(v) ~= "table" or is_control(v) then return false end
  for _, x in ipairs(v) do
    if not is_control(x) then return false end
  end
  return true
end

-- kind -> {check, what a value of it is}
local KINDS = {
  string = {function(v) return type(v) == "string" or type(v) == "number" end, "a string"},
  -- A string holding a number is taken too, as Flet 0.2x takes height="50".
  number = {function(v) return type(v) == "number" or (type(v) == "string" and tonumber(v) ~= nil)
            end, "a number"},
  boolean = {function(v) return type(v) == "boolean" end, "true or false"},
  color = {function(v) return type(v) == "string" end, "a color (ft.Colors.X or \"#rrggbb\")"},
  icon = {function(v) return type(v) == "string" end, "an icon (ft.Icons.X)"},
  ["number|boolean"] = {function(v) return type(v) == "number" or type(v) == "boolean" end,
                        "a number or true/false"},
  any = {function(v) return type(v) ~= "function" and type(v) ~= "thread" end,
         "a number, a string or a table"},
  control = {is_control, "a control"},
  ["control|string"] = {function(v) return type(v) == "string" or is_control(v) end,
                        "a control or a string"},
  controls = {is_list_of_controls, "a list of controls"},
  handler = {function(v) return type(v) == "function" end, "a function"},
}

--- Whether v is a value of kind (nil always is: it removes the prop).
function M.check(kind, v)
  if v == nil then return true end
  local k = KINDS[kind]
  return k == nil or k[1](v)
end

-- The edit distance between a and b (insertions, deletions, substitutions, and a swap of two
-- neighbours), for the nearest-name hints.
local function distance(a, b)
  local la, lb = #a, #b
  local prev2, prev = {}, {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    local cur = {[0] = i}
    for j = 1, lb do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      local d = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if i > 1 and j > 1 and a:byte(i) == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
        d = math.min(d, prev2[j - 2] + 1)
      end
      cur[j] = d
    end
    prev2, prev = prev, cur
  end
  return prev[lb]
end

--- The name of `names` (an array, or the keys of a table when keyed is true) nearest to name,
-- if one is near enough to be what was meant; nil otherwise.
function M.nearest(name, names, keyed)
  name = tostring(name)
  local lower = name:lower()
  local best, best_d
  local function try(cand)
    if type(cand) ~= "string" then return end
    local d = distance(lower, cand:lower())
    if not best_d or d < best_d or (d == best_d and cand < best) then best, best_d = cand, d end
  end
  if keyed then
    for cand in pairs(names) do try(cand) end
  else
    for _, cand in ipairs(names) do try(cand) end
  end
  if best and best_d <= math.max(1, math.min(3, #name // 3)) then return best end
  return nil
end

local function describe(v)
  if is_control(v) then return "a control" end
  return "a " .. type(v)
end

--- Raises the error for field k, which class `name` (whose fields are `kinds`) does not know.
function M.unknown_field(name, k, kinds)
  local near = type(k) == "string" and M.nearest(k, kinds, true)
  M.app_error(("%s has no prop '%s'%s"):format(name, tostring(k),
    near and (" (did you mean '%s'?)"):format(near) or ""))
end

--- Raises the error for value v of the wrong kind in field k of class `name`.
function M.wrong_kind(name, k, kind, v)
  M.app_error(("%s.%s must be %s, not %s"):format(name, k, KINDS[kind][2], describe(v)))
end

return M
