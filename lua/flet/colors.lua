-- ft.Colors (and ft.colors, its older spelling): Flet's color names, as the client knows them
-- (client/src/colors.js): the theme's roles, the Material palette's hues with their shades
-- and accents, and see-through black and white. Each is the name in lower case without
-- underscores (ft.Colors.BLUE_GREY_100 is "bluegrey100"); a name it does not have is an error
-- that names the nearest one.
local kinds = require "flet.kinds"

local M = {}

local ROLES = {"PRIMARY", "ON_PRIMARY", "PRIMARY_CONTAINER", "ON_PRIMARY_CONTAINER",
  "SECONDARY", "ON_SECONDARY", "SECONDARY_CONTAINER", "ON_SECONDARY_CONTAINER", "TERTIARY",
  "ON_TERTIARY", "TERTIARY_CONTAINER", "ON_TERTIARY_CONTAINER", "ERROR", "ON_ERROR",
  "ERROR_CONTAINER", "ON_ERROR_CONTAINER", "OUTLINE", "OUTLINE_VARIANT", "BACKGROUND",
  "ON_BACKGROUND", "SURFACE", "ON_SURFACE", "SURFACE_TINT", "SURFACE_VARIANT",
  "ON_SURFACE_VARIANT", "SURFACE_DIM", "SURFACE_BRIGHT", "SURFACE_CONTAINER_LOWEST",
  "SURFACE_CONTAINER_LOW", "SURFACE_CONTAINER", "SURFACE_CONTAINER_HIGH",
  "SURFACE_CONTAINER_HIGHEST", "INVERSE_SURFACE", "ON_INVERSE_SURFACE", "INVERSE_PRIMARY",
  "SHADOW", "SCRIM", "TRANSPARENT", "BLACK", "WHITE"}
local SEE_THROUGH = {BLACK = {12, 26, 38, 45, 54, 87}, WHITE = {10, 12, 24, 30, 38, 54, 60, 70}}
local HUES = {"RED", "PINK", "PURPLE", "DEEP_PURPLE", "INDIGO", "BLUE", "LIGHT_BLUE", "CYAN",
  "TEAL", "GREEN", "LIGHT_GREEN", "LIME", "YELLOW", "AMBER", "ORANGE", "DEEP_ORANGE", "BROWN",
  "GREY", "BLUE_GREY"}
local NO_ACCENTS = {BROWN = true, GREY = true, BLUE_GREY = true}

local names = {}
local function add(name) names[name] = name:lower():gsub("_", "") end
for _, r in ipairs(ROLES) do add(r) end
for base, steps in pairs(SEE_THROUGH) do
  for _, n in ipairs(steps) do add(base .. n) end
end
for _, hue in ipairs(HUES) do
  add(hue)
  for _, shade in ipairs({50, 100, 200, 300, 400, 500, 600, 700, 800, 900}) do
    add(hue .. "_" .. shade)
  end
  if not NO_ACCENTS[hue] then
    add(hue .. "_ACCENT")
    for _, shade in ipairs({100, 200, 400, 700}) do add(hue .. "_ACCENT_" .. shade) end
  end
end

--- The color c made `opacity` (0 to 1) opaque: "blue,0.5", as Flet writes it.
function M.with_opacity(opacity, c)
  if type(opacity) ~= "number" or opacity < 0 or opacity > 1 then
    kinds.app_error("with_opacity: the opacity must be a number from 0 to 1")
  end
  if type(c) ~= "string" then kinds.app_error("with_opacity: expected a color") end
  return ("%s,%s"):format(c, opacity)
end

--- A random color of the palette, as Flet's Colors.random().
function M.random()
  local list = {}
  for _, v in pairs(names) do list[#list + 1] = v end
  table.sort(list)
  return list[math.random(#list)]
end

for k, v in pairs(names) do M[k] = v end

-- Any other name is an error naming the nearest one.
return setmetatable(M, {__index = function(_, k)
  local near = kinds.nearest(k, names, true)
  kinds.app_error(("ft.Colors has no '%s'%s"):format(tostring(k),
    near and (" (did you mean ft.Colors.%s?)"):format(near) or ""))
end})
