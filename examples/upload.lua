-- Flet's upload example, ported: pick files in the browser's dialog, upload them into the
-- app's upload folder with a progress ring each, and download a list of what came as a file.
--   luaflet examples/upload.lua            (files land in ./uploads)
--   luaflet examples/upload.lua --upload-dir /tmp/in --max-upload 10000000
local ft = require "flet"

local function main(page)
  page.title = "Upload files"
  local prog_bars = {}
  local files = ft.Column{}
  local status = ft.Text{""}
  local uploaded = {}
  local upload_button

  local function file_picker_result(e)
    upload_button.disabled = e.files == nil
    for name in pairs(prog_bars) do prog_bars[name] = nil end
    files.controls:clear()
    status.value = ""
    for _, f in ipairs(e.files or {}) do
      local prog = ft.ProgressRing{value = 0, bgcolor = "#eeeeee", width = 20, height = 20}
      prog_bars[f.name] = prog
      files.controls:append(ft.Row{prog, ft.Text(("%s (%d bytes)"):format(f.name, f.size))})
    end
    page:update()
  end

  local function on_upload_progress(e)
    if e.error then
      status.value = ("%s: %s"):format(e.file_name, e.error)
      status.color = ft.Colors.ERROR
    else
      prog_bars[e.file_name].value = e.progress
      if e.progress == 1 then
        uploaded[#uploaded + 1] = e.file_name
        status.value = ("%s uploaded"):format(e.file_name)
        status.color = nil
      end
    end
    page:update()
  end

  local file_picker = ft.FilePicker{on_result = file_picker_result, on_upload = on_upload_progress}

  local function upload_files()
    local uf = {}
    if file_picker.result and file_picker.result.files then
      for _, f in ipairs(file_picker.result.files) do
        uf[#uf + 1] = ft.FilePickerUploadFile(f.name, page:get_upload_url(f.name, 600))
      end
      file_picker:upload(uf)
    end
  end

  local function save_list()
    file_picker:save_file{file_name = "uploaded.txt",
                          src_bytes = table.concat(uploaded, "\n") .. "\n"}
  end

  -- The picker has nothing to show: it goes in the page's overlay.
  page.overlay:append(file_picker)

  upload_button = ft.ElevatedButton{"Upload", icon = ft.Icons.UPLOAD, disabled = true,
                                    on_click = upload_files}
  page:add(
    ft.ElevatedButton{"Select files...", icon = ft.Icons.FOLDER_OPEN,
                      on_click = function() file_picker:pick_files{allow_multiple = true} end},
    files,
    upload_button,
    status,
    ft.OutlinedButton{"Download the list of uploads", icon = ft.Icons.DOWNLOAD,
                      on_click = save_list}
  )
end

ft.app{target = main, upload_dir = "uploads"}
