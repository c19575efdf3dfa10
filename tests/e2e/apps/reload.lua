-- An app for the --reload test: a text from the script, one from a module beside it, what
-- page.session holds, and a counter. The test copies both files to a folder of its own and
-- edits them while a tab shows the page.
local ft = require "flet"
local words = require "reload_words"

local function main(page)
  page.title = "Reload"
  local remembered = ft.Text("session: " .. tostring(page.session:get("name")))
  local clicks = 0
  local counter = ft.Text "clicks: 0"
  page:add(
    ft.Text "version 1",
    ft.Text(words.greeting),
    remembered,
    counter,
    ft.ElevatedButton{"Remember", on_click = function()
      page.session:set("name", "kept")
      remembered.value = "session: kept"
      page:update()
    end},
    ft.ElevatedButton{"Count", on_click = function()
      clicks = clicks + 1
      counter.value = "clicks: " .. clicks
      page:update()
    end})
end

ft.app(main)
