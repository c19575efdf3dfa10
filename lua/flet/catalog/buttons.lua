-- The buttons of the catalog: what a person presses.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
-- Flet's buttons share their props; each entry names the same table.
local BUTTON = {text = "string", color = "color", bgcolor = "color", icon = "icon",
                icon_color = "color", content = "control|string", style = "any",
                autofocus = "boolean", url = "string", url_target = "string",
                elevation = "number", clip_behavior = "string", adaptive = "boolean"}

return {
  family = "Buttons",
  controls = {
    {name = "ElevatedButton",
     doc = "A Material button raised on a shadow, for a main action on a busy surface.",
     type = "elevatedbutton", primary = "text", events = {"click"},
     props = BUTTON},
    {name = "FilledButton",
     doc = "A Material button filled with the primary color, for the most important action of a view.",
     type = "filledbutton", primary = "text", events = {"click"},
     props = BUTTON},
    {name = "OutlinedButton",
     doc = "A Material button with an outline and no fill, for a secondary action.",
     type = "outlinedbutton", primary = "text", events = {"click"},
     props = BUTTON},
    {name = "TextButton", doc = "A Material button of text alone, for the least prominent actions.",
     type = "textbutton", primary = "text", events = {"click"},
     props = BUTTON},
    {name = "FilledTonalButton", type = "filledtonalbutton", primary = "text", events = {"click"},
     doc = "A button on a secondary container: between filled and outlined in emphasis.",
     props = BUTTON},
  },
}
