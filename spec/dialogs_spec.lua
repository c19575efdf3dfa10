-- The dialogs family, and page:open / page:close.
local helper = require "spec.helper"
local ft = require "flet"

describe("dialogs", function()
  it("take content as their child and titles as text or a control", function()
    local sb = ft.SnackBar{ft.Text "Saved", action = "Undo"}
    assert.equal("Saved", sb.content.value)
    local bs = ft.BottomSheet(ft.Text "sheet")
    assert.equal("sheet", bs.content.value)
    local dlg = ft.AlertDialog{title = "Delete?", content = ft.Text "Sure?",
                               actions = {ft.TextButton "Yes"}}
    assert.equal("Delete?", dlg.title)
    assert.equal(1, #dlg.actions)
    assert.has_error(function() ft.AlertDialog{modal = "yes"} end)
    assert.has_error(function() ft.SnackBar{duration = "long"} end)
  end)

  it("are shown by page:open in the overlay, once, and hidden by page:close", function()
    local page, conn = helper.page()
    local dlg = ft.AlertDialog{title = ft.Text "Hi"}
    page:open(dlg)
    assert.equal(dlg, page.overlay[1])
    assert.is_true(dlg.open)
    local add = conn:ops()[1]
    assert.equal("add", add.op)
    assert.equal("overlay", add.slot)
    assert.is_true(add.node.props.open)
    page:close(dlg)
    assert.is_false(dlg.open)
    assert.same({{op = "set", id = dlg._id, props = {open = false}}}, conn:ops())
    page:open(dlg)
    assert.equal(1, #page.overlay)
    assert.same({{op = "set", id = dlg._id, props = {open = true}}}, conn:ops())
  end)

  it("are not added to the overlay when the older page props hold them", function()
    local page = helper.page()
    local sb, bs = ft.SnackBar(ft.Text "x"), ft.BottomSheet(ft.Text "y")
    page.snack_bar, page.bottom_sheet = sb, bs
    page:update()
    page:open(sb)
    page:open(bs)
    assert.equal(0, #page.overlay)
    assert.is_true(sb.open and bs.open)
  end)

  it("refuse what has no open property, and a call with a dot", function()
    local page = helper.page()
    assert.has_error(function() page:open(ft.Text "x") end, "page:open: Text has no open property")
    assert.has_error(function() page:close("x") end, "page:close: expected a control")
    assert.has_error(function() page.open(ft.AlertDialog{}) end)
    assert.has_error(function() page.close(ft.AlertDialog{}) end)
  end)

  it("have _async forms that wait for the send", function()
    local page, conn = helper.page()
    local dlg = ft.BottomSheet(ft.Text "x")
    assert.has_error(function() page:open_async(dlg) end)
    helper.run(function()
      page:open_async(dlg)
      assert.is_true(conn:ops()[1].node.props.open)
      page:close_async(dlg)
      assert.same({open = false}, conn:ops()[1].props)
    end)
  end)

  it("follow a dismissal in the browser and run on_dismiss with Flet's e.data", function()
    local page, conn = helper.page()
    local got
    local dlg = ft.AlertDialog{title = "t", on_dismiss = function(e) got = e end}
    local sheet = ft.BottomSheet(ft.Text "x")
    local sb = ft.SnackBar(ft.Text "x")
    page:open(dlg)
    page:open(sheet)
    page:open(sb)
    local n = #conn.sent
    assert.is_true(page:_dispatch(dlg._id, "dismiss", ""))
    assert.is_false(dlg.open)
    assert.equal("", got.data)
    assert.equal("dismiss", got.name)
    -- Without on_dismiss the server still learns it.
    assert.is_false(page:_dispatch(sheet._id, "dismiss", ""))
    assert.is_false(sheet.open)
    page:_dispatch(sb._id, "dismiss", "")
    assert.is_false(sb.open)
    -- The browser already hides them: nothing to send back, and opening again is a change.
    page:update()
    assert.equal(n, #conn.sent)
    page:open(dlg)
    assert.same({{op = "set", id = dlg._id, props = {open = true}}}, conn:ops())
  end)

  it("report a snack bar's action", function()
    local page = helper.page()
    local acted
    local sb = ft.SnackBar{ft.Text "x", action = "Undo", on_action = function(e) acted = e.data end}
    page:open(sb)
    assert.is_true(page:_dispatch(sb._id, "action", ""))
    assert.equal("", acted)
  end)
end)
