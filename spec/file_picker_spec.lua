-- FilePicker and page:get_upload_url (flet.file_picker): what the browser is asked, what the
-- app's handlers get from its answers, and the mistakes an app can make with them.
local asyncio = require "asyncio"
local core = require "luaflet.core"
local ft = require "flet"
local client_calls = require "flet.client_calls"
local helper = require "spec.helper"

local run = helper.run

-- A page with a FilePicker in its overlay, sent to the (fake) browser.
local function picker_page(handlers)
  local page, conn = helper.page()
  local picker = ft.FilePicker(handlers or {})
  page.overlay:append(picker)
  page:update()
  return page, conn, picker
end

describe("FilePicker", function()
  it("asks the browser to pick files and hands the answer to on_result and the caller", function()
    run(function()
      local seen
      local page, conn, picker = picker_page{on_result = function(e) seen = e end}
      -- A person takes their time: no timeout applies, however long the answer takes.
      local saved = client_calls.TIMEOUT
      client_calls.TIMEOUT = 0.01
      local t = asyncio.create_task(function()
        return picker:pick_files{allow_multiple = true, allowed_extensions = {"png", ".jpg"}}
      end)
      asyncio.sleep(0)
      local m = conn:last()
      assert.equal("pick_files", m.method)
      assert.same({id = picker._id, accept = ".png,.jpg", multiple = true}, m.args)
      asyncio.sleep(0.05)
      client_calls.TIMEOUT = saved
      assert.is_true(page:_result(m.call, {{name = "a.png", size = 3}, {name = "b.jpg", size = 0},
                                           {name = 7}}))
      local files = t:wait()
      assert.same({{name = "a.png", size = 3, id = 0}, {name = "b.jpg", size = 0, id = 1}}, files)
      assert.same(files, seen.files)
      assert.equal(seen, picker.result)
      assert.equal(picker, seen.control)

      -- Cancelled: no files. Positional arguments in Flet's order; file types as Flet's.
      t = asyncio.create_task(function()
        return picker:pick_files(nil, nil, ft.FilePickerFileType.IMAGE, nil, false)
      end)
      asyncio.sleep(0)
      assert.same({id = picker._id, accept = "image/*", multiple = false},
                  conn:last().args)
      page:_result(conn:last().call, nil)
      assert.is_nil(t:wait())
      assert.is_nil(seen.files)
      page:_close()
    end)
  end)

  it("ends a pick with an error when the page's socket drops", function()
    run(function()
      local page, _, picker = picker_page()
      local t = asyncio.create_task(function() return picker:pick_files() end)
      asyncio.sleep(0)
      client_calls.detached(page)
      local ok, err = pcall(t.wait, t)
      assert.is_false(ok)
      assert.matches("pick_files: the page disconnected before it answered", err)
      page:_close()
    end)
  end)

  it("sends uploads and downloads, and gives on_upload Flet's fields", function()
    run(function()
      local events = {}
      local page, conn, picker = picker_page{on_upload = function(e) events[#events + 1] = e end}
      picker:upload{ft.FilePickerUploadFile("a.png", "/upload?f=a.png"),
                    ft.FilePickerUploadFile{name = "b", upload_url = "/u", method = "POST"}}
      assert.same({id = picker._id, files = {
        {name = "a.png", upload_url = "/upload?f=a.png", method = "PUT"},
        {name = "b", upload_url = "/u", method = "POST"}}}, conn:last().args)
      assert.is_true(page:_dispatch(picker._id, "upload",
                                    '{"file_name":"a.png","progress":0.5}'))
      assert.equal("a.png", events[1].file_name)
      assert.equal(0.5, events[1].progress)
      assert.is_nil(events[1].error)
      page:_dispatch(picker._id, "upload", '{"file_name":"b","error":"too big"}')
      assert.equal("too big", events[2].error)

      picker:save_file{file_name = "r.bin", src_bytes = "\0\1\255"}
      assert.same({file_name = "r.bin", data = core.base64("\0\1\255")}, conn:last().args)
      assert.equal("AAH/", core.base64("\0\1\255"))
      page:_close()
    end)
  end)

  it("says what is wrong with a picker that is not on a page or a call that is not right", function()
    run(function()
      local lone = ft.FilePicker{}
      local line = debug.getinfo(1, "l").currentline + 1
      local ok, err = pcall(function() lone:pick_files() end)
      assert.is_false(ok)
      assert.matches(":" .. line .. ": pick_files: add the FilePicker to page.overlay", err)
      ok, err = pcall(function() lone.upload({}) end)
      assert.is_false(ok)
      assert.matches("upload: call it with a colon", err)

      local page, _, picker = picker_page()
      _, err = pcall(function() picker:pick_files{file_type = "pictures"} end)
      assert.matches("file_type must be one of ft.FilePickerFileType", err)
      _, err = pcall(function() picker:upload{{name = "a"}} end)
      assert.matches("upload: file 1 must be ft.FilePickerUploadFile", err)
      _, err = pcall(function() picker:save_file{file_name = "a"} end)
      assert.matches("save_file: in a browser the file is downloaded: give its bytes as src_bytes", err)
      _, err = pcall(function() picker:get_directory_path() end)
      assert.matches("a browser gives the app no paths", err)
      page:_close()
    end)
  end)
end)

describe("page:get_upload_url", function()
  it("signs a URL for one name, good for the seconds asked", function()
    run(function()
      local page = helper.page()
      rawset(page, "_uploads", true)
      local url = page:get_upload_url("my file.png", 60)
      local name, expires, sig = url:match("^/upload%?f=([^&]+)&e=(%d+)&s=(%x+)$")
      assert.equal("my%20file.png", name)
      assert.near(os.time() + 60, tonumber(expires), 2)
      assert.equal(64, #sig)
      assert.are_not.equal(sig, page:get_upload_url("other.png", 60):match("s=(%x+)"))
      page:_close()
    end)
  end)

  it("refuses names that would leave the folder, and says when uploads are off", function()
    run(function()
      local page = helper.page()
      local ok, err = pcall(page.get_upload_url, page, "a.png", 60)
      assert.is_false(ok)
      assert.matches("uploads are off; serve the app with ft.app{target = main, upload_dir", err)
      rawset(page, "_uploads", true)
      for _, name in ipairs({"../x", "a/b", ".hidden", "", ("x"):rep(256), "a\0b", "tab\t"}) do
        ok, err = pcall(page.get_upload_url, page, name, 60)
        assert.is_false(ok, name)
        assert.matches("is not a file name", err)
      end
      ok, err = pcall(page.get_upload_url, page, "a", 0)
      assert.is_false(ok)
      assert.matches("expires must be seconds", err)
      page:_close()
    end)
  end)
end)
