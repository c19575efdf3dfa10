// Text: a span whose look comes from a Material 3 type-scale style (luaflet.css holds the
// scale) and the props that override it.

import { color } from "../colors.js";
import { ENTER, EXIT } from "../constants.js";
import { key, px } from "../values.js";
import { replaceText } from "./common.js";

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
  const family = p.font_family ?? ts.font_family;
  el.style.fontFamily = family == null ? "" : String(family);
}

function lines({ el }, p) {
  const n = typeof p.max_lines === "number" && p.max_lines > 0 ? p.max_lines : 0;
  el.classList.toggle("lf-clamp", n > 0);
  el.style.webkitLineClamp = n ? String(n) : "";
  el.style.whiteSpace = p.no_wrap === true ? "pre" : "";
}

// A Text's value is a text node before its spans (TextSpan controls, in the element itself).
export const text = {
  create() {
    const el = document.createElement("span");
    const value = el.appendChild(document.createTextNode(""));
    return { el, value, slots: { spans: el } };
  },
  className: "lf-text",
  props: {
    value: (rec, p) => {
      replaceText(rec, "value", p.value == null ? "" : String(p.value));
    },
    size: font,
    weight: font,
    italic: font,
    color: font,
    bgcolor: font,
    style: font,
    theme_style: font,
    font_family: font,
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

// A TextSpan: its text, then its own spans, styled by a TextStyle; url makes it a link that
// opens in a new tab (or url_target), and it reports click, enter and exit.
function spanStyle({ el }, p) {
  const ts = p.style && typeof p.style === "object" ? p.style : {};
  el.style.fontSize = px(ts.size);
  el.style.fontWeight = weight(ts.weight);
  el.style.fontStyle = ts.italic === true ? "italic" : "";
  el.style.color = color(ts.color);
  el.style.backgroundColor = color(ts.bgcolor);
  el.style.letterSpacing = px(ts.letter_spacing);
  el.style.fontFamily = ts.font_family == null ? "" : String(ts.font_family);
  const deco = ts.decoration == null ? [] : [].concat(ts.decoration).map((d) => key(d));
  el.style.textDecorationLine = deco
    .map((d) =>
      d === "underline"
        ? "underline"
        : d === "linethrough"
          ? "line-through"
          : d === "overline"
            ? "overline"
            : "",
    )
    .filter(Boolean)
    .join(" ");
  el.style.textDecorationColor = color(ts.decoration_color);
}

export const textspan = {
  create(_type, emit) {
    const el = document.createElement("span");
    const value = el.appendChild(document.createTextNode(""));
    // State the listener shares with the prop handlers (the registry copies the record).
    const st = { url: "", target: "" };
    const rec = { el, value, st, slots: { spans: el } };
    el.addEventListener("mouseenter", () => emit(ENTER, ""));
    el.addEventListener("mouseleave", () => emit(EXIT, ""));
    el.addEventListener("click", (e) => {
      if (!st.url || e.target.closest(".lf-textspan") !== el) return;
      window.open(st.url, st.target || "_blank", "noopener,noreferrer");
    });
    return rec;
  },
  className: "lf-textspan",
  props: {
    text: (rec, p) => {
      replaceText(rec, "value", p.text == null ? "" : String(p.text));
    },
    style: spanStyle,
    url: (rec, p) => {
      rec.st.url = /^(https?:|mailto:)/i.test(String(p.url ?? "")) ? String(p.url) : "";
      rec.el.toggleAttribute("data-link", !!rec.st.url);
    },
    url_target: (rec, p) => {
      rec.st.target = p.url_target == null ? "" : String(p.url_target);
    },
  },
};
