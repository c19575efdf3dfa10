// Text: a span whose look comes from a Material 3 type-scale style (luaflet.css holds the
// scale) and the props that override it.

import { color } from "../colors.js";
import { key, px } from "../values.js";

const SCALE = ["display", "headline", "title", "body", "label"].flatMap((role) =>
  ["Large", "Medium", "Small"].map((size) => role + size),
);
const scaleName = new Map(SCALE.map((name) => [name.toLowerCase(), name]));

const ALIGN = {
  left: "left",
  right: "right",
  center: "center",
  justify: "justify",
  start: "start",
  end: "end",
};

/** A FontWeight ("bold", "normal", "w100".."w900", or a number) as a CSS font-weight. */
export function weight(v) {
  if (typeof v === "number") return String(v);
  if (v == null) return "";
  const k = key(v);
  if (k === "bold") return "700";
  if (k === "normal") return "400";
  return /^w[1-9]00$/.test(k) ? k.slice(1) : "";
}

// `style` is a type-scale name in older Flet and a TextStyle object in newer Flet, where the
// scale name moved to `theme_style`; the plain props win over the object's fields.
function font({ el }, p) {
  const ts = p.style && typeof p.style === "object" ? p.style : {};
  const scale = p.theme_style ?? (typeof p.style === "string" ? p.style : null);
  const name = scale == null ? undefined : scaleName.get(key(scale));
  if (name) el.dataset.style = name;
  else delete el.dataset.style;
  const size = p.size ?? ts.size;
  el.style.fontSize = px(size);
  el.style.fontWeight = weight(p.weight ?? ts.weight);
  el.style.fontStyle = (p.italic ?? ts.italic) === true ? "italic" : "";
  el.style.color = color(p.color ?? ts.color);
  el.style.backgroundColor = color(p.bgcolor ?? ts.bgcolor);
}

function lines({ el }, p) {
  const n = typeof p.max_lines === "number" && p.max_lines > 0 ? p.max_lines : 0;
  el.classList.toggle("lf-clamp", n > 0);
  el.style.webkitLineClamp = n ? String(n) : "";
  el.style.whiteSpace = p.no_wrap === true ? "pre" : "";
}

export const text = {
  create: () => ({ el: document.createElement("span") }),
  className: "lf-text",
  props: {
    value: ({ el }, p) => {
      el.textContent = p.value == null ? "" : String(p.value);
    },
    size: font,
    weight: font,
    italic: font,
    color: font,
    bgcolor: font,
    style: font,
    theme_style: font,
    text_align: ({ el }, p) => {
      el.style.textAlign = p.text_align == null ? "" : (ALIGN[key(p.text_align)] ?? "");
    },
    selectable: ({ el }, p) => {
      el.toggleAttribute("data-selectable", p.selectable === true);
    },
    max_lines: lines,
    no_wrap: lines,
  },
};
