-- What the page knows of its browser: its user agent and the platform it names, and its
-- preferred color scheme as it changes.
local ft = require "flet"

ft.app(function(page)
  local brightness = ft.Text("brightness: " .. page.platform_brightness)
  local changes = 0
  page.on_platform_brightness_change = function(e)
    changes = changes + 1
    brightness.value = ("brightness: %s (change %d: %s)"):format(page.platform_brightness, changes,
                                                                 e.brightness)
    page:update()
  end
  page:add(ft.Text(("platform: %s"):format(tostring(page.platform))),
           ft.Text(("user agent: %s"):format(tostring(page.client_user_agent))),
           brightness)
end)
