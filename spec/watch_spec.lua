local core = require "luaflet.core"
local asyncio = require "asyncio"
local helper = require "spec.helper"

local write = helper.write_file
-- busted gives `finally` to the spec's own code: it is handed over.
local function scratch() return helper.scratch(finally) end

describe("core.watch", function()
  it("tells the files of its folders that changed, once a burst of events is over", function()
    local dir = scratch()
    helper.run(function()
      local w <close> = assert(core.watch({dir}))
      asyncio.create_task(function()
        write(dir .. "/a.swp", "1")
        os.rename(dir .. "/a.swp", dir .. "/a.lua")
        write(dir .. "/b.lua", "2")
        write(dir .. "/b.lua", "3")
      end)
      local changed = w:changed()
      table.sort(changed)
      assert.same({dir .. "/a.lua", dir .. "/a.swp", dir .. "/b.lua"}, changed)
      -- one waiter at a time; close ends its wait
      asyncio.create_task(function()
        assert.has_error(function() w:changed() end,
          "watcher:changed: another task is waiting on this watcher")
        w:close()
      end)
      assert.same({nil, "closed"}, {w:changed()})
      assert.has_error(function() w:changed() end, "the watcher is closed")
    end)
  end)

  it("says why a folder cannot be watched", function()
    local w, err, code = core.watch({"/no/such/folder"})
    assert.is_nil(w)
    assert.equal("ENOENT: no such file or directory: /no/such/folder", err)
    assert.equal("ENOENT", code)
    helper.run(asyncio.sleep, 0)
  end)
end)
