-- The utilities of the catalog: controls with nothing to show, which give the app a service
-- of the browser's. Each goes in page.overlay.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Utilities",
  controls = {
    -- Its methods are in flet.methods: pick_files, upload, save_file.
    {name = "FilePicker", type = "filepicker", events = {"upload"},
     doc = "Opens the browser's file dialog (`pick_files`; the choice comes to `on_result` "
       .. "and `result`), sends the picked files to the app's upload folder (`upload`, with "
       .. "`page:get_upload_url`; each file's progress comes to `on_upload`) and downloads "
       .. "bytes as a file (`save_file`).",
     server = {on_result = "handler", result = "any"},
     props = {}},
  },
}
