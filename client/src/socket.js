// The transport: one WebSocket to the host at /ws, and the session it belongs to.
//
// On every open it registers with the window's size, the address (where the route is), the
// browser's brightness and, when this page already has a session, its token and the number
// of the last message it applied, so that the host sends exactly what it missed (a
// "resume") or the whole page again (an "init"). The token lives in this page's memory: a
// new tab or a duplicated tab starts a session of its own. A reload keeps the session: as
// the page unloads it closes its socket with UNLOAD_CLOSE and hands the token over in the
// tab's sessionStorage, and the next page of the same tab takes it (and removes it) at once,
// registering with `reload` for the whole page; the host refuses that when the session's
// socket is still live. Each message is checked to be the next one; a gap makes the client
// reconnect, which repairs it. Applied messages are acknowledged, so the host need not keep
// them.
//
// After a drop it reconnects at once, then after growing delays with jitter (so that many
// tabs do not come back together), up to a cap. It reports its state to onState:
// "connecting" before the first session, "open" once the page is live, "reconnecting" from
// a drop until then.

import { showAppError } from "./app_errors.js";
import {
  ACK,
  BRIGHTNESS,
  ERROR,
  HEIGHT,
  INIT,
  INVOKE,
  MESSAGE,
  OPS,
  PATCH,
  PATCHES,
  REGISTER,
  RELOAD,
  ROUTE,
  RESUME,
  SEQ,
  SESSION,
  T,
  TREE,
  UNLOAD_CLOSE,
  WIDTH,
  WS_PATH,
} from "./constants.js";
import { brightness } from "./brightness.js";
import { address } from "./route.js";

// Where a page that unloads leaves its session's token for the next page of the same tab.
const HANDOVER_KEY = "luaflet.session";

/** Takes the token a page of this tab left as it unloaded, if any: it is removed at once, so
 * that a tab duplicated later does not copy it. */
function takeHandover() {
  try {
    const token = globalThis.sessionStorage?.getItem(HANDOVER_KEY) ?? null;
    globalThis.sessionStorage?.removeItem(HANDOVER_KEY);
    return token;
  } catch {
    return null; // storage refused (a sandboxed frame): no reload keeps the session
  }
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;
const ACK_DELAY_MS = 500;
const OPEN = 1; // WebSocket.OPEN

export class Socket {
  /** `onInit(tree)` and `onPatch(ops)` apply the host's messages; `onOpen(size)` hears the
   * size sent in register; `onState(state)` hears the connection's state. */
  constructor({
    onInit,
    onPatch,
    onOpen = () => {},
    onState = () => {},
    onInvoke = () => {},
    onStartedOver = () => {},
  }) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.url = `${scheme}://${location.host}${WS_PATH}`;
    this.onInit = onInit;
    this.onPatch = onPatch;
    this.onInvoke = onInvoke;
    this.onOpen = onOpen;
    this.onState = onState;
    this.onStartedOver = onStartedOver;
    this.ws = null;
    this.failures = 0;
    this.token = null;
    this.seq = null; // the last message applied, null until an init
    this.acked = null;
    this.ackTimer = null;
    // A token handed over by the page this one replaces (a reload), for the first register.
    this.handover = takeHandover();
    this.leaving = false;
  }

  connect() {
    this.onState("connecting");
    globalThis.addEventListener?.("pagehide", () => this.leave());
    // Back from the back-forward cache: the same page again, still holding its token.
    globalThis.addEventListener?.("pageshow", (e) => {
      if (!e.persisted || !this.leaving) return;
      this.leaving = false;
      takeHandover();
      if (!this.ws) this.open();
    });
    this.open();
  }

  // The page unloads: the socket closes saying so, and the token waits for the next page.
  leave() {
    this.leaving = true;
    if (this.token) {
      try {
        globalThis.sessionStorage?.setItem(HANDOVER_KEY, this.token);
      } catch {
        // no storage: the next page starts a session of its own
      }
    }
    const ws = this.ws;
    this.ws = null;
    ws?.close(UNLOAD_CLOSE);
  }

  open() {
    // A session's token may name the host that holds it (ROUTE.random, behind a proxy with
    // several hosts): the socket that resumes it asks the proxy for that host.
    const token = this.token ?? this.handover;
    const dot = typeof token === "string" ? token.indexOf(".") : -1;
    const url = dot > 0 ? `${this.url}?route=${encodeURIComponent(token.slice(0, dot))}` : this.url;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      const size = { width: window.innerWidth, height: window.innerHeight };
      const msg = {
        [T]: REGISTER,
        [WIDTH]: size.width,
        [HEIGHT]: size.height,
        // The browser's preferred color scheme: page.platform_brightness.
        [BRIGHTNESS]: brightness(),
      };
      // The address from its path on: the host finds the route in it (its path, or its
      // fragment with route_url_strategy "hash"), where a deep link or a reload opens the app.
      if (typeof location.pathname === "string") msg[ROUTE] = address();
      if (this.token && this.seq !== null) {
        msg[SESSION] = this.token;
        msg[SEQ] = this.seq;
      } else if (this.handover) {
        msg[SESSION] = this.handover;
        msg[RELOAD] = true;
      }
      this.handover = null;
      ws.send(JSON.stringify(msg));
      this.onOpen(size);
    };
    ws.onmessage = (e) => this.receive(e.data);
    // An error is always followed by close, which is where the retry is planned.
    ws.onclose = () => {
      if (this.ws !== ws || this.leaving) return;
      this.ws = null;
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
      this.onState("reconnecting");
      // At once the first time; then 250 ms doubling up to 5 s, each between half and the
      // whole of that.
      const cap = Math.min(FIRST_DELAY_MS * 2 ** this.failures, MAX_DELAY_MS);
      const delay = this.failures === 0 ? 0 : cap / 2 + Math.random() * (cap / 2);
      this.failures += 1;
      setTimeout(() => this.open(), delay);
    };
  }

  // Applies one patch, which must be the next message; returns whether it was.
  applyPatch(p) {
    if (this.seq === null || p[SEQ] !== this.seq + 1) {
      console.warn("luaflet: message", p[SEQ], "after", this.seq, ": resynchronizing");
      this.ws?.close();
      return false;
    }
    this.onPatch(p[OPS]);
    this.seq = p[SEQ];
    return true;
  }

  receive(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      console.warn("luaflet: message is not JSON:", data);
      return;
    }
    switch (msg?.[T]) {
      case INIT: {
        // An init on a page that had shown a session: the host no longer has it (it
        // restarted, or the tab was away past the session's timeout). The page starts over,
        // and says so.
        const startedOver = this.seq !== null;
        if (typeof msg[SESSION] === "string") this.token = msg[SESSION];
        this.onInit(msg[TREE]);
        this.seq = msg[SEQ];
        this.live();
        if (startedOver) this.onStartedOver();
        break;
      }
      case RESUME:
        for (const p of msg[PATCHES]) if (!this.applyPatch(p)) return;
        this.live();
        break;
      case PATCH:
        if (!this.applyPatch(msg)) return;
        break;
      case ERROR:
        console.warn("luaflet: host error:", msg[MESSAGE]);
        showAppError(msg[MESSAGE]);
        return;
      // A call the app makes on the browser (calls.js); not numbered, never acknowledged.
      case INVOKE:
        this.onInvoke(msg);
        return;
      default:
        console.warn("luaflet: unknown message kind:", msg?.[T]);
        return;
    }
    this.scheduleAck();
  }

  live() {
    this.failures = 0;
    this.onState("open");
  }

  // Acknowledges what was applied, at most every ACK_DELAY_MS.
  scheduleAck() {
    if (this.ackTimer !== null) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (
        this.seq !== null &&
        this.seq !== this.acked &&
        this.send({ [T]: ACK, [SEQ]: this.seq })
      ) {
        this.acked = this.seq;
      }
    }, ACK_DELAY_MS);
  }

  /** Sends `msg` if the socket is open; returns whether it was sent. */
  send(msg) {
    if (this.ws?.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }
}
