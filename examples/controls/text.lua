-- Text, as a Flet app has it: the Material 3 type scale, styles, selectable text, and rich
-- text made of spans that have their own style, link and events.
-- Run: build/luaflet examples/controls/text.lua
local ft = require "flet"

local function main(page)
  page.title = "Text"
  page.scroll = "auto"
  local log = ft.Text{"Point at or click the spans below", italic = true}
  local function say(s)
    log.value = s
    page:update()
  end
  for _, style in ipairs({"displaySmall", "headlineMedium", "titleLarge", "bodyLarge",
                          "labelSmall"}) do
    page:add(ft.Text{style, theme_style = style})
  end
  page:add(
    ft.Text{"Size 20, bold, italic, colored", size = 20, weight = ft.FontWeight.BOLD,
            italic = true, color = ft.Colors.DEEP_PURPLE},
    ft.Text{"This text can be selected and copied", selectable = true},
    ft.Text{"A long text cut to one line: " .. string.rep("and so on ", 30), max_lines = 1},
    log,
    ft.Text{"Rich text: ", size = 18, spans = {
      ft.TextSpan{"bold ", style = {weight = ft.FontWeight.BOLD}},
      ft.TextSpan{"red ", style = {color = ft.Colors.RED}},
      ft.TextSpan{"underlined ", style = {decoration = "underline"}},
      ft.TextSpan{"a link", url = "https://flet.dev",
                  style = {color = ft.Colors.BLUE, decoration = "underline"}},
      ft.TextSpan{" and "},
      ft.TextSpan{"one that answers", style = {italic = true},
                  on_click = function() say("Span clicked") end,
                  on_enter = function() say("Pointer entered the span") end,
                  on_exit = function() say("Pointer left the span") end,
                  spans = {ft.TextSpan{" (with a nested span)", style = {size = 12}}}},
    }})
end

ft.app(main)
