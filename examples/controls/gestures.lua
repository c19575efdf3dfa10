-- The gestures family, as a Flet user writes it: a box dragged around a Stack by a
-- GestureDetector's pan, and colours dragged onto a target.
-- Run: build/luaflet examples/controls/gestures.lua
local ft = require "flet"

local function main(page)
  page.title = "Gestures"
  local status = ft.Text "Tap, long-press or drag the blue box."

  local box = ft.Container{bgcolor = ft.Colors.BLUE, width = 60, height = 60, border_radius = 8}
  local mover
  mover = ft.GestureDetector{
    content = box, left = 20, top = 20, mouse_cursor = ft.MouseCursor.MOVE,
    on_tap = function() status.value = "tap"; page:update() end,
    on_double_tap = function() status.value = "double tap"; page:update() end,
    on_long_press_start = function() status.value = "long press"; page:update() end,
    on_pan_update = function(e)
      mover.left = math.max(0, mover.left + e.delta_x)
      mover.top = math.max(0, mover.top + e.delta_y)
      page:update()
    end}

  local target = ft.Container{ft.Text "Drop a colour here", width = 160, height = 100,
                              bgcolor = ft.Colors.GREY_200, alignment = ft.alignment.center}
  local function swatch(color)
    return ft.Draggable{group = "color", data = color,
      content = ft.Container{width = 50, height = 50, bgcolor = color, border_radius = 25},
      content_when_dragging = ft.Container{width = 50, height = 50, border_radius = 25,
                                           bgcolor = ft.Colors.BLACK12}}
  end

  page:add(status,
    ft.Stack{width = 400, height = 200, controls = {
      ft.Container{width = 400, height = 200, bgcolor = ft.Colors.BLUE_50}, mover}},
    ft.Row{controls = {swatch(ft.Colors.RED), swatch(ft.Colors.GREEN), swatch(ft.Colors.ORANGE),
      ft.DragTarget{group = "color", content = target,
        on_will_accept = function(e)
          target.border = e.data == "true" and ft.border.all(2, ft.Colors.BLACK) or nil
          page:update()
        end,
        on_accept = function(e)
          local src = page:get_control(e.src_id)
          target.bgcolor = src and src.data or target.bgcolor
          target.border = nil
          page:update()
        end,
        on_leave = function()
          target.border = nil
          page:update()
        end}}})
end

ft.app(main)
