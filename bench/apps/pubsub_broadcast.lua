-- The load benchmark's broadcast through page.pubsub, as Flet apps broadcast: "+" (the last
-- control, so control 1) in any session sends the new value to every session's subscriber,
-- which shows it.
local ft = require "flet"

local value = 0

ft.app(function(page)
  local t = ft.Text "0"
  page.pubsub:subscribe(function(v)
    t.value = tostring(v)
    page:update()
  end)
  page:add(t, ft.ElevatedButton{"+", on_click = function()
    value = value + 1
    page.pubsub:send_all(value)
  end})
end)
