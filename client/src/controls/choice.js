// Dropdown with its options, and SegmentedButton with its segments, in Material 3's look
// drawn by luaflet.css: the dropdown is an outlined field (label on its border once it
// has a value) that opens a menu of its options below it; the segmented button is a row of
// outlined segments, the chosen ones filled with the secondary container color and a
// check. Both report the choice with emit(..., {value: true}) so the host keeps `value`
// (`selected`) current without a handler.

import { color } from "../colors.js";
import { popup } from "./popups.js";
import { withState } from "./state.js";

function iconEl(name) {
  const el = document.createElement("md-icon");
  el.dataset.icon = name;
  el.setAttribute("aria-hidden", "true");
  return el;
}

// ---- Dropdown ----

// The options a dropdown holds, as elements (its "options" slot).
const optionsOf = (st) => [...st.menu.children].filter((o) => o.classList.contains("lf-option"));
const optionKey = (o) => o.dataset.key ?? "";

function refresh(st) {
  const p = st.props;
  const value = st.value;
  let shown = "";
  for (const o of optionsOf(st)) {
    const on = value !== null && optionKey(o) === value;
    o.setAttribute("aria-selected", String(on));
    if (on) shown = o.dataset.text ?? optionKey(o);
  }
  st.text.textContent = shown;
  const hint = p.hint_text == null ? "" : String(p.hint_text);
  st.hint.textContent = shown === "" ? hint : "";
  st.el.toggleAttribute("data-has-value", shown !== "");
  st.label.textContent = p.label == null ? "" : String(p.label);
  st.label.hidden = st.label.textContent === "";
  const help = p.error_text || p.helper_text;
  st.help.textContent = help == null ? "" : String(help);
  st.help.hidden = st.help.textContent === "";
  st.el.toggleAttribute("data-error", p.error_text != null && p.error_text !== "");
  st.field.setAttribute("aria-disabled", String(p.disabled === true));
  st.el.toggleAttribute("data-disabled", p.disabled === true);
  st.field.tabIndex = p.disabled === true ? -1 : 0;
  st.el.style.setProperty("--lf-field-color", color(p.border_color));
  st.el.style.setProperty("--lf-field-focus-color", color(p.focused_border_color));
  if (!color(p.border_color)) st.el.style.removeProperty("--lf-field-color");
  if (!color(p.focused_border_color)) st.el.style.removeProperty("--lf-field-focus-color");
  st.field.style.backgroundColor = p.filled === true ? color(p.fill_color) || "" : "";
  st.el.toggleAttribute("data-filled", p.filled === true);
}

function setOpen(st, open) {
  if (open && st.props.disabled === true) return;
  st.el.toggleAttribute("data-open", open);
  st.field.setAttribute("aria-expanded", String(open));
  // A press anywhere else closes the menu.
  popup(st.el, open ? () => setOpen(st, false) : null);
  if (open) {
    const sel = optionsOf(st).find((o) => o.getAttribute("aria-selected") === "true");
    (sel ?? optionsOf(st)[0])?.focus();
  }
}

export const dropdown = {
  create(_type, emit) {
    const el = document.createElement("div");
    // The value shown: the host's, or the one picked since (which the host does not send
    // back, so the control's props still hold the one before).
    const st = { el, props: {}, value: null };
    st.field = el.appendChild(document.createElement("div"));
    st.field.className = "lf-dropdown-field";
    st.field.setAttribute("role", "combobox");
    st.field.setAttribute("aria-expanded", "false");
    st.field.tabIndex = 0;
    st.label = st.field.appendChild(document.createElement("span"));
    st.label.className = "lf-dropdown-label";
    st.text = st.field.appendChild(document.createElement("span"));
    st.text.className = "lf-dropdown-text";
    st.hint = st.field.appendChild(document.createElement("span"));
    st.hint.className = "lf-dropdown-hint";
    st.field.appendChild(iconEl("arrow_drop_down")).classList.add("lf-dropdown-arrow");
    st.menu = el.appendChild(document.createElement("div"));
    st.menu.className = "lf-dropdown-menu";
    st.menu.setAttribute("role", "listbox");
    st.help = el.appendChild(document.createElement("div"));
    st.help.className = "lf-dropdown-help";
    st.field.addEventListener("click", () => setOpen(st, !el.hasAttribute("data-open")));
    st.field.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " " || e.key === "ArrowDown") {
        e.preventDefault();
        setOpen(st, true);
      }
    });
    const choose = (o) => {
      setOpen(st, false);
      st.field.focus();
      if (!o || o.getAttribute("aria-disabled") === "true") return;
      const k = optionKey(o);
      st.value = k; // the host's copy follows through the echo, and is not sent back
      refresh(st);
      emit("change", k, { value: true });
      emit("select", k);
    };
    st.menu.addEventListener("click", (e) => choose(e.target.closest?.(".lf-option")));
    st.menu.addEventListener("keydown", (e) => {
      const all = optionsOf(st);
      const at = all.indexOf(document.activeElement);
      if (e.key === "Escape") {
        setOpen(st, false);
        st.field.focus();
      } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        all[(at + step + all.length) % all.length]?.focus();
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        choose(all[at]);
      }
    });
    // Options come and go as children of the menu: what is shown follows.
    new MutationObserver(() => refresh(st)).observe(st.menu, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-key", "data-text"],
    });
    return { el, st, slots: { options: st.menu } };
  },
  className: "lf-dropdown",
  props: withState({
    ...Object.fromEntries(
      [
        "label",
        "hint_text",
        "helper_text",
        "error_text",
        "disabled",
        "border_color",
        "focused_border_color",
        "filled",
        "fill_color",
      ].map((n) => [n, refresh]),
    ),
    autofocus: (st, p) => {
      if (p.autofocus === true) queueMicrotask(() => st.field.isConnected && st.field.focus());
    },
    value: (st, p) => {
      st.value = p.value == null ? null : String(p.value);
      refresh(st);
    },
  }),
};

export const dropdownoption = {
  create() {
    const el = document.createElement("div");
    el.setAttribute("role", "option");
    el.tabIndex = -1;
    const text = el.appendChild(document.createElement("span"));
    text.className = "lf-option-text";
    const content = el.appendChild(document.createElement("span"));
    content.className = "lf-option-content";
    return { el, text, slots: { content } };
  },
  className: "lf-option",
  props: {
    // The key (sent as option_key) is what is chosen; the text (the key when there is none)
    // what is shown.
    option_key: optionText,
    text: optionText,
    disabled: ({ el }, p) => {
      el.setAttribute("aria-disabled", String(p.disabled === true));
    },
  },
};

function optionText({ el, text }, p) {
  const k = p.option_key ?? p.text;
  const t = p.text ?? p.option_key;
  el.dataset.key = k == null ? "" : String(k);
  el.dataset.text = t == null ? "" : String(t);
  text.textContent = el.dataset.text;
}

// ---- SegmentedButton ----

const segmentsOf = (st) => [...st.el.children].filter((s) => s.classList.contains("lf-segment"));

function selectedList(p) {
  return Array.isArray(p.selected) ? p.selected.map(String) : [];
}

function showSelected(st) {
  const p = st.props;
  const chosen = new Set(st.selected);
  const check = p.show_selected_icon !== false;
  const icon = typeof p.selected_icon === "string" && p.selected_icon ? p.selected_icon : "check";
  for (const s of segmentsOf(st)) {
    const on = chosen.has(s.dataset.value ?? "");
    s.setAttribute("aria-pressed", String(on));
    s.lfCheck.dataset.icon = icon;
    s.lfCheck.hidden = !(on && check);
  }
  st.el.classList.toggle("lf-vertical", String(p.direction ?? "").toLowerCase() === "vertical");
  for (const s of segmentsOf(st)) s.disabled = p.disabled === true;
  st.el.toggleAttribute("data-disabled", p.disabled === true);
}

export const segmentedbutton = {
  create(_type, emit) {
    const el = document.createElement("div");
    el.setAttribute("role", "group");
    const st = { el, props: {}, selected: [] }; // selected: as value is for the dropdown
    el.addEventListener("click", (e) => {
      const s = e.target.closest?.(".lf-segment");
      if (!s || s.parentNode !== el || st.props.disabled === true) return;
      const p = st.props;
      const v = s.dataset.value ?? "";
      let now = st.selected;
      if (p.allow_multiple_selection === true) {
        now = now.includes(v) ? now.filter((x) => x !== v) : [...now, v];
      } else {
        now = now.includes(v) && p.allow_empty_selection === true ? [] : [v];
      }
      if (now.length === 0 && p.allow_empty_selection !== true) return;
      st.selected = now; // the host's copy follows through the echo, and is not sent back
      showSelected(st);
      emit("change", JSON.stringify(now), { value: true });
    });
    new MutationObserver(() => showSelected(st)).observe(el, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-value"],
    });
    return { el, st, slots: { segments: el } };
  },
  className: "lf-segmented",
  props: withState({
    selected: (st, p) => {
      st.selected = selectedList(p);
      showSelected(st);
    },
    show_selected_icon: showSelected,
    selected_icon: showSelected,
    direction: showSelected,
    disabled: showSelected,
  }),
};

export const segment = {
  create() {
    const el = document.createElement("button");
    el.type = "button";
    el.lfCheck = el.appendChild(iconEl("check"));
    el.lfCheck.classList.add("lf-segment-check");
    el.lfCheck.hidden = true;
    const icon = el.appendChild(document.createElement("span"));
    icon.className = "lf-segment-icon";
    const label = el.appendChild(document.createElement("span"));
    label.className = "lf-segment-label";
    return { el, icon, label, slots: { icon, label } };
  },
  className: "lf-segment",
  props: {
    value: ({ el }, p) => {
      el.dataset.value = p.value == null ? "" : String(p.value);
    },
    // A string label or icon name comes as a prop; a control as a child of the slot.
    label: ({ label }, p) => {
      label.querySelector(":scope > .lf-segment-text")?.remove();
      if (typeof p.label === "string" || typeof p.label === "number") {
        const t = label.appendChild(document.createElement("span"));
        t.className = "lf-segment-text";
        t.textContent = String(p.label);
      }
    },
    icon: ({ icon }, p) => {
      icon.querySelector(":scope > md-icon")?.remove();
      if (typeof p.icon === "string" && p.icon !== "") icon.append(iconEl(p.icon));
    },
  },
};
