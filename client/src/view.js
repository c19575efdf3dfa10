// One mounted page: it applies init and patch messages (model first, then DOM) and turns
// what the user does into event messages: clicks on controls that asked for them, and the
// window's size for the page.

import {
  ADD,
  BEFORE,
  CLEAN,
  CLICK,
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
  KEYBOARD_EVENT,
  PLATFORM_BRIGHTNESS_CHANGE,
  RESIZE,
  ROUTE_CHANGE,
  SET,
  SLOT,
  T,
} from "./constants.js";
import { DOMPatch } from "./dom_patch.js";
import { onBrightnessChange } from "./brightness.js";
import { Rendered } from "./rendered.js";
import { routeOf } from "./route.js";

const ON_CLICK = HANDLER_PREFIX + CLICK;
// How long typed text waits, when no handler asks for each change, before it goes to the host
// anyway: one message per pause in typing rather than one per key.
const VALUE_PAUSE_MS = 300;

export class View {
  /** `send(message)` delivers a message to the host, or drops it while disconnected. */
  constructor(root, send) {
    this.root = root;
    this.send = send;
    this.rendered = new Rendered();
    this.dom = new DOMPatch(root, (id, name, data, opts) => this.emit(id, name, data, opts));
    this.sentSize = null;
    this.frame = 0;
    // Values typed or picked that no handler waits for, by control and event ("id name" ->
    // {id, name, data}), sent together after a pause or before any other event (see emit).
    this.pending = new Map();
    this.pendingTimer = 0;
    root.addEventListener("click", (e) => this.onClick(e));
    window.addEventListener("resize", () => this.onResize());
    window.addEventListener("keydown", (e) => this.onKey(e));
    // The browser's preferred color scheme: page.platform_brightness follows it, with or
    // without a handler (a change missed while disconnected comes with the next register).
    onBrightnessChange((b) => {
      this.flush();
      this.send({ [T]: EVENT, [ID]: PAGE_ID, [NAME]: PLATFORM_BRIGHTNESS_CHANGE, [DATA]: b });
    });
    // Back and forward (and a new fragment typed, with route_url_strategy "hash"): the
    // page's new route goes to the host (route_change), which keeps page.route and runs
    // page.on_route_change.
    window.addEventListener("popstate", () => {
      this.flush();
      const strategy = this.rendered.get(PAGE_ID)?.props.route_url_strategy;
      this.send({ [T]: EVENT, [ID]: PAGE_ID, [NAME]: ROUTE_CHANGE, [DATA]: routeOf(strategy) });
    });
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
      this.flush();
      this.send({ [T]: EVENT, [ID]: node.id, [NAME]: CLICK, [DATA]: "" });
      return;
    }
  }

  /** What a control's renderer reports (see controls/index.js): event `name` of control `id`
   * with `data`, a string as Flet's e.data. It goes to the host when the app set a handler
   * for it (the prop on_<name> is true) and the control is not disabled. An event with
   * `value: true` carries the control's new value (typed text, a checkbox's state): it keeps
   * the host's copy of the value current even without a handler, so such events are kept
   * (the last per control and event: a search bar's tap, which opens its view, and its
   * text) and sent after a pause of VALUE_PAUSE_MS, or at once before any
   * other event, so that every handler sees every value as the page shows it. */
  emit(id, name, data, { value = false, always = false } = {}) {
    const node = this.rendered.get(id);
    if (!node || this.rendered.isDisabled(id)) return;
    // `always`: an event the page handles for the control (a view's view_pop).
    const wanted = always || node.props[HANDLER_PREFIX + name] === true;
    if (value && !wanted) {
      this.pending.set(`${id} ${name}`, { id, name, data });
      clearTimeout(this.pendingTimer);
      this.pendingTimer = setTimeout(() => this.flush(), VALUE_PAUSE_MS);
      return;
    }
    if (!wanted) return;
    // This event's own kept value is superseded; another's (the text kept before a
    // submit) goes first, in flush().
    this.pending.delete(`${id} ${name}`);
    this.flush();
    this.send({ [T]: EVENT, [ID]: id, [NAME]: name, [DATA]: data });
  }

  /** Sends the values kept by emit(). */
  flush() {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = 0;
    for (const { id, name, data } of this.pending.values()) {
      if (this.rendered.get(id)) this.send({ [T]: EVENT, [ID]: id, [NAME]: name, [DATA]: data });
    }
    this.pending.clear();
  }

  // page.on_keyboard_event: only a page that has the handler hears keys (nothing is sent
  // otherwise). The key is named as Flet (after Flutter) names it: "A", "Enter", "Arrow Up".
  onKey(e) {
    const page = this.rendered.get(PAGE_ID);
    if (!page || page.props[HANDLER_PREFIX + KEYBOARD_EVENT] !== true || e.repeat) return;
    if (["Shift", "Control", "Alt", "Meta"].includes(e.key)) return;
    const key =
      e.key.length === 1
        ? e.key === " "
          ? " "
          : e.key.toUpperCase()
        : e.key.replace(/^Arrow(\w+)$/, "Arrow $1").replace(/^Page(Up|Down)$/, "Page $1");
    this.flush();
    this.send({
      [T]: EVENT,
      [ID]: PAGE_ID,
      [NAME]: KEYBOARD_EVENT,
      [DATA]: JSON.stringify({
        key,
        shift: e.shiftKey,
        ctrl: e.ctrlKey,
        alt: e.altKey,
        meta: e.metaKey,
      }),
    });
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
