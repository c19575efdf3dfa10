-- The views of the catalog: what page.views holds, one per route.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Views",
  controls = {
    -- Only the last of page.views shows; a view that is not the first has a back button
    -- (when it has no app bar of its own), which asks the app to pop it (page.on_view_pop).
    {name = "View", type = "view", children = "controls", events = {"view_pop", "scroll"},
     doc = "One screen of a routed app: page.views holds a stack of them, and the last shows.",
     defaults = {route = "/", spacing = 10, padding = 10},
     props = {route = "string", appbar = "control", floating_action_button = "control",
              floating_action_button_location = "any", navigation_bar = "control",
              bottom_appbar = "control", drawer = "control", end_drawer = "control",
              spacing = "number", scroll = "string", auto_scroll = "boolean",
              on_scroll_interval = "number", scroll_request = "any",
              vertical_alignment = "string", horizontal_alignment = "string",
              fullscreen_dialog = "boolean", can_pop = "boolean"}},
  },
}
