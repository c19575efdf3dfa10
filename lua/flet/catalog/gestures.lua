-- The gestures of the catalog: controls that report what the pointer does to their content,
-- and drag and drop between them.
--
-- Data only, read by flet.schema (see its `controls` for what an entry holds). A new control
-- of this family is one entry here and a renderer in client/src/controls/.
return {
  family = "Gestures",
  controls = {
    {name = "GestureDetector", type = "gesturedetector", children = "content",
     events = {"tap", "tap_down", "tap_up", "secondary_tap", "double_tap", "long_press",
               "long_press_start", "long_press_end", "enter", "exit", "pan_start",
               "pan_update", "pan_end", "horizontal_drag_start", "horizontal_drag_update",
               "horizontal_drag_end", "vertical_drag_start", "vertical_drag_update",
               "vertical_drag_end"},
     doc = "Reports taps, long presses, the pointer hovering and pans over its content.",
     defaults = {drag_interval = 0, hover_interval = 0},
     props = {mouse_cursor = "string", drag_interval = "number", hover_interval = "number",
              exclude_from_semantics = "boolean", allowed_devices = "any"}},
    {name = "Draggable", type = "draggable", children = "content",
     events = {"drag_start", "drag_complete"},
     doc = "Content the pointer can drag onto a DragTarget of the same group.",
     defaults = {group = "default"},
     props = {group = "string", content_when_dragging = "control",
              content_feedback = "control", axis = "string", affinity = "string",
              max_simultaneous_drags = "number"}},
    {name = "DragTarget", type = "dragtarget", children = "content",
     events = {"will_accept", "accept", "leave", "move"},
     doc = "Content that accepts a Draggable of the same group dropped on it.",
     defaults = {group = "default"},
     props = {group = "string"}},
  },
}
