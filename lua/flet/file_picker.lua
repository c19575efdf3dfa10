-- file_picker: FilePicker's methods, as Flet's: pick_files opens the browser's file dialog,
-- upload sends picked files to the app's upload folder through URLs the app signs
-- (page:get_upload_url), save_file downloads bytes as a file. The browser keeps the files it
-- picked (the server never sees them until they are uploaded), by picker and name.
local core = require "luaflet.core"
local client_calls = require "flet.client_calls"
local control = require "flet.control"
local kinds = require "flet.kinds"
local schema = require "flet.schema"

local is_control = control.is_control
local M = {}

-- What the browser's dialog offers for each of ft.FilePickerFileType's values.
local ACCEPT = {any = "", media = "image/*,video/*", image = "image/*", video = "video/*",
                audio = "audio/*", custom = ""}

-- The page the picker is on, and its id there, or an error that says what to do.
local function placed(self, what)
  if not is_control(self) then
    kinds.app_error(("%s: call it with a colon, file_picker:%s(...)"):format(what, what))
  end
  local page, id = self.page, rawget(self, schema.fields.id)
  if not (page and id) then
    kinds.app_error(("%s: add the FilePicker to page.overlay and update the page first")
      :format(what))
  end
  return page, id
end

-- A method's arguments: Flet's keywords as a table, or positionally in Flet's order.
local function options(names, ...)
  local first = ...
  if type(first) == "table" and select("#", ...) == 1 then return first end
  local o = {}
  for i, name in ipairs(names) do o[name] = select(i, ...) end
  return o
end

--- Opens the browser's file dialog, as Flet's pick_files (dialog_title, initial_directory,
-- file_type, allowed_extensions, allow_multiple). Waits for the choice (from a task): sets
-- `result` and runs on_result with e.files (each {name =, size =, path = nil}; nil when the
-- dialog was cancelled), and returns those files too, as Flet 1.0's does.
function M.pick_files(self, ...)
  local o = options({"dialog_title", "initial_directory", "file_type", "allowed_extensions",
                     "allow_multiple"}, ...)
  local page, id = placed(self, "pick_files")
  local accept
  if o.allowed_extensions ~= nil then
    if type(o.allowed_extensions) ~= "table" then
      kinds.app_error("pick_files: allowed_extensions must be a list, such as {\"png\", \"jpg\"}")
    end
    local parts = {}
    for i, ext in ipairs(o.allowed_extensions) do
      if type(ext) ~= "string" or ext == "" then
        kinds.app_error("pick_files: allowed_extensions must be a list of strings")
      end
      parts[i] = "." .. ext:gsub("^%.", "")
    end
    accept = table.concat(parts, ",")
  else
    accept = ACCEPT[type(o.file_type) == "string" and o.file_type:lower() or "any"]
    if o.file_type ~= nil and (type(o.file_type) ~= "string" or accept == nil) then
      kinds.app_error("pick_files: file_type must be one of ft.FilePickerFileType")
    end
  end
  local picked = client_calls.call(page, "pick_files",
    {id = id, accept = accept, multiple = o.allow_multiple == true}, true, "no limit")
  local files
  if type(picked) == "table" then
    files = {}
    for _, f in ipairs(picked) do
      if type(f) == "table" and type(f.name) == "string" and math.type(f.size) == "integer" then
        files[#files + 1] = {name = f.name, size = f.size, id = #files}
      end
    end
  end
  local e = {control = self, page = page, name = "result", files = files, path = nil,
             data = files and core.json_encode({files = files}) or "{}"}
  self.result = e
  local on_result = self.on_result
  if type(on_result) == "function" then
    core.label("on_result", self)
    on_result(e)
  end
  return files
end

--- Sends picked files to where each says, as Flet's upload: a list of
-- ft.FilePickerUploadFile{name =, upload_url =, method = "PUT"}. The browser sends them one
-- after the other; on_upload hears each one's progress (e.progress from 0 to 1) and its end
-- (e.progress 1, or e.error saying why it failed). Returns at once.
function M.upload(self, files)
  local page, id = placed(self, "upload")
  if type(files) ~= "table" then
    kinds.app_error("upload: expected a list of ft.FilePickerUploadFile")
  end
  local list = {}
  for i, f in ipairs(files) do
    if type(f) ~= "table" or type(f.name) ~= "string" or type(f.upload_url) ~= "string" then
      kinds.app_error(("upload: file %d must be ft.FilePickerUploadFile{name =, upload_url =}")
        :format(i))
    end
    local method = f.method or "PUT"
    if method ~= "PUT" and method ~= "POST" then
      kinds.app_error(("upload: file %d's method must be PUT or POST"):format(i))
    end
    list[i] = {name = f.name, upload_url = f.upload_url, method = method}
  end
  client_calls.call(page, "upload", {id = id, files = list}, false)
end

--- Downloads bytes as a file named file_name, as Flet's save_file does in a browser (which
-- has no dialog that gives the app a path): {file_name =, src_bytes =}. Returns nil, the
-- path a browser never tells.
function M.save_file(self, ...)
  local o = options({"dialog_title", "file_name", "initial_directory", "file_type",
                     "allowed_extensions", "src_bytes"}, ...)
  local page = placed(self, "save_file")
  if type(o.src_bytes) ~= "string" then
    kinds.app_error("save_file: in a browser the file is downloaded: give its bytes as "
      .. "src_bytes (a string)")
  end
  local name = o.file_name
  if name ~= nil and type(name) ~= "string" then kinds.app_error("save_file: file_name must be a string") end
  client_calls.call(page, "save_file", {file_name = name or "file", data = core.base64(o.src_bytes)},
                    false)
end

--- Flet's get_directory_path: a browser gives no paths.
function M.get_directory_path(self)
  placed(self, "get_directory_path")
  kinds.app_error("get_directory_path: a browser gives the app no paths; use pick_files and upload")
end

--- ft.FilePickerUploadFile(name, upload_url, method) or {name =, upload_url =, method =}.
function M.upload_file(name, upload_url, method)
  if type(name) == "table" then name, upload_url, method = name.name, name.upload_url, name.method end
  if type(name) ~= "string" or type(upload_url) ~= "string" then
    kinds.app_error("FilePickerUploadFile: expected a name and an upload_url")
  end
  return {name = name, upload_url = upload_url, method = method or "PUT"}
end

return M
