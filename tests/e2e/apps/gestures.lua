-- The gestures family: a GestureDetector reporting taps, double taps, long presses, hover
-- and pans with Flet's e.data, and a Draggable dropped on a DragTarget of its group.
local ft = require "flet"

ft.app(function(page)
  local log = ft.Text "log: none"
  local pan = ft.Text "pan: none"
  local drop = ft.Text "drop: none"
  local first = ft.Text "first update: none"
  local doubles = ft.Text "double taps: 0"
  local hdrag = ft.Text "h drag: none"
  local double_count = 0
  local function set(t, prefix, v)
    t.value = prefix .. v
    page:update()
  end
  local moved = 0
  page:add(log, pan, first, doubles, hdrag, drop,
    ft.GestureDetector{
      mouse_cursor = ft.MouseCursor.MOVE,
      content = ft.Container{ft.Text "gesture area", width = 200, height = 100, bgcolor = "blue100"},
      on_tap = function(e) set(log, "log: tap ", e.data) end,
      on_double_tap = function()
        double_count = double_count + 1
        set(doubles, "double taps: ", double_count)
      end,
      on_long_press_start = function(e) set(log, "log: long press ", e.data) end,
      on_hover = function(e) if e.data:find('"lx"', 1, true) then set(log, "log: hover ", "json") end end,
      on_pan_start = function(e) set(pan, "pan: start ", e.data) end,
      on_pan_update = function(e)
        moved = moved + 1
        if moved == 1 then set(first, "first update: ", e.data) end
      end,
      on_pan_end = function() set(pan, "pan: ", "end after " .. moved) end,
      on_horizontal_drag_update = function(e)
        if e.primary_delta and e.delta_y == 0 then set(hdrag, "h drag: ", "pd " .. e.primary_delta) end
      end},
    ft.Row{controls = {
      ft.Draggable{group = "color", content = ft.Container{ft.Text "drag me", width = 80,
                   height = 80, bgcolor = "red100"},
                   content_when_dragging = ft.Container{ft.Text "dragging", width = 80, height = 80}},
      ft.Draggable{group = "other", content = ft.Container{ft.Text "wrong group", width = 80,
                   height = 80, bgcolor = "grey300"}},
      ft.DragTarget{group = "color",
        content = ft.Container{ft.Text "drop here", width = 120, height = 120, bgcolor = "green100"},
        on_will_accept = function(e) set(drop, "drop: will ", e.data) end,
        on_accept = function(e)
          local src = e.data:match('"src_id":(%d+)')
          set(drop, "drop: accept ", src and "from " .. src or e.data)
        end,
        on_leave = function() set(drop, "drop: ", "leave") end}}})
end)
