// One mounted page: it applies init and patch messages (model first, then DOM) and turns
// what the user does into event messages: clicks on controls that asked for them, and the
// window's size for the page.

import {
  ADD,
  BEFORE,
  CHANGE,
  CLEAN,
  CLICK,
  SUBMIT,
  DATA,
  EVENT,
  HANDLER_PREFIX,
  ID,
  MOVE,
  NAME,
  NODE,
  OP,
  PAGE_ID,
  PARENT,
  PROPS,
  REMOVE,
  RESIZE,
  SET,
  SLOT,
  T,
} from "./constants.js";
import { DOMPatch } from "./dom_patch.js";
import { Rendered } from "./rendered.js";

const ON_CLICK = HANDLER_PREFIX + CLICK;

export class View {
  /** `send(message)` delivers a message to the host, or drops it while disconnected. */
  constructor(root, send) {
    this.root = root;
    this.send = send;
    this.rendered = new Rendered();
    this.dom = new DOMPatch(root);
    this.sentSize = null;
    this.frame = 0;
    root.addEventListener("click", (e) => this.onClick(e));
    root.addEventListener("input", (e) => this.onField(e, CHANGE));
    root.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.onField(e, SUBMIT);
    });
    window.addEventListener("resize", () => this.onResize());
  }

  init(tree) {
    this.rendered.reset(tree);
    this.dom.reset(tree);
  }

  patch(ops) {
    for (const op of ops ?? []) this.apply(op);
  }

  // Each operation changes the model first, which says what changed, then the DOM. An
  // operation on a control the client does not know is a host bug: it is logged and skipped.
  apply(op) {
    switch (op[OP]) {
      case ADD: {
        if (!this.rendered.add(op[PARENT], op[SLOT], op[BEFORE], op[NODE])) {
          console.warn("luaflet: add to unknown control", op);
        } else this.dom.add(op[PARENT], op[SLOT], op[NODE], op[BEFORE]);
        break;
      }
      case CLEAN: {
        const removed = this.rendered.clean(op[ID], op[SLOT]);
        if (!removed) console.warn("luaflet: clean of unknown control", op);
        else for (const ids of removed) this.dom.remove(ids);
        break;
      }
      case MOVE: {
        if (!this.rendered.move(op[ID], op[PARENT], op[SLOT], op[BEFORE])) {
          console.warn("luaflet: move of unknown control", op);
        } else this.dom.move(op[ID], op[PARENT], op[SLOT], op[BEFORE]);
        break;
      }
      case SET: {
        const node = this.rendered.set(op[ID], op[PROPS]);
        if (!node) console.warn("luaflet: set on unknown control", op);
        else this.dom.update(node, Object.keys(op[PROPS] ?? {}));
        break;
      }
      case REMOVE: {
        const ids = this.rendered.remove(op[ID]);
        if (!ids) console.warn("luaflet: remove of unknown control", op);
        else this.dom.remove(ids);
        break;
      }
      default:
        console.warn("luaflet: unknown patch operation", op);
    }
  }

  // The innermost control under the pointer that handles clicks and is enabled gets the
  // event. A disabled one lets the click through to its ancestors, as a disabled Flutter
  // button does; composedPath() also sees clicks that start inside md-* shadow trees.
  onClick(e) {
    for (const target of e.composedPath()) {
      if (target === this.root) return;
      const id = target.dataset?.id;
      if (id === undefined) continue;
      const node = this.rendered.get(Number(id));
      if (!node || node.props[ON_CLICK] !== true || this.rendered.isDisabled(node.id)) continue;
      this.send({ [T]: EVENT, [ID]: node.id, [NAME]: CLICK, [DATA]: "" });
      return;
    }
  }

  // A text field reports its text as it changes (on_change) and when Enter is pressed
  // (on_submit), if the app listens.
  onField(e, name) {
    const el = e.composedPath().find((t) => t.dataset?.type === "textfield");
    if (!el) return;
    const node = this.rendered.get(Number(el.dataset.id));
    if (!node || node.props[HANDLER_PREFIX + name] !== true || this.rendered.isDisabled(node.id))
      return;
    this.send({ [T]: EVENT, [ID]: node.id, [NAME]: name, [DATA]: el.value });
  }

  /** Records the size sent in register, so only later changes are reported. */
  registered(size) {
    this.sentSize = size;
  }

  // Resize events come many per second while a window is dragged: report at most one per
  // animation frame, reading the size when the frame runs, so the last one always goes out.
  onResize() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const w = window.innerWidth,
        h = window.innerHeight;
      if (this.sentSize && this.sentSize.width === w && this.sentSize.height === h) return;
      if (this.send({ [T]: EVENT, [ID]: PAGE_ID, [NAME]: RESIZE, [DATA]: `${w},${h}` })) {
        this.sentSize = { width: w, height: h };
      }
    });
  }
}
