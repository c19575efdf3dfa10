-- ft.Icons (and ft.icons, its older spelling): Flet's Material icon names. Each is the name in
-- lower case (ft.Icons.ADD_OUTLINED is "add_outlined"), which the client draws in the style
-- its suffix names (_OUTLINED, _ROUNDED, _SHARP; filled without one). A name that cannot be
-- an icon's is an error.
local kinds = require "flet.kinds"

local M = {}

--- An icon's name for Flet's Icons.random(): one of a few common ones.
function M.random()
  local some = {"favorite", "star", "home", "settings", "search", "face", "bolt", "eco"}
  return some[math.random(#some)]
end

return setmetatable(M, {__index = function(t, k)
  if type(k) ~= "string" or not k:match("^[A-Z0-9][A-Z0-9_]*$") then
    kinds.app_error(("ft.Icons has no '%s' (icon names are in capitals: ft.Icons.ADD)")
      :format(tostring(k)))
  end
  local v = k:lower()
  rawset(t, k, v)
  return v
end})
