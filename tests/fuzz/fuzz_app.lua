-- The app both fuzz targets serve: a control of each kind, with handlers that change the page,
-- so that what the fuzzer sends reaches real handlers and real diffs. `errors` counts the
-- errors the app's own code raised, which the host reported to page.on_error as it must:
-- those are not findings.
local ft = require "flet"

local M = {errors = 0}

function M.main(page)
  page.on_error = function() M.errors = M.errors + 1 end
  local count = ft.Text "0"
  page:add(count, ft.ElevatedButton{"+", on_click = function()
    count.value = tostring(tonumber(count.value) + 1)
    page:update()
  end}, ft.TextField{on_change = function(e) count.value = e.data; page:update() end,
                     on_submit = function() page:add(ft.Text "submitted") end},
    ft.Container{content = ft.Column{ft.Text "inside"}, on_click = function() end})
  page.on_resize = function() page.title = ("%gx%g"):format(page.width, page.height) end
end

return M
