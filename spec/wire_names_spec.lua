-- The wire protocol's names are spelt once per language: host/proto_keys.h (C),
-- lua/flet/protocol.lua (Lua) and client/src/constants.js (browser), and documented in
-- docs/protocol.md. This spec reads all four, with the control schema (lua/flet/schema.lua)
-- and the client's registry of renderers, and fails on any difference: a key, a message or
-- op kind, an event name, a control type or a close code that one of them lacks or spells
-- otherwise.
local P = require "flet.protocol"
local schema = require "flet.schema"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

-- "text" -> text, 12 -> 12; anything else is an error of the file being read.
local function value(src, where)
  src = src:gsub("%s*/%*.-%*/%s*$", ""):gsub("%s*//.*$", ""):match("^%s*(.-)%s*$")
  local s = src:match('^"([^"]*)"$')
  if s then return s end
  local n = tonumber(src)
  if n then return math.tointeger(n) or n end
  error(where .. ": cannot read the value " .. src)
end

local function c_names()
  local out = {}
  for line in read("host/proto_keys.h"):gmatch("[^\n]+") do
    local name, v = line:match("^#define PK_([%w_]+)%s+(.+)$")
    if name then out[name] = value(v, "proto_keys.h: PK_" .. name) end
  end
  return out
end

local function js_names()
  local out = {}
  for name, v in read("client/src/constants.js"):gmatch("export const ([%w_]+) = ([^;]+);") do
    out[name] = value(v, "constants.js: " .. name)
  end
  return out
end

local function lua_names()
  local out = {}
  for name, v in pairs(P) do
    if type(name) == "string" and name:match("^[%u_]+$") and type(v) ~= "function" then
      out[name] = v
    end
  end
  return out
end

local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

-- The differences between two name -> value tables, as lines.
local function differences(a, an, b, bn)
  local out = {}
  for _, k in ipairs(sorted_keys(a)) do
    if b[k] == nil then
      out[#out + 1] = ("%s is in %s, not in %s"):format(k, an, bn)
    elseif b[k] ~= a[k] then
      out[#out + 1] = ("%s is %q in %s, %q in %s"):format(k, a[k], an, b[k], bn)
    end
  end
  for _, k in ipairs(sorted_keys(b)) do
    if a[k] == nil then out[#out + 1] = ("%s is in %s, not in %s"):format(k, bn, an) end
  end
  return out
end

local doc = read("docs/protocol.md")

-- The section of docs/protocol.md under the heading that starts with `title`.
local function section(title)
  local at = assert(doc:find("\n## " .. title, 1, true), "docs/protocol.md: no section " .. title)
  local stop = doc:find("\n## ", at + 1, true) or #doc
  return doc:sub(at, stop)
end

describe("the wire protocol's names", function()
  local c, lua, js = c_names(), lua_names(), js_names()

  it("are the same names with the same values in C, Lua and the client", function()
    local diffs = {}
    for _, d in ipairs(differences(c, "host/proto_keys.h", lua, "lua/flet/protocol.lua")) do
      diffs[#diffs + 1] = d
    end
    for _, d in ipairs(differences(lua, "lua/flet/protocol.lua", js, "client/src/constants.js")) do
      diffs[#diffs + 1] = d
    end
    assert.same({}, diffs)
    assert.is_true(#sorted_keys(c) > 40)
  end)

  it("are all in docs/protocol.md", function()
    local missing = {}
    for _, name in ipairs(sorted_keys(lua)) do
      local v = lua[name]
      local found
      if type(v) == "string" then
        found = doc:find('"' .. v .. '"', 1, true) or doc:find("`" .. v .. "`", 1, true)
          or doc:find("**" .. v .. "**", 1, true)
          or (v:sub(-1) == "_" and doc:find("`" .. v, 1, true)) -- a prefix: `on_change`
          or (v:sub(1, 1) == "/" and doc:find(v .. "`", 1, true)) -- a path: `ws://HOST/ws`
      else
        found = doc:find("%f[%w]" .. v .. "%f[^%w]")
      end
      if not found then missing[#missing + 1] = ("%s (%s)"):format(name, v) end
    end
    assert.same({}, missing)
  end)

  it("hold every close code the host sends, as docs/protocol.md lists them", function()
    local documented = {}
    for code in section("Connection loss"):gmatch("\n| (%d%d%d%d) |") do
      documented[tonumber(code)] = true
    end
    local defined = {}
    for name, v in pairs(lua) do
      if name:match("^CLOSE_") and name ~= "CLOSE_NORMAL" then defined[v] = true end
    end
    assert.same(documented, defined)
    assert.truthy(section("Session end"):find("close code " .. P.CLOSE_NORMAL, 1, true))
  end)

  it("agree with the control schema on the handler prefix and the events", function()
    assert.equal(schema.handler_prefix, P.HANDLER_PREFIX)
    local events = {}
    for _, e in ipairs(schema.controls) do
      for _, name in ipairs(e.events or {}) do events[name] = true end
    end
    for _, name in ipairs(schema.common_events) do events[name] = true end
    -- Each event has its constant, spelt as its name in capitals.
    for name in pairs(events) do assert.equal(name, P[name:upper()], name) end
    -- docs/protocol.md lists what each control emits, in the bad input table.
    local listed = {}
    local row = section("Limits and bad input"):match("of a kind the control does not emit (%b())")
    for name in assert(row, "no list of events in docs/protocol.md"):gmatch("`([%w_]+)`") do
      listed[name] = true
    end
    assert.same(events, listed)
  end)

  it("name the same control types in the schema, the client and docs/protocol.md", function()
    local types = {}
    for _, e in ipairs(schema.controls) do types[e.type] = true end
    local client = {}
    local block = read("client/src/controls/index.js"):match("const TYPES = (%b{})")
    for name in assert(block, "no TYPES in client/src/controls/index.js"):gmatch("\n%s*([%w_]+)[,:]") do
      client[name] = true
    end
    assert.same(types, client)
    local documented = {}
    local list = doc:match("`type`: the control's kind in lower case (%b())")
    for name in assert(list, "no list of types in docs/protocol.md"):gmatch("`([%w_]+)`") do
      documented[name] = true
    end
    assert.same(types, documented)
  end)
end)
