-- The layout of the catalog: what places other controls.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Layout",
  controls = {
    {name = "Column", type = "column", children = "controls",
     props = {spacing = "number", run_spacing = "number", alignment = "string",
              horizontal_alignment = "string", wrap = "boolean", scroll = "string"}},
    {name = "Row", type = "row", children = "controls",
     props = {spacing = "number", run_spacing = "number", alignment = "string",
              vertical_alignment = "string", wrap = "boolean", scroll = "string"}},
    {name = "Container", type = "container", children = "content", events = {"click"},
     props = {ink = "boolean", image_src = "string", image_fit = "string", gradient = "any",
              shadow = "any", shape = "string", clip_behavior = "string", blend_mode = "string",
              url = "string"}},
  },
}
