-- fields: how a control's public fields are stored and how changing one is noticed.
--
-- A control's public fields (props and child lists) sit in its table at numbers, one per
-- name (flet.schema's prop_names), never under their names: reading or assigning one by name
-- goes through __index/__newindex, and assigning marks the control dirty and its ancestors
-- as having dirty descendants. The host's diff then visits
-- only dirty paths and clears the marks. Lists of child controls are ControlLists: proxies
-- whose changes (l[i] = x, table.insert, table.remove) mark their owner dirty.
local core = require "luaflet.core"
local schema = require "flet.schema"
local kinds_of = require "flet.kinds"

local M = {}

local rawget, rawset, setmetatable, getmetatable, type, next =
  rawget, rawset, setmetatable, getmetatable, type, next

-- The field names and mark bits are flet.schema's, and the C core reads the same ones:
-- it is handed the schema here, once, before any control exists.
core.set_schema(schema)

local F = schema.fields
local K_M, K_PARENT, K_DK, K_ITEMS, K_OWNER, K_SNAP =
  F.marks, F.parent, F.marked_kids, F.items, F.owner, F.snapshot
local CF = schema.class_fields
local SLOTS, KINDS, OWN, NAME, SERVER = CF.slots, CF.kinds, CF.own, CF.name, CF.server
local PRIVATE = schema.private_prefix:byte(1)

-- The number of each prop name, given the first time a control sets it; the C core reads
-- the names back from NAMES. The host's three fields are found the same way by the names
-- the app reads them by (`c._id`), at their places below first_prop, which no prop takes.
local NUMBER, NAMES = schema.prop_index, schema.prop_names
for name, at in pairs(schema.private_names) do NUMBER[name] = at end

--- The number a prop name is kept at in a control's table, given on first use.
local function number(k)
  local i = NUMBER[k]
  if i then return i end
  if type(k) ~= "string" then error("a control's field names are strings", 3) end
  i = schema.first_prop + #NAMES
  NAMES[#NAMES + 1] = k
  NUMBER[k] = i
  return i
end
-- The key is read by number on every keyed child: it has one from the start.
number(schema.key)

--- The prop or child list k of control t as stored, without marking or defaults.
function M.raw(t, k)
  local i = NUMBER[k]
  return i and rawget(t, i)
end

--- Stores v as t's prop k without marking t: for values the browser already shows.
function M.set_raw(t, k, v)
  rawset(t, number(k), v)
end

--- The items of t's list slot k as stored (a plain table, or a ControlList's items), an empty
-- list made first when t has none: for the library's own appends, which mark t themselves.
-- A list kept plain stays so until the app reads the slot (see M.accessors).
function M.slot_items(t, k)
  local i = number(k)
  local l = rawget(t, i)
  if l == nil then
    l = {}
    rawset(t, i, l)
  end
  return M.items(l)
end

--- The names of the props and child lists t holds, as a list.
function M.names(t)
  local names, first = {}, schema.first_prop
  for k in next, t do
    if math.type(k) == "integer" and k >= first then names[#names + 1] = NAMES[k - first + 1] end
  end
  return names
end

-- A control's marks, in one field (`_m`): DIRTY, its own fields changed; KIDS, a
-- descendant's did. The diff clears them as it visits.
local DIRTY, KIDS = schema.marks.DIRTY, schema.marks.KIDS
M.DIRTY, M.KIDS = DIRTY, KIDS

--- Marks c as changed, and every ancestor as having a changed descendant. Each parent also
-- lists, in _dk, its children that became marked, so the diff visits those without reading
-- the others.
local function mark(c)
  local m = rawget(c, K_M) or 0
  if m & DIRTY ~= 0 then return end
  rawset(c, K_M, m | DIRTY)
  if m ~= 0 then return end -- already listed by its parent, and the ancestors marked
  local child, p = c, rawget(c, K_PARENT)
  while p do
    local dk = rawget(p, K_DK)
    if not dk then
      dk = {}
      rawset(p, K_DK, dk)
    end
    dk[#dk + 1] = child
    local pm = rawget(p, K_M) or 0
    if pm ~= 0 then
      rawset(p, K_M, pm | KIDS)
      return
    end
    rawset(p, K_M, KIDS)
    child, p = p, rawget(p, K_PARENT)
  end
end
M.mark = mark

local ControlList = {}

-- Python's list methods that Flet code calls on a control list (page.views.append(v),
-- page.views.pop(), page.controls.clear()), each a change that marks the owner. Positions
-- are Lua's: insert(1, x) puts x first.
local LIST_METHODS = {}
function LIST_METHODS.append(l, x)
  local items = rawget(l, K_ITEMS)
  items[#items + 1] = x
  mark(rawget(l, K_OWNER))
end
function LIST_METHODS.extend(l, xs)
  local items = rawget(l, K_ITEMS)
  for _, x in ipairs(xs) do items[#items + 1] = x end
  mark(rawget(l, K_OWNER))
end
function LIST_METHODS.insert(l, at, x)
  table.insert(rawget(l, K_ITEMS), at, x)
  mark(rawget(l, K_OWNER))
end
--- Removes and returns the last item, or the one at position at.
function LIST_METHODS.pop(l, at)
  local items = rawget(l, K_ITEMS)
  local x = table.remove(items, at or #items)
  mark(rawget(l, K_OWNER))
  return x
end
function LIST_METHODS.remove(l, x)
  local items = rawget(l, K_ITEMS)
  for i = 1, #items do
    if items[i] == x then
      table.remove(items, i)
      mark(rawget(l, K_OWNER))
      return
    end
  end
  error("remove: the control is not in the list", 2)
end
function LIST_METHODS.clear(l)
  local items = rawget(l, K_ITEMS)
  for i = #items, 1, -1 do items[i] = nil end
  mark(rawget(l, K_OWNER))
end
function LIST_METHODS.index(l, x)
  for i, y in ipairs(rawget(l, K_ITEMS)) do
    if y == x then return i end
  end
  return nil
end

ControlList.__index = function(l, i)
  if type(i) == "string" then return LIST_METHODS[i] end
  return rawget(l, K_ITEMS)[i]
end
ControlList.__newindex = function(l, i, v)
  rawget(l, K_ITEMS)[i] = v
  mark(rawget(l, K_OWNER))
end
ControlList.__len = function(l) return #rawget(l, K_ITEMS) end
ControlList.__pairs = function(l) return next, rawget(l, K_ITEMS), nil end
M.ControlList = ControlList

--- A list of child controls owned by owner, holding items (a plain table, taken over).
local function list(owner, items)
  return setmetatable({[K_ITEMS] = items or {}, [K_OWNER] = owner}, ControlList)
end
M.list = list

--- Makes the app's plain table t the ControlList of owner: its entries move into a new
-- _items table and t becomes the proxy, so that the app's own later changes to t
-- (t[#t + 1] = x, table.insert, table.remove) mark the owner as list changes do.
local function adopt(owner, t)
  local items = table.move(t, 1, #t, 1, {})
  for k in pairs(t) do t[k] = nil end
  rawset(t, K_ITEMS, items)
  rawset(t, K_OWNER, owner)
  return setmetatable(t, ControlList)
end

--- The plain table behind a ControlList (or the table itself).
function M.items(l)
  if getmetatable(l) == ControlList then return rawget(l, K_ITEMS) end
  return l
end

--- The page a control is on, found through its parents (the page holds the snapshot); nil
-- when it is not on one.
local function page_of(t)
  local p = t
  while p do
    if rawget(p, K_SNAP) then return p end
    p = rawget(p, K_PARENT)
  end
  return nil
end
M.page_of = page_of

--- The __index and __newindex of a class whose instances keep public fields in _p. `extra`
-- may answer keys first (the page's read-only size).
--
-- When the class has kinds (flet.kinds), every assignment is checked against them: a name it
-- does not know is an error at the app's line, or, for an app's own subclass (its `_own`), a
-- field of the app's kept on the instance itself, where it is neither marked nor sent; a
-- value of the wrong kind is an error. The class's server fields (`_server`) are kept on the
-- instance too.
function M.accessors(cls, extra)
  local lists = {}
  -- A slot is numbered with its class, so that the diff finds it where it will be set.
  for _, name in ipairs(cls[SLOTS] or {}) do
    lists[name] = true
    number(name)
  end
  local kinds, own, server = cls[KINDS], cls[OWN], cls[SERVER] or {}
  local check = kinds_of.check
  local function index(t, k)
    if extra then
      local v = extra(t, k)
      if v ~= nil then return v end
    end
    local i = NUMBER[k]
    if i then
      local v = rawget(t, i)
      if v ~= nil then
        -- A list a constructor made is kept plain until the app first reads it: from then
        -- on it is the ControlList that marks the control when the app changes it.
        if lists[k] and getmetatable(v) == nil and type(v) == "table" then
          v = list(t, v)
          rawset(t, i, v)
        end
        return v
      end
    end
    if k == "page" then return page_of(t) end
    return cls[k]
  end
  local function newindex(t, k, v)
    if type(k) == "string" and k:byte(1) == PRIVATE then
      rawset(t, NUMBER[k] or k, v)
      return
    end
    if k == "page" then error("page is set by the host when the control is added", 2) end
    if kinds then
      local kind = kinds[k]
      if kind == nil then
        if own and type(k) == "string" then
          rawset(t, k, v)
          return
        end
        kinds_of.unknown_field(cls[NAME] or "the page", k, kinds)
      elseif not check(kind, v) then
        kinds_of.wrong_kind(cls[NAME] or "page", k, kind, v)
      elseif server[k] then
        rawset(t, k, v)
        return
      end
    end
    -- A plain table put in a list slot becomes this control's ControlList.
    if lists[k] and type(v) == "table" and getmetatable(v) == nil then
      v = adopt(t, v)
    elseif lists[k] and getmetatable(v) == ControlList and rawget(v, K_OWNER) ~= t then
      local copy = {}
      for i, x in ipairs(rawget(v, K_ITEMS)) do copy[i] = x end
      v = list(t, copy)
    end
    rawset(t, NUMBER[k] or number(k), v)
    mark(t)
  end
  return index, newindex
end

--- A new instance of cls with empty fields, marked dirty (it has never been sent).
-- _parent and _id are set by the host when the control is sent; false holds their places
-- in the array part. The host makes the table, with room for one prop.
M.new = core.new_control

return M
