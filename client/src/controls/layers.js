// What shows above the page and goes away when dismissed: dialogs, sheets, drawers, menus.
// A layer is shown with showLayer(rec, true, dismiss); Escape calls the dismiss of the
// newest layer shown, and a layer that cannot be dismissed (a modal dialog) stops it there.
// Shared by dialogs.js and navigation.js.

const shown = [];
let listening = false;

function onKey(e) {
  if (e.key !== "Escape") return;
  for (let i = shown.length - 1; i >= 0; i--) {
    const layer = shown[i];
    if (!layer.rec.el.isConnected) {
      shown.splice(i, 1);
      continue;
    }
    e.preventDefault();
    if (layer.dismiss) layer.dismiss();
    return;
  }
}

/** Shows (on) or hides the layer of record `rec`: its element gets data-open. `dismiss`, when
 * given, is what Escape does while it is the newest layer shown; null makes Escape do
 * nothing while it is (a modal dialog). */
export function showLayer(rec, on, dismiss = null) {
  const i = shown.findIndex((l) => l.rec === rec);
  if (i >= 0) shown.splice(i, 1);
  if (on) {
    shown.push({ rec, dismiss });
    if (!listening) {
      document.addEventListener("keydown", onKey);
      listening = true;
    }
  }
  rec.el.toggleAttribute("data-open", on);
}

/** An md-icon showing the Material Symbol `name` (drawn from data-icon by luaflet.css), or
 * null for no name. */
export function iconElement(name, className) {
  if (typeof name !== "string" || name === "") return null;
  const el = document.createElement("md-icon");
  el.dataset.icon = name;
  el.setAttribute("aria-hidden", "true");
  if (className) el.className = className;
  return el;
}

/** Puts the icon `name` as the first child of `box`, replacing the one there before. */
export function setIcon(box, name, className = "lf-icon") {
  box.querySelector(`:scope > md-icon.${className}`)?.remove();
  const icon = iconElement(name, className);
  if (icon) box.prepend(icon);
}

/** A span for a prop that is text or a control: it holds the text, and is hidden when the
 * prop is not a string (the control, if any, is a child of the slot beside it). */
export function textOf(span, v) {
  const s = typeof v === "string" || typeof v === "number" ? String(v) : "";
  span.textContent = s;
  span.hidden = s === "";
}
