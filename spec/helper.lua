-- Shared by every spec: the real C core and loop, and checks that each spec leaves no task
-- behind (the way libuv's own tests check that nothing is left on the loop).
local core = require "luaflet.core"
local asyncio = require "asyncio"

core.set_log_level("error")

local helper = {}

--- Runs fn(...) as a task on the real loop until it finishes; returns its results.
function helper.run(fn, ...)
  return asyncio.run(fn, ...)
end

--- A stand-in for a session's socket that keeps what was sent, decoded.
function helper.fake_conn()
  local conn = {sent = {}, raw = {}}
  function conn:send(text)
    self.raw[#self.raw + 1] = text
    self.sent[#self.sent + 1] = core.json_decode(text)
    return true
  end
  function conn:send_async(text)
    asyncio.sleep(0) -- a real socket hands the message over on a later turn of the loop
    return self:send(text)
  end
  function conn:last() return self.sent[#self.sent] end
  function conn:ops()
    local m = self.sent[#self.sent]
    return m and m.ops or {}
  end
  return conn
end

local busted = require "busted"
busted.subscribe({"test", "end"}, function(element)
  if core.live_tasks() ~= 0 then
    core.cancel_all()
    core.drain()
    error(("%s: a task was left running"):format(element.name), 0)
  end
  return nil, true
end)

package.loaded["spec.helper"] = helper
return helper
