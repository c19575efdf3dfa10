-- For the browser tests: keyed rows with text fields; Enter in a field moves its row to the
-- end, so the diff moves that row itself (the others keep their places); a button reverses
-- the rows, which moves rows before others.
local ft = require "flet"

local function main(page)
  local rows = ft.Column{}
  local function to_end(e)
    local l = rows.controls
    for i = 1, #l do
      if l[i].controls[2] == e.control then
        l[#l + 1] = table.remove(l, i)
        break
      end
    end
    rows:update_async()
  end
  for i = 1, 3 do
    rows.controls[i] = ft.Row{key = i, ft.Text("row " .. i),
      ft.TextField{label = "field " .. i, on_submit = to_end, on_change = function() end}}
  end
  page:add_async(rows, ft.ElevatedButton{"Reverse", on_click = function()
    local l, n = rows.controls, #rows.controls
    for i = 1, n // 2 do l[i], l[n - i + 1] = l[n - i + 1], l[i] end
    rows:update_async()
  end})
end

ft.app(main)
