// client/src/socket.js: register (with the token and count to resume), the check of each
// message's number, acknowledgements, and reconnection at once then with jittered backoff.
// The WebSocket is a fake the test drives; timers and Math.random are node:test's mocks, so
// every delay is stepped exactly, without waiting.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";

// A WebSocket the test drives: it keeps what the client sends, and fires open, message and
// close when told. close() from the client only marks it closing, as a browser's does; the
// close event comes when the test delivers it.
class FakeWebSocket {
  static made = [];
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.readyState = 0;
    this.closing = false;
    FakeWebSocket.made.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.closing = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen();
  }
  receive(msg) {
    this.onmessage({ data: typeof msg === "string" ? msg : JSON.stringify(msg) });
  }
  drop() {
    this.readyState = 3;
    this.onclose({ code: 1006 });
  }
}

globalThis.location = { protocol: "http:", host: "example.test:8550" };
// The browser prefers a dark color scheme: register says so.
globalThis.window = {
  innerWidth: 800,
  innerHeight: 600,
  matchMedia: (q) => ({ matches: q === "(prefers-color-scheme: dark)" }),
};
globalThis.WebSocket = FakeWebSocket;
const { Socket } = await import("../../client/src/socket.js");

const made = FakeWebSocket.made;
const last = () => made[made.length - 1];
const tree = { id: 0, type: "page", props: {}, slots: {} };
const patch = (seq, ops = []) => ({ t: "patch", seq, ops });

// A socket with its calls recorded, connected and opened.
function connected() {
  const calls = { init: [], patch: [], open: [], state: [] };
  const s = new Socket({
    onInit: (t) => calls.init.push(t),
    onPatch: (ops) => calls.patch.push(ops),
    onOpen: (size) => calls.open.push(size),
    onState: (st) => calls.state.push(st),
  });
  s.connect();
  last().open();
  return { s, calls };
}

beforeEach(() => {
  made.length = 0;
  mock.timers.enable({ apis: ["setTimeout"] });
  mock.method(console, "warn", () => {});
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

describe("Socket", () => {
  it("registers with the window's size, and no session before an init", () => {
    const { calls } = connected();
    assert.equal(last().url, "ws://example.test:8550/ws");
    assert.deepEqual(last().sent, [{ t: "register", width: 800, height: 600, brightness: "dark" }]);
    assert.deepEqual(calls.open, [{ width: 800, height: 600 }]);
    assert.deepEqual(calls.state, ["connecting"]);
  });

  it("reconnects asking for the host its token names, behind a proxy of several hosts", () => {
    const { s } = connected();
    last().receive({ t: "init", seq: 1, session: "beta.0123abcd", tree });
    last().drop();
    mock.timers.tick(0);
    assert.equal(made.length, 2);
    assert.equal(last().url, "ws://example.test:8550/ws?route=beta");
    last().open();
    assert.equal(last().sent[0].session, "beta.0123abcd");
    // A token of one host alone names none: the plain address.
    s.token = "0123abcd";
    last().drop();
    mock.timers.tick(10_000);
    assert.equal(made.length, 3);
    assert.equal(last().url, "ws://example.test:8550/ws");
  });

  it("applies an init and the patches that follow it, in order", () => {
    const { s, calls } = connected();
    last().receive({ t: "init", seq: 4, session: "tok", tree });
    assert.deepEqual(calls.init, [tree]);
    assert.deepEqual(calls.state, ["connecting", "open"]);
    last().receive(patch(5, [{ op: "set", id: 0, props: {} }]));
    last().receive(patch(6));
    assert.deepEqual(calls.patch, [[{ op: "set", id: 0, props: {} }], []]);
    assert.equal(s.seq, 6);
    assert.equal(s.token, "tok");
  });

  it("acknowledges what was applied once per half second, and only what is new", () => {
    const { s } = connected();
    const ws = last();
    ws.receive({ t: "init", seq: 1, session: "tok", tree });
    ws.receive(patch(2));
    mock.timers.tick(499);
    assert.equal(ws.sent.length, 1, "no ack before the delay");
    mock.timers.tick(1);
    assert.deepEqual(ws.sent.slice(1), [{ t: "ack", seq: 2 }]);
    // A resume that brings nothing new (nothing was missed) is not acknowledged again.
    ws.receive({ t: "resume", seq: 2, patches: [] });
    mock.timers.tick(10_000);
    assert.equal(ws.sent.length, 2, "nothing new, nothing sent");
    // An ack that cannot be sent is tried again after the next message.
    ws.receive(patch(3));
    ws.readyState = 2;
    mock.timers.tick(500);
    assert.equal(ws.sent.length, 2);
    ws.readyState = 1;
    ws.receive(patch(4));
    mock.timers.tick(500);
    assert.deepEqual(ws.sent.slice(2), [{ t: "ack", seq: 4 }]);
    assert.equal(s.acked, 4);
  });

  it("drops a pending ack with its socket: the next socket hears only register until it is live", () => {
    connected();
    last().receive({ t: "init", seq: 1, session: "tok", tree });
    last().drop();
    mock.timers.tick(0);
    last().open();
    mock.timers.tick(10_000);
    assert.deepEqual(last().sent, [
      { t: "register", width: 800, height: 600, brightness: "dark", session: "tok", seq: 1 },
    ]);
  });

  for (const [what, msg] of [
    ["a gap", patch(7)],
    ["a repeat", patch(5)],
    ["a resume with a gap", { t: "resume", seq: 8, patches: [patch(6), patch(8)] }],
  ]) {
    it(`closes to resynchronize on ${what}, and resumes from the last message applied`, () => {
      const { s, calls } = connected();
      last().receive({ t: "init", seq: 4, session: "tok", tree });
      last().receive(patch(5));
      const applied = calls.patch.length + (msg.t === "resume" ? 1 : 0);
      last().receive(msg);
      assert.equal(calls.patch.length, applied, "nothing after the gap is applied");
      assert.equal(last().closing, true);
      assert.equal(s.seq, msg.t === "resume" ? 6 : 5);
      last().drop();
      assert.deepEqual(calls.state.slice(-1), ["reconnecting"]);
      mock.timers.tick(0);
      assert.equal(made.length, 2, "the first retry is at once");
      last().open();
      assert.deepEqual(last().sent[0], {
        t: "register",
        width: 800,
        height: 600,
        brightness: "dark",
        session: "tok",
        seq: s.seq,
      });
    });
  }

  it("applies a resume's patches and is live again", () => {
    const { s, calls } = connected();
    last().receive({ t: "init", seq: 1, session: "tok", tree });
    last().drop();
    mock.timers.tick(0);
    last().open();
    last().receive({ t: "resume", seq: 3, patches: [patch(2), patch(3)] });
    assert.equal(calls.patch.length, 2);
    assert.equal(s.seq, 3);
    assert.deepEqual(calls.state, ["connecting", "open", "reconnecting", "open"]);
  });

  it("backs off with jitter: at once, then 250 ms doubling up to 5 s, each between half and all", (t) => {
    for (const [r, delays] of [
      [0, [0, 250, 500, 1000, 2000, 2500, 2500]],
      [0.9999, [0, 500, 1000, 2000, 4000, 5000, 5000]],
    ]) {
      made.length = 0;
      const random = t.mock.method(Math, "random", () => r);
      const { s } = connected();
      for (const delay of delays) {
        const n = made.length;
        last().drop();
        if (delay > 1) mock.timers.tick(Math.floor(delay) - 1);
        assert.equal(made.length, n, `not before ${delay} ms`);
        mock.timers.tick(1);
        assert.equal(made.length, n + 1, `a new socket after ${delay} ms`);
      }
      assert.ok(random.mock.callCount() >= delays.length - 1);
      s.ws.onclose = null; // this round is over
      random.mock.restore();
    }
  });

  it("starts over at once after a reconnect that got the page back", () => {
    connected();
    last().receive({ t: "init", seq: 1, session: "tok", tree });
    for (let i = 0; i < 3; i++) {
      last().drop();
      mock.timers.runAll();
      last().open();
    }
    last().receive({ t: "init", seq: 9, session: "tok", tree });
    const n = made.length;
    last().drop();
    mock.timers.tick(0);
    assert.equal(made.length, n + 1);
  });

  it("ignores the close of a socket it has replaced", () => {
    const { calls } = connected();
    const old = last();
    old.drop();
    mock.timers.tick(0);
    last().open();
    last().receive({ t: "init", seq: 1, session: "tok", tree });
    old.onclose({ code: 1006 });
    mock.timers.runAll();
    assert.equal(made.length, 2);
    assert.deepEqual(calls.state.slice(-1), ["open"]);
  });

  it("drops what is not JSON, errors and unknown kinds, without acknowledging", () => {
    const { s, calls } = connected();
    last().receive({ t: "init", seq: 1, session: "tok", tree });
    mock.timers.tick(500);
    const sent = last().sent.length;
    last().receive("{not json");
    last().receive({ t: "error", message: "boom" });
    last().receive({ t: "what" });
    mock.timers.tick(500);
    assert.equal(last().sent.length, sent);
    assert.equal(s.seq, 1);
    assert.equal(calls.patch.length, 0);
    assert.equal(console.warn.mock.callCount(), 3);
  });
});
