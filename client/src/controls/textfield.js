// TextField, as @material/web's md-outlined-text-field. The text the person types lives in
// the element; the host learns it from change events, sent whether or not the app has an
// on_change (see View.emit), and never needs to send it back, so a value from the host is
// applied only when it differs, which keeps the caret where it is.
//
// Flet's other looks are drawn on the same element: `filled` and border "underline" or
// "none" hide its outline through its tokens and paint the host instead (see luaflet.css).
// The prefix and suffix (icons, controls, the eye of can_reveal_password) sit in the
// field's leading and trailing icon slots, each side in a box that is in the slot only
// while it holds something, so an empty side takes no room.

import { color } from "../colors.js";
import { key } from "../values.js";
import { setVar } from "./common.js";
import { withState } from "./state.js";

const T = "--md-outlined-text-field-";

// Flet's keyboard_type -> the browser's inputmode: the on-screen keyboard to show.
const INPUT_MODES = {
  number: "decimal",
  phone: "tel",
  email: "email",
  url: "url",
  none: "none",
  multiline: "text",
  text: "text",
};

// Flet's capitalization -> the browser's autocapitalize hint.
const CAPITALIZE = { characters: "characters", words: "words", sentences: "sentences" };

// A filter is a regex string, or {regex_string, allow, replacement_string} as Flet's
// InputFilter. An allowing filter keeps text that matches it whole; a denying one replaces
// what matches. Returns the text to keep, or null to refuse the edit.
function filtered(filter, text) {
  const f = typeof filter === "string" ? { regex_string: filter, allow: true } : filter;
  if (!f || typeof f.regex_string !== "string") return text;
  let re;
  try {
    re = new RegExp(f.regex_string, f.allow === false ? "g" : "");
  } catch {
    return text;
  }
  if (f.allow === false) return text.replace(re, String(f.replacement_string ?? ""));
  return re.test(text) ? text : null;
}

function icon(name) {
  const el = document.createElement("md-icon");
  el.dataset.icon = name;
  el.setAttribute("aria-hidden", "true");
  return el;
}

// Puts `side` (a box) into the field's icon slot while it holds anything.
function place(rec, side) {
  const box = rec[side];
  if (box.childElementCount > 0) {
    if (box.parentNode !== rec.el) rec.el.append(box);
  } else box.remove();
}

function adorn(rec, side, p) {
  const box = rec[side];
  const lead = side === "lead";
  const name = lead ? p.prefix_icon : p.suffix_icon;
  rec[side + "Icon"]?.remove();
  rec[side + "Icon"] = null;
  if (typeof name === "string" && name !== "") {
    rec[side + "Icon"] = icon(name);
    if (lead) box.prepend(rec[side + "Icon"]);
    else box.insertBefore(rec[side + "Icon"], rec.reveal?.parentNode === box ? rec.reveal : null);
  }
  place(rec, side);
}

function type(rec, p) {
  const { el } = rec;
  if (p.multiline === true) el.type = "textarea";
  else el.type = p.password === true && !rec.revealed ? "password" : "text";
  const canReveal = p.password === true && p.can_reveal_password === true && !p.multiline;
  if (canReveal && !rec.reveal) {
    rec.reveal = icon("visibility");
    rec.reveal.className = "lf-reveal";
    rec.reveal.setAttribute("role", "button");
    rec.reveal.setAttribute("aria-hidden", "false");
    rec.reveal.setAttribute("aria-label", "Show password");
    rec.reveal.addEventListener("click", () => {
      rec.revealed = !rec.revealed;
      type(rec, rec.props);
    });
    rec.trail.append(rec.reveal);
  } else if (!canReveal && rec.reveal) {
    rec.reveal.remove();
    rec.reveal = null;
    rec.revealed = false;
  }
  if (rec.reveal) rec.reveal.dataset.icon = rec.revealed ? "visibility_off" : "visibility";
  place(rec, "trail");
  rows(rec, p);
}

// A multiline field grows with its text from min_lines to max_lines (no limit: it grows).
function rows(rec, p) {
  if (p.multiline !== true) return;
  const min = Math.max(1, Number(p.min_lines) || 1);
  const max = Number(p.max_lines) > 0 ? Math.max(min, Number(p.max_lines)) : Infinity;
  const lines = String(rec.el.value ?? "").split("\n").length;
  rec.el.rows = Math.min(max, Math.max(min, lines));
}

function look(rec, p) {
  const { el } = rec;
  const border = p.border == null || typeof p.border !== "string" ? "outline" : key(p.border);
  const filled = p.filled === true;
  el.dataset.border = border === "none" || border === "underline" ? border : "outline";
  el.toggleAttribute("data-filled", filled);
  const outline = color(p.border_color);
  const focus = color(p.focused_border_color) || outline;
  setVar(el, `${T}outline-color`, outline);
  setVar(el, `${T}hover-outline-color`, outline);
  setVar(el, `${T}focus-outline-color`, focus);
  const w = typeof p.border_width === "number" ? `${p.border_width}px` : "";
  setVar(el, `${T}outline-width`, w);
  setVar(el, `${T}hover-outline-width`, w);
  const fw = typeof p.focused_border_width === "number" ? `${p.focused_border_width}px` : "";
  setVar(el, `${T}focus-outline-width`, fw);
  const fill = color(p.fill_color) || color(p.bgcolor);
  setVar(el, "--lf-field-fill", fill);
  el.style.backgroundColor = "";
}

function text(rec, p) {
  const { el } = rec;
  const c = color(p.color);
  for (const s of ["", "hover-", "focus-"]) setVar(el, `${T}${s}input-text-color`, c);
  setVar(el, `${T}caret-color`, color(p.cursor_color));
  setVar(el, `${T}focus-caret-color`, color(p.cursor_color));
  const size = typeof p.text_size === "number" ? `${p.text_size}px` : "";
  setVar(el, `${T}input-text-size`, size);
  el.style.textAlign = typeof p.text_align === "string" ? key(p.text_align) : "";
  const dense = p.dense === true ? "8px" : "";
  setVar(el, `${T}top-space`, dense);
  setVar(el, `${T}bottom-space`, dense);
}

function supporting(rec, p) {
  const { el } = rec;
  const err = p.error_text == null || p.error_text === "" ? "" : String(p.error_text);
  el.error = err !== "";
  el.errorText = err;
  const help = p.helper_text == null ? "" : String(p.helper_text);
  const counter = p.counter_text == null ? "" : String(p.counter_text);
  el.supportingText = help && counter ? `${help}  ${counter}` : help || counter;
}

export const textfield = {
  create(_type, emit) {
    const el = document.createElement("md-outlined-text-field");
    // The record is copied by controls.create: state shared with the listeners lives in st.
    const rec = { el, last: "", revealed: false, reveal: null, props: {} };
    rec.lead = document.createElement("span");
    rec.lead.slot = "leading-icon";
    rec.lead.className = "lf-field-side";
    rec.trail = document.createElement("span");
    rec.trail.slot = "trailing-icon";
    rec.trail.className = "lf-field-side";
    rec.prefix = rec.lead.appendChild(document.createElement("span"));
    rec.suffix = document.createElement("span");
    rec.trail.prepend(rec.suffix);
    rec.prefix.className = rec.suffix.className = "lf-field-slot";
    // A prefix or suffix control arrives as a child of its slot box: the side follows.
    const watch = new MutationObserver(() => {
      rec.prefix.hidden = rec.prefix.childElementCount === 0;
      rec.suffix.hidden = rec.suffix.childElementCount === 0;
      const lead = rec.prefix.childElementCount + (rec.leadIcon ? 1 : 0);
      const trail = rec.suffix.childElementCount + (rec.trailIcon ? 1 : 0) + (rec.reveal ? 1 : 0);
      if (lead > 0) el.append(rec.lead);
      else rec.lead.remove();
      if (trail > 0) el.append(rec.trail);
      else rec.trail.remove();
    });
    watch.observe(rec.prefix, { childList: true });
    watch.observe(rec.suffix, { childList: true });
    rec.prefix.hidden = rec.suffix.hidden = true;
    el.addEventListener("input", () => {
      const props = rec.props;
      if (props.input_filter != null) {
        const kept = filtered(props.input_filter, el.value);
        if (kept === null) {
          el.value = rec.last;
          return;
        }
        if (kept !== el.value) el.value = kept;
      }
      rec.last = el.value;
      rows(rec, props);
      emit("change", el.value, { value: true });
    });
    el.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || e.isComposing) return;
      const props = rec.props;
      if (props.multiline === true) {
        // A multiline field takes Enter as a new line, unless shift_enter: then Enter
        // submits and Shift+Enter is the new line.
        if (props.shift_enter !== true || e.shiftKey) return;
        e.preventDefault();
      }
      emit("submit", el.value);
    });
    return { el, st: rec, slots: { prefix: rec.prefix, suffix: rec.suffix } };
  },
  className: "lf-textfield",
  props: withState({
    value: (rec, p) => {
      const v = p.value == null ? "" : String(p.value);
      rec.last = v;
      if (rec.el.value !== v) rec.el.value = v;
      rows(rec, p);
    },
    label: ({ el }, p) => {
      el.label = p.label == null ? "" : String(p.label);
    },
    hint_text: ({ el }, p) => {
      el.placeholder = p.hint_text == null ? "" : String(p.hint_text);
    },
    password: type,
    can_reveal_password: type,
    multiline: type,
    min_lines: rows,
    max_lines: rows,
    prefix_text: ({ el }, p) => {
      el.prefixText = p.prefix_text == null ? "" : String(p.prefix_text);
    },
    suffix_text: ({ el }, p) => {
      el.suffixText = p.suffix_text == null ? "" : String(p.suffix_text);
    },
    prefix_icon: (rec, p) => adorn(rec, "lead", p),
    suffix_icon: (rec, p) => adorn(rec, "trail", p),
    error_text: supporting,
    helper_text: supporting,
    counter_text: supporting,
    max_length: ({ el }, p) => {
      el.maxLength = typeof p.max_length === "number" && p.max_length > 0 ? p.max_length : -1;
    },
    read_only: ({ el }, p) => {
      el.readOnly = p.read_only === true;
    },
    autofocus: ({ el }, p) => {
      el.autofocus = p.autofocus === true;
      if (p.autofocus === true) queueMicrotask(() => el.isConnected && el.focus());
    },
    keyboard_type: ({ el }, p) => {
      el.inputMode = INPUT_MODES[key(p.keyboard_type ?? "")] ?? "";
    },
    capitalization: ({ el }, p) => {
      const c = CAPITALIZE[key(p.capitalization ?? "")];
      if (c) el.setAttribute("autocapitalize", c);
      else el.removeAttribute("autocapitalize");
    },
    // Flet's icon sits outside the field, before it: drawn by luaflet.css from data-icon.
    icon: ({ el }, p) => {
      if (typeof p.icon === "string" && p.icon !== "") el.dataset.icon = p.icon;
      else delete el.dataset.icon;
    },
    autocorrect: ({ el }, p) => {
      el.spellcheck = p.autocorrect !== false;
    },
    border: look,
    filled: look,
    border_color: look,
    focused_border_color: look,
    border_width: look,
    focused_border_width: look,
    fill_color: look,
    bgcolor: look,
    color: text,
    cursor_color: text,
    text_size: text,
    text_align: text,
    dense: text,
    disabled: ({ el }, p) => {
      el.disabled = p.disabled === true;
    },
  }),
};
