// ExpansionTile: a list tile (leading, title, subtitle, trailing or a chevron) that opens
// and closes the controls below it when pressed, reporting on_change with "true"/"false".

import { color } from "../colors.js";
import { CHANGE } from "../constants.js";
import { edges } from "../values.js";
import { setVar } from "./common.js";

const div = (cls, parent) => {
  const el = parent.appendChild(document.createElement("div"));
  el.className = cls;
  return el;
};

function text(label, v) {
  label.textContent = typeof v === "string" || typeof v === "number" ? String(v) : "";
  label.hidden = label.textContent === "";
}

function colors({ el }, p) {
  setVar(el, "--lf-tile-bg", color(p.bgcolor));
  setVar(el, "--lf-tile-collapsed-bg", color(p.collapsed_bgcolor));
  setVar(el, "--lf-tile-icon", color(p.icon_color));
  setVar(el, "--lf-tile-collapsed-icon", color(p.collapsed_icon_color));
  setVar(el, "--lf-tile-text", color(p.text_color));
  setVar(el, "--lf-tile-collapsed-text", color(p.collapsed_text_color));
}

export const expansiontile = {
  create(type, emit) {
    const el = document.createElement("div");
    const header = div("lf-tile-header", el);
    header.tabIndex = 0;
    header.setAttribute("role", "button");
    const leading = div("lf-tile-leading", header);
    const texts = div("lf-tile-texts", header);
    const title = div("lf-tile-title", texts);
    const titleText = title.appendChild(document.createElement("span"));
    const subtitle = div("lf-tile-subtitle", texts);
    const subtitleText = subtitle.appendChild(document.createElement("span"));
    const trailing = div("lf-tile-trailing", header);
    const chevron = trailing.appendChild(document.createElement("md-icon"));
    chevron.className = "lf-tile-chevron";
    chevron.dataset.icon = "expand_more";
    chevron.setAttribute("aria-hidden", "true");
    const body = div("lf-tile-body", el);
    const rec = { el, titleText, subtitleText, header };
    const toggle = () => {
      const open = !el.hasAttribute("data-expanded");
      el.toggleAttribute("data-expanded", open);
      header.setAttribute("aria-expanded", String(open));
      emit(CHANGE, String(open));
    };
    header.addEventListener("click", toggle);
    header.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        toggle();
      }
    });
    // A trailing control stands in for the chevron.
    new MutationObserver(() => {
      chevron.hidden = trailing.children.length > 1;
    }).observe(trailing, { childList: true });
    return {
      ...rec,
      slots: { title, subtitle, leading, trailing, controls: body },
    };
  },
  className: "lf-expansiontile",
  props: {
    title: ({ titleText }, p) => text(titleText, p.title),
    subtitle: ({ subtitleText }, p) => text(subtitleText, p.subtitle),
    initially_expanded: ({ el, header }, p) => {
      // Only the first value counts, as in Flutter: later the person decides.
      if (el.lfInit) return;
      el.lfInit = true;
      el.toggleAttribute("data-expanded", p.initially_expanded === true);
      header.setAttribute("aria-expanded", String(p.initially_expanded === true));
    },
    bgcolor: colors,
    collapsed_bgcolor: colors,
    icon_color: colors,
    collapsed_icon_color: colors,
    text_color: colors,
    collapsed_text_color: colors,
    controls_padding: ({ el }, p) => {
      el.lastChild.style.padding = edges(p.controls_padding);
    },
    tile_padding: ({ header }, p) => {
      header.style.padding = edges(p.tile_padding);
    },
    dense: ({ el }, p) => {
      el.toggleAttribute("data-dense", p.dense === true);
    },
  },
};
