-- The page's calls on its browser: localStorage (page.client_storage), the clipboard,
-- opening a URL, and keys (page.on_keyboard_event).
local ft = require "flet"

ft.app(function(page)
  local out = ft.Text "ready"
  local function show(s)
    out.value = s
    page:update()
  end
  page.on_keyboard_event = function(e)
    show(("key: %s%s%s"):format(e.key, e.shift and " shift" or "", e.ctrl and " ctrl" or ""))
  end
  page:add(out,
    ft.TextButton{"Save", on_click = function()
      page.client_storage:set("name", {first = "Ada", n = 3})
      show("saved")
    end},
    ft.TextButton{"Load", on_click = function()
      local v = page.client_storage:get("name")
      show(v and ("loaded " .. v.first .. " " .. v.n) or "loaded nothing")
    end},
    ft.TextButton{"Keys", on_click = function()
      local keys = page.client_storage:get_keys()
      show("keys " .. table.concat(keys, ","))
    end},
    ft.TextButton{"Forget", on_click = function()
      page.client_storage:remove("name")
      show("has name: " .. tostring(page.client_storage:contains_key("name")))
    end},
    ft.TextButton{"Copy", on_click = function() page:set_clipboard("from the app") end},
    ft.TextButton{"Paste", on_click = function() show("pasted " .. page:get_clipboard_async()) end},
    ft.TextButton{"Open", on_click = function() page:launch_url(page.url .. "opened") end})
end)
