-- Makes garbage as fast as a busy app does, in a task that awaits each millisecond: the
-- host's collector has to keep up from the loop's turns (host/gcpace.c).
local ft = require "flet"
local asyncio = require "asyncio"

ft.app(function(page)
  local made = ft.Text("0")
  page:add(made)
  asyncio.create_task(function()
    local n, last = 0, nil
    while true do
      for i = 1, 2000 do
        local t = {i, {}, "garbage " .. i, last}
        last = i % 100 == 0 and {} or t -- short chains: each batch is garbage by the next
      end
      n = n + 2000
      if n % 200000 == 0 then
        made.value = tostring(n)
        made:update()
      end
      asyncio.sleep(0.001)
    end
  end)
end)
