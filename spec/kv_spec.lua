-- ft.kv: the store every session shares, with Redis's commands and their answers.
local ft = require "flet"
local asyncio = require "asyncio"
local helper = require "spec.helper"

local kv = ft.kv

-- Each test uses keys of its own: the store lives as long as the process.
local n = 0
local function key(name)
  n = n + 1
  return ("kv_spec:%d:%s"):format(n, name)
end

describe("ft.kv", function()
  it("keeps values as strings, as Redis does, and forgets deleted keys", function()
    helper.run(function()
      local k = key("a")
      assert.is_nil(kv.get(k))
      assert.is_true(kv.set(k, "hello"))
      assert.equal("hello", kv.get(k))
      kv.set(k, 42)
      assert.equal("42", kv.get(k))
      kv.set(k, 1.5)
      assert.equal("1.5", kv.get(k))
      kv.set(k, 3.0)
      assert.equal("3", kv.get(k))
      assert.is_true(kv.delete(k))
      assert.is_false(kv.delete(k))
      assert.is_nil(kv.get(k))
    end)
  end)

  it("counts with incr from nothing, by any integer, and refuses what is not an integer", function()
    helper.run(function()
      local k = key("count")
      assert.equal(1, kv.incr(k))
      assert.equal(11, kv.incr(k, 10))
      assert.equal(8, kv.incr(k, -3))
      assert.equal("8", kv.get(k))
      assert.equal(9, kv.incr(k, 1.0))
      local t = key("text")
      kv.set(t, "ten")
      assert.has_error(function() kv.incr(t) end,
        ('ft.kv.incr: "%s" holds "ten", which is not an integer'):format(t))
      assert.has_error(function() kv.incr(k, 0.5) end, "ft.kv.incr: the increment must be an integer")
      local big = key("big")
      kv.set(big, math.maxinteger)
      assert.has_error(function() kv.incr(big) end,
        ('ft.kv.incr: "%s" would go past a 64-bit integer'):format(big))
      assert.equal(tostring(math.maxinteger), kv.get(big))
    end)
  end)

  it("expires keys: set with ex, expire, ttl; incr keeps the time to live, set drops it", function()
    helper.run(function()
      local k, other = key("short"), key("long")
      assert.is_false(kv.expire(k, 10), "nothing to expire")
      assert.equal(-2, kv.ttl(k))
      kv.set(k, "v", {ex = 0.05})
      kv.set(other, 1)
      assert.equal(-1, kv.ttl(other))
      local left = kv.ttl(k)
      assert.is_true(left > 0 and left <= 0.05)
      assert.is_true(kv.expire(other, 0.05))
      kv.incr(other)
      assert.is_true(kv.ttl(other) > 0, "incr keeps the time to live")
      asyncio.sleep(0.1)
      assert.is_nil(kv.get(k))
      assert.is_nil(kv.get(other))
      assert.equal(-2, kv.ttl(k))
      kv.set(k, "again", {ex = 0.05})
      kv.set(k, "for good")
      asyncio.sleep(0.1)
      assert.equal("for good", kv.get(k), "a plain set drops the time to live")
      kv.set(k, "gone", {ex = 0})
      assert.is_nil(kv.get(k))
      kv.set(k, "x")
      assert.is_true(kv.expire(k, -1))
      assert.is_nil(kv.get(k))
    end)
  end)

  it("is one store for every session of the host", function()
    local k = key("shared")
    local a, ca = helper.page(800, 600)
    local b = helper.page(800, 600)
    assert.is_not_nil(ca)
    helper.run(function()
      local ta = asyncio._create_owned(a, function() return kv.incr(k) end)
      local tb = asyncio._create_owned(b, function() return kv.incr(k) end)
      local got = {ta:wait(), tb:wait()}
      table.sort(got)
      assert.same({1, 2}, got)
      assert.equal("2", kv.get(k))
    end)
  end)

  it("says what is wrong at the app's line", function()
    local k = key("misuse")
    assert.has_error(function() kv.get(k) end,
      "ft.kv.get must be called from a task (main, an event handler or asyncio.create_task)")
    helper.run(function()
      local ok, err = pcall(function() kv:get(k) end)
      assert.is_false(ok)
      assert.matches("kv_spec.lua:%d+: ft.kv.get: call it with a dot, ft.kv.get%(key, ...%)", err)
      assert.has_error(function() kv.set(k, {}) end,
        "ft.kv.set: the value must be a string or a number, not table")
      assert.has_error(function() kv.set(1, "x") end, "ft.kv.set: the key must be a string, not number")
      assert.has_error(function() kv.set(k, "x", {px = 5}) end,
        'ft.kv.set: unknown option "px" (it takes ex)')
      assert.has_error(function() kv.expire(k, "soon") end,
        "ft.kv.expire: the time to live must be a number of seconds")
      assert.has_error(function() kv.set(k, 0 / 0) end, "ft.kv.set: the value must be a finite number")
    end)
  end)
end)
