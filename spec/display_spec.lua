-- The display family (lua/flet/catalog/display.lua), FilledTonalButton and TextSpan: what
-- their constructors take, what they send, and the events they hand to their handlers with
-- Flet's e.data.
local ft = require "flet"
local helper = require "spec.helper"

local function sent_node(page, conn, c)
  page:add(c)
  return conn:last().ops[1].node
end

describe("display controls", function()
  it("take their primary prop bare and send it", function()
    local page, conn = helper.page()
    local node = sent_node(page, conn, ft.Icon(ft.Icons.FAVORITE_BORDER_ROUNDED))
    assert.equal("icon", node.type)
    assert.same({name = "favorite_border_rounded"}, node.props)
    assert.equal("ten_k", ft.Icon(ft.Icons.TEN_K).name)
    assert.equal("add", ft.IconButton(ft.Icons.ADD).icon)
    assert.equal("add", ft.FilledIconButton(ft.Icons.ADD).icon)
    assert.equal("add", ft.FilledTonalIconButton(ft.Icons.ADD).icon)
    assert.equal("add", ft.OutlinedIconButton(ft.Icons.ADD).icon)
    assert.equal("Compose", ft.FloatingActionButton("Compose").text)
    assert.equal("Go", ft.FilledTonalButton("Go").text)
    assert.equal("pic.png", ft.Image("pic.png").src)
    assert.equal(0.5, ft.ProgressBar(0.5).value)
    assert.equal(0.25, ft.ProgressRing(0.25).value)
    assert.equal("tip", ft.Tooltip("tip").message)
    assert.equal("# hi", ft.Markdown("# hi").value)
    assert.equal("run", ft.TextSpan("run").text)
    assert.equal("Filter", ft.Chip("Filter").label)
  end)

  it("put their child controls in their slots", function()
    local page, conn = helper.page()
    local avatar = ft.CircleAvatar{ft.Text "AB", radius = 24}
    assert.equal("AB", avatar.content.value)
    local tip = ft.Tooltip{"tip", ft.Text "hover"}
    assert.equal("hover", tip.content.value)
    local tile = ft.ListTile{title = ft.Text "T", subtitle = "S", leading = ft.Icon "person",
                             trailing = ft.Icon "more_vert", dense = true}
    local node = sent_node(page, conn, tile)
    assert.equal("listtile", node.type)
    assert.equal("S", node.props.subtitle)
    assert.is_true(node.props.dense)
    assert.equal("T", node.slots.title[1].props.value)
    assert.equal("person", node.slots.leading[1].props.name)
    assert.equal("more_vert", node.slots.trailing[1].props.name)
    local text = ft.Text{"Value ", spans = {ft.TextSpan{"a", spans = {ft.TextSpan "b"}}}}
    node = sent_node(page, conn, text)
    assert.equal("textspan", node.slots.spans[1].type)
    assert.equal("b", node.slots.spans[1].slots.spans[1].props.text)
    node = sent_node(page, conn, ft.Image{src = "x.png", error_content = ft.Text "oops"})
    assert.equal("oops", node.slots.error_content[1].props.value)
    node = sent_node(page, conn, ft.Chip{label = ft.Text "L", leading = ft.Icon "star"})
    assert.equal("L", node.slots.label[1].props.value)
    assert.equal("star", node.slots.leading[1].props.name)
  end)

  it("take Flet's other props, so that an app ports unchanged", function()
    local page, conn = helper.page()
    local b = ft.IconButton{icon = "add", hover_color = "red", splash_radius = 20,
                            visual_density = "compact"}
    local tile = ft.ListTile{title = "t", title_text_style = ft.TextStyle{color = "red"},
                             horizontal_spacing = 8, shape = ft.RoundedRectangleBorder{radius = 4}}
    local chip = ft.Chip{label = "c", border_side = ft.BorderSide(1, "red"), elevation = 2}
    local node = sent_node(page, conn, ft.Column{b, tile, chip, ft.Text{"x", font_family = "serif"}})
    assert.equal("red", node.slots.controls[1].props.hover_color)
    assert.same({radius = 4}, node.slots.controls[2].props.shape)
    assert.equal("serif", node.slots.controls[4].props.font_family)
  end)

  it("report an avatar's picture that fails with which one", function()
    local page = helper.page()
    local got
    local a = ft.CircleAvatar{foreground_image_src = "x.png", on_image_error = function(e) got = e.data end}
    page:add(a)
    assert.is_true(page:_dispatch(a._id, "image_error", "background"))
    assert.equal("background", got)
  end)

  it("refuse values of the wrong kind", function()
    assert.has_error(function() ft.Icon{name = 3} end)
    assert.has_error(function() ft.ProgressBar{value = "half"} end)
    assert.has_error(function() ft.IconButton{selected = "yes"} end)
    assert.has_error(function() ft.ListTile{leading = "not a control"} end)
    assert.has_error(function() ft.Chip{on_select = 1} end)
    assert.has_error(function() ft.Text{spans = ft.Text "x"} end)
  end)

  it("hand clicks, deletes, long presses, links and span events to their handlers", function()
    local page = helper.page()
    local got = {}
    local function rec(e) got[#got + 1] = e.name .. "=" .. e.data end
    local ib = ft.IconButton{icon = "add", on_click = rec}
    local fab = ft.FloatingActionButton{icon = "add", on_click = rec}
    local chip = ft.Chip{label = "c", on_click = rec, on_delete = rec}
    local tile = ft.ListTile{title = "t", on_click = rec, on_long_press = rec}
    local md = ft.Markdown{value = "[a](https://a.example)", on_tap_link = rec}
    local span = ft.TextSpan{"s", on_click = rec, on_enter = rec, on_exit = rec}
    page:add(ib, fab, chip, tile, md, ft.Text{spans = {span}})
    assert.is_true(page:_dispatch(ib._id, "click", ""))
    assert.is_true(page:_dispatch(fab._id, "click", ""))
    assert.is_true(page:_dispatch(chip._id, "click", ""))
    assert.is_true(page:_dispatch(chip._id, "delete", ""))
    assert.is_true(page:_dispatch(tile._id, "click", ""))
    assert.is_true(page:_dispatch(tile._id, "long_press", ""))
    assert.is_true(page:_dispatch(md._id, "tap_link", "https://a.example"))
    assert.is_true(page:_dispatch(span._id, "click", ""))
    assert.is_true(page:_dispatch(span._id, "enter", ""))
    assert.is_true(page:_dispatch(span._id, "exit", ""))
    assert.same({"click=", "click=", "click=", "delete=", "click=", "long_press=",
                 "tap_link=https://a.example", "click=", "enter=", "exit="}, got)
    -- An event a control does not emit is dropped.
    assert.is_false(page:_dispatch(md._id, "click", ""))
    assert.is_false(page:_dispatch(ib._id, "select", "true"))
  end)

  it("keep a chip's selected current from select, with or without on_select", function()
    local page, conn = helper.page()
    local seen
    local chip = ft.Chip{label = "c"}
    chip.on_select = function(e) seen = {e.data, chip.selected} end
    local quiet = ft.Chip{label = "q"}
    page:add(chip, quiet)
    local sent = #conn.sent
    assert.is_true(page:_dispatch(chip._id, "select", "true"))
    assert.same({"true", true}, seen)
    assert.is_true(page:_dispatch(chip._id, "select", "false"))
    assert.same({"false", false}, seen)
    -- Without a handler the value is still kept (the client sends it for that reason).
    page:_dispatch(quiet._id, "select", "true")
    assert.is_true(quiet.selected)
    page:update()
    assert.equal(sent, #conn.sent, "an echoed value was sent back")
    quiet.selected = false
    page:update()
    assert.same({{op = "set", id = quiet._id, props = {selected = false}}}, conn:last().ops)
  end)
end)
