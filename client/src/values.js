// Turns Flet property values (numbers meaning logical pixels, enum names, padding and
// alignment objects) into CSS values. Each returns "" for "no value", which clears the
// style property it is assigned to.

/** Lower-cases an enum name and drops separators, so "spaceBetween", "SPACE_BETWEEN" and
 * "space_between" compare equal. */
export const key = (v) =>
  String(v)
    .replace(/[\s_-]/g, "")
    .toLowerCase();

/** A length: numbers are pixels, strings such as "50%" pass through. */
export function px(v) {
  if (typeof v === "number" && Number.isFinite(v)) return `${v}px`;
  if (typeof v !== "string") return "";
  return /^-?\d+(\.\d+)?$/.test(v.trim()) ? `${v.trim()}px` : v;
}

// Flet writes sides and corners both spelled out and abbreviated.
const side = (v, long, short) => px(v[long] ?? v[short] ?? 0);

/** Padding or margin: one number for all sides, or {left, top, right, bottom}. */
export function edges(v) {
  if (v == null || typeof v !== "object") return px(v);
  return [
    ["top", "t"],
    ["right", "r"],
    ["bottom", "b"],
    ["left", "l"],
  ]
    .map(([l, s]) => side(v, l, s))
    .join(" ");
}

/** A border radius: one number, or the four corners by name. */
export function radius(v) {
  if (v == null || typeof v !== "object") return px(v);
  const corner = (snake, camel, short) => px(v[snake] ?? v[camel] ?? v[short] ?? 0);
  return [
    corner("top_left", "topLeft", "tl"),
    corner("top_right", "topRight", "tr"),
    corner("bottom_right", "bottomRight", "br"),
    corner("bottom_left", "bottomLeft", "bl"),
  ].join(" ");
}

// "safe" keeps content that overflows a centred or end-aligned box reachable instead of
// pushing it past the top or left edge.
const MAIN = {
  start: "flex-start",
  center: "safe center",
  end: "safe flex-end",
  spacebetween: "space-between",
  spacearound: "space-around",
  spaceevenly: "space-evenly",
};
const CROSS = {
  start: "flex-start",
  center: "safe center",
  end: "safe flex-end",
  stretch: "stretch",
  baseline: "baseline",
};

/** MainAxisAlignment as justify-content. */
export const mainAxis = (v) => (v == null ? "" : (MAIN[key(v)] ?? ""));
/** CrossAxisAlignment as align-items. */
export const crossAxis = (v) => (v == null ? "" : (CROSS[key(v)] ?? ""));

const STEP = {
  top: "flex-start",
  left: "flex-start",
  center: "center",
  bottom: "flex-end",
  right: "flex-end",
};
const fromUnit = (n) => (n < -0.33 ? "flex-start" : n > 0.33 ? "flex-end" : "center");

/** A Flet Alignment ("center", "topLeft", "bottom_right" or {x, y} in -1..1) as the
 * [vertical, horizontal] flex alignment of a box's child, or null for none. */
export function alignment(v) {
  if (v == null) return null;
  if (typeof v === "object") return [fromUnit(Number(v.y) || 0), fromUnit(Number(v.x) || 0)];
  const k = key(v);
  if (k === "center") return ["center", "center"];
  const m = /^(top|center|bottom)(left|center|right)$/.exec(k);
  return m ? [STEP[m[1]], STEP[m[2]]] : null;
}

/** A ScrollMode (or true) as an overflow value; none means the content is clipped. */
export function overflow(v) {
  if (v == null || v === false) return "";
  const k = key(v);
  return k === "always" ? "scroll" : k === "hidden" ? "hidden" : "auto";
}
