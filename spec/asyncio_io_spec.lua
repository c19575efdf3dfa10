local asyncio = require "asyncio"
local helper = require "spec.helper"

local run = helper.run

describe("asyncio.fs", function()
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. dir)
  teardown(function() os.execute("rm -rf " .. dir) end)

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

  it("stops a read that never ends (a device) with EFBIG, and the host keeps going", function()
    run(function()
      local data, msg, code = asyncio.fs.read("/dev/zero")
      assert.is_nil(data)
      assert.equal("EFBIG", code)
      assert.matches("^EFBIG: .*: /dev/zero$", msg)
      assert.is_true(asyncio.fs.write(dir .. "/after", "ok"))
      assert.equal("ok", asyncio.fs.read(dir .. "/after"))
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
    run(function()
      -- A number is not text to write, though Lua would turn it into some.
      local ok, err = pcall(asyncio.fs.write, dir .. "/n", 5)
      assert.is_false(ok)
      assert.equal("asyncio.fs.write: expected data as a string", err)
      assert.is_nil(asyncio.fs.read(dir .. "/n"))
    end)
  end)
end)

describe("asyncio.to_thread", function()
  it("runs a function in another state and copies results back", function()
    run(function()
      local sum, t = asyncio.to_thread(function(n, opts)
        local s = 0
        for i = 1, n do s = s + i end
        return s, {label = opts.label, list = {1, 2, {deep = true}}, f = 1.5}
      end, 1000, {label = "x"})
      assert.equal(500500, sum)
      assert.same({label = "x", list = {1, 2, {deep = true}}, f = 1.5}, t)
    end)
  end)

  it("keeps the loop free while the work runs", function()
    run(function()
      local ticks = 0
      local ticker = asyncio.create_task(function()
        while true do asyncio.sleep(0.005); ticks = ticks + 1 end
      end)
      asyncio.to_thread(function()
        local t0 = os.clock()
        while os.clock() - t0 < 0.1 do end
      end)
      ticker:cancel()
      assert.is_true(ticks >= 5, "ticks: " .. ticks)
    end)
  end)

  it("raises the function's error with its traceback", function()
    run(function()
      local ok, err = pcall(asyncio.to_thread, function() error("in the thread") end)
      assert.is_false(ok)
      assert.matches("in the thread", err)
      assert.matches("stack traceback", err)
    end)
  end)

  it("refuses values that cannot cross, clearly", function()
    run(function()
      local ok, err = pcall(asyncio.to_thread, function() end, print)
      assert.is_false(ok)
      assert.matches("a function cannot cross to another thread", err)
      local cyc = {}
      cyc.self = cyc
      ok, err = pcall(asyncio.to_thread, function() end, cyc)
      assert.is_false(ok)
      assert.matches("nested too deeply", err)
      ok, err = pcall(asyncio.to_thread, function() return io.stdout end)
      assert.is_false(ok)
      assert.matches("a result cannot come back", err)
    end)
  end)

  it("can be cancelled while it runs", function()
    run(function()
      local t = asyncio.create_task(asyncio.to_thread, function()
        local t0 = os.clock()
        while os.clock() - t0 < 0.05 do end
        return 1
      end)
      asyncio.sleep(0.001)
      t:cancel()
      asyncio.sleep(0)
      assert.is_true(t:cancelled())
    end)
  end)
end)

describe("asyncio.http", function()
  local core = require "luaflet.core"
  local site = os.tmpname()
  os.remove(site)
  os.execute("mkdir -p " .. site)
  teardown(function() os.execute("rm -rf " .. site) end)
  local f = assert(io.open(site .. "/index.html", "w"))
  f:write("hello from the test server")
  f:close()

  -- The host's own server, on loopback, for the client to talk to: on port 0, a free port
  -- the OS picks, which srv:port() then tells.
  local function with_server(body)
    run(function()
      local srv = assert(core.serve{port = 0, client_dir = site,
        on_message = function() end, on_close = function() end})
      assert.is_true(srv:port() > 0)
      local ok, err = pcall(body, "http://127.0.0.1:" .. srv:port())
      srv:stop()
      if not ok then error(err, 0) end
    end)
  end

  it("gets a page with its status, headers and body", function()
    with_server(function(base)
      local r, err = asyncio.http.request{url = base .. "/index.html", timeout = 5}
      assert.is_nil(err)
      assert.equal(200, r.status)
      assert.equal("hello from the test server", r.body)
      assert.equal("text/html; charset=utf-8", r.headers["content-type"])
      assert.equal("26", r.headers["content-length"])
    end)
  end)

  it("reports a missing page as its status", function()
    with_server(function(base)
      local r = asyncio.http.get(base .. "/missing.html", {timeout = 5})
      assert.equal(404, r.status)
    end)
  end)

  it("sends a body and headers", function()
    with_server(function(base)
      local r, err = asyncio.http.request{method = "POST", url = base .. "/index.html",
        body = "payload", headers = {["x-test"] = "1"}, timeout = 5}
      assert.is_nil(err)
      assert.is_number(r.status)
    end)
  end)

  it("returns nil, err when the connection is refused", function()
    run(function()
      -- A port just released by a server is closed.
      local srv = core.serve{port = 18699, client_dir = site,
        on_message = function() end, on_close = function() end}
      if srv then srv:stop() end
      asyncio.sleep(0.01)
      local r, err = asyncio.http.get("http://127.0.0.1:18699/", {timeout = 5})
      assert.is_nil(r)
      assert.matches("^connection failed", err)
    end)
  end)

  -- A listener on loopback that accepts one connection and says nothing; it prints "hung up"
  -- when the client closes. Returns its process (read it, close it) and port.
  local function silent_listener()
    local p = io.popen([[python3 -c "
import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
while c.recv(4096): pass
print('hung up', flush=True)
"]])
    return p, p:read("l")
  end

  it("times out against a server that never answers, and the page stays responsive", function()
    local p, port = silent_listener()
    run(function()
      local ticks = 0
      local ticker = asyncio.create_task(function()
        while true do asyncio.sleep(0.01); ticks = ticks + 1 end
      end)
      local t0 = core.now()
      local r, err = asyncio.http.get("http://127.0.0.1:" .. port .. "/", {timeout = 0.2})
      ticker:cancel()
      asyncio.sleep(0.05) -- the loop finishes closing the dropped connection
      assert.is_nil(r)
      assert.equal("timeout", err)
      assert.is_true(core.now() - t0 >= 0.2)
      -- Twenty at best; a blocked loop would give one at most. A busy machine gives fewer
      -- than twenty, so only a few are asked for.
      assert.is_true(ticks >= 3, "ticks: " .. ticks)
    end)
    p:close()
  end)

  it("closes the connection at once when the request is cancelled", function()
    local p, port = silent_listener()
    run(function()
      local t = asyncio.create_task(asyncio.http.get, "http://127.0.0.1:" .. port .. "/")
      asyncio.sleep(0.05)
      t:cancel()
      asyncio.sleep(0)
      assert.is_true(t:cancelled())
    end)
    -- The listener saw the client hang up, without any timeout having passed.
    assert.equal("hung up", p:read("l"))
    p:close()
  end)

  it("refuses urls it cannot use, clearly", function()
    run(function()
      assert.has_error(function() asyncio.http.get("ftp://x/") end,
        "asyncio.http.request: only http and https urls, not 'ftp'")
      assert.has_error(function() asyncio.http.request{} end,
        "asyncio.http.request: 'url' must be a string")
    end)
  end)
end)
