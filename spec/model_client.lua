-- A model of the browser for the diff's specs: flet.testing's model of the page (the one
-- rendered.js is checked against), with what only the specs use.
local M = require "flet.testing.model"
local Model = M.Model
function Model:shape(id)
  local rec = self.nodes[id]
  local out = {id = id, type = rec.type, value = rec.props.value, kids = {}}
  for _, name in ipairs({"controls", "content", "overlay"}) do
    for _, x in ipairs(rec.slots[name] or {}) do out.kids[#out.kids + 1] = self:shape(x) end
  end
  return out
end
function M.lua_shape(c)
  local out = {id = c._type == "page" and 0 or c._id, type = c._type, value = c.value, kids = {}}
  for _, kid in ipairs(c.controls or {}) do out.kids[#out.kids + 1] = M.lua_shape(kid) end
  if c.content then out.kids[#out.kids + 1] = M.lua_shape(c.content) end
  if c._type == "page" then for _, kid in ipairs(c.overlay or {}) do out.kids[#out.kids + 1] = M.lua_shape(kid) end end
  return out
end
-- applies everything sent since `from`
function M.sync(model, conn, from)
  for s = (from or 0) + 1, #conn.sent do
    local msg = conn.sent[s]
    if msg.t == "init" then
      -- The whole tree again: the model starts over from it.
      model.nodes = {}
      model:index(msg.tree, nil, nil)
    end
    for _, op in ipairs(msg.ops or {}) do model:apply(op) end
  end
  return #conn.sent
end
return M
