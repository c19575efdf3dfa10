// Tabs and Tab: @material/web's md-tabs with an md-primary-tab (or md-secondary-tab) per Tab,
// and the selected Tab's content below them. A Tab's content lives in a panel of its own,
// kept detached while another tab is selected.

import { CHANGE } from "../constants.js";
import { color } from "../colors.js";
import { setVar } from "./common.js";

function show(rec) {
  const { bar, body } = rec;
  const tabs = [...bar.children];
  const index = Math.min(Math.max(0, rec.el.lfIndex ?? 0), tabs.length - 1);
  if (index >= 0 && bar.activeTabIndex !== index) bar.activeTabIndex = index;
  const panel = tabs[index]?.lfPanel;
  if (panel) {
    if (body.firstChild !== panel || body.childNodes.length !== 1) body.replaceChildren(panel);
  } else body.replaceChildren();
}

export const tabs = {
  create(type, emit) {
    const el = document.createElement("div");
    const bar = el.appendChild(document.createElement("md-tabs"));
    const body = el.appendChild(document.createElement("div"));
    body.className = "lf-tabs-body";
    const rec = { el, bar, body };
    bar.addEventListener("change", () => {
      el.lfIndex = bar.activeTabIndex;
      show(rec);
      emit(CHANGE, String(bar.activeTabIndex), { value: true });
    });
    new MutationObserver(() => show(rec)).observe(bar, { childList: true });
    return { ...rec, slots: { tabs: bar } };
  },
  className: "lf-tabs",
  props: {
    selected_index: (rec, p) => {
      rec.el.lfIndex = Number(p.selected_index) || 0;
      show(rec);
    },
    scrollable: ({ el }, p) => {
      el.toggleAttribute("data-fixed", p.scrollable === false);
    },
    animation_duration: ({ el }, p) => {
      setVar(
        el,
        "--lf-tabs-duration",
        p.animation_duration >= 0 ? `${p.animation_duration}ms` : "",
      );
    },
    indicator_color: ({ bar }, p) => {
      setVar(bar, "--md-primary-tab-active-indicator-color", color(p.indicator_color));
    },
    label_color: ({ bar }, p) => {
      const c = color(p.label_color);
      for (const s of [
        "active-label-text-color",
        "active-hover-label-text-color",
        "active-focus-label-text-color",
        "active-pressed-label-text-color",
        "active-icon-color",
      ]) {
        setVar(bar, `--md-primary-tab-${s}`, c);
      }
    },
    unselected_label_color: ({ bar }, p) => {
      setVar(bar, "--md-primary-tab-label-text-color", color(p.unselected_label_color));
      setVar(bar, "--md-primary-tab-icon-color", color(p.unselected_label_color));
    },
    divider_color: ({ bar }, p) => {
      setVar(bar, "--md-divider-color", color(p.divider_color));
    },
  },
};

export const tab = {
  create() {
    const el = document.createElement("md-primary-tab");
    el.inlineIcon = true;
    const label = el.appendChild(document.createElement("span"));
    label.className = "lf-label";
    const panel = document.createElement("div");
    panel.className = "lf-tab-panel";
    el.lfPanel = panel;
    return { el, label, slots: { content: panel, tab_content: el } };
  },
  className: "lf-tab",
  props: {
    text: ({ label }, p) => {
      label.textContent = p.text == null ? "" : String(p.text);
    },
    icon: (rec, p) => {
      const name = typeof p.icon === "string" && p.icon !== "" ? p.icon : null;
      if (!name) {
        rec.el.querySelector(":scope > md-icon")?.remove();
        return;
      }
      let icon = rec.el.querySelector(":scope > md-icon");
      if (!icon) {
        icon = document.createElement("md-icon");
        icon.slot = "icon";
        icon.setAttribute("aria-hidden", "true");
        rec.el.prepend(icon);
      }
      icon.dataset.icon = name;
    },
  },
};
