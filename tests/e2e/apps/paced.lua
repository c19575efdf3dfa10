-- An app that paces its updates with update_async and no other await, as the README
-- allows: a session whose window is 1 pixel wide runs such a loop forever; any other gets a
-- button that counts its clicks. Used to prove that no client can make such a loop hold up
-- the host.
local ft = require "flet"

ft.app(function(page)
  if page.width == 1 then
    local t = ft.Text "0"
    page:add_async(t)
    local n = 0
    while true do
      n = n + 1
      t.value = tostring(n)
      page:update_async()
    end
  end
  local clicks = 0
  local shown = ft.Text "clicks 0"
  page:add(shown, ft.ElevatedButton{"+", on_click = function()
    clicks = clicks + 1
    shown.value = "clicks " .. clicks
    page:update()
  end})
end)
