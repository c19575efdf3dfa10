// The four Material buttons, as @material/web's md-*-button elements. The label is a span
// in the button's light DOM, so a button's textContent is exactly its text. The icon is one
// of ours (icons.js) in the "icon" slot, which keeps its name out of that textContent.

import { color } from "../colors.js";
import { makeIcon, setIcon } from "../icons.js";
import { setVar } from "./common.js";

// Flet's colors reach the component through its design tokens; the hover, focus and
// pressed variants are set too or the default color comes back under the pointer.
const STATES = ["", "hover-", "focus-", "pressed-"];

function colors(rec, p) {
  const { el, kind } = rec;
  const fg = color(p.color);
  const icon = color(p.icon_color) || fg;
  for (const s of STATES) {
    setVar(el, `--md-${kind}-button-${s}label-text-color`, fg);
    setVar(el, `--md-${kind}-button-${s}icon-color`, icon);
  }
  const bg = color(p.bgcolor);
  setVar(el, `--md-${kind}-button-container-color`, bg);
  // Outlined and text buttons have no container token: paint the host, which already has
  // the button's rounded shape.
  if (kind === "outlined" || kind === "text") el.style.backgroundColor = bg;
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
      return { el, kind, label, icon: null, slots: { content: el } };
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
      disabled: ({ el }, p) => {
        el.disabled = p.disabled === true;
        el.toggleAttribute("data-disabled", p.disabled === true);
      },
    },
  };
}
