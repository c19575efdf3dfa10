-- The navigation family: the page's bars, rails, drawers and menus.
local helper = require "spec.helper"
local ft = require "flet"

-- Every op of the last message that sets props, merged by control id.
local function sets(conn)
  local out = {}
  for _, op in ipairs(conn:ops()) do
    if op.op == "set" then out[op.id] = op.props end
  end
  return out
end

describe("navigation controls", function()
  it("take their primary values, children and slots as Flet's", function()
    local d = ft.NavigationBarDestination "Home"
    assert.equal("Home", d.label)
    local item = ft.PopupMenuItem "Copy"
    assert.equal("Copy", item.text)
    local drawer = ft.NavigationDrawer{ft.NavigationDrawerDestination "A", ft.Text "x"}
    assert.equal(2, #drawer.controls)
    local bar = ft.BottomAppBar{ft.Text "x"}
    assert.equal("x", bar.content.value)
    local sub = ft.SubmenuButton{content = ft.Text "File", ft.MenuItemButton{ft.Text "Open"}}
    assert.equal(1, #sub.controls)
    assert.equal("Open", sub.controls[1].content.value)
    local app = ft.AppBar{title = ft.Text "T", actions = {ft.TextButton "a"}, center_title = true}
    assert.equal(1, #app.actions)
  end)

  it("refuse values of the wrong kind, at the app's line", function()
    assert.has_error(function() ft.NavigationBar{selected_index = "one"} end)
    assert.has_error(function() ft.AppBar{actions = "x"} end)
    assert.has_error(function() ft.NavigationRail{extended = 1} end)
    assert.has_error(function() ft.PopupMenuItem{checked = "yes"} end)
  end)

  it("send the page's app bar, navigation bar, drawer and FAB as slots", function()
    local page, conn = helper.page()
    page.appbar = ft.AppBar{title = ft.Text "Title"}
    page.navigation_bar = ft.NavigationBar{destinations = {
      ft.NavigationBarDestination{label = "A", icon = "home"},
      ft.NavigationBarDestination{label = "B", icon = "star"}}}
    page.floating_action_button = ft.FilledButton "+"
    page.floating_action_button_location = "centerDocked"
    page.drawer = ft.NavigationDrawer{}
    page:update()
    local slots = {}
    for _, op in ipairs(conn:ops()) do
      if op.op == "add" and op.parent == 0 then slots[op.slot] = op.node.type end
    end
    assert.same({appbar = "appbar", navigation_bar = "navigationbar",
                 floating_action_button = "filledbutton", drawer = "navigationdrawer"}, slots)
    assert.equal("centerDocked", sets(conn)[0].floating_action_button_location)
  end)

  it("keep selected_index in step with the browser and hand on_change the index", function()
    local page = helper.page()
    local got
    local nav = ft.NavigationBar{destinations = {ft.NavigationBarDestination "A",
      ft.NavigationBarDestination "B"}, on_change = function(e) got = e.data end}
    local rail = ft.NavigationRail{destinations = {ft.NavigationRailDestination "A",
      ft.NavigationRailDestination "B"}, selected_index = 0}
    page:add(nav, rail)
    assert.is_true(page:_dispatch(nav._id, "change", "1"))
    assert.equal("1", got)
    assert.equal(1, nav.selected_index)
    -- Without a handler the index is still kept.
    assert.is_false(page:_dispatch(rail._id, "change", "1"))
    assert.equal(1, rail.selected_index)
    -- Not a number: dropped, the index kept.
    assert.is_false(page:_dispatch(rail._id, "change", "x"))
    assert.equal(1, rail.selected_index)
  end)

  it("open a drawer with page:open, at the end when its position says so, and close it", function()
    local page, conn = helper.page()
    local dismissed
    local d = ft.NavigationDrawer{on_dismiss = function(e) dismissed = e.data end}
    local e = ft.NavigationDrawer{position = "end"}
    page:open(d)
    assert.equal(d, page.drawer)
    assert.is_true(d.open)
    local add = conn:ops()[1]
    assert.same({"add", 0, "drawer", true}, {add.op, add.parent, add.slot, add.node.props.open})
    page:open(e)
    assert.equal(e, page.end_drawer)
    page:close(d)
    assert.is_false(d.open)
    assert.same({open = false}, sets(conn)[d._id])
    page:open(d)
    -- Dismissed in the browser: open follows, on_dismiss runs with Flet's empty e.data.
    assert.is_true(page:_dispatch(d._id, "dismiss", ""))
    assert.is_false(d.open)
    assert.equal("", dismissed)
    assert.equal(0, #page.overlay)
  end)

  it("report a popup menu's pick and an item's click as Flet does", function()
    local page = helper.page()
    local picked, clicked
    local item = ft.PopupMenuItem{text = "Bold", checked = false,
      on_click = function(e) clicked = e.data end}
    local menu = ft.PopupMenuButton{items = {item}, on_select = function(e) picked = e.data end}
    page:add(menu)
    assert.is_true(page:_dispatch(menu._id, "select", tostring(item._id)))
    assert.equal(tostring(item._id), picked)
    assert.is_true(page:_dispatch(item._id, "click", "true"))
    assert.equal("true", clicked)
    -- The app sets checked itself, as in Flet.
    assert.is_false(item.checked)
  end)
end)

describe("navigation enums", function()
  it("have Flet's members and values", function()
    assert.equal("end", ft.NavigationDrawerPosition.END)
    assert.equal("floating", ft.SnackBarBehavior.FLOATING)
    assert.equal("under", ft.PopupMenuPosition.UNDER)
    assert.equal("onlyShowSelected", ft.NavigationBarLabelBehavior.ONLY_SHOW_SELECTED)
    assert.equal("endFloat", ft.FloatingActionButtonLocation.END_FLOAT)
    local page = helper.page()
    local d = ft.NavigationDrawer{position = ft.NavigationDrawerPosition.END}
    page:open(d)
    assert.equal(d, page.end_drawer)
  end)
end)

describe("destination icons", function()
  it("are an icon's name, sent as a prop, or a control, sent in the slot of that name", function()
    local page, conn = helper.page()
    local bar = ft.NavigationBar{destinations = {
      ft.NavigationBarDestination{label = "A", icon = "home", selected_icon = ft.Text "*"}}}
    page:add(bar)
    local node = conn:ops()[1].node.slots.destinations[1]
    assert.equal("home", node.props.icon)
    assert.equal("*", node.slots.selected_icon[1].props.value)
    assert.has_error(function() bar.destinations[1].icon = 3 end)
  end)
end)
