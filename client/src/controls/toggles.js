// Checkbox, Switch, Radio and RadioGroup: a native <input> drawn with Material 3's shapes
// and colors by luaflet.css (the @material/web elements for them would cost more of the
// page's bundle than these together), in a <label> with the control's text, so clicking
// the text toggles too. label_position "left" puts the text first.
//
// Each reports its new value with emit(..., {value: true}), so the host keeps `value`
// current without an on_change; a Radio reports through its RadioGroup, which owns the
// value, as in Flet.

import { color } from "../colors.js";
import { key } from "../values.js";
import { setVar } from "./common.js";
import { withState } from "./state.js";

function box(kind, inputType) {
  const el = document.createElement("label");
  const input = el.appendChild(document.createElement("input"));
  input.type = inputType;
  input.className = `lf-${kind}-input`;
  if (kind === "switch") input.setAttribute("role", "switch");
  const text = el.appendChild(document.createElement("span"));
  text.className = "lf-toggle-label";
  return { el, input, text };
}

// A Flet color, or a ControlState map of them ({selected: ..., "": ...}): the color for
// `state`, falling back to the default entry.
function stateColor(v, state) {
  if (typeof v === "string") return color(v);
  if (!v || typeof v !== "object") return "";
  return color(v[state] ?? v[state.toUpperCase()] ?? v[""] ?? v.default ?? v.DEFAULT);
}

const label = (st, p) => {
  st.text.textContent = p.label == null ? "" : String(p.label);
  st.text.hidden = st.text.textContent === "";
  st.el.classList.toggle("lf-label-left", key(p.label_position ?? "") === "left");
};
const disabled = (st, p) => {
  st.input.disabled = p.disabled === true;
};
const autofocus = (st, p) => {
  st.input.autofocus = p.autofocus === true;
  if (p.autofocus === true) queueMicrotask(() => st.input.isConnected && st.input.focus());
};

// ---- Checkbox ----

// Shows value: true, false, or null/absent with tristate (the dash). A change of tristate
// alone keeps the state shown, which may be the person's since the host last set one.
function checkState(st, p) {
  const v = p.value;
  st.value = v === true ? true : v === false || p.tristate !== true ? false : null;
  showCheck(st);
}

function showCheck(st) {
  if (st.value === undefined) return checkState(st, st.props);
  if (st.value === null && st.props.tristate !== true) st.value = false;
  st.input.checked = st.value === true;
  st.input.indeterminate = st.value === null;
}

export const checkbox = {
  create(_type, emit) {
    const st = box("checkbox", "checkbox");
    st.value = undefined; // until the props say
    st.input.addEventListener("change", () => {
      // Flutter's order: false -> true -> (tristate: null ->) false.
      const tri = st.props?.tristate === true;
      const next =
        st.value !== true && st.value !== null ? true : st.value === true && tri ? null : false;
      st.value = next;
      st.input.checked = next === true;
      st.input.indeterminate = next === null;
      emit("change", next === null ? "" : String(next), { value: true });
    });
    return { el: st.el, st };
  },
  className: "lf-checkbox",
  props: withState({
    value: checkState,
    tristate: showCheck,
    label,
    label_position: label,
    disabled,
    autofocus,
    check_color: (st, p) => setVar(st.el, "--lf-check-color", color(p.check_color)),
    fill_color: checkColors,
    active_color: checkColors,
    is_error: (st, p) => st.el.toggleAttribute("data-error", p.is_error === true),
  }),
};

function checkColors(st, p) {
  setVar(st.el, "--lf-fill", color(p.active_color) || stateColor(p.fill_color, "selected"));
}

// ---- Switch ----

function switchColors(st, p) {
  const { el } = st;
  setVar(el, "--lf-thumb-on", color(p.active_color) || stateColor(p.thumb_color, "selected"));
  setVar(el, "--lf-thumb-off", color(p.inactive_thumb_color) || stateColor(p.thumb_color, ""));
  setVar(el, "--lf-track-on", color(p.active_track_color) || stateColor(p.track_color, "selected"));
  setVar(el, "--lf-track-off", color(p.inactive_track_color) || stateColor(p.track_color, ""));
}

export const switchControl = {
  create(_type, emit) {
    const st = box("switch", "checkbox");
    st.input.addEventListener("change", () => {
      emit("change", String(st.input.checked), { value: true });
    });
    return { el: st.el, st };
  },
  className: "lf-switch",
  props: withState({
    value: (st, p) => {
      st.input.checked = p.value === true;
    },
    label,
    label_position: label,
    disabled,
    autofocus,
    active_color: switchColors,
    active_track_color: switchColors,
    inactive_thumb_color: switchColors,
    inactive_track_color: switchColors,
    thumb_color: switchColors,
    track_color: switchColors,
  }),
};

// ---- RadioGroup and Radio ----

// The radios a group owns: those inside it whose nearest group it is.
function radiosOf(group) {
  return [...group.querySelectorAll("input.lf-radio-input")].filter(
    (r) => r.closest(".lf-radiogroup") === group,
  );
}

function syncGroup(group) {
  for (const r of radiosOf(group)) r.checked = r.value === group.lfValue && group.lfValue != null;
}

export const radiogroup = {
  create(_type, emit) {
    const el = document.createElement("div");
    el.lfValue = null;
    // A radio chosen by the person: the group takes its value and reports it.
    el.addEventListener("change", (e) => {
      const r = e.target;
      if (!(r instanceof HTMLInputElement) || !r.classList.contains("lf-radio-input")) return;
      if (r.closest(".lf-radiogroup") !== el) return;
      el.lfValue = r.value;
      syncGroup(el);
      emit("change", r.value, { value: true });
    });
    return { el, slots: { content: el } };
  },
  className: "lf-radiogroup",
  props: {
    value: ({ el }, p) => {
      el.lfValue = p.value == null ? null : String(p.value);
      syncGroup(el);
    },
  },
};

export const radio = {
  create() {
    const st = box("radio", "radio");
    // A radio added to a group takes the group's state once it is in place (it is built
    // before it is inserted).
    queueMicrotask(() => {
      const group = st.el.closest(".lf-radiogroup");
      if (group) syncGroup(group);
    });
    return { el: st.el, st };
  },
  className: "lf-radio",
  props: withState({
    value: (st, p) => {
      st.input.value = p.value == null ? "" : String(p.value);
      const group = st.el.closest(".lf-radiogroup");
      if (group) syncGroup(group);
    },
    label,
    label_position: label,
    disabled,
    autofocus,
    active_color: radioColors,
    fill_color: radioColors,
  }),
};

function radioColors(st, p) {
  setVar(st.el, "--lf-fill", color(p.active_color) || stateColor(p.fill_color, "selected"));
}
