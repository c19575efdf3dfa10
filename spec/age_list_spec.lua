local age_list = require "flet.age_list"

describe("age_list", function()
  it("gives the oldest item, whichever items are removed", function()
    local l = age_list.new()
    assert.is_nil(l:oldest())
    local a, b, c, d = {}, {}, {}, {}
    l:push(a); l:push(b); l:push(c); l:push(d)
    assert.equal(4, l:count())
    assert.equal(a, l:oldest())
    assert.is_true(l:remove(b)) -- from the middle
    assert.equal(a, l:oldest())
    assert.is_true(l:remove(a)) -- the oldest
    assert.equal(c, l:oldest())
    assert.is_true(l:remove(d)) -- the newest
    assert.equal(c, l:oldest())
    l:push(a) -- again, now the newest
    assert.is_true(l:remove(c))
    assert.equal(a, l:oldest())
    assert.equal(1, l:count())
    assert.is_true(l:remove(a))
    assert.is_nil(l:oldest())
    assert.equal(0, l:count())
  end)

  it("says whether an item was listed, and refuses one listed twice", function()
    local l = age_list.new()
    local a, b = {}, {}
    assert.is_false(l:remove(a))
    l:push(a)
    assert.has_error(function() l:push(a) end, "age_list: item already listed")
    l:push(b)
    assert.has_error(function() l:push(b) end, "age_list: item already listed")
    assert.is_true(l:remove(a))
    assert.is_false(l:remove(a))
    assert.equal(1, l:count())
  end)
end)
