-- The buttons of the catalog: what a person presses.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Buttons",
  controls = {
    {name = "ElevatedButton", type = "elevatedbutton", primary = "text", events = {"click"},
     props = {text = "string", color = "color", bgcolor = "color", icon = "icon",
              icon_color = "color", content = "control|string", style = "any", autofocus = "boolean",
              url = "string", url_target = "string", elevation = "number", clip_behavior = "string",
              adaptive = "boolean"}},
    {name = "FilledButton", type = "filledbutton", primary = "text", events = {"click"},
     props = {text = "string", color = "color", bgcolor = "color", icon = "icon",
              icon_color = "color", content = "control|string", style = "any", autofocus = "boolean",
              url = "string", url_target = "string", elevation = "number", clip_behavior = "string",
              adaptive = "boolean"}},
    {name = "OutlinedButton", type = "outlinedbutton", primary = "text", events = {"click"},
     props = {text = "string", color = "color", bgcolor = "color", icon = "icon",
              icon_color = "color", content = "control|string", style = "any", autofocus = "boolean",
              url = "string", url_target = "string", elevation = "number", clip_behavior = "string",
              adaptive = "boolean"}},
    {name = "TextButton", type = "textbutton", primary = "text", events = {"click"},
     props = {text = "string", color = "color", bgcolor = "color", icon = "icon",
              icon_color = "color", content = "control|string", style = "any", autofocus = "boolean",
              url = "string", url_target = "string", elevation = "number", clip_behavior = "string",
              adaptive = "boolean"}},
    {name = "FilledTonalButton", type = "filledtonalbutton", primary = "text", events = {"click"},
     doc = "A button on a secondary container: between filled and outlined in emphasis.",
     props = {text = "string", color = "color", bgcolor = "color", icon = "icon",
              icon_color = "color", content = "control|string", style = "any", autofocus = "boolean",
              url = "string", url_target = "string", elevation = "number", clip_behavior = "string",
              adaptive = "boolean"}},
  },
}
