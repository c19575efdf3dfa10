-- The inputs of the catalog: what a person types or picks a value with.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Inputs",
  controls = {
    -- The text typed into a TextField reaches `value` through its change events.
    {name = "TextField", type = "textfield", primary = "value", events = {"change", "submit"},
     echo = {change = "value"},
     props = {value = "string", label = "string", hint_text = "string", password = "boolean"}},
  },
}
