-- For the browser tests: keyed rows with text fields; Enter in any field reverses the rows.
local ft = require "flet"

local function main(page)
  local rows = ft.Column{}
  local function reverse(e)
    local l, n = rows.controls, #rows.controls
    for i = 1, n // 2 do l[i], l[n - i + 1] = l[n - i + 1], l[i] end
    rows:update_async()
  end
  for i = 1, 3 do
    rows.controls[i] = ft.Row{key = i, ft.Text("row " .. i),
      ft.TextField{label = "field " .. i, on_submit = reverse, on_change = function() end}}
  end
  page:add_async(rows)
end

ft.app(main)
