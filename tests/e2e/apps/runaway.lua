-- Handlers that never await: an endless loop, one inside pcall, one that keeps catching its own
-- error, one inside a coroutine; a counter to show the host still answers; and, for the names
-- of --debug's warnings, a slow did_mount_async, a slow on_resize and (with the script
-- argument "slow-main") a slow main.
local ft = require "flet"

io.stdout:setvbuf("line") -- the tests read these lines among the host's own

local function busy(seconds)
  local t0 = os.clock()
  while os.clock() - t0 < seconds do end
end

local function spin()
  io.write("app: spinning\n")
  while true do end
end

local Slow = ft.UserControl:extend("Slow")
function Slow.build() return ft.Text "slow" end
function Slow.did_mount_async() busy(0.15) end

ft.app(function(page)
  if arg[1] == "slow-main" then busy(0.15) end
  local n = 0
  local shown = ft.Text "clicks 0"
  page.on_error = function(e) io.write("app: on_error: ", e.data:match("^[^\n]*"), "\n") end
  page.on_resize = function() busy(0.15) end
  page:add(shown,
    ft.ElevatedButton{"+", on_click = function()
      n = n + 1
      shown.value = "clicks " .. n
      page:update()
    end},
    ft.ElevatedButton{"spin", on_click = spin},
    ft.ElevatedButton{"spin in pcall", on_click = function()
      while true do pcall(spin) end
    end},
    ft.ElevatedButton{"fail in pcall", on_click = function()
      io.write("app: spinning\n")
      while true do pcall(error, "caught") end
    end},
    ft.ElevatedButton{"spin in coroutine", on_click = function()
      coroutine.wrap(spin)()
    end},
    ft.ElevatedButton{"mount", on_click = function() page:add(Slow()) end})
end)
