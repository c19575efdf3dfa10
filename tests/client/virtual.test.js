// client/src/controls/virtual.js through dom_patch.js in a small DOM (jsdom): a ListView's
// children are kept in order by the virtual list whatever dom_patch does (build, add before
// a sibling, remove, move out and back in), and only the shown ones are in the document.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;
// jsdom lays nothing out: no observers, and frames run when the test says.
globalThis.ResizeObserver = class {
  observe() {}
  unobserve() {}
};
let frames = [];
globalThis.requestAnimationFrame = (f) => frames.push(f);
const flush = () => {
  const run = frames;
  frames = [];
  for (const f of run) f();
};

const { DOMPatch } = await import("../../client/src/dom_patch.js");

const text = (id, value) => ({ id, type: "text", props: { value }, slots: {} });
const list = (id, ...kids) => ({ id, type: "listview", props: {}, slots: { controls: kids } });
const fixed = (id, ...kids) => ({
  id,
  type: "listview",
  props: { item_extent: 20 },
  slots: { controls: kids },
});
const column = (id, ...kids) => ({ id, type: "column", props: {}, slots: { controls: kids } });
const page = (slots) => ({ id: 0, type: "page", props: {}, slots });

let root;
beforeEach(() => {
  root = document.createElement("div");
  document.body.replaceChildren(root);
  frames = [];
});

const order = (d, id) => {
  const l = d.records.get(id).list;
  l.compact();
  return l.items.map((e) => Number(e.dataset.id));
};

describe("a virtual list", () => {
  it("keeps its children in order through adds, removes and moves", () => {
    const d = new DOMPatch(root);
    d.reset(page({ controls: [list(1, text(2, "a"), text(3, "b"), text(4, "c")), column(9)] }));
    assert.deepEqual(order(d, 1), [2, 3, 4]);
    d.add(1, "controls", text(5, "d"), 3);
    assert.deepEqual(order(d, 1), [2, 5, 3, 4]);
    d.add(1, "controls", text(6, "e"), null);
    assert.deepEqual(order(d, 1), [2, 5, 3, 4, 6]);
    d.remove([3]);
    assert.deepEqual(order(d, 1), [2, 5, 4, 6]);
    // Out to a column (a real element) and back before another child.
    d.move(5, 9, "controls", null);
    assert.deepEqual(order(d, 1), [2, 4, 6]);
    assert.equal(root.querySelector('[data-id="9"]').firstElementChild.dataset.id, "5");
    d.move(5, 1, "controls", 2);
    assert.deepEqual(order(d, 1), [5, 2, 4, 6]);
    assert.equal(root.querySelector('[data-id="9"]').children.length, 0);
  });

  it("puts nothing in the document until it renders, then only wrapped children", () => {
    const d = new DOMPatch(root);
    const kids = Array.from({ length: 50 }, (_, i) => text(10 + i, `t${i}`));
    d.reset(page({ controls: [fixed(1, ...kids)] }));
    const el = root.querySelector('[data-id="1"]');
    assert.equal(el.querySelectorAll("[data-id]").length, 0);
    flush();
    // jsdom has no layout: the window is its overscan, from the start of the list.
    const shown = [...el.querySelectorAll(".lf-vitem > [data-id]")].map((e) =>
      Number(e.dataset.id),
    );
    assert.ok(shown.length > 0 && shown.length < 50, `shown ${shown.length}`);
    assert.deepEqual(
      shown,
      kids.slice(0, shown.length).map((k) => k.id),
    );
    // A removed child leaves the document with its wrapper.
    d.remove([10]);
    assert.equal(el.querySelector('[data-id="10"]'), null);
  });
});
