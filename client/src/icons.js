// Icons, drawn from one small SVG per icon that the browser fetches when a page first shows
// it (and then keeps: the host serves them as immutable). client/build.mjs lays them out
// under ICON_BASE by Flet's own names, the style suffix included ("add", "add_outlined",
// "favorite_border_rounded"), so a name needs no translation here. The SVG is the mask of a
// box painted in the current text color, which lets `color` tint it as it tints text.

/* global ICON_BASE */
const BASE = typeof ICON_BASE === "string" ? ICON_BASE : "/icons/";
// Flet's names are ft.Icons' in lower case; anything else is not an icon and is not fetched.
const NAME = /^[a-z0-9_]{1,80}$/;

/** The URL of icon `name`'s SVG, or null when the name cannot be an icon's. */
export function iconUrl(name) {
  return typeof name === "string" && NAME.test(name) ? `${BASE}${name}.svg` : null;
}

/** A new icon element (a span of class lf-icon), showing `name` if given. */
export function makeIcon(name) {
  const el = document.createElement("span");
  el.className = "lf-icon";
  el.setAttribute("aria-hidden", "true");
  if (name != null) setIcon(el, name);
  return el;
}

/** Makes icon element `el` show `name`; an empty or bad name shows nothing. */
export function setIcon(el, name) {
  const url = iconUrl(name);
  if (url) {
    el.dataset.icon = name;
    el.style.setProperty("--lf-icon", `url("${url}")`);
  } else {
    delete el.dataset.icon;
    el.style.removeProperty("--lf-icon");
  }
}

/** Draws, from the same SVGs, every md-icon element under `root` whose data-icon attribute
 * names an icon: the convention of renderers written for the icon font (a ligature drawn
 * from data-icon), which this client no longer loads. It watches for such elements as they
 * come and as their data-icon changes. */
export function drawIconElements(root) {
  const draw = (el) => {
    const url = iconUrl(el.dataset.icon);
    if (url) el.style.setProperty("--lf-icon", `url("${url}")`);
    else el.style.removeProperty("--lf-icon");
  };
  const scan = (node) => {
    if (node.nodeType !== 1) return;
    if (node.matches("md-icon[data-icon]")) draw(node);
    for (const el of node.querySelectorAll("md-icon[data-icon]")) draw(el);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") {
        if (r.target.localName === "md-icon") draw(r.target);
      } else for (const n of r.addedNodes) scan(n);
    }
  }).observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-icon"],
  });
  scan(root);
}
