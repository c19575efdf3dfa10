-- Bursts of updates, most small enough to be written to the socket at once (ws.c's
-- write_now) and every seventh too large for that, so that it goes through the queue and
-- the small ones after it must wait their turn; for a client that reads them all and for
-- one that stops reading.
local ft = require "flet"
local asyncio = require "asyncio"

ft.app(function(page)
  local shown = ft.Text ""
  page:add(shown, ft.ElevatedButton{"burst", on_click = function(e)
    local n = tonumber(e.data) or 1000
    for i = 1, n do
      shown.value = string.rep("y", i % 7 == 0 and 6000 or 1000) .. " " .. i
      page:update()
      if i % 100 == 0 then asyncio.sleep(0) end
    end
  end})
end)
