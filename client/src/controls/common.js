// Properties every control understands. A handler takes the control's record ({el, slots,
// type}) and its current props, and sets the element from them; a removed prop is simply
// missing, so each handler also knows how to reset. Props that act together (the four
// offsets) share one handler, which then runs once per update.

import { px } from "../values.js";

/** Sets a CSS custom property, or removes it for "". */
export function setVar(el, name, value) {
  if (value) el.style.setProperty(name, value);
  else el.style.removeProperty(name);
}

function position({ el }, p) {
  const sides = ["left", "top", "right", "bottom"];
  for (const s of sides) el.style[s] = px(p[s]);
  // Offsets only mean something for a control laid over its parent, as in Flet's Stack and
  // the page overlay, so any offset takes the control out of the flow.
  el.style.position = sides.some((s) => p[s] != null) ? "absolute" : "";
}

function expand({ el }, p) {
  const grow = p.expand === true ? 1 : typeof p.expand === "number" && p.expand > 0 ? p.expand : 0;
  // A zero basis shares the free space by the factors alone, like Flutter's Expanded, and a
  // zero minimum lets an expanded scrolling column be smaller than its content.
  el.style.flex = grow ? `${grow} 1 0%` : "";
  el.style.minWidth = el.style.minHeight = grow ? "0" : "";
}

export const COMMON = {
  width: ({ el }, p) => {
    el.style.width = px(p.width);
  },
  height: ({ el }, p) => {
    el.style.height = px(p.height);
  },
  expand,
  visible: ({ el }, p) => {
    el.hidden = p.visible === false;
  },
  disabled: ({ el }, p) => {
    el.toggleAttribute("data-disabled", p.disabled === true);
  },
  opacity: ({ el }, p) => {
    el.style.opacity = typeof p.opacity === "number" ? String(p.opacity) : "";
  },
  tooltip: ({ el }, p) => {
    if (p.tooltip == null || p.tooltip === "") el.removeAttribute("title");
    else el.title = String(p.tooltip);
  },
  on_click: ({ el }, p) => {
    el.toggleAttribute("data-clickable", p.on_click === true);
  },
  left: position,
  top: position,
  right: position,
  bottom: position,
};
