local ft = require "flet"

describe("control constructors", function()
  it("take the primary value as a string", function()
    local t = ft.Text "Hi"
    assert.equal("Hi", t.value)
    assert.equal("text", t._type)
    assert.equal("Say", ft.ElevatedButton("Say").text)
  end)

  it("take a table of props with the primary value first", function()
    local click = function() end
    local b = ft.ElevatedButton{"Say hello!", on_click = click}
    assert.equal("Say hello!", b.text)
    assert.equal(click, b.on_click)
    local t = ft.Text{"Hi", size = 20}
    assert.equal(20, t.size)
  end)

  it("put child controls of the array part into controls", function()
    local a, b = ft.Text "a", ft.Text "b"
    local col = ft.Column{spacing = 10, a, b}
    assert.equal(10, col.spacing)
    assert.equal(2, #col.controls)
    assert.equal(a, col.controls[1])
    assert.equal(b, col.controls[2])
    assert.equal(0, #ft.Row{}.controls)
  end)

  it("put a Container's child into content", function()
    local t = ft.Text "x"
    assert.equal(t, ft.Container{t, padding = 5}.content)
    assert.has_error(function() ft.Container{ft.Text "a", ft.Text "b"} end,
      "Container takes one content control")
  end)

  it("say clearly what a wrong positional argument must be", function()
    assert.has_error(function() ft.Column{"text"} end,
      "Column: positional argument 1 must be a child control")
  end)

  it("make user controls with init", function()
    local Counter = ft.UserControl:extend("Counter")
    function Counter:init(n) self.n = n end
    local c = Counter(3)
    assert.equal(3, c.n)
    assert.equal("usercontrol", c._type)
    assert.is_function(c.update_async)
  end)

  it("refuse update before the control is on a page", function()
    assert.has_error(function() ft.Text "x":update() end,
      "update: the control is not on a page yet (add it to the page first)")
  end)
end)
