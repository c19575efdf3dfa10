// Stack, ResponsiveRow, SafeArea, Divider, VerticalDivider, Card and Pagelet: the layout
// controls that need little more than a box and the CSS of luaflet.css ("Layout family").

import { color } from "../colors.js";
import { alignment, key, px } from "../values.js";
import { setVar } from "./common.js";

const div = (cls) => {
  const el = document.createElement("div");
  if (cls) el.className = cls;
  return el;
};

// ---- Stack: the children share one grid cell; a child with offsets is placed by them.

const GRID = { "flex-start": "start", center: "center", "flex-end": "end" };
export const stack = {
  create() {
    const el = div();
    return { el, slots: { controls: el } };
  },
  className: "lf-stack",
  props: {
    alignment: ({ el }, p) => {
      const a = alignment(p.alignment);
      el.style.alignItems = a ? GRID[a[0]] : "";
      el.style.justifyItems = a ? GRID[a[1]] : "";
    },
    fit: ({ el }, p) => {
      el.dataset.fit = p.fit == null ? "" : key(p.fit);
    },
    clip_behavior: ({ el }, p) => {
      el.toggleAttribute("data-noclip", p.clip_behavior != null && key(p.clip_behavior) === "none");
    },
  },
};

// ---- ResponsiveRow: Flet's breakpoints, measured on the page's width as Flet does.

const BREAKPOINTS = [
  ["xxl", 1400],
  ["xl", 1200],
  ["lg", 992],
  ["md", 768],
  ["sm", 576],
  ["xs", 0],
];

/** A ResponsiveNumber (a number, or a table by breakpoint) at page width `width`. */
export function responsive(v, width, fallback) {
  if (typeof v === "number") return v;
  if (!v || typeof v !== "object") return fallback;
  for (const [name, min] of BREAKPOINTS)
    if (width >= min && typeof v[name] === "number") return v[name];
  return fallback;
}

const rows = new Set();
let rowsHooked = false;
function relayoutAll() {
  for (const el of rows) {
    if (el.isConnected) el.lfRespond();
    else rows.delete(el);
  }
}

const respondProps = ({ el }, p) => el.lfProps(p);
export const responsiverow = {
  create() {
    const el = div();
    let props = {};
    el.lfProps = (p) => {
      props = p;
      el.lfRespond();
    };
    el.lfRespond = () => {
      const width = window.innerWidth;
      const columns = Math.max(1, responsive(props.columns, width, 12));
      const spacing = responsive(props.spacing, width, 10);
      const run = responsive(props.run_spacing, width, 10);
      el.style.columnGap = `${spacing}px`;
      el.style.rowGap = `${run}px`;
      for (const child of el.children) {
        const span = Math.max(0, Math.min(columns, responsive(child.lfCol, width, 12)));
        child.toggleAttribute("data-col-hidden", span === 0);
        const f = span / columns;
        child.style.flex = `0 0 calc((100% + ${spacing}px) * ${f} - ${spacing}px)`;
        child.style.maxWidth = `calc((100% + ${spacing}px) * ${f} - ${spacing}px)`;
      }
    };
    rows.add(el);
    if (!rowsHooked) {
      rowsHooked = true;
      window.addEventListener("resize", relayoutAll);
    }
    // Children come and go after the props: lay out each new one.
    new MutationObserver(() => el.lfRespond()).observe(el, { childList: true });
    return { el, slots: { controls: el } };
  },
  className: "lf-responsiverow",
  props: {
    columns: respondProps,
    spacing: respondProps,
    run_spacing: respondProps,
    alignment: ({ el }, p) => {
      el.style.justifyContent =
        {
          center: "center",
          end: "flex-end",
          spacebetween: "space-between",
          spacearound: "space-around",
          spaceevenly: "space-evenly",
        }[key(p.alignment ?? "")] ?? "";
    },
    vertical_alignment: ({ el }, p) => {
      el.style.alignItems =
        { center: "center", end: "flex-end", stretch: "stretch", baseline: "baseline" }[
          key(p.vertical_alignment ?? "")
        ] ?? "";
    },
  },
};

// ---- SafeArea: the display's insets (env(safe-area-inset-*)), at least minimum_padding.

function safeInsets({ el }, p) {
  const min = p.minimum_padding;
  for (const side of ["left", "top", "right", "bottom"]) {
    const m = typeof min === "number" ? min : Number(min?.[side]) || 0;
    el.style[`padding${side[0].toUpperCase()}${side.slice(1)}`] =
      p[side] === false ? `${m}px` : `max(env(safe-area-inset-${side}, 0px), ${m}px)`;
  }
}
export const safearea = {
  create() {
    const el = div();
    safeInsets({ el }, {});
    return { el, slots: { content: el } };
  },
  className: "lf-safearea",
  props: {
    left: safeInsets,
    top: safeInsets,
    right: safeInsets,
    bottom: safeInsets,
    minimum_padding: safeInsets,
  },
};

// ---- Divider and VerticalDivider: the space (height or width) with a line across it.

function line({ el }, p) {
  setVar(el, "--lf-divider-thickness", px(p.thickness));
  setVar(el, "--lf-divider-color", color(p.color));
  setVar(el, "--lf-divider-lead", px(p.leading_indent));
  setVar(el, "--lf-divider-trail", px(p.trailing_indent));
}
function divider(cls) {
  return {
    create: () => ({ el: div() }),
    className: cls,
    props: { thickness: line, color: line, leading_indent: line, trailing_indent: line },
  };
}
export const hdivider = divider("lf-divider");
export const vdivider = divider("lf-verticaldivider");

// ---- Card: M3's elevated, filled and outlined cards.

// Elevation in dp as M3's shadow levels.
function shadow(e, c) {
  if (!(e > 0)) return "none";
  const y = Math.min(e, 12);
  return `0 ${y / 2 + 0.5}px ${y + 1}px 0 ${c}, 0 ${y / 4}px ${y / 2 + 1}px 0 ${c}`;
}
function card(rec, p) {
  const { el } = rec;
  const variant = key(p.variant ?? "elevated");
  el.dataset.variant = variant;
  const bg = color(p.color);
  el.style.backgroundColor = bg;
  const e = typeof p.elevation === "number" ? p.elevation : variant === "elevated" ? 1 : 0;
  const sc = color(p.shadow_color) || "rgb(0 0 0 / 0.3)";
  el.style.boxShadow = shadow(e, sc);
  const s = p.shape;
  const r = s && typeof s === "object" ? (s.radius ?? s.border_radius) : null;
  el.style.borderRadius = typeof r === "number" ? px(r) : "";
  el.style.overflow = p.clip_behavior && key(p.clip_behavior) !== "none" ? "hidden" : "";
}
export const cardControl = {
  create() {
    const el = div();
    card({ el }, {});
    return { el, slots: { content: el } };
  },
  className: "lf-card",
  props: {
    variant: card,
    color: card,
    elevation: card,
    shadow_color: card,
    shape: card,
    clip_behavior: card,
  },
};

// ---- Pagelet: an app bar, the content, a bottom bar and a floating button, in a box of
// its own; the drawers stay closed (Flet opens them from code).

export const pagelet = {
  create() {
    const el = div();
    const slots = {};
    for (const name of ["appbar", "content", "navigation_bar", "bottom_app_bar", "bottom_appbar"]) {
      slots[name] = el.appendChild(div(`lf-pagelet-${name.replace(/_/g, "-")}`));
    }
    slots.bottom_sheet = el.appendChild(div("lf-pagelet-bottom-sheet"));
    slots.floating_action_button = el.appendChild(div("lf-pagelet-fab"));
    // The scrim over the content while a drawer is open closes it, as a tap outside does.
    const scrim = el.appendChild(div("lf-pagelet-scrim"));
    scrim.addEventListener("click", () => el.removeAttribute("data-drawer"));
    slots.drawer = el.appendChild(div("lf-pagelet-drawer"));
    slots.end_drawer = el.appendChild(div("lf-pagelet-end-drawer"));
    return { el, slots };
  },
  className: "lf-pagelet",
  props: {
    // show_drawer(), show_end_drawer(), close_drawer() (lua/flet/methods.lua).
    drawer_request: ({ el }, p) => {
      const open = p.drawer_request?.open;
      if (open === "start" || open === "end") el.dataset.drawer = open;
      else el.removeAttribute("data-drawer");
    },
  },
};
