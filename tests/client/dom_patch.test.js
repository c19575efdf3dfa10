// client/src/dom_patch.js in a small DOM (jsdom): each operation touches only the elements it
// names, and the op streams the busted specs record from the real diff, applied through
// view.js (model, then DOM), give the DOM the expected tree with every control kept in the
// very element it got when added.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { JSDOM } from "jsdom";
import { modelShape, scenarios } from "./fixtures.js";

// The client's modules reach for the browser's globals when they run, not when they load.
const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;

const { DOMPatch } = await import("../../client/src/dom_patch.js");
const { View } = await import("../../client/src/view.js");

const text = (id, value) => ({ id, type: "text", props: { value }, slots: {} });
const column = (id, ...kids) => ({ id, type: "column", props: {}, slots: { controls: kids } });
const page = (slots) => ({ id: 0, type: "page", props: {}, slots });

let root;
beforeEach(() => {
  root = document.createElement("div");
  document.body.replaceChildren(root);
});

const el = (id) => root.querySelector(`[data-id="${id}"]`);
// The ids of the controls directly inside element `box`.
const kidIds = (box) =>
  [...box.children].filter((c) => c.dataset.id).map((c) => Number(c.dataset.id));

describe("DOMPatch", () => {
  it("builds an init's tree with ids, types and props, each slot in its own box", () => {
    const d = new DOMPatch(root);
    d.reset(page({ controls: [text(1, "a"), column(2, text(3, "b"))], overlay: [text(4, "o")] }));
    assert.equal(el(0).dataset.type, "page");
    assert.equal(el(3).textContent, "b");
    assert.deepEqual(kidIds(el(2)), [3]);
    assert.deepEqual(kidIds(root.querySelector(".lf-page-controls")), [1, 2]);
    assert.deepEqual(kidIds(root.querySelector(".lf-overlay")), [4]);
    d.reset(null);
    assert.equal(root.children.length, 0);
  });

  it("adds a subtree before a sibling, or last when the sibling is not in the slot", () => {
    const d = new DOMPatch(root);
    d.reset(page({ controls: [text(1, "a"), column(2, text(3, "b"))] }));
    d.add(0, "controls", column(5, text(6, "c")), 1);
    assert.deepEqual(kidIds(root.querySelector(".lf-page-controls")), [5, 1, 2]);
    assert.equal(el(6).textContent, "c");
    d.add(2, "controls", text(7, "d"), 1); // 1 is the page's, not column 2's
    assert.deepEqual(kidIds(el(2)), [3, 7]);
  });

  it("moves the very element, and gives focus back to what had it", () => {
    const d = new DOMPatch(root);
    d.reset(page({ controls: [column(1, text(3, "a")), column(2)] }));
    const moved = el(3);
    moved.tabIndex = 0;
    moved.focus();
    assert.equal(document.activeElement, moved);
    d.move(3, 2, "controls", null);
    assert.equal(el(3), moved);
    assert.deepEqual(kidIds(el(2)), [3]);
    assert.deepEqual(kidIds(el(1)), []);
    assert.equal(document.activeElement, moved);
  });

  it("applies only the props it is told of", () => {
    const d = new DOMPatch(root);
    d.reset(page({ controls: [text(1, "a")] }));
    d.update({ id: 1, props: { value: "b", color: "red" } }, ["color"]);
    assert.equal(el(1).textContent, "a", "value was not listed");
    assert.notEqual(el(1).style.color, "");
    d.update({ id: 1, props: { value: "b" } }, ["value", "color"]);
    assert.equal(el(1).textContent, "b");
    assert.equal(el(1).style.color, "", "a prop no longer there is reset");
  });

  it("removes a subtree's element and forgets every id in it", () => {
    const d = new DOMPatch(root);
    d.reset(page({ controls: [column(1, text(2, "a")), text(3, "b")] }));
    d.remove([1, 2]);
    assert.equal(el(1), null);
    assert.equal(d.records.has(2), false);
    d.move(2, 0, "controls", null); // a forgotten id is left alone
    assert.equal(el(2), null);
    assert.deepEqual(kidIds(root.querySelector(".lf-page-controls")), [3]);
  });
});

// Checks that the DOM holds exactly the model's tree: every model control has its element,
// holding its slots' children in order, and no other control's element is on the page.
function assertDomMatches(view) {
  const { rendered, dom } = view;
  for (const [id, node] of rendered.nodes) {
    const rec = dom.records.get(id);
    assert.ok(rec?.el.isConnected, `control ${id} has no element on the page`);
    assert.equal(rec.el.dataset.type, node.type);
    if (node.type === "text") assert.equal(rec.el.textContent, String(node.props.value ?? ""));
    for (const [name, ids] of Object.entries(node.slots)) {
      const box = rec.slots[name] ?? rec.el; // a type's own box for the slot, or its element
      assert.deepEqual(kidIds(box), ids, `slot ${name} of ${id}`);
    }
  }
  assert.equal(root.querySelectorAll("[data-id]").length, rendered.nodes.size);
}

describe("View and DOMPatch fed the diff's op streams", () => {
  for (const sc of scenarios()) {
    it(`${sc.file}: ${sc.title}`, () => {
      const warnings = [];
      const warn = console.warn;
      console.warn = (...args) => warnings.push(args);
      try {
        const view = new View(root, () => false);
        sc.steps.forEach((step, i) => {
          for (const msg of step.messages) {
            if (msg.t === "init") {
              view.init(msg.tree);
              continue;
            }
            // A control the patch keeps stays in the element it had.
            const before = new Map([...view.dom.records].map(([id, rec]) => [id, rec.el]));
            view.patch(msg.ops);
            for (const [id, rec] of view.dom.records) {
              if (before.has(id))
                assert.equal(rec.el, before.get(id), `control ${id} got a new element`);
            }
          }
          assert.deepEqual(warnings, [], "view.js refused an operation");
          assert.deepEqual(modelShape(view.rendered, 0), step.tree, `model after step ${i + 1}`);
          assertDomMatches(view);
        });
      } finally {
        console.warn = warn;
      }
    });
  }
});
