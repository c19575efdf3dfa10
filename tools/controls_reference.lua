-- Writes the controls reference, docs/controls/, from the control schema (lua/flet/schema.lua
-- and its family files in lua/flet/catalog/): an index with the props and events every
-- control has, and a page per family with each control's constructor, props (kind and
-- default), events, and the family's runnable example (examples/controls/FAMILY.lua).
--
--   lua5.4 tools/controls_reference.lua [OUT_DIR]   (make docs runs it)
--
-- spec/controls_reference_spec.lua fails when the committed pages differ from what this
-- writes, so the reference cannot fall behind the schema.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local schema = require "flet.schema"

local M = {}

local KIND_TEXT = {
  string = "string", number = "number", boolean = "boolean", color = "color",
  icon = "icon name", ["number|boolean"] = "number or boolean", any = "value (table)",
  control = "control", controls = "list of controls", ["control|string"] = "control or string",
}

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

local function show(v)
  if v == nil then return "" end
  if type(v) == "string" then return ("`%q`"):format(v):gsub("\\\n", "\\n") end
  return "`" .. tostring(v) .. "`"
end

local function read(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function constructor(e)
  local parts = {}
  if e.primary then parts[#parts + 1] = ("`ft.%s(%s)`"):format(e.name, e.primary) end
  local t = ("`ft.%s{%s...}`"):format(e.name, e.primary and (e.primary .. ", ") or "")
  parts[#parts + 1] = t
  local s = table.concat(parts, " or ")
  if e.children then
    s = s .. (", with child controls in the table's array part going to `%s`"):format(e.children)
  end
  return s
end

-- What an echo keeps: a prop, or (a table) props from e.data and props set to a value.
local function echoed(prop)
  if type(prop) ~= "table" then return ("`%s`"):format(prop) end
  local parts = {}
  for _, p in ipairs(prop) do parts[#parts + 1] = ("`%s`"):format(p) end
  local set = {}
  for p, v in pairs(prop) do
    if type(p) == "string" then set[#set + 1] = ("`%s` (%s)"):format(p, tostring(v)) end
  end
  table.sort(set)
  for _, s in ipairs(set) do parts[#parts + 1] = s end
  return table.concat(parts, " and ")
end

local function control_section(e, out)
  out[#out + 1] = "## " .. e.name
  out[#out + 1] = ""
  if e.doc then
    out[#out + 1] = e.doc
    out[#out + 1] = ""
  end
  out[#out + 1] = "Made with " .. constructor(e) .. ". Wire type `" .. e.type .. "`."
  out[#out + 1] = ""
  local props = sorted_keys(e.props)
  if #props > 0 then
    out[#out + 1] = "| prop | kind | default |"
    out[#out + 1] = "|---|---|---|"
    for _, p in ipairs(props) do
      local kind = e.props[p]
      out[#out + 1] = ("| `%s` | %s | %s |"):format(p, KIND_TEXT[kind] or kind,
        show((e.defaults or {})[p]))
    end
    out[#out + 1] = ""
  end
  if e.events and #e.events > 0 then
    local ev = {}
    for _, name in ipairs(e.events) do ev[#ev + 1] = "`on_" .. name .. "`" end
    out[#out + 1] = "Events: " .. table.concat(ev, ", ") .. "."
    if e.echo then
      local keep = {}
      for _, name in ipairs(sorted_keys(e.echo)) do
        keep[#keep + 1] = ("`%s` keeps %s current"):format(name, echoed(e.echo[name]))
      end
      out[#out + 1] = "On the server, " .. table.concat(keep, ", ")
        .. " whether or not the app set the handler."
    end
    out[#out + 1] = ""
  end
end

--- The reference's pages: file name -> text.
function M.pages()
  local pages = {}
  local index = {"# Controls", "",
    "Generated from the control schema by `tools/controls_reference.lua` (`make docs`); do not",
    "edit by hand. Each family's page lists its controls with their props (kind and Flet's",
    "default), events, and a runnable example.", "", "## Families", ""}
  for _, name in ipairs(schema.families) do
    local family = require("flet.catalog." .. name)
    local names = {}
    for _, e in ipairs(family.controls) do names[#names + 1] = e.name end
    index[#index + 1] = ("- [%s](%s.md): %s"):format(family.family, name, table.concat(names, ", "))
    local out = {"# " .. family.family, "",
      "Generated from `lua/flet/catalog/" .. name .. ".lua` by `tools/controls_reference.lua`;"
      .. " do not edit by hand. Every control also takes the [common props](README.md#common-props).",
      ""}
    for _, e in ipairs(family.controls) do control_section(e, out) end
    local example = read("examples/controls/" .. name .. ".lua")
    if example then
      out[#out + 1] = "## Example"
      out[#out + 1] = ""
      out[#out + 1] = ("`examples/controls/%s.lua`, run with `build/luaflet examples/controls/%s.lua`:")
        :format(name, name)
      out[#out + 1] = ""
      out[#out + 1] = "```lua"
      out[#out + 1] = (example:gsub("\n$", ""))
      out[#out + 1] = "```"
      out[#out + 1] = ""
    end
    pages[name .. ".md"] = table.concat(out, "\n")
  end
  index[#index + 1] = ""
  index[#index + 1] = "## Common props"
  index[#index + 1] = ""
  index[#index + 1] = "Every control takes these, and emits the common events "
  local ev = {}
  for _, name in ipairs(schema.common_events) do ev[#ev + 1] = "`on_" .. name .. "`" end
  index[#index] = index[#index] .. table.concat(ev, ", ") .. "."
  index[#index + 1] = ""
  index[#index + 1] = "| prop | kind |"
  index[#index + 1] = "|---|---|"
  for _, p in ipairs(sorted_keys(schema.common_props)) do
    local kind = schema.common_props[p]
    index[#index + 1] = ("| `%s` | %s |"):format(p, KIND_TEXT[kind] or kind)
  end
  index[#index + 1] = ""
  pages["README.md"] = table.concat(index, "\n")
  return pages
end

if arg and arg[0] and arg[0]:match("controls_reference%.lua$") then
  local dir = arg[1] or "docs/controls"
  os.execute("mkdir -p " .. dir)
  for name, text in pairs(M.pages()) do
    local f = assert(io.open(dir .. "/" .. name, "w"))
    f:write(text)
    f:close()
  end
end

return M
