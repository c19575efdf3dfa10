// GestureDetector, Draggable and DragTarget, on pointer events (mouse, pen and touch alike).
// e.data is Flet's: JSON with its short keys (lx, ly: the pointer in the control; gx, gy: in
// the page; dx, dy: the move since the last event; kind; ts), "" for a plain tap.

import {
  ACCEPT,
  DOUBLE_TAP,
  DRAG_COMPLETE,
  DRAG_START,
  ENTER,
  EXIT,
  HORIZONTAL_DRAG_END,
  HORIZONTAL_DRAG_START,
  HORIZONTAL_DRAG_UPDATE,
  HOVER,
  LEAVE,
  LONG_PRESS,
  LONG_PRESS_END,
  LONG_PRESS_START,
  MOVE,
  PAN_END,
  PAN_START,
  PAN_UPDATE,
  SECONDARY_TAP,
  TAP,
  TAP_DOWN,
  TAP_UP,
  VERTICAL_DRAG_END,
  VERTICAL_DRAG_START,
  VERTICAL_DRAG_UPDATE,
  WILL_ACCEPT,
} from "../constants.js";
import { key } from "../values.js";

const LONG_PRESS_MS = 500; // Flutter's kLongPressTimeout
const DOUBLE_TAP_MS = 300; // Flutter's kDoubleTapTimeout
const SLOP = 4; // pixels the pointer may move before a press becomes a pan or a drag

const round = (n) => Math.round(n * 100) / 100;
const DRAGS = ["pan", "horizontal_drag", "vertical_drag"].flatMap((g) => [
  `${g}_start`,
  `${g}_update`,
  `${g}_end`,
]);

// Where pointer event e is, as Flet's fields.
function where(el, e) {
  const r = el.getBoundingClientRect();
  return {
    kind: e.pointerType === "pen" ? "stylus" : e.pointerType || "mouse",
    lx: round(e.clientX - r.left),
    ly: round(e.clientY - r.top),
    gx: round(e.clientX),
    gy: round(e.clientY),
    ts: Math.round(e.timeStamp),
  };
}

const CURSORS = {
  basic: "default",
  click: "pointer",
  forbidden: "not-allowed",
  grab: "grab",
  grabbing: "grabbing",
  help: "help",
  move: "move",
  precise: "crosshair",
  text: "text",
  wait: "wait",
  progress: "progress",
  none: "none",
  resizeleftright: "ew-resize",
  resizeupdown: "ns-resize",
  resizecolumn: "col-resize",
  resizerow: "row-resize",
  zoomin: "zoom-in",
  zoomout: "zoom-out",
  alias: "alias",
  copy: "copy",
  contextmenu: "context-menu",
  allscroll: "all-scroll",
  cell: "cell",
  verticaltext: "vertical-text",
  nodrop: "no-drop",
};

export const gesturedetector = {
  create(type, emit) {
    const el = document.createElement("div");
    const send = (name, data) => emit(name, data === "" ? "" : JSON.stringify(data));
    let down = null; // {x, y, id, panning, longPressed, timer, last, lastT}
    let lastTap = -Infinity;
    let lastHover = null;
    let lastHoverT = 0;
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      const at = where(el, e);
      down = {
        x: e.clientX,
        y: e.clientY,
        id: e.pointerId,
        panning: false,
        longPressed: false,
        last: at,
        lastT: 0,
        start: at,
        vx: 0,
        vy: 0,
      };
      send(TAP_DOWN, { kind: at.kind, lx: at.lx, ly: at.ly, gx: at.gx, gy: at.gy });
      const d = down;
      d.timer = setTimeout(() => {
        d.longPressed = true;
        send(LONG_PRESS, "");
        send(LONG_PRESS_START, { lx: at.lx, ly: at.ly, gx: at.gx, gy: at.gy });
      }, LONG_PRESS_MS);
    });
    el.addEventListener("pointermove", (e) => {
      const at = where(el, e);
      if (!down || e.pointerId !== down.id) {
        const now = e.timeStamp;
        if (now - lastHoverT >= (Number(el.lfHoverInterval) || 0)) {
          lastHoverT = now;
          send(HOVER, {
            ...at,
            dx: lastHover ? round(at.gx - lastHover.gx) : 0,
            dy: lastHover ? round(at.gy - lastHover.gy) : 0,
          });
          lastHover = at;
        }
        return;
      }
      if (!down.panning) {
        if (Math.hypot(e.clientX - down.x, e.clientY - down.y) < SLOP || down.longPressed) return;
        clearTimeout(down.timer);
        down.panning = true;
        // A horizontal or vertical drag is a pan that set off mostly along its axis.
        down.axis = Math.abs(e.clientX - down.x) >= Math.abs(e.clientY - down.y) ? "h" : "v";
        el.setPointerCapture?.(e.pointerId);
        const s = down.start;
        const start = { kind: s.kind, lx: s.lx, ly: s.ly, gx: s.gx, gy: s.gy, ts: s.ts };
        send(PAN_START, start);
        send(down.axis === "h" ? HORIZONTAL_DRAG_START : VERTICAL_DRAG_START, start);
      }
      const dt = e.timeStamp - down.lastT;
      if (dt < (Number(el.lfDragInterval) || 0)) return;
      const dx = round(at.gx - down.last.gx);
      const dy = round(at.gy - down.last.gy);
      if (dt > 0 && down.lastT) {
        down.vx = (dx / dt) * 1000;
        down.vy = (dy / dt) * 1000;
      }
      down.last = at;
      down.lastT = e.timeStamp;
      const place = { lx: at.lx, ly: at.ly, gx: at.gx, gy: at.gy, ts: at.ts };
      send(PAN_UPDATE, { dx, dy, pd: null, ...place });
      if (down.axis === "h") send(HORIZONTAL_DRAG_UPDATE, { dx, dy: 0, pd: dx, ...place });
      else send(VERTICAL_DRAG_UPDATE, { dx: 0, dy, pd: dy, ...place });
    });
    const end = (e, cancelled) => {
      if (!down || e.pointerId !== down.id) return;
      const d = down;
      down = null;
      clearTimeout(d.timer);
      const at = where(el, e);
      if (d.panning) {
        send(PAN_END, { pv: null, vx: round(d.vx), vy: round(d.vy) });
        if (d.axis === "h") send(HORIZONTAL_DRAG_END, { pv: round(d.vx), vx: round(d.vx), vy: 0 });
        else send(VERTICAL_DRAG_END, { pv: round(d.vy), vx: 0, vy: round(d.vy) });
      } else if (d.longPressed) {
        send(LONG_PRESS_END, { lx: at.lx, ly: at.ly, gx: at.gx, gy: at.gy, vx: 0, vy: 0 });
      } else if (!cancelled) {
        send(TAP_UP, { kind: at.kind, lx: at.lx, ly: at.ly, gx: at.gx, gy: at.gy });
        send(TAP, "");
        if (e.timeStamp - lastTap <= DOUBLE_TAP_MS) {
          send(DOUBLE_TAP, "");
          lastTap = -Infinity;
        } else lastTap = e.timeStamp;
      }
    };
    el.addEventListener("pointerup", (e) => end(e, false));
    el.addEventListener("pointercancel", (e) => end(e, true));
    el.addEventListener("pointerenter", (e) => {
      lastHover = null;
      const at = where(el, e);
      send(ENTER, { ts: at.ts, kind: at.kind, gx: at.gx, gy: at.gy, lx: at.lx, ly: at.ly });
    });
    el.addEventListener("pointerleave", (e) => {
      const at = where(el, e);
      send(EXIT, { ts: at.ts, kind: at.kind, gx: at.gx, gy: at.gy, lx: at.lx, ly: at.ly });
    });
    el.addEventListener("contextmenu", (e) => {
      if (el.hasAttribute("data-secondary")) {
        e.preventDefault();
        send(SECONDARY_TAP, "");
      }
    });
    return { el, slots: { content: el } };
  },
  className: "lf-gesturedetector",
  props: {
    mouse_cursor: ({ el }, p) => {
      el.style.cursor = p.mouse_cursor == null ? "" : (CURSORS[key(p.mouse_cursor)] ?? "");
    },
    drag_interval: ({ el }, p) => {
      el.lfDragInterval = p.drag_interval;
    },
    hover_interval: ({ el }, p) => {
      el.lfHoverInterval = p.hover_interval;
    },
    on_secondary_tap: ({ el }, p) => {
      el.toggleAttribute("data-secondary", p.on_secondary_tap === true);
    },
    // on_hover carries JSON here (the pointer's place), not the "true"/"false" of other
    // controls: the listener above reports it.
    on_hover: () => {},
    // A pan needs the pointer's moves: touch must not scroll the page meanwhile.
    ...Object.fromEntries(DRAGS.map((n) => [`on_${n}`, panning])),
  },
};

function panning({ el }, p) {
  el.toggleAttribute(
    "data-pan",
    DRAGS.some((n) => p[`on_${n}`] === true),
  );
}

// ---- Drag and drop. One drag at a time: the Draggable under way, the feedback that
// follows the pointer and the DragTarget it is over.

let drag = null;

function targetAt(x, y) {
  for (const el of document.elementsFromPoint(x, y)) {
    const t = el.closest?.(".lf-dragtarget");
    if (t) return t;
  }
  return null;
}

export const draggable = {
  create(type, emit) {
    const el = document.createElement("div");
    const content = el.appendChild(document.createElement("div"));
    content.className = "lf-drag-content";
    const whileDragging = el.appendChild(document.createElement("div"));
    whileDragging.className = "lf-drag-when-dragging";
    const feedback = el.appendChild(document.createElement("div"));
    feedback.className = "lf-drag-feedback-source";
    let press = null;
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || drag) return;
      press = { x: e.clientX, y: e.clientY, id: e.pointerId };
      el.setPointerCapture?.(e.pointerId);
    });
    el.addEventListener("pointermove", (e) => {
      if (!press || e.pointerId !== press.id) return;
      if (!drag) {
        if (Math.hypot(e.clientX - press.x, e.clientY - press.y) < SLOP) return;
        const r = content.getBoundingClientRect();
        const source = feedback.firstElementChild ?? content.firstElementChild;
        const ghost = document.body.appendChild(document.createElement("div"));
        ghost.className = "lf-drag-ghost";
        if (source) ghost.append(source.cloneNode(true));
        // A copy is no control: the page must find each id once.
        for (const c of ghost.querySelectorAll("[data-id]")) c.removeAttribute("data-id");
        drag = {
          el,
          ghost,
          dx: press.x - r.left,
          dy: press.y - r.top,
          over: null,
          group: el.lfGroup ?? "default",
        };
        el.toggleAttribute("data-dragging", whileDragging.childElementCount > 0);
        emit(
          DRAG_START,
          JSON.stringify({
            kind: e.pointerType || "mouse",
            lx: drag.dx,
            ly: drag.dy,
            gx: e.clientX,
            gy: e.clientY,
          }),
        );
      }
      drag.ghost.style.left = `${e.clientX - drag.dx}px`;
      drag.ghost.style.top = `${e.clientY - drag.dy}px`;
      const t = targetAt(e.clientX, e.clientY);
      const src = Number(el.dataset.id);
      if (t !== drag.over) {
        drag.over?.lfDrop?.leave(src);
        drag.over = t;
        t?.lfDrop?.enter(src, drag.group);
      }
      t?.lfDrop?.move(src, e.clientX, e.clientY);
    });
    const finish = (e, cancelled) => {
      if (!press || e.pointerId !== press.id) return;
      press = null;
      if (!drag) return;
      const d = drag;
      drag = null;
      d.ghost.remove();
      el.removeAttribute("data-dragging");
      const t = cancelled ? null : d.over;
      const accepted =
        t?.lfDrop?.drop(Number(el.dataset.id), d.group, e.clientX, e.clientY) === true;
      if (!accepted) d.over?.lfDrop?.leave(Number(el.dataset.id));
      if (accepted) emit(DRAG_COMPLETE, "");
    };
    el.addEventListener("pointerup", (e) => finish(e, false));
    el.addEventListener("pointercancel", (e) => finish(e, true));
    return {
      el,
      slots: { content, content_when_dragging: whileDragging, content_feedback: feedback },
    };
  },
  className: "lf-draggable",
  props: {
    group: ({ el }, p) => {
      el.lfGroup = p.group == null ? "default" : String(p.group);
    },
  },
};

export const dragtarget = {
  create(type, emit) {
    const el = document.createElement("div");
    const local = (x, y) => {
      const r = el.getBoundingClientRect();
      return { x: round(x - r.left), y: round(y - r.top) };
    };
    el.lfDrop = {
      enter(src, group) {
        const ok = group === (el.lfGroup ?? "default");
        el.toggleAttribute("data-will-accept", ok);
        emit(WILL_ACCEPT, String(ok));
      },
      move(src, x, y) {
        emit(MOVE, JSON.stringify({ src_id: src, ...local(x, y) }));
      },
      leave(src) {
        el.removeAttribute("data-will-accept");
        emit(LEAVE, String(src));
      },
      drop(src, group, x, y) {
        el.removeAttribute("data-will-accept");
        if (group !== (el.lfGroup ?? "default")) return false;
        emit(ACCEPT, JSON.stringify({ src_id: src, ...local(x, y) }));
        return true;
      },
    };
    return { el, slots: { content: el } };
  },
  className: "lf-dragtarget",
  props: {
    group: ({ el }, p) => {
      el.lfGroup = p.group == null ? "default" : String(p.group);
    },
  },
};
