-- Garbage for the host's collector (host/gcpace.c): "churn" makes it as fast as a busy app
-- does, in a task that awaits each millisecond, so the collector has to keep up from the
-- loop's turns; "once" makes a little (about a third of what the heap holds) in one go and
-- then nothing, so only a cycle started in quiet time collects it; "hog" makes it for a
-- second without awaiting, when only Lua's own pacing can collect, and shows the heap after;
-- "keep" keeps 48 MB alive, as many sessions' pages would; "spin" leaves the loop quiet for
-- 40 ms, then keeps it busy without allocating (a task that yields at once, over and over)
-- until "stop"; "freeze" stops the collector, as an app may, and makes the garbage of "once".
local ft = require "flet"
local asyncio = require "asyncio"

-- A list of n small tables, about 64 bytes each.
local function tables(n)
  local t = {}
  for i = 1, n do t[i] = {i} end
  return t
end

-- Makes garbage of about a third of what the heap holds; returns how many tables.
local function burst()
  return #tables(math.floor(collectgarbage("count") * 1024 / 3 / 64))
end

ft.app(function(page)
  local made = ft.Text("0")
  local spinning = false
  page:add(made, ft.ElevatedButton{"churn", on_click = function()
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
  end}, ft.ElevatedButton{"once", on_click = function()
    made.value = "made " .. burst()
    made:update()
  end}, ft.ElevatedButton{"keep", on_click = function()
    local live = tables(48 * 1024 * 1024 // 64)
    page.data = live
    made.value = "kept " .. #live
    made:update()
  end}, ft.ElevatedButton{"spin", on_click = function()
    spinning = true
    asyncio.create_task(function()
      asyncio.sleep(0.04)
      made.value = "spinning"
      made:update()
      while spinning do asyncio.sleep(0) end
      made.value = "stopped"
      made:update()
    end)
  end}, ft.ElevatedButton{"stop", on_click = function()
    spinning = false
  end}, ft.ElevatedButton{"freeze", on_click = function()
    collectgarbage("stop")
    made.value = "frozen " .. burst()
    made:update()
  end}, ft.ElevatedButton{"hog", on_click = function()
    -- 16 MB that stay alive, as many sessions' pages would, then garbage for a second.
    local live = tables(16 * 1024 * 1024 // 64)
    page.data = live
    local t0, last = os.clock(), nil
    while os.clock() - t0 < 1 do
      for i = 1, 1000 do last = {i, {}, last and i % 100 ~= 0 and last or nil} end
    end
    made.value = ("heap %d KB, live %d"):format(math.floor(collectgarbage("count")), #live)
    made:update()
  end})
end)
