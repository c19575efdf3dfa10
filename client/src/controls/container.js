// Container: a box around at most one child, with padding, margin, background, border and
// rounded corners. Like Flutter's, a Container without `alignment` hands its own size on to
// its child (the child fills it); with `alignment` it places the child inside and fills its
// parent's cross axis (luaflet.css holds both rules).

import { color } from "../colors.js";
import { alignment, edges, px, radius } from "../values.js";

// A border is {width, color} for all four sides, or Flet's per-side form
// {left: {width, color}, ...} (also spelled {l: {w, c}, ...}).
function borderSide(side) {
  if (!side || typeof side !== "object") return "";
  const width = side.width ?? side.w ?? 1;
  const c = color(side.color ?? side.c) || "black";
  return width > 0 ? `${px(width)} solid ${c}` : "";
}

function border({ el }, p) {
  const b = p.border;
  const uniform =
    b && typeof b === "object" && ("width" in b || "color" in b || "w" in b || "c" in b);
  for (const [long, short, css] of [
    ["top", "t", "borderTop"],
    ["right", "r", "borderRight"],
    ["bottom", "b", "borderBottom"],
    ["left", "l", "borderLeft"],
  ]) {
    el.style[css] = uniform ? borderSide(b) : borderSide(b?.[long] ?? b?.[short]);
  }
}

export const container = {
  create() {
    const el = document.createElement("div");
    return { el, slots: { content: el } };
  },
  className: "lf-container",
  props: {
    padding: ({ el }, p) => {
      el.style.padding = edges(p.padding);
    },
    margin: ({ el }, p) => {
      el.style.margin = edges(p.margin);
    },
    bgcolor: ({ el }, p) => {
      el.style.backgroundColor = color(p.bgcolor);
    },
    border,
    // Rounded corners clip the content, as Flet's Container does once it has a radius.
    border_radius: ({ el }, p) => {
      el.style.borderRadius = radius(p.border_radius);
      el.style.overflow = p.border_radius ? "hidden" : "";
    },
    alignment: ({ el }, p) => {
      const a = alignment(p.alignment);
      el.toggleAttribute("data-align", a !== null);
      el.style.justifyContent = a ? a[0] : "";
      el.style.alignItems = a ? a[1] : "";
    },
  },
};
