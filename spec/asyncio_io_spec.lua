local asyncio = require "asyncio"
local helper = require "spec.helper"

local run = helper.run

describe("asyncio.fs", function()
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. dir)

  it("writes and reads back a file, large or empty", function()
    run(function()
      local big = string.rep("0123456789abcdef", 20000) -- 320 KB, several reads
      assert.is_true(asyncio.fs.write(dir .. "/big", big))
      assert.equal(big, asyncio.fs.read(dir .. "/big"))
      assert.is_true(asyncio.fs.write(dir .. "/empty", ""))
      assert.equal("", asyncio.fs.read(dir .. "/empty"))
    end)
  end)

  it("returns nil, message, code for a missing file", function()
    run(function()
      local data, msg, code = asyncio.fs.read(dir .. "/missing")
      assert.is_nil(data)
      assert.equal("ENOENT", code)
      assert.matches("^ENOENT: no such file or directory: .*/missing$", msg)
      local ok, _, wcode = asyncio.fs.write(dir .. "/no/such/dir/f", "x")
      assert.is_nil(ok)
      assert.equal("ENOENT", wcode)
    end)
  end)

  it("lets other tasks run while it reads", function()
    run(function()
      asyncio.fs.write(dir .. "/f", "x")
      local ran = false
      asyncio.create_task(function() ran = true end)
      asyncio.fs.read(dir .. "/f")
      assert.is_true(ran)
    end)
  end)

  it("can be cancelled", function()
    run(function()
      asyncio.fs.write(dir .. "/c", string.rep("x", 100000))
      local t = asyncio.create_task(asyncio.fs.read, dir .. "/c")
      asyncio.sleep(0)
      t:cancel()
      asyncio.sleep(0.01)
      assert.is_true(t:cancelled())
    end)
  end)

  it("refuses bad arguments and plain code", function()
    assert.has_error(function() asyncio.fs.read(5) end, "asyncio.fs.read: expected a path")
    assert.has_error(function() asyncio.fs.read("/x") end)
  end)
end)
