-- Serves the folder given as the script's first argument as the app's assets.
local ft = require "flet"

ft.app{assets_dir = arg[1], target = function(page)
  page:add(ft.Text "assets")
end}
