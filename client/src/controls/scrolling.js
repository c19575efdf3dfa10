// Scrolling as Flet reports and drives it, for every control that scrolls its children: the
// lists (listview.js, whose positions come from their VirtualList), and the page and its
// views (page.js, route_view.js), whose column of controls scrolls as a plain element.
// on_scroll events carry e.data as JSON {t, p, minse, maxse, vd, sd} (flet.methods turns
// them into Flet's fields); scroll_to() comes as a scroll_request prop.

import { SCROLL } from "../constants.js";

const DEFAULT_INTERVAL_MS = 10; // Flet's on_scroll_interval

/** Reports el's scrolling through emit(SCROLL, data): "start" when it begins, "update" at
 * most once per `interval` ms (on_scroll_interval, set on the returned object), and "end".
 * `pos()` is the scroll position along the scrolling axis, `horizontal()` whether that is
 * the horizontal one. The events reach the host only when the app has set on_scroll (see
 * View.emit). */
export function scrollEvents(
  el,
  emit,
  { pos = () => el.scrollTop, horizontal = () => false } = {},
) {
  const state = { interval: null };
  let last = 0,
    lastPos = null;
  const report = (t) => {
    const h = horizontal();
    const p = pos();
    const vd = h ? el.clientWidth : el.clientHeight;
    const max = (h ? el.scrollWidth : el.scrollHeight) - vd;
    const data = { t, p, minse: 0, maxse: Math.max(0, max), vd };
    if (t === "update") data.sd = lastPos == null ? 0 : p - lastPos;
    lastPos = p;
    emit(SCROLL, JSON.stringify(data));
  };
  el.addEventListener(
    "scroll",
    () => {
      const now = performance.now();
      if (lastPos == null) report("start");
      const n = Number(state.interval);
      const interval = state.interval != null && n >= 0 ? n : DEFAULT_INTERVAL_MS;
      if (now - last >= interval) {
        last = now;
        report("update");
      }
    },
    { passive: true },
  );
  el.addEventListener("scrollend", () => {
    report("end");
    lastPos = null;
  });
  return state;
}

/** Where a scroll_to request {offset, delta, index} takes a position that is `now`, at most
 * `max`: `offset` from the start (a negative one from the end, -1 being the very end),
 * `delta` from where it is, or where child `index` starts (`offsetOf(index)`). */
export function targetOf(req, now, max, offsetOf) {
  let target = now;
  if (typeof req.index === "number") target = offsetOf(req.index);
  else if (typeof req.offset === "number")
    target = req.offset < 0 ? max + req.offset + 1 : req.offset;
  else if (typeof req.delta === "number") target = now + req.delta;
  return Math.max(0, Math.min(max, target));
}

/** Applies scroll_to request `req` to el, which scrolls vertically and holds the children
 * directly; smoothly over its `duration`, if it has one. Done once the patch that brought it
 * is applied, as the children it names may come in the same patch. */
export function scrollElement(el, req) {
  queueMicrotask(() => {
    const max = el.scrollHeight - el.clientHeight;
    const top = targetOf(req, el.scrollTop, max, (i) => {
      const child = el.children[Math.min(i, el.children.length - 1)];
      if (!child) return 0;
      return (
        child.getBoundingClientRect().top -
        el.getBoundingClientRect().top -
        el.clientTop +
        el.scrollTop
      );
    });
    el.scrollTo({ top, behavior: Number(req.duration) > 0 ? "smooth" : "instant" });
  });
}

/** page.auto_scroll (and a View's): while `on`, el is kept scrolled to its end whenever what
 * it holds changes, as Flet's auto_scroll does. Returns the observer that does it, to be given
 * back on the next call (null when off). */
export function followEnd(el, on, observer) {
  if (!on) {
    observer?.disconnect();
    return null;
  }
  if (observer) return observer;
  const o = new MutationObserver(() => {
    el.scrollTop = el.scrollHeight;
  });
  o.observe(el, { childList: true, subtree: true, characterData: true });
  el.scrollTop = el.scrollHeight;
  return o;
}
