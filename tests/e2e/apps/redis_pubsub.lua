-- For tests/host/redis.test.js: page.pubsub and ft.kv in a process that shares a Redis with
-- others. Each session is numbered in this process (s1, s2, ...) and writes what it gets to
-- the log, one line each, which the test reads: "got s1 MESSAGE", "topic s1 room MESSAGE".
-- Its buttons send, start and stop a flow of messages, and use ft.kv.
local ft = require "flet"
local asyncio = require "asyncio"

local function log(line)
  io.stderr:write(line, "\n")
end

-- What a message shows in the log: a table's text, with what the rich one carries.
local function shown(msg)
  if type(msg) ~= "table" then return tostring(msg) end
  if msg.text == "rich" then
    return ("rich %s %s %s %s %s"):format(msg.n, msg.list[2], tostring(msg.list[3]),
      msg.nested.a.b, msg.self == msg and "cycle" or "nocycle")
  end
  return msg.text
end

local sessions = 0
local flowing = false

-- ft.kv's answers, checked one by one: "kvcheck ok", or the first that differs.
local function kv_check()
  local kv = ft.kv
  local function expect(what, got, want)
    if got ~= want then error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 0) end
  end
  kv.delete("check")
  expect("get of nothing", kv.get("check"), nil)
  expect("set", kv.set("check", 12), true)
  expect("get", kv.get("check"), "12")
  expect("ttl without expiry", kv.ttl("check"), -1)
  expect("incr", kv.incr("check", 5), 17)
  expect("expire", kv.expire("check", 100), true)
  local ttl = kv.ttl("check")
  expect("ttl after expire", ttl > 99 and ttl <= 100, true)
  expect("set with ex", kv.set("check", "x", {ex = 0.5}), true)
  ttl = kv.ttl("check")
  expect("ttl with ex", ttl > 0 and ttl <= 0.5, true)
  expect("set without ex drops it", kv.set("check", 1.5), true)
  expect("ttl after plain set", kv.ttl("check"), -1)
  expect("float", kv.get("check"), "1.5")
  local ok, err = pcall(kv.incr, "check")
  expect("incr of a float fails", ok, false)
  expect("its message", tostring(err):find("not an integer", 1, true) ~= nil, true)
  expect("expire 0 deletes", kv.expire("check", 0), true)
  expect("gone", kv.get("check"), nil)
  expect("ttl of nothing", kv.ttl("check"), -2)
  expect("expire of nothing", kv.expire("check", 10), false)
  expect("delete of nothing", kv.delete("check"), false)
  kv.set("check", "v")
  expect("delete", kv.delete("check"), true)
  ok, err = pcall(kv.set, "check", {})
  expect("a table is refused", ok, false)
  expect("its message", tostring(err):find("string or a number", 1, true) ~= nil, true)
end

ft.app(function(page)
  sessions = sessions + 1
  local me = "s" .. sessions
  page.on_error = function(e) log(("pubsub-error %s: %s"):format(me, e.data)) end
  page.pubsub:subscribe(function(msg) log(("got %s %s"):format(me, shown(msg))) end)
  page.pubsub:subscribe_topic("room", function(topic, msg)
    log(("topic %s %s %s"):format(me, topic, shown(msg)))
  end)

  local function sent(label, ok, err)
    if not ok then log(("send-failed %s %s: %s"):format(me, label, err)) end
  end

  local function button(text, fn)
    return ft.ElevatedButton{text, on_click = fn}
  end

  page:add(
    button("all", function() sent("all", page.pubsub:send_all("hello-all from " .. me)) end),
    button("others", function() sent("others", page.pubsub:send_others("hello-others from " .. me)) end),
    button("topic", function() sent("topic", page.pubsub:send_all_on_topic("room", "hello-room")) end),
    button("rich", function()
      local m = {text = "rich", n = 7, list = {1, 2.5, true, "x"}, nested = {a = {b = "c"}}}
      m.self = m
      sent("rich", page.pubsub:send_all(m))
    end),
    button("burst", function()
      for i = 1, 200 do sent("b" .. i, page.pubsub:send_all({text = "b" .. i})) end
    end),
    button("flow", function()
      flowing = true
      local i = 0
      while flowing do
        i = i + 1
        sent("f" .. i, page.pubsub:send_all({text = "f" .. i}))
        log(("sent %s f%d"):format(me, i))
        asyncio.sleep(0.005)
      end
      log(("flow stopped %s at f%d"):format(me, i))
    end),
    button("stop", function() flowing = false end),
    -- More publishes at once than the host lets await Redis's answer, on a topic nobody
    -- subscribes to: "flood s1 refused N: first error", once Redis has answered the others.
    button("flood", function()
      local refused, first = 0, nil
      for i = 1, 10100 do
        local ok, err = page.pubsub:send_all_on_topic("flood", {text = "x" .. i})
        if not ok then
          refused = refused + 1
          first = first or err
        end
      end
      -- Answered after every publish before it: the way is clear again once it returns.
      ft.kv.get("flood")
      log(("flood %s refused %d: %s"):format(me, refused, tostring(first)))
    end),
    button("incr", function()
      local n, err = ft.kv.incr("hits")
      log(("incr %s %s %s"):format(me, tostring(n), tostring(err)))
    end),
    button("kvget", function()
      local v, err = ft.kv.get("hits")
      log(("kvget %s %s %s"):format(me, tostring(v), tostring(err)))
    end),
    button("kvcheck", function()
      local ok, err = pcall(kv_check)
      log(ok and "kvcheck ok" or "kvcheck failed: " .. tostring(err))
    end),
    button("function", function()
      local ok, err = pcall(page.pubsub.send_all, page.pubsub, {f = print})
      log(("function refused %s %s"):format(tostring(not ok), tostring(err)))
    end))
  log(("session %s ready"):format(me))
end)
