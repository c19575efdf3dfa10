-- Bursts of updates, most small enough to be written to the socket at once (ws.c's
-- write_now) and every seventh (unless asked for small ones only) too large for that, so
-- that it goes through the queue and the small ones after it must wait their turn; for a
-- client that reads them all and for one that stops reading.
local ft = require "flet"
local asyncio = require "asyncio"

ft.app(function(page)
  local shown = ft.Text ""
  page:add(shown, ft.ElevatedButton{"burst", on_click = function(e)
    -- data: "N", or "N small" for small updates only.
    local count, small = tostring(e.data):match("^(%d+)%s*(%a*)$")
    local n = tonumber(count) or 1000
    for i = 1, n do
      local large = small ~= "small" and i % 7 == 0
      shown.value = string.rep("y", large and 6000 or 1000) .. " " .. i
      page:update()
      if i % 100 == 0 then asyncio.sleep(0) end
    end
  end})
end)
