// Slider and RangeSlider: native range inputs drawn as Material 3's slider by luaflet.css
// (a 4 px track whose active part is painted from --lf-from to --lf-to, a 20 px thumb, and
// the value label above the thumb while it is dragged, as Flutter's). A RangeSlider is two
// inputs over one track; only their thumbs take the pointer.
//
// e.data is as Flutter sends it: a number as Dart prints a double ("5.0", "0.25").

import { color } from "../colors.js";
import { setVar } from "./common.js";
import { withState } from "./state.js";

/** A number as Dart's double.toString() writes it. */
export const dartDouble = (v) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

function range(p) {
  const min = typeof p.min === "number" ? p.min : 0;
  const max = typeof p.max === "number" && p.max > min ? p.max : Math.max(min + 1, 1);
  return { min, max };
}

function input(st, cls) {
  const el = st.track.appendChild(document.createElement("input"));
  el.type = "range";
  el.className = cls;
  return el;
}

function setup(st, p) {
  const { min, max } = range(p);
  const div = typeof p.divisions === "number" && p.divisions > 0 ? p.divisions : 0;
  for (const i of st.inputs) {
    i.min = String(min);
    i.max = String(max);
    i.step = div ? String((max - min) / div) : "any";
    i.disabled = p.disabled === true;
  }
  st.el.toggleAttribute("data-ticks", div > 0);
  setVar(st.el, "--lf-ticks", div > 0 ? String(div) : "");
}

// The label text for value v: Flet's label with {value} replaced, rounded to `round` places.
function labelText(p, v) {
  if (p.label == null || p.label === "") return "";
  const places = typeof p.round === "number" ? Math.max(0, Math.min(20, p.round)) : 0;
  return String(p.label).replaceAll("{value}", v.toFixed(places));
}

function paint(st) {
  const p = st.props;
  const { min, max } = range(p);
  const frac = (v) => `${((Math.min(max, Math.max(min, v)) - min) / (max - min)) * 100}%`;
  const values = st.inputs.map((i) => Number(i.value));
  const from = values.length > 1 ? values[0] : min;
  const to = values[values.length - 1];
  setVar(st.el, "--lf-from", frac(from));
  setVar(st.el, "--lf-to", frac(to));
  st.labels.forEach((l, n) => {
    l.textContent = labelText(p, values[n]);
    l.style.left = frac(values[n]);
  });
}

function colors(st, p) {
  setVar(st.el, "--lf-active", color(p.active_color));
  setVar(st.el, "--lf-inactive", color(p.inactive_color));
  setVar(st.el, "--lf-thumb", color(p.thumb_color) || color(p.active_color));
}

function make(count) {
  const el = document.createElement("div");
  const st = { el, inputs: [], labels: [], props: {} };
  st.track = el.appendChild(document.createElement("div"));
  st.track.className = "lf-slider-track";
  for (let n = 0; n < count; n++) {
    st.inputs.push(input(st, "lf-slider-input"));
    const l = st.track.appendChild(document.createElement("span"));
    l.className = "lf-slider-label";
    st.labels.push(l);
  }
  // While a thumb is held, its label shows (data-dragging) and change_start/change_end
  // bracket the changes.
  const start = (emitStart) => {
    if (st.dragging) return;
    st.dragging = true;
    el.toggleAttribute("data-dragging", true);
    emitStart();
  };
  const end = (emitEnd) => {
    if (!st.dragging) return;
    st.dragging = false;
    el.toggleAttribute("data-dragging", false);
    emitEnd();
  };
  return { st, start, end };
}

export const slider = {
  create(_type, emit) {
    const { st, start, end } = make(1);
    const [i] = st.inputs;
    const value = () => dartDouble(Number(i.value));
    i.addEventListener("pointerdown", () => start(() => emit("change_start", value())));
    i.addEventListener("keydown", () => start(() => emit("change_start", value())));
    i.addEventListener("input", () => {
      paint(st);
      emit("change", value(), { value: true });
    });
    i.addEventListener("change", () => end(() => emit("change_end", value())));
    i.addEventListener("pointerup", () => end(() => emit("change_end", value())));
    return { el: st.el, st };
  },
  className: "lf-slider",
  props: withState({
    value: sliderValues,
    min: sliderLimits,
    max: sliderLimits,
    divisions: sliderLimits,
    disabled: sliderLimits,
    label: paint,
    round: paint,
    active_color: colors,
    inactive_color: colors,
    thumb_color: colors,
    autofocus: (st, p) => {
      if (p.autofocus === true)
        queueMicrotask(() => st.inputs[0].isConnected && st.inputs[0].focus());
    },
  }),
};

// The value(s) the host sets, after the limits (a range input clamps its value to them).
function sliderValues(st, p) {
  setup(st, p);
  if (st.inputs.length > 1) rangeValues(st, p);
  else st.inputs[0].value = String(typeof p.value === "number" ? p.value : range(p).min);
  paint(st);
}

// New limits keep the values shown, which may be the person's since the host last set one
// (it does not send those back, so the control's props still hold the one before).
function sliderLimits(st, p) {
  const shown = st.inputs.map((i) => i.value);
  setup(st, p);
  st.inputs.forEach((i, n) => (i.value = shown[n]));
  paint(st);
}

function rangeValues(st, p) {
  const { min } = range(p);
  const s = typeof p.start_value === "number" ? p.start_value : min;
  const e = typeof p.end_value === "number" ? p.end_value : s;
  st.inputs[0].value = String(s);
  st.inputs[1].value = String(Math.max(s, e));
}

export const rangeslider = {
  create(_type, emit) {
    const { st, start, end } = make(2);
    const [a, b] = st.inputs;
    st.el.classList.add("lf-range");
    for (const i of st.inputs) {
      i.addEventListener("pointerdown", () => start(() => emit("change_start", "")));
      i.addEventListener("keydown", () => start(() => emit("change_start", "")));
      i.addEventListener("input", () => {
        // The thumbs never cross: the one moved stops at the other.
        if (Number(a.value) > Number(b.value)) {
          if (i === a) a.value = b.value;
          else b.value = a.value;
        }
        paint(st);
        emit("change", `${dartDouble(Number(a.value))},${dartDouble(Number(b.value))}`, {
          value: true,
        });
      });
      i.addEventListener("change", () => end(() => emit("change_end", "")));
      i.addEventListener("pointerup", () => end(() => emit("change_end", "")));
    }
    return { el: st.el, st };
  },
  className: "lf-slider",
  props: withState({
    start_value: sliderValues,
    end_value: sliderValues,
    min: sliderLimits,
    max: sliderLimits,
    divisions: sliderLimits,
    disabled: sliderLimits,
    label: paint,
    round: paint,
    active_color: colors,
    inactive_color: colors,
  }),
};
