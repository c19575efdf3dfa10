-- An app with mistakes in each place an app's code runs, and no on_error of its own: the
-- page must say so. /main-error fails in main itself, once the page shows "ready".
local ft = require "flet"
local asyncio = require "asyncio"

ft.app(function(page)
  page:add(ft.Text "ready", ft.ElevatedButton{"Break", on_click = function()
    error("the button broke")
  end}, ft.ElevatedButton{"Break in a task", on_click = function()
    asyncio.create_task(function()
      asyncio.sleep(0)
      error("the task broke")
    end)
  end})
  if page.route == "/main-error" then error("main broke") end
end)
