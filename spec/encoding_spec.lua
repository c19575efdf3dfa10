-- What the host writes to the browser reads back exactly: every string a control holds (the
-- characters JSON must escape, line and paragraph separators, bytes that are not UTF-8) and
-- every number (full double precision, -0, large and tiny exponents).
local ft = require "flet"
local helper = require "spec.helper"
local core = require "luaflet.core"

-- Sends a text whose value is v, then sets its size to n; returns both as decoded.
local function round_trip(v, n)
  local page, conn = helper.page(100, 100)
  local t = ft.Text(v)
  page:add(t)
  local sent = conn:last().ops[1].node.props.value
  t.size = n
  page:update()
  return sent, conn:last().ops[1].props.size, conn.raw[#conn.raw]
end

describe("strings the host writes", function()
  it("decode to exactly what the app set", function()
    local samples = {
      'quote " backslash \\ slash /',
      "controls \1\2\8\9\10\12\13\27\31 and del \127",
      "separators \u{2028} \u{2029}",
      "accents é, CJK 漢字, astral 😀",
      string.rep("\\\"", 300),
    }
    for _, s in ipairs(samples) do
      local got = round_trip(s, 1)
      assert.equal(s, got)
    end
  end)

  it("keep a NUL, escaped (the host's own decoder, cJSON, cannot read it back)", function()
    local page, conn = helper.page(100, 100)
    page:add(ft.Text "nul \0 inside")
    local raw = conn.raw[#conn.raw]
    assert.matches('"value":"nul \\u0000 inside"', raw, 1, true)
    assert.equal('"\\u0000"', core.json_encode("\0"))
  end)

  it("replace bytes that are not UTF-8, and nothing else", function()
    local got, _, raw = round_trip("ok \xff\xfe then \xc3", 1)
    assert.is_truthy(utf8.len(raw), "the message is valid UTF-8")
    assert.equal("ok \u{FFFD}\u{FFFD} then \u{FFFD}", got)
  end)
end)

describe("numbers the host writes", function()
  it("keep full double precision and their sign", function()
    local samples = {0.1 + 0.2, 2^53, 2^53 + 2, -(2^53), 1 / 3, 1e308, -1e-308, 5e-324,
      123456.789e200, 1e15 + 0.5, -1.5}
    for _, n in ipairs(samples) do
      local _, got = round_trip("x", n)
      assert.equal(string.format("%.17g", n), string.format("%.17g", got))
    end
    -- The browser's JSON.parse reads -0 as -0.
    local _, _, raw = round_trip("x", -0.0)
    assert.matches('"size":%-0[,}]', raw)
    assert.equal("-0", core.json_encode(-0.0))
  end)
end)
