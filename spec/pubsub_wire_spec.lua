-- The format page.pubsub's messages take between processes (through Redis): what crosses
-- comes back equal, with its shape; what cannot cross is said; bytes that are not a message
-- are refused rather than half read.
local pubsub = require "flet.pubsub"

local function roundtrip(topic, msg)
  local origin, t, m = pubsub._decode(pubsub._encode(topic, msg))
  assert.equal(16, #origin)
  return t, m
end

describe("pubsub's wire format", function()
  it("carries nil, booleans, numbers, strings and nested tables with any keys", function()
    local msg = {user = "ada", n = 7, f = 2.5, big = math.maxinteger, yes = true, no = false,
                 list = {1, "two", {3}}, [10] = "ten", [2.5] = "float key", [true] = "bool key",
                 text = ("\0binary\255"):rep(3)}
    local topic, got = roundtrip("room", msg)
    assert.equal("room", topic)
    assert.same(msg, got)
    assert.equal("integer", math.type(got.n))
    assert.equal("float", math.type(got.f))
    local t2, m2 = roundtrip(nil, nil)
    assert.is_nil(t2)
    assert.is_nil(m2)
    local _, s = roundtrip(nil, "plain")
    assert.equal("plain", s)
  end)

  it("keeps shared parts and cycles, and leaves metatables behind", function()
    local shared = {x = 1}
    local msg = setmetatable({a = shared, b = shared}, {__index = function() return "meta" end})
    msg.self = msg
    local _, got = roundtrip(nil, msg)
    assert.equal(got.a, got.b)
    assert.equal(got, got.self)
    assert.is_nil(getmetatable(got))
    assert.is_nil(got.missing)
  end)

  it("refuses functions and userdata, saying they cannot cross", function()
    assert.has_error(function() pubsub._encode(nil, {f = print}) end,
      "pubsub: a function cannot be sent to other processes (a message is made of nil, "
      .. "booleans, numbers, strings and tables)")
    assert.has_error(function() pubsub._encode(nil, {io.stdout}) end)
  end)

  it("refuses bytes that are not a whole message", function()
    local wire = pubsub._encode("t", {a = {1, 2, 3}})
    for cut = 8, #wire - 1 do
      assert.is_false(pcall(pubsub._decode, wire:sub(1, cut)))
    end
    assert.is_false(pcall(pubsub._decode, wire .. "x"))
  end)
end)
