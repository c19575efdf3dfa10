// client/src/rendered.js: the control tree model, on its own and fed the op streams the
// busted specs record from the real diff.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rendered } from "../../client/src/rendered.js";
import { modelShape, scenarios } from "./fixtures.js";

const text = (id, value, props = {}) => ({
  id,
  type: "text",
  props: { value, ...props },
  slots: {},
});
const column = (id, ...kids) => ({ id, type: "column", props: {}, slots: { controls: kids } });
const page = (...kids) => ({ id: 0, type: "page", props: {}, slots: { controls: kids } });

// The ids of slot `slot` of control `id`.
const ids = (r, id, slot = "controls") => r.get(id).slots[slot];

describe("Rendered", () => {
  it("indexes an init's tree: records, parents, slots in order", () => {
    const r = new Rendered();
    r.reset(page(text(1, "a"), column(2, text(3, "b"), text(4, "c"))));
    assert.deepEqual(ids(r, 0), [1, 2]);
    assert.deepEqual(ids(r, 2), [3, 4]);
    assert.equal(r.get(4).parent, 2);
    assert.equal(r.get(4).slot, "controls");
    assert.equal(r.get(0).parent, null);
    assert.equal(r.get(1).props.value, "a");
    r.reset(page());
    assert.equal(r.get(3), undefined, "a new init forgets the old tree");
    assert.deepEqual(ids(r, 0), []);
  });

  it("adds a subtree last or before a sibling, into a new slot too", () => {
    const r = new Rendered();
    r.reset(page(text(1, "a")));
    assert.equal(r.add(0, "controls", null, column(2, text(3, "b"))), true);
    assert.equal(r.add(0, "controls", 1, text(4, "first")), true);
    assert.deepEqual(ids(r, 0), [4, 1, 2]);
    assert.equal(r.get(3).parent, 2);
    assert.equal(r.add(0, "overlay", null, text(5, "o")), true);
    assert.deepEqual(ids(r, 0, "overlay"), [5]);
    assert.equal(r.get(5).slot, "overlay");
  });

  it("refuses an add to an unknown parent, changing nothing", () => {
    const r = new Rendered();
    r.reset(page());
    assert.equal(r.add(9, "controls", null, text(1, "a")), false);
    assert.equal(r.get(1), undefined);
  });

  it("moves a control with its subtree, within a slot and to another parent", () => {
    const r = new Rendered();
    r.reset(page(text(1, "a"), text(2, "b"), column(3, text(4, "c"))));
    assert.equal(r.move(2, 0, "controls", 1), true);
    assert.deepEqual(ids(r, 0), [2, 1, 3]);
    assert.equal(r.move(3, 0, "controls", null), true); // already last: stays last
    assert.deepEqual(ids(r, 0), [2, 1, 3]);
    assert.equal(r.move(1, 3, "controls", 4), true);
    assert.deepEqual(ids(r, 0), [2, 3]);
    assert.deepEqual(ids(r, 3), [1, 4]);
    assert.equal(r.get(1).parent, 3);
    assert.equal(r.move(3, 0, "overlay", null), true);
    assert.deepEqual(ids(r, 0), [2]);
    assert.equal(r.get(3).slot, "overlay");
    assert.deepEqual(ids(r, 3), [1, 4], "the subtree goes along");
  });

  it("refuses a move of or to an unknown control, changing nothing", () => {
    const r = new Rendered();
    r.reset(page(text(1, "a")));
    assert.equal(r.move(7, 0, "controls", null), false);
    assert.equal(r.move(1, 7, "controls", null), false);
    assert.deepEqual(ids(r, 0), [1]);
    assert.equal(r.get(1).parent, 0);
  });

  it("merges set props, null removing one", () => {
    const r = new Rendered();
    r.reset(page(text(1, "a", { color: "red" })));
    const rec = r.set(1, { value: "b", color: null, size: 3 });
    assert.equal(rec, r.get(1));
    assert.deepEqual(rec.props, { value: "b", size: 3 });
    assert.equal(r.set(7, { value: "x" }), undefined);
  });

  it("removes a subtree, returning its ids root first", () => {
    const r = new Rendered();
    r.reset(page(text(1, "a"), column(2, column(3, text(4, "b")), text(5, "c"))));
    assert.deepEqual(r.remove(2), [2, 3, 4, 5]);
    assert.deepEqual(ids(r, 0), [1]);
    for (const id of [2, 3, 4, 5]) assert.equal(r.get(id), undefined);
    assert.equal(r.remove(2), undefined);
  });

  it("cleans a slot, returning each child's subtree", () => {
    const r = new Rendered();
    r.reset(page(column(1, text(2, "a"), column(3, text(4, "b")))));
    assert.deepEqual(r.clean(1, "controls"), [[2], [3, 4]]);
    assert.deepEqual(ids(r, 1), []);
    assert.equal(r.get(4), undefined);
    assert.deepEqual(r.clean(1, "overlay"), [], "an empty or missing slot");
    assert.equal(r.clean(9, "controls"), undefined);
  });

  it("sees a control disabled through any ancestor", () => {
    const r = new Rendered();
    r.reset(page(column(1, column(2, text(3, "a"))), text(4, "b")));
    assert.equal(r.isDisabled(3), false);
    r.set(1, { disabled: true });
    assert.equal(r.isDisabled(3), true);
    assert.equal(r.isDisabled(4), false);
    r.set(1, { disabled: null });
    assert.equal(r.isDisabled(3), false);
  });
});

// Applies one patch operation the way view.js does, but failing on anything the model
// refuses, and on a `before` that is not in the slot (which rendered.js would take as last).
function apply(r, op) {
  const where = `${op.op} ${JSON.stringify(op).slice(0, 200)}`;
  if (op.before != null) {
    assert.ok(
      r.get(op.parent)?.slots[op.slot]?.includes(op.before),
      `before not in its slot: ${where}`,
    );
  }
  switch (op.op) {
    case "add":
      assert.ok(r.add(op.parent, op.slot, op.before, op.node), where);
      break;
    case "move":
      assert.ok(r.move(op.id, op.parent, op.slot, op.before), where);
      break;
    case "set":
      assert.ok(r.set(op.id, op.props), where);
      break;
    case "remove":
      assert.ok(r.remove(op.id), where);
      break;
    case "clean":
      assert.ok(r.clean(op.id, op.slot), where);
      break;
    default:
      assert.fail(`unknown op: ${where}`);
  }
}

// A message as socket.js takes it: an init starts over, a patch must be the next one.
function receive(r, state, msg) {
  if (msg.t === "init") {
    r.reset(msg.tree);
    state.seq = msg.seq;
    return;
  }
  assert.equal(msg.t, "patch");
  assert.equal(msg.seq, state.seq + 1, "messages are numbered one by one");
  for (const op of msg.ops) apply(r, op);
  state.seq = msg.seq;
}

describe("Rendered fed the diff's op streams", () => {
  for (const sc of scenarios()) {
    it(`${sc.file}: ${sc.title}`, () => {
      const r = new Rendered();
      const state = { seq: null };
      sc.steps.forEach((step, i) => {
        for (const msg of step.messages) receive(r, state, msg);
        assert.deepEqual(modelShape(r, 0), step.tree, `after step ${i + 1}`);
      });
    });
  }
});
