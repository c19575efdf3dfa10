-- The control catalog: a class for every entry of flet.schema's `controls`, except those
-- made by a module of their own (the page, UserControl).
local control = require "flet.control"
local schema = require "flet.schema"

local M = {}

for _, entry in ipairs(schema.controls) do
  if not entry.own_module then M[entry.name] = control.class(entry) end
end

-- The methods some classes have beyond props (flet.methods); a class made by a module of
-- its own (Page) takes its own there.
for name, fns in pairs(require "flet.methods") do
  local cls = M[name]
  if cls then
    for k, f in pairs(fns) do rawset(cls, k, f) end
  end
end

return M
