-- A page that shows the URL page:get_upload_url makes for note.txt: the tests of hosts behind
-- a proxy PUT a file to it there.
local ft = require "flet"

ft.app(function(page)
  page:add(ft.Text(page:get_upload_url("note.txt", 60)))
end)
