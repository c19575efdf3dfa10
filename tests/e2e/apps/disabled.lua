-- For the browser tests: buttons the user cannot use (one disabled itself, one inside a
-- disabled column, one inside a column a click turns off), and one that works.
local ft = require "flet"

ft.app(function(page)
  local status = ft.Text "clicks: none"
  local clicked = {}
  local function click(e)
    clicked[#clicked + 1] = e.control.text
    status.value = "clicks: " .. table.concat(clicked, ", ")
    page:update()
  end
  local switchable = ft.Column{ft.ElevatedButton{"later disabled", on_click = click}}
  page:add(status,
    ft.ElevatedButton{"disabled itself", disabled = true, on_click = click},
    ft.Column{disabled = true, ft.Row{ft.ElevatedButton{"inside disabled", on_click = click}}},
    switchable,
    ft.ElevatedButton{"enabled", on_click = click},
    ft.ElevatedButton{"disable the column", on_click = function()
      switchable.disabled = true
      page:update()
    end})
end)
