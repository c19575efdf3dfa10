// The dialogs: AlertDialog, SnackBar, Banner and BottomSheet, drawn with Material 3's specs
// in luaflet.css. Each is shown while its `open` prop is true. One the person dismisses
// (Escape, a click on the scrim, a snack bar's time running out) hides at once and reports
// `dismiss` as a value (View.emit), so the host's `open` follows even without on_dismiss.
//
// Each create() returns its state as `st` (the registry copies the record create() returns,
// so the listeners and the prop handlers share this object instead).

import { color } from "../colors.js";
import { ACTION, DISMISS, VISIBLE } from "../constants.js";
import { edges, mainAxis, px } from "../values.js";
import { iconElement, setIcon, showLayer, textOf } from "./layers.js";

export const div = (parent, className) => {
  const el = parent.appendChild(document.createElement("div"));
  el.className = className;
  return el;
};

const isOpen = (st) => st.el.hasAttribute("data-open");

// Hides the layer and tells the host.
function dismiss(st) {
  if (!isOpen(st)) return;
  st.close?.();
  showLayer(st, false);
  st.emit(DISMISS, "", { value: true });
}

// Shows or hides a layer that Escape dismisses unless st.blocking says not to.
function show(st, on) {
  showLayer(st, on, st.blocking ? null : () => dismiss(st));
}

// The common props that belong on the surface, not on the full-page layer holding it and
// its scrim.
const onSurface = {
  bgcolor: ({ st }, p) => {
    st.surface.style.backgroundColor = color(p.bgcolor);
  },
  padding: ({ st }, p) => {
    st.surface.style.padding = edges(p.padding);
  },
  width: ({ st }, p) => {
    st.surface.style.width = px(p.width);
  },
  height: ({ st }, p) => {
    st.surface.style.height = px(p.height);
  },
  elevation: ({ st }, p) => {
    st.surface.style.boxShadow = typeof p.elevation === "number" && p.elevation <= 0 ? "none" : "";
  },
};

// `open` for a layer with a scrim: Escape dismisses it unless it blocks (modal).
const openLayer = ({ st }, p) => {
  if ((p.open === true) !== isOpen(st)) show(st, p.open === true);
};

// `open` for a dialog: as openLayer, and the dialog takes the focus, so that the keyboard
// is in it (Tab reaches its actions first).
const openDialog = (rec, p) => {
  const was = isOpen(rec.st);
  openLayer(rec, p);
  if (!was && isOpen(rec.st))
    requestAnimationFrame(() => rec.st.surface.focus({ preventScroll: true }));
};

export const alertdialog = {
  create(_type, emit) {
    const el = document.createElement("div");
    const scrim = div(el, "lf-scrim");
    const surface = div(el, "lf-dialog");
    surface.setAttribute("role", "dialog");
    surface.tabIndex = -1;
    const icon = div(surface, "lf-dialog-icon");
    const title = div(surface, "lf-dialog-title");
    const titleText = title.appendChild(document.createElement("span"));
    const content = div(surface, "lf-dialog-content");
    const contentText = content.appendChild(document.createElement("span"));
    const actions = div(surface, "lf-dialog-actions");
    const st = { el, emit, surface, scrim, icon, title, titleText, content, contentText, actions };
    st.blocking = false;
    scrim.addEventListener("click", () => {
      if (!st.blocking) dismiss(st);
    });
    return { el, st, slots: { icon, title, content, actions } };
  },
  className: "lf-dialog-layer",
  props: {
    ...onSurface,
    open: openDialog,
    modal: ({ st }, p) => {
      st.blocking = p.modal === true;
      if (isOpen(st)) show(st, true);
    },
    icon: ({ st }, p) => setIcon(st.icon, typeof p.icon === "string" ? p.icon : null),
    title: ({ st }, p) => textOf(st.titleText, p.title),
    content: ({ st }, p) => textOf(st.contentText, p.content),
    actions_alignment: ({ st }, p) => {
      st.actions.style.justifyContent = mainAxis(p.actions_alignment);
    },
    barrier_color: ({ st }, p) => {
      st.scrim.style.backgroundColor = color(p.barrier_color);
    },
    icon_color: ({ st }, p) => {
      st.surface.style.color = color(p.icon_color);
    },
    title_padding: ({ st }, p) => {
      st.title.style.padding = edges(p.title_padding);
    },
    content_padding: ({ st }, p) => {
      st.content.style.padding = edges(p.content_padding);
    },
    actions_padding: ({ st }, p) => {
      st.actions.style.padding = edges(p.actions_padding);
    },
    scrollable: ({ st }, p) => {
      st.surface.toggleAttribute("data-scrollable", p.scrollable === true);
    },
  },
};

// The snack bar shown: a new one takes its place, as Flutter's ScaffoldMessenger does.
let currentSnack = null;

export const snackbar = {
  create(_type, emit) {
    const el = document.createElement("div");
    const content = div(el, "lf-snackbar-content");
    const action = el.appendChild(document.createElement("button"));
    action.className = "lf-snackbar-action";
    action.hidden = true;
    const closeIcon = el.appendChild(document.createElement("button"));
    closeIcon.className = "lf-snackbar-close";
    closeIcon.setAttribute("aria-label", "Close");
    closeIcon.append(iconElement("close"));
    closeIcon.hidden = true;
    const st = { el, emit, surface: el, action, closeIcon, timer: 0 };
    st.close = () => {
      clearTimeout(st.timer);
      st.timer = 0;
    };
    // The action hides the snack bar too, as Flutter's does.
    action.addEventListener("click", (e) => {
      e.stopPropagation();
      emit(ACTION, "");
      dismiss(st);
    });
    closeIcon.addEventListener("click", (e) => {
      e.stopPropagation();
      dismiss(st);
    });
    return { el, st, slots: { content } };
  },
  className: "lf-snackbar",
  props: {
    open: ({ st }, p) => {
      const on = p.open === true;
      if (on === isOpen(st)) return;
      st.close();
      show(st, on);
      if (!on) return;
      if (currentSnack && currentSnack !== st) dismiss(currentSnack);
      currentSnack = st;
      const ms = typeof p.duration === "number" && p.duration > 0 ? p.duration : 4000;
      st.timer = setTimeout(() => dismiss(st), ms);
      st.emit(VISIBLE, "");
    },
    action: ({ st }, p) => {
      st.action.textContent = p.action == null ? "" : String(p.action);
      st.action.hidden = p.action == null || p.action === "";
    },
    action_color: ({ st }, p) => {
      st.action.style.color = color(p.action_color);
    },
    show_close_icon: ({ st }, p) => {
      st.closeIcon.hidden = p.show_close_icon !== true;
    },
    close_icon_color: ({ st }, p) => {
      st.closeIcon.style.color = color(p.close_icon_color);
    },
    behavior: ({ el }, p) => {
      el.toggleAttribute("data-floating", String(p.behavior ?? "").toLowerCase() === "floating");
    },
  },
};

export const banner = {
  create(_type, emit) {
    const el = document.createElement("div");
    const row = div(el, "lf-banner-row");
    const leading = div(row, "lf-banner-leading");
    const content = div(row, "lf-banner-content");
    const actions = div(el, "lf-banner-actions");
    // The page's controls move down under an open banner, as Flutter's Scaffold body does.
    new window.ResizeObserver(() => {
      const shown = el.hasAttribute("data-open") ? `${el.offsetHeight}px` : "";
      el.closest(".lf-page")?.style.setProperty("--lf-banner-height", shown || null);
    }).observe(el);
    return { el, st: { el, emit, leading, content }, slots: { leading, content, actions } };
  },
  className: "lf-banner",
  props: {
    // A banner stays until the app closes it: Escape leaves it.
    open: ({ st }, p) => {
      const on = p.open === true;
      if (on === isOpen(st)) return;
      showLayer(st, on);
      if (on) st.emit(VISIBLE, "");
    },
    force_actions_below: ({ el }, p) => {
      el.toggleAttribute("data-actions-below", p.force_actions_below === true);
    },
    content_padding: ({ st }, p) => {
      st.content.style.padding = edges(p.content_padding);
    },
    leading_padding: ({ st }, p) => {
      st.leading.style.padding = edges(p.leading_padding);
    },
    divider_color: ({ el }, p) => {
      el.style.borderBottomColor = color(p.divider_color);
    },
  },
};

export const bottomsheet = {
  create(_type, emit) {
    const el = document.createElement("div");
    const scrim = div(el, "lf-scrim");
    const surface = div(el, "lf-sheet");
    div(surface, "lf-sheet-handle");
    const content = div(surface, "lf-sheet-content");
    const st = { el, emit, surface, blocking: false };
    scrim.addEventListener("click", () => {
      if (!st.blocking) dismiss(st);
    });
    return { el, st, slots: { content } };
  },
  className: "lf-sheet-layer",
  props: {
    ...onSurface,
    open: openLayer,
    dismissible: ({ st }, p) => {
      st.blocking = p.dismissible === false;
      if (isOpen(st)) show(st, true);
    },
    show_drag_handle: ({ st }, p) => {
      st.surface.toggleAttribute("data-handle", p.show_drag_handle === true);
    },
    is_scroll_controlled: ({ st }, p) => {
      st.surface.toggleAttribute("data-tall", p.is_scroll_controlled === true);
    },
  },
};
