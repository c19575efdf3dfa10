-- The page's calls on its browser (flet.client_calls): what is sent, how an answer, its
-- absence, a refusal and the session's end reach the waiting task.
local asyncio = require "asyncio"
local client_calls = require "flet.client_calls"
local helper = require "spec.helper"

local run = helper.run

describe("a page's calls on its browser", function()
  it("send an invoke and hand the browser's data to the task that waits", function()
    run(function()
      local page, conn = helper.page()
      local t = asyncio.create_task(function() return page.client_storage:get("k") end)
      asyncio.sleep(0)
      local m = conn:last()
      assert.same({t = "invoke", call = 1, method = "storage_get", args = {"k"}}, m)
      assert.is_false(page:_result(99, "x")) -- nobody waits for 99
      assert.is_true(page:_result(1, {a = 1}))
      assert.same({a = 1}, t:wait())
      page:launch_url("https://example.com/x", {web_window_name = "_self"})
      assert.same({url = "https://example.com/x", web_window_name = "_self"}, conn:last().args)
      assert.equal(0, conn:last().call)
      page:_close()
    end)
  end)

  it("fail clearly on a refusal, on no answer, when not connected, and at the session's end", function()
    run(function()
      local page = helper.page()
      local t = asyncio.create_task(function() return page:get_clipboard_async() end)
      asyncio.sleep(0)
      page:_result(1, nil, "permission denied")
      local ok, err = pcall(t.wait, t)
      assert.is_false(ok)
      assert.matches("get_clipboard: permission denied", err)

      local saved = client_calls.TIMEOUT
      client_calls.TIMEOUT = 0.01
      ok, err = pcall(page.get_clipboard_async, page)
      client_calls.TIMEOUT = saved
      assert.is_false(ok)
      assert.matches("the browser did not answer in 0.01 s", err)

      local waiting = asyncio.create_task(function() return page.client_storage:get_keys() end)
      asyncio.sleep(0)
      page:_close()
      ok, err = pcall(waiting.wait, waiting)
      assert.is_false(ok)
      assert.equal(asyncio.CancelledError, err)

      local detached = helper.page()
      rawget(detached, "_conn"):attach(nil)
      ok, err = pcall(detached.get_clipboard_async, detached)
      assert.is_false(ok)
      assert.matches("get_clipboard: the page is not connected", err)
    end)
  end)
end)
