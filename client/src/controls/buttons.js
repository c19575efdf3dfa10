// The Material buttons (elevated, filled, filled tonal, outlined, text), as @material/web's md-*-button elements. The label is a span
// in the button's light DOM, so a button's textContent is exactly its text. The icon is one
// of ours (icons.js) in the "icon" slot, which keeps its name out of that textContent.

import { color } from "../colors.js";
import { makeIcon, setIcon } from "../icons.js";
import { linkTo, setVar } from "./common.js";

// Flet's colors reach the component through its design tokens; the hover, focus and
// pressed variants are set too or the default color comes back under the pointer.
const STATES = ["", "hover-", "focus-", "pressed-"];
// A ButtonStyle's per-state values ({"": c, hovered: c2, ...}) by the token's state prefix.
const FLET_STATE = { "": "", "hover-": "hovered", "focus-": "focused", "pressed-": "pressed" };
// Flet's ControlState names: a table keyed by them is per state, any other is a value.
const STATE_KEYS = new Set([
  "",
  "default",
  "hovered",
  "focused",
  "pressed",
  "dragged",
  "selected",
  "scrolledUnder",
  "scrolled_under",
  "disabled",
  "error",
]);

/** A ButtonStyle value for token state `s` ("", "hover-", ...): a plain value, or Flet's
 * per-state table, whose "" (or "default") entry stands for any state it does not name. */
export function styleValue(v, s = "") {
  if (v == null || typeof v !== "object" || !Object.keys(v).some((k) => STATE_KEYS.has(k)))
    return v;
  return v[FLET_STATE[s]] ?? v[""] ?? v.default;
}

/** The CSS corner radius of a Flet shape: a RoundedRectangleBorder's radius, or fully round
 * for a shape with none (StadiumBorder, CircleBorder); "" without a shape. */
export function shapeRadius(shape) {
  if (!shape || typeof shape !== "object") return "";
  const r = shape.radius;
  if (typeof r === "number") return `${r}px`;
  if (r && typeof r === "object") return `${Number(r.top_left ?? r.topLeft ?? 0)}px`;
  return "9999px";
}

const styleOf = (p) => (p.style && typeof p.style === "object" ? p.style : {});

// The props win over the style, as in Flet.
function colors(rec, p) {
  const { el, kind } = rec;
  const st = styleOf(p);
  for (const s of STATES) {
    const fg = color(p.color ?? styleValue(st.color, s));
    const icon = color(p.icon_color ?? styleValue(st.icon_color, s)) || fg;
    setVar(el, `--md-${kind}-button-${s}label-text-color`, fg);
    setVar(el, `--md-${kind}-button-${s}icon-color`, icon);
  }
  const bg = color(p.bgcolor ?? styleValue(st.bgcolor));
  setVar(el, `--md-${kind}-button-container-color`, bg);
  // Outlined and text buttons have no container token: paint the host, which already has
  // the button's rounded shape.
  if (kind === "outlined" || kind === "text") el.style.backgroundColor = bg;
  const radius = shapeRadius(styleValue(st.shape));
  setVar(el, `--md-${kind}-button-container-shape`, radius);
  el.style.borderRadius = radius;
  const side = styleValue(st.side);
  const sideOk = side && typeof side === "object";
  setVar(el, "--md-outlined-button-outline-color", sideOk ? color(side.color) : "");
  setVar(
    el,
    "--md-outlined-button-outline-width",
    sideOk && typeof side.width === "number" ? `${side.width}px` : "",
  );
  const size = styleValue(st.icon_size);
  setVar(el, `--md-${kind}-button-icon-size`, typeof size === "number" ? `${size}px` : "");
}

function icon(rec, p) {
  const name = typeof p.icon === "string" && p.icon !== "" ? p.icon : null;
  if (!name) {
    rec.icon?.remove();
    rec.icon = null;
    return;
  }
  if (!rec.icon) {
    rec.icon = makeIcon();
    rec.icon.slot = "icon";
    rec.el.prepend(rec.icon);
  }
  setIcon(rec.icon, name);
}

function label({ label: el }, p) {
  const t = p.text ?? (typeof p.content === "string" ? p.content : null);
  el.textContent = t == null ? "" : String(t);
}

export function button(kind) {
  return {
    create() {
      const el = document.createElement(`md-${kind}-button`);
      const label = el.appendChild(document.createElement("span"));
      label.className = "lf-label";
      // `content` (Flet 1.0's way, or a control in 0.2x) goes inside, after the text.
      return { el, kind, label, icon: null, link: linkTo(el), slots: { content: el } };
    },
    className: "lf-button",
    props: {
      // The label: `text`, or `content` when it is a string (Flet 1.0's way of giving it).
      text: label,
      content: label,
      icon,
      color: colors,
      icon_color: colors,
      bgcolor: colors,
      style: colors,
      url: (rec, p) => rec.link(rec, p),
      url_target: (rec, p) => rec.link(rec, p),
      disabled: ({ el }, p) => {
        el.disabled = p.disabled === true;
        el.toggleAttribute("data-disabled", p.disabled === true);
      },
    },
  };
}
