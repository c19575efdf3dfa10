// The display controls: Icon, the icon buttons, FloatingActionButton, Chip, Image,
// CircleAvatar, ProgressBar, ProgressRing, ListTile, Tooltip and Markdown. Each follows
// Flet's props; the look is Material 3's, from @material/web where it has the component
// (icon buttons, FAB) and from luaflet.css's "Display" section otherwise.

import { color } from "../colors.js";
import { DELETE, IMAGE_ERROR, LONG_PRESS, SELECT, TAP_LINK } from "../constants.js";
import { makeIcon, setIcon } from "../icons.js";
import { edges, key, px } from "../values.js";
import { shapeRadius, styleValue } from "./buttons.js";
import { linkTo, replaceText, setVar } from "./common.js";

const str = (v) => (v == null ? "" : String(v));

// The @material/web components used here only (icon buttons, FAB) are loaded the first time
// a page shows one, as chunks of their own, so that pages without them do not pay for them.
// An element made before its definition arrives is upgraded then, with the properties
// already set on it (Lit keeps them).
const once = (load) => {
  let p = null;
  return () => (p ??= load().catch((e) => console.warn("luaflet: cannot load", e)));
};
const LOADERS = {
  "": once(() => import("@material/web/iconbutton/icon-button.js")),
  filled: once(() => import("@material/web/iconbutton/filled-icon-button.js")),
  "filled-tonal": once(() => import("@material/web/iconbutton/filled-tonal-icon-button.js")),
  outlined: once(() => import("@material/web/iconbutton/outlined-icon-button.js")),
  fab: once(() => import("@material/web/fab/fab.js")),
};
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);

// ---- Icon ----

export const icon = {
  create: () => ({ el: makeIcon() }),
  className: "lf-icon",
  props: {
    name: ({ el }, p) => setIcon(el, p.name),
    color: ({ el }, p) => {
      el.style.color = color(p.color);
    },
    size: ({ el }, p) => {
      el.style.width = el.style.height = px(num(p.size));
    },
    semantics_label: ({ el }, p) => {
      const label = str(p.semantics_label);
      if (label) {
        el.setAttribute("role", "img");
        el.setAttribute("aria-label", label);
        el.removeAttribute("aria-hidden");
      } else {
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
        el.setAttribute("aria-hidden", "true");
      }
    },
  },
};

// ---- IconButton and its filled, tonal and outlined forms ----

// The icon shown is selected_icon while selected (when there is one), else icon; so are
// their colors. A content control, when given, takes the icon's place.
// A ButtonStyle (style) gives what the props do not: its color, bgcolor, icon_size, shape
// and side.
function iconButtonIcon(rec, p) {
  const on = p.selected === true;
  const st = p.style && typeof p.style === "object" ? p.style : {};
  const state = on ? "selected" : "";
  const name = on && p.selected_icon ? p.selected_icon : p.icon;
  setIcon(rec.icon, name);
  rec.icon.hidden = !name;
  const fg = on && p.selected_icon_color ? p.selected_icon_color : p.icon_color;
  const styled =
    st.color && typeof st.color === "object" ? (st.color[state] ?? st.color[""]) : st.color;
  rec.icon.style.color = color(fg ?? styled);
  const bg = styleValue(st.bgcolor);
  rec.el.style.backgroundColor = color(p.bgcolor ?? bg);
  const radius = shapeRadius(styleValue(st.shape));
  rec.el.style.borderRadius = radius;
  setVar(rec.el, `--md-${rec.kind}icon-button-container-shape`, radius);
  setVar(rec.el, `--md-${rec.kind}icon-button-state-layer-shape`, radius);
  const side = styleValue(st.side);
  rec.el.style.border =
    side && typeof side === "object"
      ? `${num(side.width) ?? 1}px solid ${color(side.color) || "currentColor"}`
      : "";
  const size = num(p.icon_size) ?? num(styleValue(st.icon_size));
  rec.icon.style.width = rec.icon.style.height = px(size);
  setVar(rec.el, `--md-${rec.kind}icon-button-icon-size`, px(size));
  rec.el.selected = on;
  rec.el.toggleAttribute("data-selected", on);
}

export function iconButton(kind) {
  const prefix = kind ? `${kind}-` : "";
  return {
    create() {
      LOADERS[kind]();
      const el = document.createElement(`md-${prefix}icon-button`);
      const ic = el.appendChild(makeIcon());
      return { el, kind: prefix, icon: ic, link: linkTo(el), slots: { content: el } };
    },
    className: "lf-iconbutton",
    props: {
      icon: iconButtonIcon,
      icon_color: iconButtonIcon,
      icon_size: iconButtonIcon,
      selected: iconButtonIcon,
      selected_icon: iconButtonIcon,
      selected_icon_color: iconButtonIcon,
      bgcolor: iconButtonIcon,
      style: iconButtonIcon,
      url: (rec, p) => rec.link(rec, p),
      url_target: (rec, p) => rec.link(rec, p),
      disabled: ({ el }, p) => {
        el.disabled = p.disabled === true;
        el.toggleAttribute("data-disabled", p.disabled === true);
      },
    },
  };
}

// ---- FloatingActionButton ----

function fabColors({ el }, p) {
  setVar(el, "--md-fab-container-color", color(p.bgcolor));
  const fg = color(p.foreground_color);
  for (const s of ["", "hover-", "focus-", "pressed-"]) {
    setVar(el, `--md-fab-${s}icon-color`, fg);
    setVar(el, `--md-fab-${s}label-text-color`, fg);
  }
}

export const fab = {
  create() {
    LOADERS.fab();
    const el = document.createElement("md-fab");
    const ic = makeIcon();
    ic.slot = "icon";
    el.appendChild(ic);
    return { el, icon: ic, link: linkTo(el), slots: { content: el } };
  },
  className: "lf-fab",
  props: {
    url: (rec, p) => rec.link(rec, p),
    url_target: (rec, p) => rec.link(rec, p),
    text: ({ el }, p) => {
      el.label = str(p.text);
    },
    icon: ({ icon: ic }, p) => {
      setIcon(ic, p.icon);
      ic.hidden = !p.icon;
    },
    mini: ({ el }, p) => {
      el.size = p.mini === true ? "small" : "medium";
    },
    bgcolor: fabColors,
    foreground_color: fabColors,
    // Flet's shapes: a RoundedRectangleBorder's radius, or round (CircleBorder, StadiumBorder).
    shape: ({ el }, p) => {
      const r = shapeRadius(p.shape);
      setVar(el, "--md-fab-container-shape", r);
      setVar(el, "--md-fab-small-container-shape", r);
    },
    disabled: ({ el }, p) => {
      el.toggleAttribute("data-disabled", p.disabled === true);
    },
  },
};

// ---- Chip ----

// One chip for Flet's one Chip class: pressing it reports click, or with on_select toggles
// `selected` and reports select ("true"/"false"); with on_delete it has a delete button.
function chipLook(rec, p) {
  const { el } = rec;
  const on = p.selected === true;
  rec.st.selected = on;
  el.toggleAttribute("data-selected", on);
  el.setAttribute("aria-pressed", String(on));
  rec.check.hidden = !(on && p.show_checkmark !== false && p.on_select === true);
  const own = styleValue(p.color, "") ?? null;
  const stateBg = p.color && typeof p.color === "object" && on ? (p.color.selected ?? own) : own;
  el.style.backgroundColor = color(
    on ? (p.selected_color ?? stateBg ?? p.bgcolor) : (stateBg ?? p.bgcolor),
  );
  const side = p.border_side && typeof p.border_side === "object" ? p.border_side : null;
  el.style.border = side
    ? `${num(side.width) ?? 1}px solid ${color(side.color) || "currentColor"}`
    : "";
  rec.check.style.color = color(p.check_color);
  rec.del.hidden = p.on_delete !== true;
  rec.del.title = str(p.delete_button_tooltip ?? p.delete_icon_tooltip ?? "Delete");
  rec.del.style.color = color(p.delete_icon_color);
  el.toggleAttribute("data-clickable", p.on_click === true || p.on_select === true);
}

export const chip = {
  create(_type, emit) {
    const el = document.createElement("div");
    el.tabIndex = 0;
    el.setAttribute("role", "button");
    const leading = el.appendChild(document.createElement("span"));
    leading.className = "lf-chip-leading";
    const check = el.appendChild(makeIcon("check"));
    check.classList.add("lf-chip-check");
    const label = el.appendChild(document.createElement("span"));
    label.className = "lf-chip-label";
    const text = label.appendChild(document.createTextNode(""));
    const del = el.appendChild(document.createElement("button"));
    del.type = "button";
    del.className = "lf-chip-delete";
    const delIcon = del.appendChild(makeIcon("close"));
    // State the listeners share with the prop handlers (the registry copies the record).
    const st = { selected: false, selectable: false, props: {} };
    const rec = { el, check, text, del, delIcon, st };
    rec.slots = { label, leading, delete_icon: del };
    del.addEventListener("click", (e) => {
      e.stopPropagation();
      emit(DELETE, "");
    });
    const select = () => {
      if (!st.selectable || el.hasAttribute("data-disabled")) return;
      const on = !st.selected;
      chipLook(rec, { ...st.props, selected: on });
      emit(SELECT, String(on), { value: true });
    };
    el.addEventListener("click", select);
    el.addEventListener("keydown", (e) => {
      if (e.target !== el || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      el.click();
    });
    return rec;
  },
  className: "lf-chip",
  props: {
    label: (rec, p) => {
      replaceText(rec, "text", typeof p.label === "string" ? p.label : "");
    },
    ...Object.fromEntries(
      [
        "selected",
        "selected_color",
        "bgcolor",
        "show_checkmark",
        "check_color",
        "on_delete",
        "on_click",
        "on_select",
        "delete_icon_color",
        "delete_button_tooltip",
        "delete_icon_tooltip",
        "color",
        "border_side",
      ].map((n) => [
        n,
        (rec, p) => {
          rec.st.props = p;
          rec.st.selectable = p.on_select === true;
          chipLook(rec, p);
        },
      ]),
    ),
    shape: ({ el }, p) => {
      el.style.borderRadius = shapeRadius(p.shape);
    },
    label_padding: ({ slots }, p) => {
      slots.label.style.padding = edges(p.label_padding);
    },
    label_style: ({ slots }, p) => {
      const ts = p.label_style && typeof p.label_style === "object" ? p.label_style : {};
      slots.label.style.color = color(ts.color);
      slots.label.style.fontSize = px(num(ts.size));
      slots.label.style.fontStyle = ts.italic === true ? "italic" : "";
      slots.label.style.fontWeight =
        typeof ts.weight === "number"
          ? String(ts.weight)
          : key(ts.weight ?? "") === "bold"
            ? "700"
            : "";
    },
    delete_icon: (rec, p) => {
      rec.delIcon.hidden = p.delete_icon != null;
    },
    disabled: ({ el, del }, p) => {
      el.toggleAttribute("data-disabled", p.disabled === true);
      del.disabled = p.disabled === true;
      el.tabIndex = p.disabled === true ? -1 : 0;
    },
  },
};

// ---- Image ----

// base64 data's type from its first bytes, as Flutter decodes any of them.
const MAGIC = [
  ["iVBOR", "image/png"],
  ["/9j/", "image/jpeg"],
  ["R0lGOD", "image/gif"],
  ["UklGR", "image/webp"],
  ["PHN2Z", "image/svg+xml"],
  ["PD94b", "image/svg+xml"],
  ["Qk", "image/bmp"],
];

/** A CSS-safe image URL from Flet's src: an absolute http(s) URL, a data: or blob: URL, or
 * a path into the app's assets (served from the root). Anything else gives "". */
export function imageUrl(src) {
  const s = str(src).trim();
  if (!s) return "";
  if (/^(https?:|data:image\/|blob:)/i.test(s)) return s;
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) || s.startsWith("//")) return "";
  return s.startsWith("/") ? s : `/${s}`;
}

function base64Url(b64) {
  const s = str(b64).replace(/\s+/g, "");
  if (!s) return "";
  const type = MAGIC.find(([m]) => s.startsWith(m))?.[1] ?? "image/png";
  return `data:${type};base64,${s}`;
}

const FIT = {
  contain: "contain",
  cover: "cover",
  fill: "fill",
  fitwidth: "cover",
  fitheight: "cover",
  none: "none",
  scaledown: "scale-down",
};

// The CSS background size that matches a fit, for a tinted or repeated picture.
const FIT_SIZE = {
  contain: "contain",
  cover: "cover",
  fill: "100% 100%",
  fitwidth: "100% auto",
  fitheight: "auto 100%",
  none: "auto",
  scaledown: "contain",
};
const REPEAT = { repeat: "repeat", repeatx: "repeat-x", repeaty: "repeat-y" };
const cssUrl = (url) => `url("${url.replace(/["\\\n]/g, (c) => encodeURIComponent(c))}")`;

// The picture is an <img>, except when it is tinted (color: its shape painted in that color,
// as Flutter's default srcIn blend does) or repeated: then the element paints it itself, as
// a mask or a background, and the <img> stays only to report a load error.
function imageLook(rec, p) {
  const { el, img } = rec;
  const url = p.src_base64 ? base64Url(p.src_base64) : imageUrl(p.src);
  if (url !== rec.url) {
    rec.url = url;
    el.removeAttribute("data-error");
    if (url) img.src = url;
    else {
      img.removeAttribute("src");
      if (p.src != null || p.src_base64 != null) el.setAttribute("data-error", "");
    }
  }
  const fit = p.fit == null ? null : key(p.fit);
  img.style.objectFit = fit == null ? "" : (FIT[fit] ?? "");
  const tint = color(p.color);
  const repeat = p.repeat == null ? undefined : REPEAT[key(p.repeat)];
  const painted = !!url && (!!tint || !!repeat);
  el.toggleAttribute("data-painted", painted);
  el.toggleAttribute("data-tinted", painted && !!tint);
  setVar(el, "--lf-img", painted ? cssUrl(url) : "");
  setVar(el, "--lf-img-size", painted ? (repeat ? "auto" : (FIT_SIZE[fit] ?? "contain")) : "");
  setVar(el, "--lf-img-repeat", painted ? (repeat ?? "no-repeat") : "");
  el.style.color = tint;
}

export const image = {
  create() {
    const el = document.createElement("div");
    const img = el.appendChild(document.createElement("img"));
    img.alt = "";
    img.decoding = "async";
    const error = el.appendChild(document.createElement("div"));
    error.className = "lf-image-error";
    img.addEventListener("error", () => el.setAttribute("data-error", ""));
    img.addEventListener("load", () => el.removeAttribute("data-error"));
    return { el, img, url: null, slots: { error_content: error } };
  },
  className: "lf-image",
  props: {
    src: imageLook,
    src_base64: imageLook,
    fit: imageLook,
    repeat: imageLook,
    color: imageLook,
    semantics_label: ({ img }, p) => {
      img.alt = str(p.semantics_label);
    },
    exclude_from_semantics: ({ img }, p) => {
      img.toggleAttribute("aria-hidden", p.exclude_from_semantics === true);
    },
  },
};

// ---- CircleAvatar ----

function avatarSize({ el }, p) {
  let r = num(p.radius);
  if (r == null) {
    r = 20;
    if (num(p.min_radius) != null) r = Math.max(r, p.min_radius);
    if (num(p.max_radius) != null) r = Math.min(r, p.max_radius);
  }
  el.style.width = el.style.height = px(2 * r);
  el.style.fontSize = px(Math.max(10, Math.round(r * 0.8)));
}

export const circleavatar = {
  create(_type, emit) {
    const el = document.createElement("div");
    const content = el.appendChild(document.createElement("div"));
    content.className = "lf-avatar-content";
    const fg = el.appendChild(document.createElement("img"));
    fg.alt = "";
    fg.hidden = true;
    fg.addEventListener("error", () => {
      fg.hidden = true;
      if (fg.getAttribute("src")) emit(IMAGE_ERROR, "foreground");
    });
    fg.addEventListener("load", () => (fg.hidden = false));
    // The background picture is a CSS background, which reports nothing: a detached image of
    // the same URL tells whether it loads.
    const bg = new Image();
    bg.addEventListener("error", () => {
      if (bg.getAttribute("src")) emit(IMAGE_ERROR, "background");
    });
    return { el, fg, bg, slots: { content } };
  },
  className: "lf-avatar",
  props: {
    radius: avatarSize,
    min_radius: avatarSize,
    max_radius: avatarSize,
    bgcolor: ({ el }, p) => {
      el.style.backgroundColor = color(p.bgcolor);
    },
    color: ({ el }, p) => {
      el.style.color = color(p.color);
    },
    foreground_image_src: fgImage,
    foreground_image_url: fgImage,
    background_image_src: bgImage,
    background_image_url: bgImage,
  },
};

function fgImage({ fg }, p) {
  const url = imageUrl(p.foreground_image_src ?? p.foreground_image_url);
  if (url) fg.src = url;
  else {
    fg.removeAttribute("src");
    fg.hidden = true;
  }
}

function bgImage({ el, bg }, p) {
  const url = imageUrl(p.background_image_src ?? p.background_image_url);
  el.style.backgroundImage = url ? `url("${encodeURI(url).replace(/"/g, "%22")}")` : "";
  if (url) bg.src = url;
  else bg.removeAttribute("src");
}

// ---- ProgressBar and ProgressRing ----

// A value between 0 and 1 shows that much done; none (nil) shows work under way.
const fraction = (v) => (num(v) == null ? null : Math.min(1, Math.max(0, v)));

export const progressbar = {
  create() {
    const el = document.createElement("div");
    el.setAttribute("role", "progressbar");
    el.setAttribute("data-indeterminate", ""); // until a value comes
    const bar = el.appendChild(document.createElement("div"));
    bar.className = "lf-progress-bar";
    return { el, bar };
  },
  className: "lf-progressbar",
  props: {
    value: ({ el, bar }, p) => {
      const f = fraction(p.value);
      el.toggleAttribute("data-indeterminate", f == null);
      bar.style.width = f == null ? "" : `${f * 100}%`;
      if (f == null) el.removeAttribute("aria-valuenow");
      else el.setAttribute("aria-valuenow", String(Math.round(f * 100)));
    },
    bar_height: ({ el }, p) => {
      el.style.height = px(num(p.bar_height));
    },
    color: ({ bar }, p) => {
      bar.style.backgroundColor = color(p.color);
    },
    bgcolor: ({ el }, p) => {
      el.style.backgroundColor = color(p.bgcolor);
    },
    semantics_label: ({ el }, p) => {
      if (p.semantics_label) el.setAttribute("aria-label", str(p.semantics_label));
      else el.removeAttribute("aria-label");
    },
  },
};

const SVG = "http://www.w3.org/2000/svg";
// The ring is drawn in a 36 by 36 box (Flutter's default size), whatever its stroke.
function ringGeometry(rec, p) {
  const w = num(p.stroke_width) ?? 4;
  const r = (36 - w) / 2;
  for (const c of [rec.track, rec.arc]) {
    c.setAttribute("r", String(r));
    c.setAttribute("stroke-width", String(w));
  }
  const len = 2 * Math.PI * r;
  const f = fraction(p.value);
  rec.el.toggleAttribute("data-indeterminate", f == null);
  rec.arc.setAttribute("stroke-dasharray", `${f == null ? len * 0.3 : len * f} ${len}`);
  if (f == null) rec.el.removeAttribute("aria-valuenow");
  else rec.el.setAttribute("aria-valuenow", String(Math.round(f * 100)));
}

export const progressring = {
  create() {
    const el = document.createElement("div");
    el.setAttribute("role", "progressbar");
    const svg = el.appendChild(document.createElementNS(SVG, "svg"));
    svg.setAttribute("viewBox", "0 0 36 36");
    const circle = (cls) => {
      const c = svg.appendChild(document.createElementNS(SVG, "circle"));
      c.setAttribute("class", cls);
      c.setAttribute("cx", "18");
      c.setAttribute("cy", "18");
      c.setAttribute("fill", "none");
      return c;
    };
    const track = circle("lf-ring-track");
    const arc = circle("lf-ring-arc");
    const rec = { el, track, arc };
    ringGeometry(rec, {});
    return rec;
  },
  className: "lf-progressring",
  props: {
    value: ringGeometry,
    stroke_width: ringGeometry,
    color: ({ arc }, p) => {
      arc.style.stroke = color(p.color);
    },
    bgcolor: ({ track }, p) => {
      track.style.stroke = color(p.bgcolor);
    },
    stroke_cap: ({ arc }, p) => {
      const k = key(p.stroke_cap ?? "");
      arc.setAttribute(
        "stroke-linecap",
        k === "round" ? "round" : k === "square" ? "square" : "butt",
      );
    },
    semantics_label: ({ el }, p) => {
      if (p.semantics_label) el.setAttribute("aria-label", str(p.semantics_label));
      else el.removeAttribute("aria-label");
    },
  },
};

// ---- ListTile ----

// How long a press must last to be a long press, as Flutter's kLongPressTimeout.
const LONG_PRESS_MS = 500;
const INPUTS = "md-checkbox, md-switch, md-radio, input[type=checkbox], input[type=radio]";

export const listtile = {
  create(_type, emit) {
    const el = document.createElement("div");
    const part = (cls) => {
      const d = el.appendChild(document.createElement("div"));
      d.className = cls;
      return d;
    };
    const leading = part("lf-lt-leading");
    const middle = part("lf-lt-text");
    const trailing = part("lf-lt-trailing");
    const line = (cls) => {
      const d = middle.appendChild(document.createElement("div"));
      d.className = cls;
      return { box: d, text: d.appendChild(document.createTextNode("")) };
    };
    const title = line("lf-lt-title");
    const subtitle = line("lf-lt-subtitle");
    const st = { toggle: false };
    const rec = { el, title, subtitle, st, link: linkTo(el) };
    rec.slots = { leading, trailing, title: title.box };
    rec.slots.subtitle = subtitle.box;
    let timer = 0;
    let longPressed = false;
    const cancel = () => {
      clearTimeout(timer);
      timer = 0;
    };
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      longPressed = false;
      cancel();
      timer = setTimeout(() => {
        timer = 0;
        longPressed = true;
        emit(LONG_PRESS, "");
      }, LONG_PRESS_MS);
    });
    for (const t of ["pointerup", "pointerleave", "pointercancel"]) el.addEventListener(t, cancel);
    // A click that ends a long press is not a click; toggle_inputs passes a click on the
    // tile to the first checkbox, switch or radio in it.
    el.addEventListener(
      "click",
      (e) => {
        if (longPressed) {
          longPressed = false;
          e.stopPropagation();
          return;
        }
        if (!st.toggle) return;
        const input = el.querySelector(INPUTS);
        if (input && !e.composedPath().includes(input)) input.click();
      },
      true,
    );
    return rec;
  },
  className: "lf-listtile",
  props: {
    title: ({ title, el }, p) => {
      replaceText(title, "text", typeof p.title === "string" ? p.title : "");
      el.toggleAttribute("data-title", p.title != null);
    },
    subtitle: ({ subtitle, el }, p) => {
      replaceText(subtitle, "text", typeof p.subtitle === "string" ? p.subtitle : "");
      el.toggleAttribute("data-subtitle", p.subtitle != null);
    },
    is_three_line: ({ el }, p) => {
      el.toggleAttribute("data-three-line", p.is_three_line === true);
    },
    dense: ({ el }, p) => {
      el.toggleAttribute("data-dense", p.dense === true);
    },
    selected: selectedTile,
    selected_color: selectedTile,
    selected_tile_color: selectedTile,
    bgcolor: selectedTile,
    icon_color: ({ el }, p) => setVar(el, "--lf-lt-icon-color", color(p.icon_color)),
    text_color: ({ el }, p) => setVar(el, "--lf-lt-text-color", color(p.text_color)),
    content_padding: ({ el }, p) => {
      el.style.padding = edges(p.content_padding);
    },
    toggle_inputs: (rec, p) => {
      rec.st.toggle = p.toggle_inputs === true;
      rec.el.toggleAttribute("data-clickable", rec.st.toggle || p.on_click === true);
    },
    on_click: (rec, p) => {
      rec.el.toggleAttribute("data-clickable", rec.st.toggle || p.on_click === true);
    },
    horizontal_spacing: ({ el }, p) => {
      el.style.columnGap = px(num(p.horizontal_spacing));
    },
    min_vertical_padding: ({ el }, p) => {
      const v = px(num(p.min_vertical_padding));
      el.style.paddingTop = el.style.paddingBottom = v;
    },
    shape: ({ el }, p) => {
      el.style.borderRadius = shapeRadius(p.shape);
    },
    title_text_style: ({ title }, p) => lineStyle(title.box, p.title_text_style),
    subtitle_text_style: ({ subtitle }, p) => lineStyle(subtitle.box, p.subtitle_text_style),
    url: (rec, p) => rec.link(rec, p),
    url_target: (rec, p) => rec.link(rec, p),
    min_height: ({ el }, p) => {
      el.style.minHeight = px(num(p.min_height));
    },
  },
};

// A TextStyle's color, size, weight and italic on a line of a tile.
function lineStyle(box, ts) {
  const t = ts && typeof ts === "object" ? ts : {};
  box.style.color = color(t.color);
  box.style.fontSize = px(num(t.size));
  box.style.fontStyle = t.italic === true ? "italic" : "";
  box.style.fontWeight =
    typeof t.weight === "number" ? String(t.weight) : key(t.weight ?? "") === "bold" ? "700" : "";
}

function selectedTile({ el }, p) {
  const on = p.selected === true;
  el.toggleAttribute("data-selected", on);
  setVar(el, "--lf-lt-selected-color", color(p.selected_color));
  el.style.backgroundColor = color(on && p.selected_tile_color ? p.selected_tile_color : p.bgcolor);
}

// ---- Tooltip ----

export const tooltip = {
  create() {
    const el = document.createElement("div");
    const content = el.appendChild(document.createElement("div"));
    content.className = "lf-tooltip-content";
    const tip = el.appendChild(document.createElement("div"));
    tip.className = "lf-tooltip-message";
    tip.setAttribute("role", "tooltip");
    return { el, tip, slots: { content } };
  },
  className: "lf-tooltip",
  props: {
    message: ({ tip }, p) => {
      tip.textContent = str(p.message);
    },
    // The tooltip's own look: bgcolor paints the message, not the content.
    bgcolor: ({ tip }, p) => {
      tip.style.backgroundColor = color(p.bgcolor);
    },
    text_style: ({ tip }, p) => {
      const ts = p.text_style && typeof p.text_style === "object" ? p.text_style : {};
      tip.style.color = color(ts.color);
      tip.style.fontSize = px(num(ts.size));
    },
    wait_duration: ({ el }, p) => {
      setVar(el, "--lf-tooltip-wait", num(p.wait_duration) == null ? "" : `${p.wait_duration}ms`);
    },
    prefer_below: ({ el }, p) => {
      el.toggleAttribute("data-above", p.prefer_below === false);
    },
    padding: ({ tip }, p) => {
      tip.style.padding = edges(p.padding);
    },
    border_radius: ({ tip }, p) => {
      tip.style.borderRadius = px(num(p.border_radius));
    },
    text_align: ({ tip }, p) => {
      tip.style.textAlign = p.text_align == null ? "" : key(p.text_align);
    },
  },
};

// ---- Markdown ----

// The parser is loaded the first time a page shows Markdown (a chunk of its own), so pages
// without it do not pay for it. markdown.js builds DOM nodes from the parser's tokens: no
// HTML text from the value ever reaches the page.
let renderer = null;
const loadRenderer = () => (renderer ??= import("../markdown.js"));

async function renderMarkdown(rec, p) {
  const n = ++rec.st.renders;
  const { render } = await loadRenderer();
  if (n !== rec.st.renders) return; // a later value is on its way
  rec.el.replaceChildren(render(str(p.value), { extensionSet: str(p.extension_set) }));
  rec.el.setAttribute("data-rendered", "");
}

export const markdown = {
  create(_type, emit) {
    const el = document.createElement("div");
    const st = { renders: 0, follow: false, target: "" };
    el.addEventListener("click", (e) => {
      const a = e.target.closest?.("a[href]");
      if (!a || !el.contains(a)) return;
      e.preventDefault();
      const href = a.getAttribute("href");
      emit(TAP_LINK, href);
      if (st.follow) window.open(href, st.target || "_blank", "noopener,noreferrer");
    });
    return { el, st };
  },
  className: "lf-markdown",
  props: {
    value: renderMarkdown,
    extension_set: renderMarkdown,
    selectable: ({ el }, p) => {
      el.toggleAttribute("data-selectable", p.selectable === true);
    },
    auto_follow_links: (rec, p) => {
      rec.st.follow = p.auto_follow_links === true;
    },
    auto_follow_links_target: (rec, p) => {
      rec.st.target = str(p.auto_follow_links_target);
    },
  },
};
