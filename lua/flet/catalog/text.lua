-- The text of the catalog: what shows text.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Text",
  controls = {
    {name = "Text",
     doc = "Shows a string, in a style of the Material type scale or its own font, size, weight and color.",
     type = "text", primary = "value",
     props = {value = "string", size = "number", style = "any", theme_style = "string",
              color = "color", weight = "string", italic = "boolean", text_align = "string",
              selectable = "boolean", max_lines = "number", spans = "controls",
              no_wrap = "boolean", semantics_label = "string", font_family = "string",
              overflow = "string", show_selection_cursor = "boolean",
              enable_interactive_selection = "boolean", selection_cursor_width = "number",
              selection_cursor_height = "number", selection_cursor_color = "color"}},
    -- A run of text inside a Text's spans: a control here (a Flet TextSpan is not), so that
    -- its events reach it and it can be changed on its own.
    {name = "TextSpan", type = "textspan", primary = "text", events = {"click", "enter", "exit"},
     doc = "A run of text inside a Text, with its own style, link and events.",
     props = {text = "string", style = "any", spans = "controls", url = "string",
              url_target = "string", semantics_label = "string", spell_out = "boolean"}},
  },
}
