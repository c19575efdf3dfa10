// The navigation controls: AppBar, BottomAppBar, NavigationBar, NavigationRail,
// NavigationDrawer and their destinations, MenuBar with SubmenuButton and MenuItemButton,
// and PopupMenuButton with PopupMenuItem, drawn with Material 3's specs in luaflet.css.
//
// A bar, rail or drawer marks its selected destination (data-selected) itself, from its
// selected_index and again whenever its destinations change; a click on a destination selects
// it at once and reports `change` with its index as a value (View.emit), so the host's
// selected_index follows even without on_change. Each create() returns its state as `st`
// (the registry copies the record create() returns, so listeners and handlers share it).

import { color } from "../colors.js";
import { CANCEL, CANCELLED, CHANGE, CLICK, CLOSE, DISMISS, OPEN, SELECT } from "../constants.js";
import { key, px } from "../values.js";
import { div } from "./dialogs.js";
import { setIcon, showLayer, textOf } from "./layers.js";

// ---- AppBar, BottomAppBar ----

export const appbar = {
  create() {
    const el = document.createElement("header");
    const leading = div(el, "lf-appbar-leading");
    const title = div(el, "lf-appbar-title");
    const titleText = title.appendChild(document.createElement("span"));
    const actions = div(el, "lf-appbar-actions");
    return { el, st: { leading, title, titleText }, slots: { leading, title, actions } };
  },
  className: "lf-appbar",
  props: {
    title: ({ st }, p) => textOf(st.titleText, p.title),
    center_title: ({ el }, p) => {
      el.toggleAttribute("data-center", p.center_title === true);
    },
    leading_width: ({ st }, p) => {
      st.leading.style.width = px(p.leading_width);
    },
    toolbar_height: ({ el }, p) => {
      el.style.height = px(p.toolbar_height);
    },
    color: ({ el }, p) => {
      el.style.color = color(p.color);
    },
    elevation: ({ el }, p) => {
      el.toggleAttribute("data-raised", typeof p.elevation === "number" && p.elevation > 0);
    },
    title_spacing: ({ st }, p) => {
      st.title.style.paddingInline = px(p.title_spacing);
    },
    toolbar_opacity: ({ el }, p) => {
      el.style.opacity = typeof p.toolbar_opacity === "number" ? String(p.toolbar_opacity) : "";
    },
  },
};

export const bottomappbar = {
  create() {
    const el = document.createElement("div");
    return { el, slots: { content: el } };
  },
  className: "lf-bottomappbar",
  props: {
    elevation: ({ el }, p) => {
      el.style.boxShadow = typeof p.elevation === "number" && p.elevation <= 0 ? "none" : "";
    },
  },
};

// ---- Destinations ----

// A destination: an indicator holding the icon (or selected icon, when selected), then the
// label. An icon or selected icon that is a control (or icon_content, selected_icon_content)
// goes in the same box as the named one.
function destination(className) {
  return {
    create() {
      const el = document.createElement("div");
      const pill = div(el, "lf-dest-pill");
      const icon = div(pill, "lf-dest-icon");
      const selected = div(pill, "lf-dest-selected");
      const label = div(el, "lf-dest-label");
      const labelText = label.appendChild(document.createElement("span"));
      return {
        el,
        st: { icon, selected, labelText },
        slots: {
          icon,
          icon_content: icon,
          selected_icon: selected,
          selected_icon_content: selected,
          label_content: label,
        },
      };
    },
    className: `lf-dest ${className}`,
    props: {
      label: ({ st }, p) => textOf(st.labelText, p.label),
      icon: ({ st }, p) => setIcon(st.icon, p.icon),
      selected_icon: ({ st }, p) => setIcon(st.selected, p.selected_icon),
      indicator_color: ({ el }, p) => {
        el.style.setProperty("--lf-indicator", color(p.indicator_color) || null);
      },
      // Flet's drawer destination spells it bgColor on the wire; ours is bgcolor, for the pill.
      bgcolor: ({ el }, p) => {
        el.style.setProperty("--lf-dest-bg", color(p.bgcolor) || null);
      },
    },
  };
}

export const navigationbardestination = destination("lf-navbar-dest");
export const navigationraildestination = destination("lf-rail-dest");
export const navigationdrawerdestination = destination("lf-drawer-dest");

// The destinations of a bar, rail or drawer: the children of `box` of type `type`, in order.
const destinationsIn = (box, type) =>
  [...box.children].filter((c) => c.dataset.type === type && !c.hidden);

function markSelected(st) {
  destinationsIn(st.box, st.destType).forEach((d, i) =>
    d.toggleAttribute("data-selected", i === st.selected),
  );
}

// Makes `box` hold destinations of `destType` for the control whose state is st: a click on
// one selects it and reports it; a change to the list marks the selected one again.
function selectable(st, box, destType, emit, fallback) {
  st.box = box;
  st.destType = destType;
  st.selected = fallback;
  box.addEventListener("click", (e) => {
    const dests = destinationsIn(box, destType);
    const d = dests.find((x) => e.composedPath().includes(x));
    if (!d || d.hasAttribute("data-disabled")) return;
    st.selected = dests.indexOf(d);
    markSelected(st);
    emit(CHANGE, String(st.selected), { value: true });
  });
  new window.MutationObserver(() => markSelected(st)).observe(box, { childList: true });
}

const selectedIndex =
  (fallback) =>
  ({ st }, p) => {
    st.selected = typeof p.selected_index === "number" ? p.selected_index : fallback;
    markSelected(st);
  };

const indicatorColor = ({ el }, p) => {
  el.style.setProperty("--lf-indicator", color(p.indicator_color) || null);
};

// ---- NavigationBar ----

const LABEL_BEHAVIOR = { alwaysshow: "all", alwayshide: "none", onlyshowselected: "selected" };

export const navigationbar = {
  create(_type, emit) {
    const el = document.createElement("nav");
    const st = {};
    selectable(st, el, "navigationbardestination", emit, 0);
    return { el, st: Object.assign(st, { el }), slots: { destinations: el } };
  },
  className: "lf-navbar",
  props: {
    selected_index: selectedIndex(0),
    indicator_color: indicatorColor,
    label_behavior: ({ el }, p) => {
      el.dataset.labels =
        p.label_behavior == null ? "all" : (LABEL_BEHAVIOR[key(p.label_behavior)] ?? "all");
    },
    elevation: ({ el }, p) => {
      el.style.boxShadow = typeof p.elevation === "number" && p.elevation <= 0 ? "none" : "";
    },
  },
};

// ---- NavigationRail ----

export const navigationrail = {
  create(_type, emit) {
    const el = document.createElement("nav");
    const leading = div(el, "lf-rail-leading");
    const group = div(el, "lf-rail-group");
    const trailing = div(el, "lf-rail-trailing");
    const st = { el, group };
    selectable(st, group, "navigationraildestination", emit, null);
    return { el, st, slots: { leading, destinations: group, trailing } };
  },
  className: "lf-rail",
  props: {
    selected_index: selectedIndex(null),
    indicator_color: indicatorColor,
    extended: ({ el }, p) => {
      el.toggleAttribute("data-extended", p.extended === true);
    },
    label_type: ({ el }, p) => {
      const k = p.label_type == null ? "none" : key(p.label_type);
      el.dataset.labels = k === "all" || k === "selected" ? k : "none";
    },
    min_width: ({ el }, p) => {
      el.style.setProperty("--lf-rail-width", px(p.min_width) || null);
    },
    min_extended_width: ({ el }, p) => {
      el.style.setProperty("--lf-rail-extended-width", px(p.min_extended_width) || null);
    },
    // -1 puts the destinations at the top, 0 in the middle, 1 at the bottom.
    group_alignment: ({ st }, p) => {
      const a = typeof p.group_alignment === "number" ? p.group_alignment : -1;
      st.group.style.justifyContent = a < -0.33 ? "" : a > 0.33 ? "flex-end" : "center";
    },
  },
};

// ---- NavigationDrawer ----

// The drawer is a layer over the page: a scrim and the panel, which slides in from the
// start, or from the end when it is the page's end_drawer (luaflet.css). The person closes it
// with Escape or a click on the scrim: it reports `dismiss` as the value of `open`.
export const navigationdrawer = {
  create(_type, emit) {
    const el = document.createElement("div");
    const scrim = div(el, "lf-scrim");
    const panel = div(el, "lf-drawer-panel");
    panel.setAttribute("role", "navigation");
    const st = { el, emit, panel };
    const dismiss = () => {
      if (!el.hasAttribute("data-open")) return;
      showLayer(st, false);
      emit(DISMISS, "", { value: true });
    };
    st.dismiss = dismiss;
    scrim.addEventListener("click", dismiss);
    selectable(st, panel, "navigationdrawerdestination", emit, 0);
    return { el, st, slots: { controls: panel } };
  },
  className: "lf-drawer",
  props: {
    open: ({ st }, p) => {
      const on = p.open === true;
      if (on !== st.el.hasAttribute("data-open")) showLayer(st, on, st.dismiss);
    },
    selected_index: selectedIndex(0),
    indicator_color: indicatorColor,
    bgcolor: ({ st }, p) => {
      st.panel.style.backgroundColor = color(p.bgcolor);
    },
    tile_padding: ({ st }, p) => {
      st.panel.style.setProperty("--lf-tile-padding", px(p.tile_padding) || null);
    },
  },
};

// ---- Menus ----

// The submenus open now, outermost first, and the popup menu open, if any.
const openMenus = [];
let outsideListening = false;

function closeMenus(keep = null) {
  for (let i = openMenus.length - 1; i >= 0; i--) {
    const m = openMenus[i];
    if (keep && m.el.contains(keep)) continue;
    openMenus.splice(i, 1);
    m.closeMenu(true);
  }
}

function watchOutside() {
  if (outsideListening) return;
  outsideListening = true;
  // A press anywhere outside the open menus closes them (a cancel for a popup menu).
  document.addEventListener(
    "pointerdown",
    (e) => {
      const inside = e.composedPath().find((t) => openMenus.some((m) => m.el === t));
      closeMenus(inside ?? null);
    },
    true,
  );
}

function opened(m) {
  watchOutside();
  if (!openMenus.includes(m)) openMenus.push(m);
  showLayer(m, true, () => closeMenus(m.el.parentElement?.closest("[data-open]") ?? null));
}

export const menubar = {
  create() {
    const el = document.createElement("div");
    el.setAttribute("role", "menubar");
    return { el, slots: { controls: el } };
  },
  className: "lf-menubar",
  props: {},
};

export const submenubutton = {
  create(_type, emit) {
    const el = document.createElement("div");
    const head = div(el, "lf-menu-head");
    const leading = div(head, "lf-menu-leading");
    const content = div(head, "lf-menu-content");
    const contentText = content.appendChild(document.createElement("span"));
    const trailing = div(head, "lf-menu-trailing");
    const arrow = div(head, "lf-menu-arrow");
    setIcon(arrow, "arrow_right");
    const menu = div(el, "lf-menu");
    menu.setAttribute("role", "menu");
    const st = { el, contentText };
    st.closeMenu = (tell) => {
      showLayer(st, false);
      if (tell) emit(CLOSE, "");
    };
    head.addEventListener("click", (e) => {
      e.stopPropagation();
      if (el.hasAttribute("data-open")) {
        openMenus.splice(openMenus.indexOf(st), 1);
        st.closeMenu(true);
        return;
      }
      // Opening one menu closes the others that do not hold it.
      closeMenus(el);
      opened(st);
      emit(OPEN, "");
    });
    // While a menu of the bar is open, pointing at another of its titles opens that one.
    head.addEventListener("mouseenter", () => {
      if (el.hasAttribute("data-open")) return;
      const open = openMenus.find((m) => m !== st && m.el.parentElement === el.parentElement);
      if (open) head.click();
    });
    return { el, st, slots: { leading, content, trailing, controls: menu } };
  },
  className: "lf-submenu",
  props: {
    content: ({ st }, p) => textOf(st.contentText, p.content),
  },
};

export const menuitembutton = {
  create() {
    const el = document.createElement("div");
    el.setAttribute("role", "menuitem");
    const leading = div(el, "lf-menu-leading");
    const content = div(el, "lf-menu-content");
    const trailing = div(el, "lf-menu-trailing");
    const st = { closeOnClick: true };
    // The click itself goes to the host through the page's click handling (on_click).
    el.addEventListener("click", () => {
      if (st.closeOnClick && !el.hasAttribute("data-disabled")) closeMenus();
    });
    return { el, st, slots: { leading, content, trailing } };
  },
  className: "lf-menuitem",
  props: {
    close_on_click: ({ st }, p) => {
      st.closeOnClick = p.close_on_click !== false;
    },
  },
};

// A popup menu opens over its button (menu_position "over", Flutter's default) or under it,
// kept inside the window. Picking an item reports the item's `click` (with its new checked
// state as e.data when it has one) and the button's `select` with the item's id.
export const popupmenubutton = {
  create(_type, emit) {
    const el = document.createElement("div");
    const trigger = el.appendChild(document.createElement("button"));
    trigger.className = "lf-popup-trigger";
    trigger.setAttribute("aria-haspopup", "menu");
    const menu = div(el, "lf-menu lf-popup-menu");
    menu.setAttribute("role", "menu");
    // Three dots unless it has an icon, or content (which luaflet.css shows instead).
    setIcon(trigger, "more_vert");
    const st = { el, trigger, menu, under: false };
    st.closeMenu = (tell) => {
      showLayer(st, false);
      if (tell) {
        emit(CANCEL, "");
        emit(CANCELLED, "");
      }
    };
    trigger.addEventListener("click", (e) => {
      e.stopPropagation();
      if (el.hasAttribute("data-open") || el.hasAttribute("data-disabled")) return;
      closeMenus();
      const r = trigger.getBoundingClientRect();
      menu.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - 200))}px`;
      menu.style.top = `${st.under ? r.bottom : r.top}px`;
      opened(st);
      emit(OPEN, "");
    });
    menu.addEventListener("lf-pick", (e) => {
      const i = openMenus.indexOf(st);
      if (i >= 0) openMenus.splice(i, 1);
      st.closeMenu(false);
      emit(SELECT, String(e.detail));
    });
    return { el, st, slots: { content: trigger, items: menu } };
  },
  className: "lf-popup",
  props: {
    icon: ({ st }, p) => setIcon(st.trigger, p.icon ?? "more_vert"),
    icon_color: ({ st }, p) => {
      st.trigger.style.color = color(p.icon_color);
    },
    icon_size: ({ st }, p) => {
      st.trigger.style.fontSize = px(p.icon_size);
    },
    bgcolor: ({ st }, p) => {
      st.menu.style.backgroundColor = color(p.bgcolor);
    },
    menu_position: ({ st }, p) => {
      st.under = p.menu_position != null && key(p.menu_position) === "under";
    },
  },
};

export const popupmenuitem = {
  create(_type, emit) {
    const el = document.createElement("div");
    el.setAttribute("role", "menuitem");
    const check = div(el, "lf-popup-check");
    const icon = div(el, "lf-popup-icon");
    const text = el.appendChild(document.createElement("span"));
    text.className = "lf-popup-text";
    const content = div(el, "lf-popup-content");
    const st = { checked: null };
    // An item with no text, icon, check or content is a divider, as in Flet.
    const isDivider = () =>
      text.textContent === "" && !icon.firstChild && !content.firstChild && st.checked == null;
    // The page's own click handling would send `click` without data: the item sends it.
    el.addEventListener("click", (e) => {
      e.stopPropagation();
      if (isDivider() || el.hasAttribute("data-disabled")) return;
      emit(CLICK, st.checked == null ? "" : String(!st.checked));
      el.dispatchEvent(new window.CustomEvent("lf-pick", { bubbles: true, detail: el.dataset.id }));
    });
    return { el, st: Object.assign(st, { el, check, icon, text }), slots: { content } };
  },
  className: "lf-popupitem",
  props: {
    text: ({ st }, p) => {
      st.text.textContent = p.text == null ? "" : String(p.text);
    },
    icon: ({ st }, p) => setIcon(st.icon, p.icon),
    checked: ({ st }, p) => {
      st.checked = typeof p.checked === "boolean" ? p.checked : null;
      setIcon(st.check, st.checked ? "check" : null);
      st.el.toggleAttribute("data-checkable", st.checked != null);
    },
    height: ({ el }, p) => {
      el.style.minHeight = px(p.height);
    },
  },
};
