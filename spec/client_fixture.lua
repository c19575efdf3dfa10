-- Op streams for the browser client's own tests (tests/client/). A spec records, for each
-- scenario, the messages the host sent, exactly as sent, and after each step the tree the
-- Lua side holds; tests/client/rendered.test.js and dom_patch.test.js apply the same messages
-- with client/src/ and must reach the same trees. While recording, the same messages go
-- through spec/model_client.lua (which the diff's specs use as the browser), which must reach
-- those trees too: so the Lua model and rendered.js are checked on one stream.
--
-- The file is written under build/client_fixtures/ at test time, never committed.
local RM = require "spec.model_client"
local core = require "luaflet.core"
local luassert = require "luassert"

local M = {}
M.DIR = "build/client_fixtures"

-- The slots the diff sends, in the order both sides list them.
local SLOT_ORDER = {"controls", "content", "overlay"}

-- A tree as {id, type, value, slots = {name = {shape...}}}, empty slots left out: from the
-- Lua controls...
local function lua_shape(c)
  local page = c._type == "page"
  local slots = {}
  local kids = {}
  for _, k in ipairs(c.controls or {}) do kids[#kids + 1] = lua_shape(k) end
  if #kids > 0 then slots.controls = kids end
  if c.content then slots.content = {lua_shape(c.content)} end
  if page and #(c.overlay or {}) > 0 then
    slots.overlay = {}
    for _, k in ipairs(c.overlay) do slots.overlay[#slots.overlay + 1] = lua_shape(k) end
  end
  return {id = page and 0 or c._id, type = c._type, value = c.value, slots = slots}
end

-- ... and from the model of the browser.
local function model_shape(model, id)
  local rec = model.nodes[id]
  local slots = {}
  for _, name in ipairs(SLOT_ORDER) do
    local ids = rec.slots[name]
    if ids and #ids > 0 then
      slots[name] = {}
      for i, x in ipairs(ids) do slots[name][i] = model_shape(model, x) end
    end
  end
  return {id = id, type = rec.type, value = rec.props.value, slots = slots}
end

-- JSON for a shape, written by hand so that an empty table is always an object.
local function encode(s)
  local parts = {}
  for _, name in ipairs(SLOT_ORDER) do
    if s.slots[name] then
      local kids = {}
      for i, k in ipairs(s.slots[name]) do kids[i] = encode(k) end
      parts[#parts + 1] = ("%q:[%s]"):format(name, table.concat(kids, ","))
    end
  end
  local value = s.value == nil and "" or (',"value":' .. core.json_encode(s.value))
  return ('{"id":%d,"type":%s%s,"slots":{%s}}'):format(s.id, core.json_encode(s.type), value,
    table.concat(parts, ","))
end

local Recorder = {}
Recorder.__index = Recorder

local function path_of(name)
  return ("%s/%s.json"):format(M.DIR, name)
end

--- A recorder for the fixture file `name` (build/client_fixtures/<name>.json). The file of an
-- earlier run goes at once, so a run that fails before write() leaves none behind.
function M.recorder(name)
  os.remove(path_of(name))
  return setmetatable({_name = name, _scenarios = {}}, Recorder)
end

--- Starts recording scenario `title` of a page behind the fake socket `conn`: the page's
-- whole tree goes out first as the init a new tab gets. Returns the scenario; call its
-- step() after each update.
function Recorder:scenario(title, page, conn)
  local sc = {title = title, page = page, conn = conn, from = #conn.raw + 1, steps = {},
              model = RM.new()}
  self._scenarios[#self._scenarios + 1] = sc
  page:_send_init("fixture-session")
  function sc.step()
    local msgs = {}
    for i = sc.from, #conn.raw do
      msgs[#msgs + 1] = conn.raw[i]
      local err = RM.receive(sc.model, conn.sent[i])
      assert(not err, err)
    end
    sc.from = #conn.raw + 1
    local want = lua_shape(page)
    luassert.same(want, model_shape(sc.model, 0))
    sc.steps[#sc.steps + 1] = ('{"messages":[%s],"tree":%s}'):format(table.concat(msgs, ","),
      encode(want))
  end
  return sc
end

--- Writes every scenario recorded to the fixture file.
function Recorder:write()
  assert(os.execute("mkdir -p " .. M.DIR))
  local out = {}
  for i, sc in ipairs(self._scenarios) do
    assert(#sc.steps > 0, "scenario without steps: " .. sc.title)
    out[i] = ('{"title":%s,"steps":[%s]}'):format(core.json_encode(sc.title),
      table.concat(sc.steps, ",\n"))
  end
  local path = path_of(self._name)
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "w"))
  f:write("[", table.concat(out, ",\n"), "]\n")
  f:close()
  assert(os.rename(tmp, path))
end

return M
