-- The controls gallery, as Flet's: `/` lists the catalog's families, each with its controls'
-- names, and `/FAMILY` (say /layout) shows that family's example, examples/controls/FAMILY.lua,
-- working as it does alone. The examples are not copied: each is loaded once with ft.app
-- replaced, which captures its main function, and that main runs on the page when its family
-- is chosen, after the page has been reset to what the gallery had. The browser's back and
-- forward buttons and a deep link (http://127.0.0.1:8550/layout) work.
--
--   make run APP=examples/gallery.lua
local ft = require "flet"
local schema = require "flet.schema"

-- This script's folder, wherever the host was started from.
local here = debug.getinfo(1, "S").source:match("^@(.*)[/\\]") or "."

-- Each family: its name in the schema, its title, its controls' names and the main function
-- of its example.
local families, by_name = {}, {}
for _, name in ipairs(schema.families) do
  local family = require("flet.catalog." .. name)
  local names = {}
  for _, c in ipairs(family.controls) do names[#names + 1] = c.name end
  local captured
  local app = ft.app
  ft.app = function(target)
    captured = type(target) == "table" and target.target or target
  end
  local ok, err = pcall(dofile, ("%s/controls/%s.lua"):format(here, name))
  ft.app = app
  if not ok then error(err, 0) end
  local f = {name = name, title = family.family, controls = names, main = captured}
  families[#families + 1] = f
  by_name[name] = f
end

-- What a family's example may change on the page and the gallery puts back: every prop of a
-- Page but its lists and route, and every handler the page calls.
local page_entry = schema.by_name.Page
local resettable = {}
for k in pairs(page_entry.props) do
  if k ~= "controls" and k ~= "overlay" and k ~= "views" and k ~= "route" then
    resettable[#resettable + 1] = k
  end
end
for _, ev in ipairs(page_entry.events) do resettable[#resettable + 1] = "on_" .. ev end
for k, kind in pairs(page_entry.server) do
  if kind == "handler" then resettable[#resettable + 1] = k end
end
table.sort(resettable)

local function main(page)
  local saved = {}
  for _, k in ipairs(resettable) do saved[k] = page[k] end

  local route_change
  -- The route handler of the family shown, when its example set one: it is given the routes
  -- under its own (/FAMILY/...).
  local family_routes, shown

  local function reset()
    for _, k in ipairs(resettable) do
      if page[k] ~= saved[k] then page[k] = saved[k] end
    end
    page.controls = {}
    page.overlay = {}
    page.views = {}
    family_routes, shown = nil, nil
    page.on_route_change = route_change
  end

  local function show_list()
    reset()
    page.title = "Luaflet controls gallery"
    page.scroll = "auto"
    page:add(ft.Text{"Controls gallery", theme_style = "headlineMedium"},
             ft.Text "Every control of the catalog, family by family. Pick one.")
    local cards = ft.Row{wrap = true, spacing = 12, run_spacing = 12}
    for _, f in ipairs(families) do
      cards.controls[#cards.controls + 1] = ft.Card{width = 300, key = f.name, content = ft.ListTile{
        leading = ft.Icon(ft.Icons.WIDGETS_OUTLINED),
        title = ft.Text(f.title),
        subtitle = ft.Text(table.concat(f.controls, ", ")),
        on_click = function() page:go("/" .. f.name) end,
      }}
    end
    page:add(cards)
  end

  local function show_family(f)
    reset()
    shown = f
    -- The way back: a small button over the page, in its bottom left corner, above whatever
    -- the family shows (its own app bar, navigation bar or views).
    page.overlay:append(ft.Container{left = 8, bottom = 8, content = ft.FilledTonalButton{
      "Gallery", icon = ft.Icons.ARROW_BACK, tooltip = "Back to the list of families",
      on_click = function() page:go("/") end}})
    f.main(page)
    if page.on_route_change ~= route_change then
      family_routes = page.on_route_change
      page.on_route_change = route_change
    end
  end

  route_change = function(e)
    local route = (e.route or page.route):match("^[^?#]*")
    local name = route:match("^/([^/]+)")
    local f = name and by_name[name]
    if f and shown == f and family_routes then
      family_routes(e)
    elseif f then
      show_family(f)
    else
      show_list()
    end
    page:update()
  end

  page.on_route_change = route_change
  page:go(page.route)
end

ft.app(main)
