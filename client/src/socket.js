// The transport: one WebSocket to the host at /ws. On every open it registers with the
// window's size; it parses each message and hands it to the handler for its kind; after a
// drop it opens a new socket by itself, waiting 0.5 s, then twice as long each time up to
// 5 s, and back to 0.5 s once a socket opens. It reports its state to onState:
// "connecting" before the first session, "open" once the host's init for the current
// socket has been handled (the page is live), "reconnecting" from a drop until then.

import { ERROR, HEIGHT, INIT, MESSAGE, REGISTER, T, WIDTH, WS_PATH } from "./constants.js";

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;
const OPEN = 1; // WebSocket.OPEN

export class Socket {
  /** `handlers` maps a message kind to a function of the message; `onOpen(size)` hears
   * the size sent in register; `onState(state)` hears the connection's state. */
  constructor({ handlers, onOpen = () => {}, onState = () => {} }) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.url = `${scheme}://${location.host}${WS_PATH}`;
    this.handlers = handlers;
    this.onOpen = onOpen;
    this.onState = onState;
    this.ws = null;
    this.delay = FIRST_DELAY_MS;
  }

  connect() {
    this.onState("connecting");
    this.open();
  }

  open() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.delay = FIRST_DELAY_MS;
      const size = { width: window.innerWidth, height: window.innerHeight };
      ws.send(JSON.stringify({ [T]: REGISTER, [WIDTH]: size.width, [HEIGHT]: size.height }));
      this.onOpen(size);
    };
    ws.onmessage = (e) => this.receive(e.data);
    // An error is always followed by close, which is where the retry is planned.
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onState("reconnecting");
      setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    };
  }

  receive(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      console.warn("luaflet: message is not JSON:", data);
      return;
    }
    const kind = msg?.[T];
    if (kind === ERROR) {
      console.warn("luaflet: host error:", msg[MESSAGE]);
      return;
    }
    const handler = Object.hasOwn(this.handlers, kind) ? this.handlers[kind] : null;
    if (!handler) {
      console.warn("luaflet: unknown message kind:", kind);
      return;
    }
    handler(msg);
    if (kind === INIT) this.onState("open");
  }

  /** Sends `msg` if the socket is open; returns whether it was sent. */
  send(msg) {
    if (this.ws?.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }
}
