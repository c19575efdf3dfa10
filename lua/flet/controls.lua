-- The control catalog: Text, the button kinds, Column, Row, Container and TextField.
local control = require "flet.control"

local class = control.class

local M = {}

M.Text = class("Text", {type = "text", primary = "value"})
local click = {"click"}
M.ElevatedButton = class("ElevatedButton", {type = "elevatedbutton", primary = "text", events = click})
M.FilledButton = class("FilledButton", {type = "filledbutton", primary = "text", events = click})
M.OutlinedButton = class("OutlinedButton", {type = "outlinedbutton", primary = "text", events = click})
M.TextButton = class("TextButton", {type = "textbutton", primary = "text", events = click})
M.Column = class("Column", {type = "column", children = "controls"})
M.Row = class("Row", {type = "row", children = "controls"})
M.Container = class("Container", {type = "container", children = "content", events = click})
-- The text typed into a TextField reaches `value` through its change events.
M.TextField = class("TextField", {type = "textfield", primary = "value",
                                  events = {"change", "submit"}})
-- Events whose data the browser already shows as a prop: event name -> prop.
M.TextField._echo = {change = "value"}

return M
