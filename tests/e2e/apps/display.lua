-- The display family in a browser: three icons at first (the icon test counts what the page
-- fetches), then, after "Show all", every other control of the family, each writing what
-- its handlers receive into the status line.
local ft = require "flet"

local PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

ft.app(function(page)
  local status = ft.Text "status: none"
  local function say(s)
    status.value = "status: " .. s
    page:update()
  end
  local more = ft.Column{spacing = 8}
  local avatar_error = ft.Text "avatar error: none"
  local icon_button
  icon_button = ft.IconButton{icon = ft.Icons.FAVORITE_BORDER, selected_icon = ft.Icons.FAVORITE,
    icon_color = "red", on_click = function()
      icon_button.selected = not icon_button.selected
      say("icon button " .. tostring(icon_button.selected))
    end}
  local filter = ft.Chip{label = ft.Text "Filter", leading = ft.Icon(ft.Icons.STAR)}
  filter.on_select = function(e) say("select " .. e.data .. " " .. tostring(filter.selected)) end
  local quiet = ft.Chip{label = "Quiet", on_select = function() end}
  page:add(ft.Row{ft.Icon{ft.Icons.ADD, color = "green", size = 32},
                  ft.Icon(ft.Icons.DELETE_OUTLINE), ft.Icon(ft.Icons.TEN_K_ROUNDED)},
    status, avatar_error,
    ft.ElevatedButton{"Show all", on_click = function()
      more.controls = {
        ft.Row{icon_button,
               ft.FilledIconButton{icon = ft.Icons.SETTINGS, on_click = function() say("filled icon") end},
               ft.FilledTonalIconButton{icon = ft.Icons.SETTINGS_OUTLINED, url = "https://example.com/docs"},
               ft.OutlinedIconButton{icon = ft.Icons.SETTINGS_SHARP},
               ft.FloatingActionButton{icon = ft.Icons.ADD, text = "Compose",
                                       on_click = function() say("fab") end},
               ft.FilledTonalButton{"Tonal", icon = ft.Icons.CHECK, on_click = function() say("tonal") end,
                                    style = ft.ButtonStyle{bgcolor = "green",
                                                           color = {[""] = "white", hovered = "yellow"},
                                                           shape = ft.RoundedRectangleBorder{radius = 4}}},
               ft.IconButton{icon = ft.Icons.STAR, style = ft.ButtonStyle{bgcolor = "amber"}}},
        ft.Row{filter, quiet,
               ft.Chip{label = "Removable", on_delete = function() say("deleted") end},
               ft.Chip{label = "Assist", on_click = function() say("chip clicked") end,
                       shape = ft.RoundedRectangleBorder{radius = 16}, label_style = ft.TextStyle{color = "red"}}},
        ft.Row{ft.Image{src_base64 = PNG, width = 20, height = 20, fit = "cover"},
               ft.Image{src = "/no/such/picture.png", error_content = ft.Text "image failed"},
               ft.Image{src_base64 = PNG, width = 20, height = 20, color = "red",
                        semantics_label = "tinted"},
               ft.Image{src_base64 = PNG, width = 30, height = 10, ["repeat"] = "repeatX",
                        semantics_label = "repeated"},
               ft.CircleAvatar{content = ft.Text "AB", radius = 24},
               ft.CircleAvatar{content = ft.Text "CD", foreground_image_src = "/no/face.png",
                               on_image_error = function(e)
                                 avatar_error.value = "avatar error: " .. e.data
                                 page:update()
                               end},
               ft.ProgressRing{value = 0.25}, ft.ProgressRing{}},
        ft.ProgressBar{value = 0.5, bar_height = 6, color = "green"},
        ft.ProgressBar{},
        ft.ListTile{title = ft.Text "Tile title", subtitle = "Tile subtitle",
                    leading = ft.Icon(ft.Icons.PERSON), trailing = ft.Icon(ft.Icons.MORE_VERT),
                    on_click = function() say("tile clicked") end,
                    on_long_press = function() say("tile long pressed") end},
        ft.Tooltip{message = "Tip text", content = ft.Text "hover for tip", wait_duration = 0},
        ft.Markdown{value = "# Title\n\nSee [the site](https://example.com/x) and "
                    .. "[bad](javascript:alert(1)).\n\n<img src=x onerror=\"window.pwned=1\">\n\n"
                    .. "<script>window.pwned=2</script>\n\n- one\n- two\n\n`code` **bold**",
                    extension_set = "gitHubWeb", on_tap_link = function(e) say("link " .. e.data) end},
        ft.Text{"Value ", spans = {
          ft.TextSpan{"span one", style = {weight = "bold", color = "blue"},
                      on_click = function() say("span clicked") end,
                      on_enter = function() say("span entered") end},
          ft.TextSpan{" span two"}}},
      }
      page.floating_action_button = ft.FloatingActionButton{icon = ft.Icons.ADD,
                                                            on_click = function() say("page fab") end}
      page:update()
      say("shown")
    end},
    more)
end)
