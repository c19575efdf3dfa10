// A virtual list: the children of a ListView or GridView, of which only those near the
// viewport are in the document. The host sends the whole list; dom_patch builds every child
// (detached) and hands it here (insert, delete) instead of to an element. Each shown child
// sits in a wrapper placed absolutely at its offset inside a sizer as long as the whole
// list, so the scroll bar and scroll positions are those of the full list. A list child's
// size along the list is measured once shown (estimated from the others until then), or is
// item_extent, or the first child's (first_item_prototype); a grid's tiles all have one size.

import { targetOf } from "./scrolling.js";

const OVERSCAN = 400; // pixels drawn past each edge of the viewport
const ESTIMATE = 48; // a list child's guessed size before any has been measured
const MAX_SHOWN = 500;

// Lists in the page, re-rendered when anything scrolls (an unconstrained list scrolls with
// its parent) or the window changes size.
const live = new Set();
let hooked = false;
function hook() {
  if (hooked) return;
  hooked = true;
  const all = () => {
    for (const list of live) {
      if (list.viewport.isConnected) list.schedule();
      else if (list.wasConnected) live.delete(list);
    }
  };
  document.addEventListener("scroll", all, { capture: true, passive: true });
  window.addEventListener("resize", all);
}

/** Numbers for padding given as Flet does (one number, or {left, top, right, bottom}). */
export function edgeNumbers(v) {
  if (typeof v === "number") return { top: v, right: v, bottom: v, left: v };
  if (!v || typeof v !== "object") return { top: 0, right: 0, bottom: 0, left: 0 };
  const n = (long, short) => Number(v[long] ?? v[short]) || 0;
  return {
    top: n("top", "t"),
    right: n("right", "r"),
    bottom: n("bottom", "b"),
    left: n("left", "l"),
  };
}

export class VirtualList {
  /** `viewport` scrolls; the sizer inside it holds the shown children. `onRender` runs after
   * each render (the owner reports scroll events from it). */
  constructor(viewport, onRender = () => {}) {
    this.viewport = viewport;
    viewport.lfVirtual = this; // for tests and measurements
    this.onRender = onRender;
    this.sizer = viewport.appendChild(document.createElement("div"));
    this.sizer.className = "lf-vsizer";
    // The element dom_patch sees as the slot: it only carries the link to this list.
    this.slot = { lfList: this };
    this.items = [];
    this.dirty = false; // items holds deleted elements until compacted
    this.shown = new Set();
    this.measured = { sum: 0, count: 0 }; // of the children's lfSize
    this.opts = {
      horizontal: false,
      reverse: false,
      spacing: 0,
      extent: null,
      prototype: false,
      divider: 0,
    };
    this.grid = null; // {runs, maxExtent, aspect, spacing, runSpacing} for a grid
    this.pad = edgeNumbers(null);
    this.frame = 0;
    this.request = null;
    this.wasConnected = false;
    this.autoScroll = false;
    hook();
    live.add(this);
    viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    // Also when it comes back into the page (a tab shown again): its size changes then.
    new ResizeObserver(() => this.schedule()).observe(viewport);
    // A shown child that changes size (its text changed, a font arrived) moves the ones
    // after it: measure it again.
    this.sizes = new ResizeObserver((entries) => {
      const h = this.opts.horizontal;
      for (const entry of entries) {
        const el = entry.target.firstElementChild;
        if (!el || el.lfList !== this) continue;
        const box = entry.target.getBoundingClientRect();
        const size = h ? box.width : box.height;
        if (this.measure(el, size)) this.schedule();
      }
    });
  }

  /** Inserts elements before `before` (a child element, or null for the end). */
  insert(els, before) {
    this.compact();
    let at = before ? this.items.indexOf(before) : -1;
    if (at < 0) at = this.items.length;
    for (const el of els) {
      el.lfList = this;
      // Out of wherever it was (a move from another slot): it is shown when rendered.
      if (el.parentNode && el.parentNode !== el.lfWrap) el.remove();
    }
    this.items.splice(at, 0, ...els);
    this.added = true;
    this.schedule();
  }

  /** Takes a child out of the list (removed, or moved elsewhere). */
  delete(el) {
    el.lfList = null;
    if (el.lfSize != null) {
      this.measured.sum -= el.lfSize;
      this.measured.count--;
      el.lfSize = null;
    }
    if (el.lfWrap) this.sizes.unobserve(el.lfWrap);
    el.lfWrap?.remove();
    this.shown.delete(el);
    this.dirty = true;
    this.schedule();
  }

  /** Records child el's measured size along the list; true when it changed. */
  measure(el, size) {
    if (el.lfSize === size) return false;
    if (el.lfSize == null) this.measured.count++;
    else this.measured.sum -= el.lfSize;
    this.measured.sum += size;
    el.lfSize = size;
    return true;
  }

  compact() {
    if (!this.dirty) return;
    this.items = this.items.filter((el) => el.lfList === this);
    this.dirty = false;
  }

  set(opts) {
    Object.assign(this.opts, opts);
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** The position and size of every child along the list: [offsets, sizes, total]. */
  layout() {
    const n = this.items.length;
    const offsets = new Float64Array(n + 1);
    const h = this.opts.horizontal;
    const start = h ? this.pad.left : this.pad.top;
    if (this.grid) {
      const g = this.gridMetrics();
      for (let i = 0; i <= n; i++) offsets[i] = start + Math.floor(i / g.cols) * g.step;
      const rows = Math.ceil(n / g.cols);
      const total =
        start + Math.max(0, rows * g.step - g.spacing) + (h ? this.pad.right : this.pad.bottom);
      return { offsets, total, g };
    }
    const { spacing, extent, prototype } = this.opts;
    let fixed = extent > 0 ? extent : null;
    if (!fixed && prototype && n > 0 && this.items[0].lfSize != null) fixed = this.items[0].lfSize;
    // Children not measured yet count as the mean of all measured so far: a guess that
    // settles as more are seen, so that it moves the list less and less.
    const guess = this.measured.count ? this.measured.sum / this.measured.count : ESTIMATE;
    let pos = start;
    for (let i = 0; i < n; i++) {
      offsets[i] = pos;
      pos += (fixed ?? this.items[i].lfSize ?? guess) + spacing;
    }
    offsets[n] = pos;
    const total = (n ? pos - spacing : pos) + (h ? this.pad.right : this.pad.bottom);
    return { offsets, total, fixed };
  }

  gridMetrics() {
    const { runs, maxExtent, aspect, spacing, runSpacing } = this.grid;
    const h = this.opts.horizontal;
    const cross =
      (h
        ? this.viewport.clientHeight - this.pad.top - this.pad.bottom
        : this.viewport.clientWidth - this.pad.left - this.pad.right) || 0;
    const cols =
      maxExtent > 0 ? Math.max(1, Math.ceil(cross / (maxExtent + runSpacing))) : Math.max(1, runs);
    const tile = Math.max(0, (cross - runSpacing * (cols - 1)) / cols);
    const main = h ? tile * aspect : tile / (aspect || 1);
    return { cols, tile, main, step: main + spacing, spacing, runSpacing };
  }

  // The range of the sizer, along the list, that is on the screen: the viewport's own, cut
  // to the window for a list as long as its content (one its parent scrolls).
  visibleRange() {
    const h = this.opts.horizontal;
    const vp = this.viewport;
    const r = vp.getBoundingClientRect();
    const scroll = h ? vp.scrollLeft : vp.scrollTop;
    const size = h ? vp.clientWidth : vp.clientHeight;
    const win = h ? window.innerWidth : window.innerHeight;
    const start = h ? r.left : r.top;
    let lead = Math.min(size, Math.max(0, -start));
    let tail = Math.min(size, Math.max(0, win - start));
    // Off the screen (a parent scrolled it away): the start of its own viewport, as if shown.
    if (tail <= lead) [lead, tail] = [0, Math.min(size, win)];
    return [scroll + lead - OVERSCAN, scroll + tail + OVERSCAN];
  }

  // The first index whose end is past pos.
  static find(offsets, n, pos) {
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid + 1] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // The scroll position along the list: from its start, which is the far end of the
  // viewport for a reversed list (the bottom, or the right).
  maxScroll() {
    const vp = this.viewport;
    return this.opts.horizontal
      ? vp.scrollWidth - vp.clientWidth
      : vp.scrollHeight - vp.clientHeight;
  }

  pos() {
    const vp = this.viewport;
    const phys = this.opts.horizontal ? vp.scrollLeft : vp.scrollTop;
    return this.opts.reverse ? this.maxScroll() - phys : phys;
  }

  setPos(v) {
    const phys = this.opts.reverse ? this.maxScroll() - v : v;
    this.viewport[this.opts.horizontal ? "scrollLeft" : "scrollTop"] = phys;
  }

  render() {
    if (!this.viewport.isConnected) return;
    this.wasConnected = true;
    live.add(this);
    this.compact();
    const h = this.opts.horizontal;
    const n = this.items.length;
    const rev = this.opts.reverse;
    // The child at the top of the viewport stays where it is on the screen when children
    // before it turn out bigger or smaller than guessed: scrolling up through children
    // not yet measured does not make the list jump.
    let anchor = null;
    // It is the child that was at the top when last rendered (measured, then), wherever
    // the person has scrolled since.
    if (this.lastOffsets && this.lastCount === n && !this.request) {
      const i = VirtualList.find(this.lastOffsets, n, this.lastScroll);
      if (i > 0 && i < n) anchor = { i, delta: this.lastOffsets[i] - this.pos() };
    }
    // A reversed list starts at its far end; else it keeps its place along the list while
    // the sizer grows or shrinks.
    const keep = rev ? (this.lastOffsets ? this.pos() : 0) : null;
    let latest = null;
    for (let pass = 0; pass < 4; pass++) {
      const { offsets, total, g, fixed } = this.layout();
      latest = offsets;
      this.sizer.style[h ? "width" : "height"] = `${total}px`;
      this.sizer.style[h ? "height" : "width"] = "";
      if (anchor && !g) {
        const want = offsets[anchor.i] - anchor.delta;
        if (Math.abs(want - this.pos()) > 0.5) this.setPos(want);
      } else if (keep !== null) this.setPos(keep);
      let [from, to] = this.visibleRange();
      if (rev) [from, to] = [total - to, total - from];
      let first = VirtualList.find(offsets, n, from);
      if (g) first -= first % g.cols;
      let last = first;
      // Never more than MAX_SHOWN at once, even if children of no size would all fit.
      while (last < n && offsets[last] < to && last - first < MAX_SHOWN) last++;
      const want = new Set(this.items.slice(first, last));
      for (const el of this.shown) {
        if (!want.has(el)) {
          if (el.lfWrap) {
            this.sizes.unobserve(el.lfWrap);
            el.lfWrap.remove();
          }
          this.shown.delete(el);
        }
      }
      const fresh = [];
      for (let i = first; i < last; i++) {
        const el = this.items[i];
        let wrap = el.lfWrap;
        if (!wrap) {
          wrap = el.lfWrap = document.createElement("div");
          wrap.className = "lf-vitem";
        }
        if (el.parentNode !== wrap) wrap.append(el);
        wrap.toggleAttribute("data-divider", !g && i > 0 && this.opts.divider > 0);
        this.place(wrap, i, offsets, g, fixed);
        if (wrap.parentNode !== this.sizer) {
          this.sizer.append(wrap);
          fresh.push(el);
          if (!g && !fixed) this.sizes.observe(wrap);
        }
        this.shown.add(el);
      }
      if (g || fixed) break;
      // Measure the children just shown; render again while a guess was wrong.
      let changed = false;
      for (const el of fresh.length ? fresh : []) {
        const box = el.lfWrap.getBoundingClientRect();
        const size = h ? box.width : box.height;
        if (this.measure(el, size)) changed = true;
      }
      if (!changed) break;
      // Out of passes with sizes still changing: go on in the next frame.
      if (pass === 3) this.schedule();
    }
    this.lastOffsets = latest;
    this.lastCount = n;
    this.lastScroll = this.pos();
    if (this.added && this.autoScroll) this.scrollToEnd();
    this.added = false;
    if (this.request) this.applyRequest();
    this.onRender();
  }

  place(wrap, i, offsets, g, fixed) {
    const h = this.opts.horizontal;
    const s = wrap.style;
    const { left, top, right, bottom } = this.pad;
    if (g) {
      const col = i % g.cols;
      const cross = (h ? top : left) + col * (g.tile + g.runSpacing);
      s.left = `${h ? offsets[i] : cross}px`;
      s.top = `${h ? cross : offsets[i]}px`;
      s.width = `${h ? g.main : g.tile}px`;
      s.height = `${h ? g.tile : g.main}px`;
      s.right = s.bottom = "";
      return;
    }
    const main = fixed ? `${fixed}px` : "";
    // A reversed list counts from the far edge, so a child is placed before it is measured.
    const at = `${offsets[i]}px`;
    const rev = this.opts.reverse;
    if (h) {
      s.left = rev ? "" : at;
      s.right = rev ? at : "";
      s.top = `${top}px`;
      s.bottom = `${bottom}px`;
      s.width = main;
      s.height = "";
    } else {
      s.top = rev ? "" : at;
      s.bottom = rev ? at : "";
      s.left = `${left}px`;
      s.right = `${right}px`;
      s.height = main;
      s.width = "";
    }
  }

  scrollToEnd() {
    this.setPos(this.maxScroll());
  }

  /** Scrolls as Flet's scroll_to: {offset, delta, index, duration}, applied after the next
   * render (the children it names may be new). */
  scrollTo(req) {
    this.request = { ...req, tries: 0 };
    this.schedule();
  }

  applyRequest() {
    const req = this.request;
    const h = this.opts.horizontal;
    const vp = this.viewport;
    const max = this.maxScroll();
    const now = this.pos();
    const target = targetOf(req, now, max, (index) => {
      const i = Math.min(index, this.items.length - 1);
      return i >= 0 ? this.layout().offsets[i] - (h ? this.pad.left : this.pad.top) : 0;
    });
    const smooth = Number(req.duration) > 0 && req.tries === 0;
    const phys = this.opts.reverse ? max - target : target;
    vp.scrollTo({ [h ? "left" : "top"]: phys, behavior: smooth ? "smooth" : "instant" });
    req.tries++;
    // An index's offset is exact only once the children before it near the target have
    // been measured: settle over a few renders (a smooth scroll renders on each step).
    if (!smooth && typeof req.index === "number" && req.tries < 6 && Math.abs(target - now) > 1) {
      this.schedule();
    } else this.request = null;
  }
}
