// SearchBar, DatePicker and TimePicker, drawn in Material 3's look by luaflet.css.
//
// The search bar is M3's pill (surface container high, a search icon, the hint); a tap
// opens its view below it, which lists the bar's controls (the suggestions) and shows
// view_hint_text, until Escape, a click elsewhere, or the app's close_view().
//
// The pickers are M3 dialogs in the browser's top layer (a modal <dialog>), shown while
// their `open` prop is true; they take the date or time in the input form Flutter's pickers
// also offer (DatePickerEntryMode.input), with Cancel and OK as M3 text buttons. Closing
// reports change (OK) or dismiss with Flet's e.data, and the host sets `open` back to false.

import { color } from "../colors.js";
import { popup } from "./popups.js";
import { withState } from "./state.js";

function iconEl(name) {
  const el = document.createElement("md-icon");
  el.dataset.icon = name;
  el.setAttribute("aria-hidden", "true");
  return el;
}

// ---- SearchBar ----

function showView(st, open) {
  st.el.toggleAttribute("data-open", open);
  // A press anywhere else closes the view.
  popup(st.el, open ? () => showView(st, false) : null);
  const p = st.props;
  const hint = open && p.view_hint_text != null ? p.view_hint_text : p.bar_hint_text;
  st.input.placeholder = hint == null ? "" : String(hint);
}

export const searchbar = {
  create(_type, emit) {
    const el = document.createElement("div");
    const st = { el, props: {} };
    st.bar = el.appendChild(document.createElement("div"));
    st.bar.className = "lf-searchbar-bar";
    st.lead = st.bar.appendChild(document.createElement("span"));
    st.lead.className = "lf-searchbar-leading";
    st.icon = st.bar.appendChild(iconEl("search"));
    st.input = st.bar.appendChild(document.createElement("input"));
    st.input.type = "search";
    st.input.className = "lf-searchbar-input";
    st.trail = st.bar.appendChild(document.createElement("span"));
    st.trail.className = "lf-searchbar-trailing";
    st.view = el.appendChild(document.createElement("div"));
    st.view.className = "lf-searchbar-view";
    st.view.setAttribute("role", "listbox");
    st.hidden = el.appendChild(document.createElement("div"));
    st.hidden.hidden = true;
    // Opening the view is the tap: the host learns it (the view is open) even without on_tap.
    st.input.addEventListener("pointerdown", () => {
      if (st.props.disabled === true || el.hasAttribute("data-open")) return;
      showView(st, true);
      emit("tap", "", { value: true });
    });
    st.input.addEventListener("input", () => {
      emit("change", st.input.value, { value: true });
    });
    st.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") emit("submit", st.input.value);
      else if (e.key === "Escape") showView(st, false);
    });
    return {
      el,
      st,
      // The view's own leading and trailing controls are not drawn: kept out of sight.
      slots: {
        controls: st.view,
        bar_leading: st.lead,
        bar_trailing: st.trail,
        view_leading: st.hidden,
        view_trailing: st.hidden,
      },
    };
  },
  className: "lf-searchbar",
  props: withState({
    value: (st, p) => {
      const v = p.value == null ? "" : String(p.value);
      if (st.input.value !== v) st.input.value = v;
    },
    bar_hint_text: (st) => showView(st, st.el.hasAttribute("data-open")),
    view_hint_text: (st) => showView(st, st.el.hasAttribute("data-open")),
    // open is set by the app's open_view()/close_view() and echoed by a tap.
    open: (st, p) => showView(st, p.open === true),
    bar_bgcolor: (st, p) => {
      st.bar.style.backgroundColor = color(p.bar_bgcolor);
    },
    view_bgcolor: (st, p) => {
      st.view.style.backgroundColor = color(p.view_bgcolor);
    },
    disabled: (st, p) => {
      st.input.disabled = p.disabled === true;
      st.el.toggleAttribute("data-disabled", p.disabled === true);
    },
    autofocus: (st, p) => {
      if (p.autofocus === true) queueMicrotask(() => st.input.isConnected && st.input.focus());
    },
  }),
};

// ---- DatePicker and TimePicker ----

const pad = (n) => String(n).padStart(2, "0");

function dialog(st, title, confirm) {
  const d = st.dialog;
  d.className = "lf-picker-dialog";
  st.help = d.appendChild(document.createElement("div"));
  st.help.className = "lf-picker-help";
  st.help.textContent = title;
  st.input = d.appendChild(document.createElement("input"));
  st.input.className = "lf-picker-input";
  const actions = d.appendChild(document.createElement("div"));
  actions.className = "lf-picker-actions";
  st.cancel = actions.appendChild(document.createElement("md-text-button"));
  st.cancel.textContent = "Cancel";
  st.ok = actions.appendChild(document.createElement("md-text-button"));
  st.ok.textContent = "OK";
  st.cancel.addEventListener("click", () => st.close(null));
  st.ok.addEventListener("click", () => st.close(confirm()));
  // Escape cancels.
  d.addEventListener("cancel", (e) => {
    e.preventDefault();
    st.close(null);
  });
}

function texts(st, p, help, cancel, ok) {
  st.help.textContent = p.help_text == null ? help : String(p.help_text);
  st.cancel.textContent = p.cancel_text == null ? cancel : String(p.cancel_text);
  st.ok.textContent = p.confirm_text == null ? ok : String(p.confirm_text);
}

function openState(st, p) {
  const d = st.dialog;
  if (p.open === true && !d.open) {
    st.fill(p);
    if (d.isConnected) d.showModal();
    else queueMicrotask(() => d.isConnected && !d.open && st.props.open === true && d.showModal());
  } else if (p.open !== true && d.open) d.close();
}

function picker(kind, emit) {
  const el = document.createElement("div");
  const st = { el, props: {}, dialog: el.appendChild(document.createElement("dialog")) };
  st.close = (value) => {
    st.dialog.close();
    st.props.open = false;
    // The host keeps what was picked without sending it back: the picker keeps it too.
    if (value != null) st.value = value;
    if (value == null) emit("dismiss", st.current(), { value: true });
    else emit("change", value, { value: true });
  };
  return st;
}

// The value the picker opens on: the host's, or the one picked since (which the host keeps
// without sending it back, so the control's props still hold the one before).
function pickerValue(st, p) {
  st.value = p.value == null ? null : String(p.value);
  if (!st.dialog.open) st.fill(p);
}

// A date as Dart's DateTime.toIso8601String() writes a local midnight.
const isoDate = (ymd) => `${ymd}T00:00:00.000`;
const ymdOf = (v) => (typeof v === "string" ? v.slice(0, 10) : "");

export const datepicker = {
  create(_type, emit) {
    const st = picker("date", emit);
    dialog(st, "Select date", () => (st.input.value ? isoDate(st.input.value) : null));
    st.input.type = "date";
    // Flutter's initial date: the value, else current_date, else today.
    st.fill = (p) => {
      const now = new Date();
      const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
      st.input.value = ymdOf(st.value) || ymdOf(p.current_date) || today;
    };
    // Flet's dismiss carries the value the picker had (or its current date, or "").
    st.current = () => {
      const p = st.props;
      return ymdOf(st.value)
        ? isoDate(ymdOf(st.value))
        : ymdOf(p.current_date)
          ? isoDate(ymdOf(p.current_date))
          : "";
    };
    return { el: st.el, st };
  },
  className: "lf-picker",
  props: withState({
    open: openState,
    value: pickerValue,
    first_date: (st, p) => {
      st.input.min = ymdOf(p.first_date) || "1900-01-01";
    },
    last_date: (st, p) => {
      st.input.max = ymdOf(p.last_date) || "2050-01-01";
    },
    help_text: (st, p) => texts(st, p, "Select date", "Cancel", "OK"),
    cancel_text: (st, p) => texts(st, p, "Select date", "Cancel", "OK"),
    confirm_text: (st, p) => texts(st, p, "Select date", "Cancel", "OK"),
  }),
};

// A time as Flet sends it: "H:M", without leading zeros.
const flatTime = (hm) => hm.split(":").slice(0, 2).map(Number).join(":");

export const timepicker = {
  create(_type, emit) {
    const st = picker("time", emit);
    dialog(st, "Select time", () => (st.input.value ? flatTime(st.input.value) : null));
    st.input.type = "time";
    const hm = (v) => {
      const m = /^(\d{1,2}):(\d{1,2})/.exec(typeof v === "string" ? v : "");
      return m ? `${pad(m[1])}:${pad(m[2])}` : "";
    };
    st.fill = (p) => {
      const now = new Date();
      st.input.value = hm(st.value) || `${pad(now.getHours())}:${pad(now.getMinutes())}`;
    };
    st.current = () => flatTime(hm(st.value) || st.input.value || "0:0");
    return { el: st.el, st };
  },
  className: "lf-picker",
  props: withState({
    open: openState,
    value: pickerValue,
    help_text: (st, p) => texts(st, p, "Select time", "Cancel", "OK"),
    cancel_text: (st, p) => texts(st, p, "Select time", "Cancel", "OK"),
    confirm_text: (st, p) => texts(st, p, "Select time", "Cancel", "OK"),
  }),
};
