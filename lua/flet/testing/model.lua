-- flet.testing.model: the page as the browser's client/src/rendered.js keeps it, in Lua. It
-- applies init, add, move, set, remove and clean as rendered.js does, and checks that every
-- op makes sense. flet.testing's in-process client shows its app through it; the specs of the
-- diff consult it too, and that it agrees with rendered.js is checked on the op streams
-- spec/client_fixture.lua records, which both must apply to the same trees
-- (tests/client/rendered.test.js is the other half).
local M = {}
local Model = {}
Model.__index = Model
function M.new()
  local m = setmetatable({nodes = {}, errors = {}}, Model)
  m.nodes[0] = {id = 0, type = "page", props = {}, slots = {}}
  return m
end
function Model:index(node, parent, slot)
  assert(not self.nodes[node.id], "add of an id that exists: " .. node.id)
  local rec = {id = node.id, type = node.type, props = {}, slots = {}, parent = parent, slot = slot}
  for k, v in pairs(node.props or {}) do rec.props[k] = v end
  self.nodes[rec.id] = rec
  for name, kids in pairs(node.slots or {}) do
    rec.slots[name] = {}
    for i, kid in ipairs(kids) do self:index(kid, rec.id, name); rec.slots[name][i] = kid.id end
  end
end
function Model:place(id, parent, slot, before)
  local p = assert(self.nodes[parent], "op names an unknown parent")
  p.slots[slot] = p.slots[slot] or {}
  local ids = p.slots[slot]
  local at = #ids + 1
  if before then
    at = nil
    for i, x in ipairs(ids) do if x == before then at = i end end
    assert(at, "before names a control that is not in the slot")
  end
  table.insert(ids, at, id)
  self.nodes[id].parent, self.nodes[id].slot = parent, slot
end
function Model:unplace(id)
  local rec = self.nodes[id]
  local ids = self.nodes[rec.parent].slots[rec.slot]
  for i, x in ipairs(ids) do if x == id then table.remove(ids, i) return end end
  error("control not in its parent's slot")
end
function Model:drop(r)
  self.nodes[r.id] = nil
  for _, ids in pairs(r.slots) do for _, x in ipairs(ids) do self:drop(self.nodes[x]) end end
end
function Model:apply(op)
  if op.op == "add" then
    self:index(op.node, op.parent, op.slot)
    self:place(op.node.id, op.parent, op.slot, op.before)
  elseif op.op == "move" then
    assert(self.nodes[op.id], "move of an unknown control " .. op.id)
    self:unplace(op.id)
    self:place(op.id, op.parent, op.slot, op.before)
  elseif op.op == "set" then
    local rec = assert(self.nodes[op.id], "set on an unknown control")
    for k, v in pairs(op.props) do rec.props[k] = v end
  elseif op.op == "remove" then
    local rec = assert(self.nodes[op.id], "remove of an unknown control " .. op.id)
    self:unplace(op.id)
    self:drop(rec)
  elseif op.op == "clean" then
    local rec = assert(self.nodes[op.id], "clean of an unknown control")
    for _, x in ipairs(rec.slots[op.slot] or {}) do self:drop(self.nodes[x]) end
    rec.slots[op.slot] = {}
  else error("unknown op") end
end
-- Receives one message as the browser does, checking its number: a patch must be the next
-- one, an init or a resume sets where the count stands. Returns an error text for a lost or
-- doubled message.
function M.receive(model, msg)
  local function patch(p)
    if p.seq ~= model.seq + 1 then
      return ("patch %s arrived after %s"):format(tostring(p.seq), tostring(model.seq))
    end
    for _, op in ipairs(p.ops or {}) do model:apply(op) end
    model.seq = p.seq
  end
  if msg.t == "init" then
    model.nodes = {}
    model:index(msg.tree, nil, nil)
    model.seq = msg.seq
    model.token = msg.session or model.token
  elseif msg.t == "patch" then
    return patch(msg)
  elseif msg.t == "resume" then
    for _, p in ipairs(msg.patches) do
      local err = patch(p)
      if err then return err end
    end
    if model.seq ~= msg.seq then return "resume ended at " .. tostring(model.seq) end
  end
end

M.Model = Model
return M
