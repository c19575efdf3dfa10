// The page (always id 0) fills the window. Its `controls` lay out as a column inside it;
// its `overlay` is a layer above them where children sit where their offsets put them.
// The page's width and height props are the window's size as the host last heard it, so
// the common size and position props do not apply to it.

import { color } from "../colors.js";
import { crossAxis, edges, key, mainAxis, overflow, px } from "../values.js";

const DEFAULT_TITLE = "Luaflet";

export const page = {
  common: false,
  create() {
    // A new page starts from the document's defaults, whatever the previous session set.
    document.title = DEFAULT_TITLE;
    document.documentElement.removeAttribute("data-dark");
    const el = document.createElement("div");
    const controls = el.appendChild(document.createElement("div"));
    controls.className = "lf-page-controls";
    // page.views: when it holds any, the last one shows instead of the page's controls.
    const views = el.appendChild(document.createElement("div"));
    views.className = "lf-views";
    const overlay = el.appendChild(document.createElement("div"));
    overlay.className = "lf-overlay";
    return { el, slots: { controls, views, overlay } };
  },
  className: "lf-page",
  props: {
    title: (_, p) => {
      document.title = p.title == null ? DEFAULT_TITLE : String(p.title);
    },
    padding: ({ slots }, p) => {
      slots.controls.style.padding = edges(p.padding);
    },
    spacing: ({ slots }, p) => {
      slots.controls.style.rowGap = px(p.spacing);
    },
    bgcolor: ({ el }, p) => {
      el.style.backgroundColor = color(p.bgcolor);
    },
    vertical_alignment: ({ slots }, p) => {
      slots.controls.style.justifyContent = mainAxis(p.vertical_alignment);
    },
    horizontal_alignment: ({ slots }, p) => {
      slots.controls.style.alignItems = crossAxis(p.horizontal_alignment);
    },
    scroll: ({ slots }, p) => {
      slots.controls.style.overflowY = overflow(p.scroll);
    },
    // The app's route goes into the browser's address and history: a new route the host sets
    // (page:go) is a new history entry; the route the page was opened at is not.
    route: (_, p) => {
      if (typeof p.route !== "string" || !p.route.startsWith("/")) return;
      const here = location.pathname + location.search;
      if (p.route !== here) history.pushState(null, "", p.route);
    },
    // The color scheme belongs to the whole document, so md-* elements see it too.
    theme_mode: (_, p) => {
      const dark = p.theme_mode != null && key(p.theme_mode) === "dark";
      document.documentElement.toggleAttribute("data-dark", dark);
    },
  },
};
