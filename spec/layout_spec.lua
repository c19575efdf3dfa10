-- The layout and gestures families: constructors as Flet's, kinds refused, events reaching
-- their handlers with Flet's e.data, Tabs keeping selected_index, and scroll_to.
local helper = require "helper"
local ft = require "flet"

local function find_set(conn, id)
  for _, op in ipairs(conn:ops()) do
    if op.op == "set" and op.id == id then return op.props end
  end
end

describe("the layout family", function()
  it("makes each control with Flet's constructor shapes", function()
    local lv = ft.ListView{ft.Text "a", ft.Text "b", spacing = 5, item_extent = 20}
    assert.equal(2, #lv.controls)
    assert.equal(5, lv.spacing)
    local st = ft.Stack{ft.Text "x", ft.Container{right = 0, bottom = 0}}
    assert.equal(2, #st.controls)
    assert.equal("More", ft.ExpansionTile("More").title)
    assert.equal("One", ft.Tab("One").text)
    local col = ft.DataColumn(ft.Text "Name")
    assert.equal("Name", col.label.value)
    local col2 = ft.DataColumn{ft.Text "Age", numeric = true}
    assert.equal("Age", col2.label.value)
    assert.is_true(col2.numeric)
    assert.equal("c", ft.DataCell(ft.Text "c").content.value)
    local row = ft.DataRow{cells = {ft.DataCell(ft.Text "1")}, selected = true}
    assert.equal(1, #row.cells)
    local card = ft.Card{ft.Text "in"}
    assert.equal("in", card.content.value)
    local rr = ft.ResponsiveRow{ft.Container{col = {sm = 6, md = 4}}}
    assert.same({sm = 6, md = 4}, rr.controls[1].col)
    assert.equal(2, ft.Divider{thickness = 2}.thickness)
    assert.is_false(ft.SafeArea{ft.Text "s", top = false}.top)
    local tabs = ft.Tabs{selected_index = 1, tabs = {ft.Tab{text = "a"}, ft.Tab{text = "b"}}}
    assert.equal(2, #tabs.tabs)
    local pl = ft.Pagelet{content = ft.Text "c", appbar = ft.Container{}}
    assert.equal("c", pl.content.value)
    local g = ft.GridView{runs_count = 3, max_extent = 100, child_aspect_ratio = 1.5}
    assert.equal(3, g.runs_count)
  end)

  it("refuses values of the wrong kind at the app's line", function()
    assert.has_error(function() ft.ListView{spacing = "wide"} end)
    assert.has_error(function() ft.Tabs{tabs = ft.Tab "a"} end)
    assert.has_error(function() ft.DataRow{selected = "yes"} end)
    assert.has_error(function() ft.Card{content = "text"} end)
    assert.has_error(function() ft.GestureDetector{on_tap = 1} end)
  end)

  it("dispatches each family's events with Flet's e.data", function()
    helper.run(function()
      local page = helper.page()
      local got = {}
      local function rec(name) return function(e) got[name] = e.data end end
      local tile = ft.ExpansionTile{title = "t", on_change = rec("tile")}
      local tabs = ft.Tabs{tabs = {ft.Tab "a", ft.Tab "b"}, on_change = rec("tabs")}
      local colm = ft.DataColumn{label = "x", on_sort = rec("sort")}
      local drow = ft.DataRow{cells = {}, on_select_changed = rec("row")}
      local cell = ft.DataCell{ft.Text "c", on_tap = rec("cell")}
      local dt = ft.DataTable{columns = {colm}, rows = {drow}, on_select_all = rec("all")}
      local lv = ft.ListView{on_scroll = rec("scroll")}
      local gd = ft.GestureDetector{on_tap = rec("tap"), on_pan_update = rec("pan"),
                                    on_hover = rec("hover")}
      local dg = ft.Draggable{group = "g", content = ft.Text "d"}
      local tgt = ft.DragTarget{group = "g", on_accept = rec("accept"),
                                on_will_accept = rec("will"), on_leave = rec("leave")}
      drow.cells = {cell}
      page:add(tile, tabs, dt, lv, gd, dg, tgt)
      assert.is_true(page:_dispatch(tile._id, "change", "true"))
      assert.is_true(page:_dispatch(tabs._id, "change", "1"))
      assert.is_true(page:_dispatch(colm._id, "sort", '{"i":0,"a":true}'))
      assert.is_true(page:_dispatch(drow._id, "select_changed", "false"))
      assert.is_true(page:_dispatch(cell._id, "tap", ""))
      assert.is_true(page:_dispatch(dt._id, "select_all", "true"))
      assert.is_true(page:_dispatch(lv._id, "scroll", '{"t":"update","p":10}'))
      assert.is_true(page:_dispatch(gd._id, "tap", ""))
      assert.is_true(page:_dispatch(gd._id, "pan_update", '{"dx":1,"dy":2,"lx":3,"ly":4}'))
      assert.is_true(page:_dispatch(gd._id, "hover", '{"lx":1,"ly":2}'))
      assert.is_true(page:_dispatch(tgt._id, "will_accept", "true"))
      assert.is_true(page:_dispatch(tgt._id, "accept", ('{"src_id":%d,"x":1,"y":2}'):format(dg._id)))
      assert.is_true(page:_dispatch(tgt._id, "leave", tostring(dg._id)))
      assert.same({tile = "true", tabs = "1", sort = '{"i":0,"a":true}', row = "false",
                   cell = "", all = "true", scroll = '{"t":"update","p":10}', tap = "",
                   pan = '{"dx":1,"dy":2,"lx":3,"ly":4}', hover = '{"lx":1,"ly":2}',
                   will = "true", accept = ('{"src_id":%d,"x":1,"y":2}'):format(dg._id),
                   leave = tostring(dg._id)}, got)
      -- A control emits only its own events.
      assert.is_false(page:_dispatch(tgt._id, "tap", ""))
    end)
  end)

  it("gives JSON events Flet's fields, and finds a drag's source with page:get_control", function()
    helper.run(function()
      local page = helper.page()
      local got = {}
      local gd = ft.GestureDetector{on_pan_update = function(e) got.pan = e end}
      local dg = ft.Draggable{content = ft.Text "d", data = "red"}
      local tgt = ft.DragTarget{on_accept = function(e) got.accept = e end}
      local col = ft.DataColumn{label = "x", on_sort = function(e) got.sort = e end}
      local lv = ft.ListView{on_scroll = function(e) got.scroll = e end}
      page:add(gd, dg, tgt, ft.DataTable{columns = {col}}, lv)
      page:_dispatch(gd._id, "pan_update",
        '{"dx":1.5,"dy":-2,"pd":null,"lx":3,"ly":4,"gx":5,"gy":6,"ts":7}')
      local e = got.pan
      assert.same({1.5, -2, 3, 4, 5, 6, 7}, {e.delta_x, e.delta_y, e.local_x, e.local_y,
                                             e.global_x, e.global_y, e.timestamp})
      assert.is_nil(e.primary_delta)
      page:_dispatch(tgt._id, "accept", ('{"src_id":%d,"x":1,"y":2}'):format(dg._id))
      assert.equal("red", page:get_control(got.accept.src_id).data)
      assert.equal(dg, page:get_control(tostring(dg._id)))
      assert.is_nil(page:get_control("nope"))
      page:_dispatch(col._id, "sort", '{"i":0,"a":false}')
      assert.same({0, false}, {got.sort.column_index, got.sort.ascending})
      page:_dispatch(lv._id, "scroll", '{"t":"end","p":12,"maxse":100,"vd":50}')
      assert.same({"end", 12, 100, 50}, {got.scroll.event_type, got.scroll.pixels,
                                         got.scroll.max_scroll_extent,
                                         got.scroll.viewport_dimension})
      -- Data that is not JSON is left as it is.
      page:_dispatch(gd._id, "pan_update", "{oops")
      assert.equal("{oops", got.pan.data)
    end)
  end)

  it("keeps Tabs' selected_index as the person picks, without on_change", function()
    helper.run(function()
      local page, conn = helper.page()
      local tabs = ft.Tabs{tabs = {ft.Tab "a", ft.Tab "b", ft.Tab "c"}}
      page:add(tabs)
      page:_dispatch(tabs._id, "change", "2")
      assert.equal(2, tabs.selected_index)
      local n = #conn.sent
      page:update()
      assert.equal(n, #conn.sent) -- the browser shows it already: nothing to send
      tabs.selected_index = 0
      page:update()
      assert.same({selected_index = 0}, find_set(conn, tabs._id))
    end)
  end)

  it("sends scroll_to as a request the list applies: offset, delta, a key as its index", function()
    helper.run(function()
      local page, conn = helper.page()
      local items = {}
      for i = 1, 100 do items[i] = ft.Container{ft.Text("i" .. i), key = "k" .. i} end
      items[50] = ft.Container{ft.Column{ft.Text{"deep", key = "inner"}}}
      local lv = ft.ListView{controls = items}
      page:add(lv)
      lv:scroll_to{key = "k30", duration = 300}
      local r = find_set(conn, lv._id).scroll_request
      assert.equal(29, r.index)
      assert.equal(300, r.duration)
      lv:scroll_to{key = "inner"}
      assert.equal(49, find_set(conn, lv._id).scroll_request.index)
      lv:scroll_to(-1)
      local r2 = find_set(conn, lv._id).scroll_request
      assert.equal(-1, r2.offset)
      assert.is_true(r2.n > r.n)
      lv:scroll_to{delta = 40}
      assert.equal(40, find_set(conn, lv._id).scroll_request.delta)
      -- An unknown key scrolls nowhere, as in Flet.
      local n = #conn.sent
      lv:scroll_to{key = "nope"}
      assert.equal(n, #conn.sent)
      assert.has_error(function() lv.scroll_to(nil) end)
      local g = ft.GridView{controls = {ft.Text{"a", key = 1}, ft.Text{"b", key = 2}}}
      page:add(g)
      g:scroll_to{key = 2}
      assert.equal(1, find_set(conn, g._id).scroll_request.index)
    end)
  end)

  it("scrolls the page and a view as a list: scroll_to and on_scroll with Flet's fields", function()
    helper.run(function()
      local page, conn = helper.page()
      page.scroll = ft.ScrollMode.AUTO
      for i = 1, 40 do page.controls[i] = ft.Text{"t" .. i, key = "k" .. i} end
      page:update()
      page:scroll_to{key = "k20", duration = 200}
      local r = find_set(conn, 0).scroll_request
      assert.same({20 - 1, 200}, {r.index, r.duration})
      page:scroll_to{offset = -1}
      assert.equal(-1, find_set(conn, 0).scroll_request.offset)
      page:scroll_to(nil, 50)
      assert.equal(50, find_set(conn, 0).scroll_request.delta)
      assert.matches("call it with a colon", select(2, pcall(page.scroll_to, {offset = 0})))
      -- The events reach page.on_scroll with Flet's fields; the browser sends them only
      -- while the page has the handler, which it tells it with the prop on_scroll.
      local got
      page.on_scroll = function(e) got = e end
      page.on_scroll_interval = 100
      page:update()
      assert.same({on_scroll = true, on_scroll_interval = 100}, find_set(conn, 0))
      assert.is_true(page:_dispatch(0, "scroll",
        '{"t":"update","p":120,"minse":0,"maxse":900,"vd":700,"sd":20}'))
      assert.same({"update", 120, 0, 900, 700, 20},
        {got.event_type, got.pixels, got.min_scroll_extent, got.max_scroll_extent,
         got.viewport_dimension, got.scroll_delta})
      -- A view's column scrolls the same way.
      local view = ft.View{route = "/", ft.Text{"v", key = "v"}, ft.Text{"w", key = "w"},
                           scroll = "auto", on_scroll = function(e) got = e end}
      page.views:append(view)
      page:update()
      view:scroll_to{key = "w"}
      assert.equal(1, find_set(conn, view._id).scroll_request.index)
      assert.is_true(page:_dispatch(view._id, "scroll", '{"t":"end","p":5}'))
      assert.same({"end", 5, view}, {got.event_type, got.pixels, got.control})
    end)
  end)

  it("opens and closes a Pagelet's drawers as Flet's show_drawer and close_drawer", function()
    helper.run(function()
      local page, conn = helper.page()
      local pl = ft.Pagelet{content = ft.Text "c"}
      page:add(pl)
      local drawer = ft.Container{ft.Text "menu"}
      pl:show_drawer(drawer)
      assert.equal(drawer, pl.drawer)
      local r = pl.drawer_request
      assert.equal("start", r.open)
      pl:close_drawer()
      assert.is_nil(pl.drawer_request.open)
      pl:show_end_drawer(ft.Container{})
      assert.equal("end", pl.drawer_request.open)
      assert.truthy(#conn.sent >= 3)
      assert.has_error(function() pl.show_drawer(nil) end)
    end)
  end)

  it("sends Column and Row's tight", function()
    helper.run(function()
      local page, conn = helper.page()
      local row = ft.Row{tight = true}
      page:add(row)
      local node = conn:ops()[1].node
      assert.is_true(node.props.tight)
      assert.equal("row", node.type)
    end)
  end)
end)
