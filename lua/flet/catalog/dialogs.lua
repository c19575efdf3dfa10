-- The dialogs of the catalog: what shows over the page until it is dismissed.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
--
-- Each is shown with page:open(c) and hidden with page:close(c), as Flet 0.25 does (or the
-- older page.dialog / snack_bar / banner / bottom_sheet and c.open = true). One dismissed in
-- the browser (Escape, a click outside, a snack bar's time running out) reports `dismiss`,
-- which sets `open` false on the server (echo) and runs on_dismiss.
return {
  family = "Dialogs",
  controls = {
    {name = "AlertDialog", type = "alertdialog", events = {"dismiss"},
     echo = {dismiss = "open"},
     doc = "A dialog over a scrim with a title, content and actions; modal ones are "
       .. "dismissed only by the app.",
     defaults = {open = false, modal = false, actions_alignment = "end", scrollable = false},
     props = {open = "boolean", modal = "boolean", title = "control|string",
              content = "control|string", actions = "controls", icon = "control|string",
              actions_alignment = "string", elevation = "number", title_padding = "any",
              content_padding = "any", actions_padding = "any", inset_padding = "any",
              icon_padding = "any", action_button_padding = "any", shape = "any",
              surface_tint_color = "color", shadow_color = "color", icon_color = "color",
              scrollable = "boolean", actions_overflow_button_spacing = "number",
              content_text_style = "any", title_text_style = "any",
              clip_behavior = "string", semantics_label = "string",
              barrier_color = "color", adaptive = "boolean"}},
    {name = "SnackBar", type = "snackbar", children = "content",
     events = {"action", "visible", "dismiss"}, echo = {dismiss = "open"},
     doc = "A short message at the bottom of the page that goes after `duration` ms, "
       .. "with an optional action.",
     defaults = {open = false, duration = 4000, show_close_icon = false,
                 behavior = "fixed"},
     props = {open = "boolean", action = "string", action_color = "color",
              close_icon_color = "color", show_close_icon = "boolean", duration = "number",
              behavior = "string", dismiss_direction = "string", elevation = "number",
              shape = "any", clip_behavior = "string",
              action_overflow_threshold = "number"}},
    {name = "Banner", type = "banner", children = "content", events = {"visible"},
     doc = "A message across the top of the page with actions, shown until the app "
       .. "closes it.",
     defaults = {open = false, force_actions_below = false},
     props = {open = "boolean", leading = "control", actions = "controls",
              leading_padding = "any", content_padding = "any",
              force_actions_below = "boolean", surface_tint_color = "color",
              shadow_color = "color", divider_color = "color", elevation = "number",
              content_text_style = "any"}},
    {name = "BottomSheet", type = "bottomsheet", children = "content", events = {"dismiss"},
     echo = {dismiss = "open"},
     doc = "A sheet that rises from the bottom of the page over a scrim.",
     defaults = {open = false, dismissible = true, enable_drag = false,
                 show_drag_handle = false, use_safe_area = true,
                 is_scroll_controlled = false},
     props = {open = "boolean", elevation = "number", dismissible = "boolean",
              enable_drag = "boolean", show_drag_handle = "boolean",
              use_safe_area = "boolean", is_scroll_controlled = "boolean",
              maintain_bottom_view_insets_padding = "boolean"}},
  },
}
