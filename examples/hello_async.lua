-- The smallest async app: main awaits the page change, then the text is on the page.
local ft = require "flet"

local function main(page)
  page.title = "Hello, async world"
  page:add_async(ft.Text "Hello, async world!")
end

ft.app(main)
