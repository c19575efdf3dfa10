// The page (always id 0) fills the window. Its `controls` lay out as a column inside it;
// its `overlay` is a layer above them where children sit where their offsets put them.
// The page's width and height props are the window's size as the host last heard it, so
// the common size and position props do not apply to it.
//
// Its chrome sits where Flet's Scaffold puts it: the app bar on top, then the controls,
// then the navigation bar and the bottom app bar; the floating action button floats over
// the controls at floating_action_button_location (end_float by default); the drawer and
// end drawer slide in over everything from the start and the end. The older dialog,
// snack_bar, banner and bottom_sheet props show in the overlay.

import { color } from "../colors.js";
import { routeOf, urlOf } from "../route.js";
import { applyTheme } from "../theme.js";
import { crossAxis, edges, key, mainAxis, overflow, px } from "../values.js";
import { followEnd, scrollElement, scrollEvents } from "./scrolling.js";

const DEFAULT_TITLE = "Luaflet";

const box = (parent, className) => {
  const el = parent.appendChild(document.createElement("div"));
  el.className = className;
  return el;
};

// A FloatingActionButtonLocation ("endFloat", "centerDocked", "miniStartTop", ...) as where
// the button sits across (start, center, end) and up and down (float, docked, top).
function fabPlace(v) {
  const k = key(v).replace(/^mini/, "");
  const m = /^(start|center|end)(float|docked|top|contained)$/.exec(k);
  return m ? [m[1], m[2] === "contained" ? "docked" : m[2]] : ["end", "float"];
}

const theme = (_, p) => applyTheme(p);

// The app's route goes into the browser's address and history, where route_url_strategy
// says (its path, or its fragment): a new route the host sets (page:go) is a new history
// entry; the route the page was opened at is not. One handler for both props, so that the
// address is read by the strategy whichever of the two an update brings first.
const route = (_, p) => {
  if (typeof p.route !== "string" || !p.route.startsWith("/")) return;
  if (p.route !== routeOf(p.route_url_strategy)) {
    history.pushState(null, "", urlOf(p.route, p.route_url_strategy));
  }
};

/** The props a page and a view (route_view.js) share: how their column of controls (the
 * record's `controls` slot) is laid out and scrolls, reporting it as on_scroll and taking
 * scroll_to() (scrolling.js, with the record's `scrolling`), and their background. */
export const SCREEN_PROPS = {
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
  auto_scroll: (rec, p) => {
    rec.following = followEnd(rec.slots.controls, p.auto_scroll === true, rec.following);
  },
  on_scroll_interval: ({ scrolling }, p) => {
    scrolling.interval = p.on_scroll_interval;
  },
  scroll_request: ({ slots }, p) => {
    const r = p.scroll_request;
    if (r && typeof r === "object") scrollElement(slots.controls, r);
  },
};

export const page = {
  common: false,
  create(_type, emit) {
    // A new page starts from the document's defaults, whatever the previous session set.
    document.title = DEFAULT_TITLE;
    applyTheme({});
    const el = document.createElement("div");
    const appbar = box(el, "lf-page-appbar");
    const body = box(el, "lf-page-body");
    const controls = box(body, "lf-page-controls");
    const fab = box(body, "lf-page-fab");
    const navigation_bar = box(el, "lf-page-navbar");
    const bottom_appbar = box(el, "lf-page-bottomappbar");
    const drawer = box(el, "lf-page-drawer");
    const end_drawer = box(el, "lf-page-drawer lf-page-end-drawer");
    // page.views: when it holds any, the last one shows instead of the page and its chrome.
    const views = box(el, "lf-views");
    const overlay = box(el, "lf-overlay");
    return {
      el,
      fab,
      scrolling: scrollEvents(controls, emit),
      slots: {
        controls,
        views,
        overlay,
        appbar,
        navigation_bar,
        bottom_appbar,
        floating_action_button: fab,
        drawer,
        end_drawer,
        dialog: overlay,
        snack_bar: overlay,
        banner: overlay,
        bottom_sheet: overlay,
      },
    };
  },
  className: "lf-page",
  props: {
    title: (_, p) => {
      document.title = p.title == null ? DEFAULT_TITLE : String(p.title);
    },
    ...SCREEN_PROPS,
    route,
    route_url_strategy: route,
    // The color scheme belongs to the whole document, so md-* elements see it too.
    // page.fonts: {name: url}, each loaded and added to the document (a URL of the app's
    // assets, "/fonts/x.ttf"; the page's policy lets fonts come from the host only).
    fonts: (_, p) => {
      for (const [name, url] of Object.entries(p.fonts ?? {})) {
        const face = new FontFace(name, `url(${JSON.stringify(String(url))})`);
        face.load().then(
          (f) => document.fonts.add(f),
          (err) => console.warn(`luaflet: font ${name} did not load:`, err),
        );
      }
    },
    // One handler for the three, so an update that changes several applies the theme once.
    theme_mode: theme,
    theme,
    dark_theme: theme,
    // A location's name, or an offset {x, y} from the top left of the page's body.
    floating_action_button_location: ({ fab }, p) => {
      const v = p.floating_action_button_location;
      const offset = v != null && typeof v === "object";
      const [h, vert] = offset ? ["", ""] : fabPlace(v ?? "endFloat");
      fab.dataset.h = h;
      fab.dataset.v = vert;
      fab.style.left = offset ? px(Number(v.x) || 0) : "";
      fab.style.top = offset ? px(Number(v.y) || 0) : "";
    },
  },
};
