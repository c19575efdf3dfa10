-- The utilities family, as a Flet user writes it: a FilePicker in the page's overlay that
-- opens the browser's file dialog and lists what was picked, and downloads a text file.
-- Uploading the picked files is in examples/upload.lua (it needs an upload folder).
-- Run: build/luaflet examples/controls/utilities.lua
local ft = require "flet"

local function main(page)
  page.title = "Utilities"
  local picked = ft.Column{ft.Text "Nothing picked yet."}

  local function on_result(e)
    picked.controls:clear()
    if not e.files then
      picked.controls:append(ft.Text "The dialog was cancelled.")
    end
    for _, f in ipairs(e.files or {}) do
      picked.controls:append(ft.ListTile{leading = ft.Icon(ft.Icons.DESCRIPTION),
                                         title = ft.Text(f.name),
                                         subtitle = ft.Text(("%d bytes"):format(f.size))})
    end
    page:update()
  end

  local picker = ft.FilePicker{on_result = on_result}
  page.overlay:append(picker)

  page:add(
    ft.Text{"FilePicker", theme_style = ft.TextThemeStyle.TITLE_MEDIUM},
    ft.Row{
      ft.ElevatedButton{"Pick files", icon = ft.Icons.FOLDER_OPEN,
                        on_click = function() picker:pick_files{allow_multiple = true} end},
      ft.ElevatedButton{"Pick an image", icon = ft.Icons.IMAGE,
                        on_click = function()
                          picker:pick_files{file_type = ft.FilePickerFileType.IMAGE}
                        end},
      ft.OutlinedButton{"Save a text file", icon = ft.Icons.DOWNLOAD,
                        on_click = function()
                          picker:save_file{file_name = "hello.txt", src_bytes = "Hello from Luaflet\n"}
                        end},
    },
    picked
  )
end

ft.app(main)
