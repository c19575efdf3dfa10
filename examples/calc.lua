-- Flet's calculator tutorial, ported line by line: button classes extend ft.ElevatedButton,
-- and the app extends ft.Container, keeping its state in fields of its own.
local ft = require "flet"

local CalcButton = ft.ElevatedButton:extend("CalcButton")
function CalcButton:init(text, button_clicked, expand)
  ft.ElevatedButton.init(self)
  self.text = text
  self.expand = expand or 1
  self.on_click = button_clicked
  self.data = text
end

local DigitButton = CalcButton:extend("DigitButton")
function DigitButton:init(text, button_clicked, expand)
  CalcButton.init(self, text, button_clicked, expand)
  self.bgcolor = ft.Colors.WHITE24
  self.color = ft.Colors.WHITE
end

local ActionButton = CalcButton:extend("ActionButton")
function ActionButton:init(text, button_clicked)
  CalcButton.init(self, text, button_clicked)
  self.bgcolor = ft.Colors.ORANGE
  self.color = ft.Colors.WHITE
end

local ExtraActionButton = CalcButton:extend("ExtraActionButton")
function ExtraActionButton:init(text, button_clicked)
  CalcButton.init(self, text, button_clicked)
  self.bgcolor = ft.Colors.BLUE_GREY_100
  self.color = ft.Colors.BLACK
end

local CalculatorApp = ft.Container:extend("CalculatorApp")

function CalculatorApp:init()
  ft.Container.init(self)
  self:reset()
  self.result = ft.Text{value = "0", color = ft.Colors.WHITE, size = 20}
  self.width = 350
  self.bgcolor = ft.Colors.BLACK
  self.border_radius = ft.border_radius.all(20)
  self.padding = 20
  local clicked = function(e) self:button_clicked(e) end
  self.content = ft.Column{controls = {
    ft.Row{controls = {self.result}, alignment = "end"},
    ft.Row{controls = {ExtraActionButton("AC", clicked), ExtraActionButton("+/-", clicked),
                       ExtraActionButton("%", clicked), ActionButton("/", clicked)}},
    ft.Row{controls = {DigitButton("7", clicked), DigitButton("8", clicked),
                       DigitButton("9", clicked), ActionButton("*", clicked)}},
    ft.Row{controls = {DigitButton("4", clicked), DigitButton("5", clicked),
                       DigitButton("6", clicked), ActionButton("-", clicked)}},
    ft.Row{controls = {DigitButton("1", clicked), DigitButton("2", clicked),
                       DigitButton("3", clicked), ActionButton("+", clicked)}},
    ft.Row{controls = {DigitButton("0", clicked, 2), DigitButton(".", clicked),
                       ActionButton("=", clicked)}},
  }}
end

local function format_number(num)
  if num % 1 == 0 then return tostring(math.tointeger(num) or num) end
  return tostring(num)
end

function CalculatorApp.calculate(_, operand1, operand2, operator)
  if operator == "+" then return format_number(operand1 + operand2) end
  if operator == "-" then return format_number(operand1 - operand2) end
  if operator == "*" then return format_number(operand1 * operand2) end
  if operator == "/" then
    if operand2 == 0 then return "Error" end
    return format_number(operand1 / operand2)
  end
end

function CalculatorApp:button_clicked(e)
  local data = e.control.data
  if self.result.value == "Error" or data == "AC" then
    self.result.value = "0"
    self:reset()
  elseif data:match("^[%d.]$") then
    if self.result.value == "0" or self.new_operand then
      self.result.value = data
      self.new_operand = false
    else
      self.result.value = self.result.value .. data
    end
  elseif data == "+" or data == "-" or data == "*" or data == "/" then
    self.result.value = self:calculate(self.operand1, tonumber(self.result.value), self.operator)
    self.operator = data
    self.operand1 = self.result.value == "Error" and 0 or tonumber(self.result.value)
    self.new_operand = true
  elseif data == "=" then
    self.result.value = self:calculate(self.operand1, tonumber(self.result.value), self.operator)
    self:reset()
  elseif data == "%" then
    self.result.value = format_number(tonumber(self.result.value) / 100)
    self:reset()
  elseif data == "+/-" then
    local v = tonumber(self.result.value)
    self.result.value = format_number(-v)
  end
  self:update()
end

function CalculatorApp:reset()
  self.operator = "+"
  self.operand1 = 0
  self.new_operand = true
end

ft.app(function(page)
  page.title = "Calc App"
  page:add(CalculatorApp())
end)
