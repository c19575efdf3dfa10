-- A mistake in an app is an error at the app's own line that names what was meant: an unknown
-- prop, a value of the wrong kind, a name flet does not have, a method called with a dot.
local ft = require "flet"
local helper = require "spec.helper"

-- The error raised by fn, and the line of this file it names.
local function error_of(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error")
  local line = tostring(err):match("app_mistakes_spec%.lua:(%d+): ")
  return tostring(err), tonumber(line)
end

local function this_line() return debug.getinfo(2, "l").currentline end

describe("a mistake in an app", function()
  it("an unknown prop names the control and the nearest prop, at the app's line", function()
    local t = ft.Text "x"
    local line
    local err, at = error_of(function()
      line = this_line(); t.sise = 20
    end)
    assert.matches("Text has no prop 'sise' %(did you mean 'size'%?%)", err)
    assert.equal(line, at)
    -- In a constructor's table too, where the library does the assigning.
    err, at = error_of(function()
      line = this_line(); local t2 = ft.Text{"x", colour = "red"}; return t2
    end)
    assert.matches("Text has no prop 'colour' %(did you mean 'color'%?%)", err)
    assert.equal(line, at)
    -- Far from any name: no guess.
    err = error_of(function() t.zzzzzzzz = 1 end)
    assert.matches("Text has no prop 'zzzzzzzz'$", err)
  end)

  it("a value of the wrong kind names the kind", function()
    local err = error_of(function() return ft.Text{size = "big"} end)
    assert.matches("Text.size must be a number, not a string", err)
    err = error_of(function() return ft.Column{spacing = 10, controls = ft.Text "x"} end)
    assert.matches("Column.controls must be a list of controls, not a control", err)
    err = error_of(function() return ft.ElevatedButton{"Go", on_click = "clicked"} end)
    assert.matches("ElevatedButton.on_click must be a function, not a string", err)
    err = error_of(function() return ft.Container{content = {}} end)
    assert.matches("Container.content must be a control, not a table", err)
    -- A string prop takes a number, as Flet's do; nil removes any prop.
    local t = ft.Text{value = 5}
    t.size = nil
    assert.equal(5, t.value)
  end)

  it("a handler for an event the control does not emit is an unknown prop", function()
    local err = error_of(function() return ft.Text{"x", on_click = function() end} end)
    assert.matches("Text has no prop 'on_click'", err)
    -- The common events are every control's.
    ft.Text{"x", on_hover = function() end, on_focus = function() end}
  end)

  it("a name flet does not have names the nearest one", function()
    local line
    local err, at = error_of(function()
      line = this_line(); local c = ft.Colums; return c
    end)
    assert.matches("flet has no 'Colums' %(did you mean ft%.Column%?%)", err)
    assert.equal(line, at)
  end)

  it("a page method called with a dot says to call it with a colon", function()
    local page = helper.page()
    local line
    local err, at = error_of(function()
      line = this_line(); page.add(ft.Text "x")
    end)
    assert.matches("page%.add: call it with a colon, page:add%(%.%.%.%)", err)
    assert.equal(line, at)
    err = error_of(function() page.update() end)
    assert.matches("page%.update: call it with a colon", err)
    err = error_of(function() ft.Text "x".update() end)
    assert.matches("update: call it with a colon, control:update%(%)", err)
  end)

  it("the page's own fields are checked too, and Flet's window settings accepted", function()
    local page = helper.page()
    local err = error_of(function() page.tittle = "x" end)
    assert.matches("the page has no prop 'tittle' %(did you mean 'title'%?%)", err)
    page.window_width = 400
    page.window_resizable = false
    page.title = "ok"
    assert.equal(400, page.window_width)
  end)
end)

describe("an app's own control class", function()
  it("extends any control class, runs its init, and is sent as its parent", function()
    local Task = ft.Column:extend("Task")
    function Task:init(name)
      ft.Column.init(self, {spacing = 4})
      self.task_name = name
      self.label = ft.Text(name)
      self.controls = {self.label}
    end
    function Task:rename(name)
      self.task_name = name
      self.label.value = name
    end
    local page, conn = helper.page()
    local task = Task("milk")
    assert.equal("milk", task.task_name)
    assert.equal(4, task.spacing)
    assert.equal("column", task._type)
    page:add(task)
    local node = conn:last().ops[1].node
    assert.equal("column", node.type)
    assert.same({spacing = 4}, node.props)
    assert.equal("milk", node.slots.controls[1].props.value)
    -- Its own fields change nothing on the page: only props do.
    task.done = true
    page:update()
    task:rename("bread")
    page:update()
    assert.same({{op = "set", id = node.slots.controls[1].id, props = {value = "bread"}}},
      conn:last().ops)
  end)

  it("takes its parent's constructor when it has no init, and can be extended again", function()
    local Big = ft.Text:extend("Big")
    Big.size = nil
    local b = Big{"hi", size = 40}
    assert.equal("hi", b.value)
    assert.equal(40, b.size)
    local Bigger = Big:extend("Bigger")
    function Bigger:init(v) Big.init(self, {v, size = 80}) end
    local c = Bigger("yo")
    assert.equal(80, c.size)
    assert.equal("text", c._type)
    -- Still checked: a prop of the wrong kind is an error even in a subclass.
    local err = error_of(function() c.size = "huge" end)
    assert.matches("Bigger.size must be a number", err)
  end)

  it("has its list of children ready once its parent's init ran, as after super().__init__()", function()
    local Task = ft.Column:extend("Task")
    function Task:init(name)
      ft.Column.init(self)
      self.controls:append(ft.Text(name))
      self.controls:append(ft.Text "second")
    end
    local t = Task("milk")
    assert.equal(2, #t.controls)
    assert.equal("milk", t.controls[1].value)
    -- Children given to the parent's init still land in the list.
    local Pair = ft.Row:extend("Pair")
    function Pair:init(a, b) ft.Row.init(self, {a, b, spacing = 4}) end
    local p = Pair(ft.Text "a", ft.Text "b")
    assert.equal(2, #p.controls)
    assert.equal(4, p.spacing)
  end)

  it("says how to call extend", function()
    local err = error_of(function() return ft.Column.extend("Task") end)
    assert.matches("extend: call it on a class, with a colon", err)
  end)
end)

describe("control methods of Flet's", function()
  it("clean() empties a control's list and sends it; focus() asks the browser for focus", function()
    local page, conn = helper.page()
    local col = ft.Column{ft.Text "a", ft.Text "b"}
    local field = ft.TextField{label = "x"}
    page:add(col, field)
    col:clean()
    assert.equal(0, #col.controls)
    assert.equal("clean", conn:last().ops[1].op)
    field:focus()
    assert.same({focus_request = 1}, conn:last().ops[1].props)
    field:focus()
    assert.same({focus_request = 2}, conn:last().ops[1].props)
    assert.matches("Text has no list of child controls", select(2, pcall(function() ft.Text "t":clean() end)))
  end)
end)

describe("constructors as Flet code ports", function()
  it("take a list of children first, and props in a second table", function()
    local a, b = ft.Text "a", ft.Text "b"
    local row = ft.Row{{a, b}, alignment = ft.MainAxisAlignment.CENTER}
    assert.same({a, b}, {row.controls[1], row.controls[2]})
    assert.equal("center", row.alignment)
    local col = ft.Column({a, b}, {spacing = 4})
    assert.equal(2, #col.controls)
    assert.equal(4, col.spacing)
    local t = ft.Text("Hi", {size = 20})
    assert.same({"Hi", 20}, {t.value, t.size})
    assert.matches("a second argument must be a table of props",
      select(2, pcall(ft.Text, "x", 5)))
  end)
end)
