-- The text of the catalog: what shows text.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Text",
  controls = {
    {name = "Text", type = "text", primary = "value",
     props = {value = "string", size = "number", style = "any", theme_style = "string",
              color = "color", weight = "string", italic = "boolean", text_align = "string",
              selectable = "boolean", max_lines = "number"}},
  },
}
