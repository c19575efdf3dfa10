// Brings the DOM in line with the changes rendered.js reports. It keeps id -> control record
// ({el, slots, type}) so that every operation touches only the elements it names: an
// added subtree is built detached and inserted once, a set updates only the listed props,
// and everything else stays the very same DOM objects.

import { ID, PROPS, SLOTS, TYPE } from "./constants.js";
import * as controls from "./controls/index.js";

export class DOMPatch {
  /** `emit(id, name, data, opts)` takes what the controls report (see View.emit). */
  constructor(root, emit = () => {}) {
    this.root = root;
    this.records = new Map();
    this.emit = emit;
  }

  /** Replaces whatever is shown with the whole tree `tree`. */
  reset(tree) {
    this.records.clear();
    if (tree) this.root.replaceChildren(this.build(tree));
    else this.root.replaceChildren();
  }

  build(node) {
    const id = node[ID];
    const rec = controls.create(node[TYPE], (name, data, opts) => this.emit(id, name, data, opts));
    rec.el.dataset.id = node[ID];
    rec.el.dataset.type = node[TYPE];
    const props = node[PROPS] ?? {};
    controls.update(rec, Object.keys(props), props);
    this.records.set(node[ID], rec);
    for (const [name, children] of Object.entries(node[SLOTS] ?? {})) {
      const els = children.map((child) => this.build(child));
      const box = controls.slotElement(rec, name);
      if (box.lfList) box.lfList.insert(els, null);
      else box.append(...els);
    }
    return rec.el;
  }

  // Puts el into slot `slot` of `parentId`, before the element of `beforeId` (or last).
  place(el, parentId, slot, beforeId) {
    const parent = this.records.get(parentId);
    if (!parent) return;
    const box = controls.slotElement(parent, slot);
    const before = beforeId == null ? null : this.records.get(beforeId)?.el;
    // A virtual list (controls/virtual.js) keeps its children itself, most of them detached.
    el.lfList?.delete(el);
    if (box.lfList) box.lfList.insert([el], before);
    else box.insertBefore(el, before?.parentNode === box ? before : null);
  }

  /** Inserts the subtree `node` into slot `slot` of `parentId`, before the element of
   * `beforeId` (or last when it is null). */
  add(parentId, slot, node, beforeId) {
    this.place(this.build(node), parentId, slot, beforeId);
  }

  /** Moves the existing element of `id`: the same DOM node, so focus, caret, scroll
   * position and typed text go with it. */
  move(id, parentId, slot, beforeId) {
    const rec = this.records.get(id);
    if (!rec) return;
    const active = document.activeElement;
    this.place(rec.el, parentId, slot, beforeId);
    // Moving a node out of the document and back drops focus; give it back.
    if (active && active !== document.activeElement && rec.el.contains(active)) active.focus();
  }

  /** Applies the props named in `names` of the model record `node` to its element. */
  update(node, names) {
    const rec = this.records.get(node.id);
    if (rec) controls.update(rec, names, node.props);
  }

  /** Removes the element of `ids[0]` and forgets every id of its subtree. */
  remove(ids) {
    const el = this.records.get(ids[0])?.el;
    if (el?.lfList) el.lfList.delete(el);
    else el?.remove();
    for (const id of ids) this.records.delete(id);
  }
}
