// ListView and GridView: scrolling lists whose children are kept by a VirtualList
// (virtual.js), so that only those near the viewport are in the document. Both report
// scrolling as Flet's on_scroll and take scroll_to() requests through the scroll_request
// prop (scrolling.js, lua/flet/methods.lua).

import { setVar } from "./common.js";
import { scrollEvents } from "./scrolling.js";
import { VirtualList, edgeNumbers } from "./virtual.js";

function scrollview(grid) {
  const options = (rec, p) => {
    rec.list.set({
      horizontal: p.horizontal === true,
      reverse: !grid && p.reverse === true, // a reversed grid is drawn as a plain one
      spacing: grid ? 0 : Math.max(0, Number(p.spacing) || 0),
      extent: Number(p.item_extent) > 0 ? Number(p.item_extent) : null,
      prototype: p.first_item_prototype === true,
      divider: Number(p.divider_thickness) || 0,
    });
    rec.el.toggleAttribute("data-horizontal", p.horizontal === true);
    setVar(rec.el, "--lf-gap", `${Number(p.spacing) || 0}px`);
    setVar(rec.el, "--lf-div", p.divider_thickness > 0 ? `${p.divider_thickness}px` : "");
    if (grid) {
      rec.list.grid = {
        runs: Math.max(1, Math.floor(Number(p.runs_count) || 1)),
        maxExtent: Number(p.max_extent) > 0 ? Number(p.max_extent) : 0,
        aspect: Number(p.child_aspect_ratio) > 0 ? Number(p.child_aspect_ratio) : 1,
        spacing: p.spacing == null ? 10 : Number(p.spacing) || 0,
        runSpacing: p.run_spacing == null ? 10 : Number(p.run_spacing) || 0,
      };
    }
  };
  const props = {
    horizontal: options,
    reverse: options,
    spacing: options,
    item_extent: options,
    first_item_prototype: options,
    divider_thickness: options,
    runs_count: options,
    max_extent: options,
    child_aspect_ratio: options,
    run_spacing: options,
    padding: (rec, p) => {
      rec.list.pad = edgeNumbers(p.padding);
      rec.list.schedule();
    },
    auto_scroll: (rec, p) => {
      rec.list.autoScroll = p.auto_scroll === true;
      if (rec.list.autoScroll) rec.list.added = true;
      rec.list.schedule();
    },
    on_scroll_interval: (rec, p) => {
      rec.scrolling.interval = p.on_scroll_interval;
    },
    scroll_request: (rec, p) => {
      const r = p.scroll_request;
      if (r && typeof r === "object") rec.list.scrollTo(r);
    },
  };
  return {
    create(type, emit) {
      const el = document.createElement("div");
      const list = new VirtualList(el);
      if (grid) list.grid = { runs: 1, maxExtent: 0, aspect: 1, spacing: 10, runSpacing: 10 };
      const scrolling = scrollEvents(el, emit, {
        pos: () => list.pos(),
        horizontal: () => list.opts.horizontal,
      });
      return { el, list, scrolling, slots: { controls: list.slot } };
    },
    className: `lf-scrollview ${grid ? "lf-gridview" : "lf-listview"}`,
    props,
  };
}

export const listview = scrollview(false);
export const gridview = scrollview(true);
