-- The display controls, as a Flet app has them: icons in every style, the icon buttons, a
-- floating action button, chips to filter and remove, pictures, avatars, progress, list
-- tiles, a tooltip and Markdown. Run: build/luaflet examples/controls/display.lua
local ft = require "flet"

-- A small picture as base64 (an SVG: a purple square with a round hole).
local LOGO = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA0OCA0OCI+"
  .. "PHBhdGggZmlsbD0iIzY3NTBhNCIgZmlsbC1ydWxlPSJldmVub2RkIiBkPSJNMCAwaDQ4djQ4SDB6TTI0IDEy"
  .. "YTEyIDEyIDAgMSAwIDAgMjRhMTIgMTIgMCAwIDAgMC0yNHoiLz48L3N2Zz4="

local function main(page)
  page.title = "Display controls"
  page.scroll = "auto"
  local log = ft.Text{"Press something", italic = true}
  local function say(s)
    log.value = s
    page:update()
  end

  -- Icons: a name's suffix picks the style; none is filled.
  local icons = ft.Row{
    ft.Icon{ft.Icons.FAVORITE, color = ft.Colors.PINK},
    ft.Icon{ft.Icons.FAVORITE_OUTLINED, color = ft.Colors.PINK},
    ft.Icon{ft.Icons.FAVORITE_ROUNDED, color = ft.Colors.PINK},
    ft.Icon{ft.Icons.FAVORITE_SHARP, color = ft.Colors.PINK},
    ft.Icon{ft.Icons.AUDIOTRACK, color = ft.Colors.GREEN_400, size = 30},
    ft.Icon{ft.Icons.BEACH_ACCESS, color = ft.Colors.BLUE, size = 36},
    ft.Icon{ft.Icons.TEN_K, tooltip = "ten_k is 10k in Material Symbols"},
  }

  -- Icon buttons: the standard one toggles between two icons.
  local like
  like = ft.IconButton{icon = ft.Icons.FAVORITE_BORDER, selected_icon = ft.Icons.FAVORITE,
    selected_icon_color = ft.Colors.RED, tooltip = "Like",
    on_click = function()
      like.selected = not like.selected
      say(like.selected and "Liked" or "Unliked")
    end}
  local buttons = ft.Row{
    like,
    ft.FilledIconButton{icon = ft.Icons.ADD, on_click = function() say("Filled icon button") end},
    ft.FilledTonalIconButton{icon = ft.Icons.EDIT, on_click = function() say("Tonal icon button") end},
    ft.OutlinedIconButton{icon = ft.Icons.DELETE_OUTLINE, on_click = function() say("Outlined icon button") end},
    ft.FilledTonalButton{"Tonal button", icon = ft.Icons.CHECK, on_click = function() say("Tonal button") end},
    ft.FloatingActionButton{icon = ft.Icons.CREATE, text = "Compose", on_click = function() say("FAB") end},
    ft.FloatingActionButton{icon = ft.Icons.ADD, mini = true, on_click = function() say("Mini FAB") end},
  }

  -- Chips: select toggles, delete removes.
  local chips = ft.Row{wrap = true}
  for _, name in ipairs({"Breakfast", "Lunch", "Dinner"}) do
    chips.controls[#chips.controls + 1] = ft.Chip{
      label = ft.Text(name), leading = ft.Icon(ft.Icons.RESTAURANT_MENU),
      on_select = function(e) say(name .. " selected: " .. e.data) end}
  end
  local removable
  removable = ft.Chip{label = "Remove me", on_delete = function()
    for i = #chips.controls, 1, -1 do
      if chips.controls[i] == removable then table.remove(chips.controls, i) end
    end
    say("Removed a chip")
  end}
  chips.controls[#chips.controls + 1] = removable
  chips.controls[#chips.controls + 1] = ft.Chip{label = "Assist", leading = ft.Icon(ft.Icons.MAP),
    on_click = function() say("Assist chip") end}

  -- Pictures and avatars.
  local pictures = ft.Row{
    ft.Image{src_base64 = LOGO, width = 48, height = 48, fit = "cover", border_radius = 8},
    ft.Image{src = "/missing.png", width = 48, height = 48,
             error_content = ft.Text "no picture"},
    ft.CircleAvatar{content = ft.Text "FF"},
    ft.CircleAvatar{content = ft.Icon(ft.Icons.ABC), bgcolor = ft.Colors.GREEN_200,
                    color = ft.Colors.GREEN_900},
    ft.CircleAvatar{foreground_image_src = "/missing.png", content = ft.Text "AB", radius = 28},
  }

  -- Progress: a value from 0 to 1, or none while the length of the work is unknown.
  local bar = ft.ProgressBar{value = 0, width = 400}
  local ring = ft.ProgressRing{value = 0}
  local step = ft.ElevatedButton{"Step", on_click = function()
    bar.value = (bar.value + 0.1) % 1.1
    ring.value = bar.value
    page:update()
  end}

  local tiles = ft.Column{spacing = 0, width = 420, controls = {
    ft.ListTile{leading = ft.Icon(ft.Icons.ALBUM), title = ft.Text "One-line list tile",
                on_click = function() say("Tile clicked") end,
                on_long_press = function() say("Tile long-pressed") end},
    ft.ListTile{leading = ft.Icon(ft.Icons.PERSON), title = ft.Text "Two lines",
                subtitle = ft.Text "With a subtitle", trailing = ft.Icon(ft.Icons.MORE_VERT),
                selected = true},
    ft.ListTile{title = ft.Text "Three lines", is_three_line = true, dense = true,
                subtitle = ft.Text "A longer subtitle that goes on\nto a second line"},
  }}

  local tip = ft.Tooltip{message = "This is a tooltip", content = ft.Text "Hover over me"}

  local md = ft.Markdown{
    value = table.concat({
      "## Markdown", "", "Text in *italics*, **bold** and `code`, and a [link](https://flet.dev).",
      "", "- one", "- two", "", "| a | b |", "|---|---|", "| 1 | 2 |", "",
      "<b>Raw HTML</b> stays text.",
    }, "\n"),
    selectable = true, extension_set = "gitHubWeb",
    on_tap_link = function(e) say("Link: " .. e.data) end}

  local rich = ft.Text{"Rich text: ", spans = {
    ft.TextSpan{"bold ", style = {weight = "bold"}},
    ft.TextSpan{"red ", style = {color = ft.Colors.RED}},
    ft.TextSpan{"click me", style = {decoration = "underline"},
                on_click = function() say("Span clicked") end,
                on_enter = function() say("Entered the span") end},
  }}

  page:add(log, icons, buttons, chips, pictures, ft.Row{bar, ring, step}, ft.ProgressBar{width = 400},
           ft.ProgressRing{}, tiles, tip, md, rich)
end

ft.app(main)
