// Properties every control understands. A handler takes the control's record ({el, slots,
// type}) and its current props, and sets the element from them; a removed prop is simply
// missing, so each handler also knows how to reset. Props that act together (the four
// offsets) share one handler, which then runs once per update.

import { color } from "../colors.js";
import { BLUR, FOCUS, HOVER } from "../constants.js";
import { edges, key, px, radius } from "../values.js";

/** Sets a CSS custom property, or removes it for "". */
export function setVar(el, name, value) {
  if (value) el.style.setProperty(name, value);
  else el.style.removeProperty(name);
}

/** Puts `text` in place of `holder[name]`, a text node, with a new node: a change seen as a
 * child list mutation, as setting textContent gives (what waits on the page observe). */
export function replaceText(holder, name, text) {
  const node = document.createTextNode(text);
  holder[name].replaceWith(node);
  holder[name] = node;
}

/** A control's `url` (and `url_target`), as Flet's buttons, tiles and spans have: pressing it
 * opens the URL (http, https or mailto only) in a new tab or the named one. `linkTo(el)`
 * listens once and returns the props handler that keeps the URL current. */
export function linkTo(el) {
  const link = { url: "", target: "" };
  el.addEventListener("click", () => {
    if (link.url && !el.hasAttribute("data-disabled"))
      window.open(link.url, link.target || "_blank", "noopener,noreferrer");
  });
  return (rec, p) => {
    link.url = /^(https?:|mailto:)/i.test(String(p.url ?? "")) ? String(p.url) : "";
    link.target = p.url_target == null ? "" : String(p.url_target);
    rec.el.toggleAttribute("data-link", !!link.url);
  };
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

// rotate (radians, or {angle}), scale (a factor, or {scale, scale_x, scale_y}) and offset
// ({x, y} in fractions of the control's own size) make one CSS transform, as Flutter's
// RotatedBox-free transforms do: they move the drawing, not the layout.
function transform({ el }, p) {
  const parts = [];
  const o = p.offset;
  if (o && typeof o === "object")
    parts.push(`translate(${(Number(o.x) || 0) * 100}%, ${(Number(o.y) || 0) * 100}%)`);
  const r = typeof p.rotate === "number" ? p.rotate : p.rotate?.angle;
  if (typeof r === "number") parts.push(`rotate(${r}rad)`);
  const s = p.scale;
  if (typeof s === "number") parts.push(`scale(${s})`);
  else if (s && typeof s === "object") {
    const both = typeof s.scale === "number" ? s.scale : 1;
    parts.push(`scale(${s.scale_x ?? both}, ${s.scale_y ?? both})`);
  }
  el.style.transform = parts.join(" ");
}

// animate_opacity, animate_size, ... : true (300 ms), a duration in ms, or {duration, curve}
// make the matching CSS properties change smoothly.
const ANIMATED = {
  animate_opacity: ["opacity"],
  animate_size: ["width", "height"],
  animate_position: ["left", "top", "right", "bottom"],
  animate_rotation: ["transform"],
  animate_scale: ["transform"],
  animate_offset: ["transform"],
};
const CURVES = {
  linear: "linear",
  ease: "ease",
  easein: "ease-in",
  easeout: "ease-out",
  easeinout: "ease-in-out",
};
function transition({ el }, p) {
  const parts = new Map();
  for (const [name, props] of Object.entries(ANIMATED)) {
    const a = p[name];
    if (a == null || a === false) continue;
    const ms = a === true ? 300 : typeof a === "number" ? a : Number(a.duration) || 300;
    const curve = CURVES[key(a?.curve ?? "")] ?? "ease";
    for (const prop of props) parts.set(prop, `${prop} ${ms}ms ${curve}`);
  }
  el.style.transition = [...parts.values()].join(", ");
}

// Listens for `type` on the control's element once, whatever later updates do.
function listen(rec, type, handler) {
  rec.listening ??= new Set();
  if (rec.listening.has(type)) return;
  rec.listening.add(type);
  rec.el.addEventListener(type, handler);
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
  rotate: transform,
  scale: transform,
  offset: transform,
  ...Object.fromEntries(Object.keys(ANIMATED).map((k) => [k, transition])),
  // The common events: reported only while the app has the handler (View.emit checks).
  on_hover: (rec, p) => {
    if (p.on_hover !== true) return;
    listen(rec, "mouseenter", () => rec.emit(HOVER, "true"));
    listen(rec, "mouseleave", () => rec.emit(HOVER, "false"));
  },
  on_focus: (rec, p) => {
    if (p.on_focus === true) listen(rec, "focusin", () => rec.emit(FOCUS, ""));
  },
  on_blur: (rec, p) => {
    if (p.on_blur === true) listen(rec, "focusout", () => rec.emit(BLUR, ""));
  },
  // control:focus() on the host: each new number focuses the control (or the first thing in
  // it that takes focus, such as the input inside a text field).
  focus_request: ({ el }, p) => {
    if (typeof p.focus_request !== "number") return;
    requestAnimationFrame(() => el.focus());
  },
  // A child's span in a ResponsiveRow, which lays its children out again (layout.js).
  col: ({ el }, p) => {
    el.lfCol = p.col;
    el.parentElement?.lfRespond?.();
  },
  left: position,
  top: position,
  right: position,
  bottom: position,
};
