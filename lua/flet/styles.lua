-- Flet's value helpers: ft.padding, ft.margin, ft.border, ft.border_radius, ft.alignment (and
-- their Flet 1.0 spellings ft.Padding, ft.Margin, ft.Border, ft.BorderRadius, ft.Alignment),
-- and the style objects ft.BorderSide, ft.TextStyle, ft.ButtonStyle, ft.BoxShadow,
-- ft.LinearGradient, ft.RadialGradient, ft.Theme, ft.ColorScheme. Each makes a plain table
-- that a prop sends as JSON, in the shape the client reads (client/src/values.js): sides as
-- left/top/right/bottom, corners as top_left/..., alignments as {x, y} from -1 to 1.
-- Python's keyword arguments are a table here: ft.padding.only{left = 10}.
local kinds = require "flet.kinds"

local M = {}

local function number(v, what)
  if type(v) ~= "number" then kinds.app_error(what .. ": expected a number") end
  return v
end

local function named(t, what)
  if type(t) ~= "table" then kinds.app_error(what .. ": expected a table of named values") end
  return t
end

-- Copies the table of named values t into a new one, checking the names against `allowed`
-- (an array) and turning a trailing underscore (end_, for Lua's keyword) into the name.
local function fields_of(t, allowed, what)
  named(t, what)
  local set = {}
  for _, a in ipairs(allowed) do set[a] = true end
  local out = {}
  for k, v in pairs(t) do
    local name = type(k) == "string" and k:gsub("_$", "") or k
    if not set[name] then
      local near = kinds.nearest(name, allowed)
      kinds.app_error(("%s: no field '%s'%s"):format(what, tostring(k),
        near and (" (did you mean '%s'?)"):format(near) or ""))
    end
    out[name] = v
  end
  return out
end

-- Edges: padding and margin.
local function edges(kind)
  local E = {}
  function E.all(v)
    number(v, kind .. ".all")
    return {left = v, top = v, right = v, bottom = v}
  end
  function E.symmetric(t)
    t = fields_of(t or {}, {"vertical", "horizontal"}, kind .. ".symmetric")
    local h, v = t.horizontal or 0, t.vertical or 0
    return {left = h, top = v, right = h, bottom = v}
  end
  function E.only(t)
    t = fields_of(t or {}, {"left", "top", "right", "bottom"}, kind .. ".only")
    return {left = t.left or 0, top = t.top or 0, right = t.right or 0, bottom = t.bottom or 0}
  end
  -- ft.Padding{left = 1, ...} and ft.Padding(1, 2, 3, 4), as Flet 1.0 makes one.
  return setmetatable(E, {__call = function(_, a, b, c, d)
    if type(a) == "table" then return E.only(a) end
    return {left = a or 0, top = b or 0, right = c or 0, bottom = d or 0}
  end})
end
M.padding = edges("padding")
M.margin = edges("margin")

--- ft.BorderSide(width, color) or ft.BorderSide{width = , color = }.
function M.BorderSide(width, color)
  if type(width) == "table" then
    local t = fields_of(width, {"width", "color", "stroke_align"}, "BorderSide")
    return t
  end
  return {width = width or 1, color = color}
end

M.border = {}
function M.border.all(width, color)
  local s = M.BorderSide(width, color)
  return {left = s, top = s, right = s, bottom = s}
end
function M.border.symmetric(t)
  t = fields_of(t or {}, {"vertical", "horizontal"}, "border.symmetric")
  return {left = t.horizontal, right = t.horizontal, top = t.vertical, bottom = t.vertical}
end
function M.border.only(t)
  return fields_of(t or {}, {"left", "top", "right", "bottom"}, "border.only")
end
setmetatable(M.border, {__call = function(_, t) return M.border.only(t) end})

M.border_radius = {}
function M.border_radius.all(r)
  number(r, "border_radius.all")
  return {top_left = r, top_right = r, bottom_left = r, bottom_right = r}
end
function M.border_radius.only(t)
  t = fields_of(t or {}, {"top_left", "top_right", "bottom_left", "bottom_right"},
    "border_radius.only")
  return {top_left = t.top_left or 0, top_right = t.top_right or 0,
          bottom_left = t.bottom_left or 0, bottom_right = t.bottom_right or 0}
end
function M.border_radius.horizontal(t)
  t = fields_of(t or {}, {"left", "right"}, "border_radius.horizontal")
  local l, r = t.left or 0, t.right or 0
  return {top_left = l, bottom_left = l, top_right = r, bottom_right = r}
end
function M.border_radius.vertical(t)
  t = fields_of(t or {}, {"top", "bottom"}, "border_radius.vertical")
  local tp, b = t.top or 0, t.bottom or 0
  return {top_left = tp, top_right = tp, bottom_left = b, bottom_right = b}
end
setmetatable(M.border_radius, {__call = function(_, t) return M.border_radius.only(t) end})

-- Alignments: ft.alignment.center (Flet 0.2x), ft.Alignment.CENTER (1.0), ft.Alignment(x, y).
local PLACES = {
  top_left = {-1, -1}, top_center = {0, -1}, top_right = {1, -1},
  center_left = {-1, 0}, center = {0, 0}, center_right = {1, 0},
  bottom_left = {-1, 1}, bottom_center = {0, 1}, bottom_right = {1, 1},
}
M.alignment, M.Alignment = {}, {}
for name, xy in pairs(PLACES) do
  M.alignment[name] = {x = xy[1], y = xy[2]}
  M.Alignment[name:upper()] = {x = xy[1], y = xy[2]}
end
local place_names = {}
for name in pairs(PLACES) do place_names[#place_names + 1] = name end
setmetatable(M.alignment, {
  __call = function(_, x, y) return {x = number(x, "Alignment"), y = number(y, "Alignment")} end,
  __index = function(_, k)
    local near = kinds.nearest(k, place_names)
    kinds.app_error(("ft.alignment has no '%s'%s"):format(tostring(k),
      near and (" (did you mean ft.alignment.%s?)"):format(near) or ""))
  end,
})
setmetatable(M.Alignment, {
  __call = function(_, x, y) return {x = number(x, "Alignment"), y = number(y, "Alignment")} end,
  __index = function(_, k)
    local near = type(k) == "string" and kinds.nearest(k:lower(), place_names)
    kinds.app_error(("ft.Alignment has no '%s'%s"):format(tostring(k),
      near and (" (did you mean ft.Alignment.%s?)"):format(near:upper()) or ""))
  end,
})

-- Style objects: a table of named fields, checked against Flet's names.
local function style(name, allowed)
  M[name] = function(t) return fields_of(t or {}, allowed, "ft." .. name) end
end
style("TextStyle", {"size", "height", "weight", "italic", "decoration", "decoration_color",
  "decoration_thickness", "decoration_style", "font_family", "color", "bgcolor", "shadow",
  "foreground", "letter_spacing", "word_spacing", "overflow", "baseline"})
style("ButtonStyle", {"color", "bgcolor", "overlay_color", "shadow_color", "surface_tint_color",
  "elevation", "animation_duration", "padding", "side", "shape", "alignment",
  "enable_feedback", "text_style", "icon_size", "icon_color", "visual_density",
  "mouse_cursor"})
style("BoxShadow", {"spread_radius", "blur_radius", "color", "offset", "blur_style"})
style("LinearGradient", {"colors", "begin", "end", "stops", "tile_mode", "rotation"})
style("RadialGradient", {"colors", "center", "radius", "stops", "tile_mode", "focal",
  "focal_radius", "rotation"})
style("SweepGradient", {"colors", "center", "start_angle", "end_angle", "stops", "tile_mode",
  "rotation"})
style("Theme", {"color_scheme_seed", "color_scheme", "text_theme", "primary_text_theme",
  "font_family", "use_material3", "visual_density", "page_transitions", "scrollbar_theme",
  "tabs_theme", "divider_color", "primary_color", "primary_swatch"})
style("ColorScheme", {"primary", "on_primary", "primary_container", "on_primary_container",
  "secondary", "on_secondary", "secondary_container", "on_secondary_container", "tertiary",
  "on_tertiary", "tertiary_container", "on_tertiary_container", "error", "on_error",
  "error_container", "on_error_container", "background", "on_background", "surface",
  "on_surface", "surface_variant", "on_surface_variant", "outline", "outline_variant",
  "shadow", "scrim", "inverse_surface", "on_inverse_surface", "inverse_primary",
  "surface_tint"})
style("RoundedRectangleBorder", {"radius"})
style("StadiumBorder", {})
style("CircleBorder", {})
style("Offset", {"x", "y"})
style("Scale", {"scale", "scale_x", "scale_y", "alignment"})
style("Rotate", {"angle", "alignment"})
style("Animation", {"duration", "curve"})

M.Padding, M.Margin = M.padding, M.margin
M.Border, M.BorderRadius = M.border, M.border_radius

return M
