-- What the page knows of its browser: its user agent and the platform it names.
local ft = require "flet"

ft.app(function(page)
  page:add(ft.Text(("platform: %s"):format(tostring(page.platform))),
           ft.Text(("user agent: %s"):format(tostring(page.client_user_agent))))
end)
