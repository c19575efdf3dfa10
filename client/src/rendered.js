// The control tree as the client knows it: id -> {id, type, props, slots, parent, slot},
// where slots map a slot name to the children's ids in order. It applies init and patch
// operations to that model only and reports what changed, so dom_patch.js can bring the DOM
// along without searching it. It never touches the DOM.

import { ID, PROPS, SLOTS, TYPE } from "./constants.js";

// A prop whose value is null is a removed prop (docs/protocol.md, "set").
function mergeProps(into, props) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null) delete into[name];
    else into[name] = value;
  }
  return into;
}

export class Rendered {
  constructor() {
    this.nodes = new Map();
  }

  get(id) {
    return this.nodes.get(id);
  }

  /** Forgets everything and takes `tree` (an init message's node) as the whole page. */
  reset(tree) {
    this.nodes.clear();
    if (tree) this.index(tree, null, null);
  }

  index(node, parent, slot) {
    const rec = {
      id: node[ID],
      type: node[TYPE],
      props: mergeProps({}, node[PROPS]),
      slots: {},
      parent,
      slot,
    };
    this.nodes.set(rec.id, rec);
    for (const [name, children] of Object.entries(node[SLOTS] ?? {})) {
      rec.slots[name] = children.map((child) => (this.index(child, rec.id, name), child[ID]));
    }
  }

  /** Puts `id` into slot `slot` of `parentId`, before sibling `beforeId` (last when null). */
  place(id, parentId, slot, beforeId) {
    const parent = this.nodes.get(parentId);
    const ids = (parent.slots[slot] ??= []);
    const at = beforeId == null ? -1 : ids.indexOf(beforeId);
    ids.splice(at < 0 ? ids.length : at, 0, id);
    const rec = this.nodes.get(id);
    rec.parent = parentId;
    rec.slot = slot;
  }

  /** Takes `id` out of its parent's slot (the record stays). */
  unplace(id) {
    const rec = this.nodes.get(id);
    const siblings = this.nodes.get(rec.parent)?.slots[rec.slot];
    const at = siblings ? siblings.indexOf(id) : -1;
    if (at >= 0) siblings.splice(at, 1);
  }

  /** Inserts the subtree `node` into slot `slot` of `parentId` before sibling `beforeId`.
   * Returns false, changing nothing, when the parent is unknown. */
  add(parentId, slot, beforeId, node) {
    if (!this.nodes.has(parentId)) return false;
    this.index(node, parentId, slot);
    this.place(node[ID], parentId, slot, beforeId);
    return true;
  }

  /** Moves control `id`, with its subtree, into slot `slot` of `parentId` before sibling
   * `beforeId`. Returns false, changing nothing, when either control is unknown. */
  move(id, parentId, slot, beforeId) {
    if (!this.nodes.has(id) || !this.nodes.has(parentId)) return false;
    this.unplace(id);
    this.place(id, parentId, slot, beforeId);
    return true;
  }

  /** Merges `props` into control `id`. Returns its record, or undefined when unknown. */
  set(id, props) {
    const rec = this.nodes.get(id);
    if (rec) mergeProps(rec.props, props);
    return rec;
  }

  /** Removes control `id` and its subtree. Returns the removed ids, `id` first, or
   * undefined when unknown. */
  remove(id) {
    const rec = this.nodes.get(id);
    if (!rec) return undefined;
    this.unplace(id);
    const removed = [];
    const walk = (r) => {
      removed.push(r.id);
      this.nodes.delete(r.id);
      for (const ids of Object.values(r.slots))
        for (const child of ids) walk(this.nodes.get(child));
    };
    walk(rec);
    return removed;
  }

  /** Removes every child of slot `slot` of `id`. Returns the ids removed, each subtree's
   * root first, or undefined when `id` is unknown. */
  clean(id, slot) {
    const rec = this.nodes.get(id);
    if (!rec) return undefined;
    const removed = [];
    for (const child of [...(rec.slots[slot] ?? [])]) removed.push(this.remove(child));
    return removed;
  }

  /** True when control `id` or one of its ancestors is disabled: in Flet, disabling a
   * control disables everything inside it. */
  isDisabled(id) {
    for (let rec = this.nodes.get(id); rec; rec = this.nodes.get(rec.parent)) {
      if (rec.props.disabled === true) return true;
    }
    return false;
  }
}
