// A protocol-level client for tests: a real WebSocket to a running host, with the browser's
// bookkeeping (message numbers, the session token) and nothing else.
import { connect } from 'node:net';
import WebSocket from 'ws';

export class Client {
  constructor(port, { headers = {}, path = '/ws' } = {}) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    this.messages = [];
    this.waiters = [];
    this.errors = [];
    this.opened = new Promise((ok, fail) => {
      // A host that never answers the handshake fails the test instead of hanging it.
      const timer = setTimeout(
        () => fail(new Error('the WebSocket handshake got no answer in 10 s')),
        10000,
      );
      this.ws.once('open', () => {
        clearTimeout(timer);
        ok();
      });
      this.ws.once('close', () => clearTimeout(timer));
      this.ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', fail);
    });
    this.opened.catch(() => {}); // a test that never awaits it must not crash on it
    this.closed = new Promise((ok) =>
      this.ws.once('close', (code, reason) => ok({ code, reason: reason.toString() })),
    );
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) if (!w()) this.waiters.push(w);
    });
    this.ws.on('error', (e) => this.errors.push(e));
  }

  send(msg) {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  // The id of the first control the host added (in any patch so far) that pred accepts.
  nodeId(pred, what = 'such control') {
    for (const m of this.messages) {
      for (const op of m.ops ?? []) if (op.op === 'add' && pred(op.node)) return op.node.id;
    }
    throw new Error(`no ${what} added`);
  }

  // The id of the first control added whose text is label: a button, for most apps.
  buttonId(label) {
    return this.nodeId((n) => n.props?.text === label, `button ${label}`);
  }

  // Resolves with the close {code, reason} once the socket has closed; rejects, saying so,
  // if it is still open after `ms`.
  waitClosed(ms = 10000) {
    return within(
      this.closed,
      ms,
      () =>
        `the socket was not closed in ${ms} ms; it got ${JSON.stringify(this.messages).slice(-500)}`,
    );
  }

  // Resolves with the first message (from index `from` on) that pred accepts.
  next(pred = () => true, { from = 0, ms = 5000 } = {}) {
    return new Promise((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no such message; got ${JSON.stringify(this.messages).slice(-500)}`)),
        ms,
      );
      const check = () => {
        for (let i = from; i < this.messages.length; i++) {
          if (pred(this.messages[i], i)) {
            clearTimeout(timer);
            ok(this.messages[i]);
            return true;
          }
        }
        return false;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  async register(extra = {}) {
    await this.opened;
    this.send({ t: 'register', width: 800, height: 600, ...extra });
    return this.next((m) => m.t === 'init' || m.t === 'resume');
  }

  // Drops the TCP connection without a close frame, as a lost network does.
  drop() {
    this.ws._socket.destroy();
  }
}

// Resolves to whether a TCP connection to port is refused.
export function refused(port) {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      ok(false);
    });
    s.once('error', (e) => ok(e.code === 'ECONNREFUSED'));
  });
}

// Resolves as `promise` does, or rejects with the message what() gives if it has not
// settled after `ms`.
export function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(what())), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// The browser's side of message numbering: applies init, patch and resume messages in
// order and fails on any lost or doubled one. `text` is the last value set on any control.
export class Tracker {
  constructor() {
    this.seq = null;
    this.token = null;
    this.values = [];
  }

  patch(p) {
    if (p.seq !== this.seq + 1) throw new Error(`patch ${p.seq} after ${this.seq}`);
    this.seq = p.seq;
    for (const op of p.ops) {
      if (op.op === 'set' && op.props.value !== undefined) this.values.push(op.props.value);
    }
  }

  receive(m) {
    if (m.t === 'init') {
      this.seq = m.seq;
      this.token = m.session ?? this.token;
      this.values = [];
    } else if (m.t === 'patch') {
      this.patch(m);
    } else if (m.t === 'resume') {
      for (const p of m.patches) this.patch(p);
      if (this.seq !== m.seq) throw new Error(`resume ends at ${this.seq}, says ${m.seq}`);
    }
  }
}

// A WebSocket client that writes frames exactly as it is told, for what a client library
// refuses to send (close codes no endpoint may use, reserved bits), and that keeps every
// frame the host sends, in order, as {op, payload, fin, rsv, masked}.
export class RawClient {
  static MASK = Buffer.from([0x5a, 0xc3, 0x17, 0x88]);

  constructor(port) {
    this.sock = connect(port, '127.0.0.1');
    this.frames = [];
    this.waiters = [];
    this.buf = Buffer.alloc(0);
    this.upgraded = false;
    this.ended = new Promise((ok) => this.sock.on('close', ok));
    this.opened = new Promise((ok, fail) => {
      this.sock.once('error', fail);
      this.sock.once('connect', () =>
        this.sock.write(
          'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
            'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
            'Sec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      this.sock.on('data', (d) => {
        this.buf = Buffer.concat([this.buf, d]);
        if (!this.upgraded) {
          const end = this.buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const status = this.buf.subarray(0, end).toString('latin1').split(' ')[1];
          if (status !== '101') return fail(new Error(`HTTP ${status}`));
          this.upgraded = true;
          this.buf = this.buf.subarray(end + 4);
          ok();
        }
        this.parse();
      });
    });
  }

  parse() {
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      let len = b[1] & 0x7f,
        at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + len) return;
      this.frames.push({
        fin: !!(b[0] & 0x80),
        rsv: (b[0] >> 4) & 7,
        op: b[0] & 15,
        masked: !!(b[1] & 0x80),
        payload: b.subarray(at, at + len),
      });
      this.buf = b.subarray(at + len);
      for (const w of this.waiters.splice(0)) if (!w()) this.waiters.push(w);
    }
  }

  // A masked frame: op, payload (a string or bytes), and the first byte's other bits.
  static frame(op, payload = '', { fin = true, rsv = 0 } = {}) {
    const data = Buffer.from(payload);
    if (data.length > 125) throw new Error('RawClient frames are short');
    const masked = data.map((x, i) => x ^ RawClient.MASK[i % 4]);
    return Buffer.concat([
      Buffer.from([(fin ? 0x80 : 0) | (rsv << 4) | op, 0x80 | data.length]),
      RawClient.MASK,
      masked,
    ]);
  }

  static close(code, reason = '') {
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    return RawClient.frame(8, Buffer.concat([body, Buffer.from(reason, 'latin1')]));
  }

  write(...frames) {
    this.sock.write(Buffer.concat(frames));
  }

  // Resolves once the host has closed the TCP connection; rejects if it has not after `ms`.
  waitEnded(ms = 10000) {
    return within(
      this.ended,
      ms,
      () =>
        `the connection was not closed in ${ms} ms; frames: ${JSON.stringify(
          this.frames.map((f) => f.op),
        )}`,
    );
  }

  // Resolves with the first frame the host sent that pred accepts; `what` names it in the
  // error if none came within `ms`.
  next(pred, ms = 5000, what = 'such frame') {
    return new Promise((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no ${what} in ${ms} ms; got ${JSON.stringify(this.frames)}`)),
        ms,
      );
      const check = () => {
        const f = this.frames.find(pred);
        if (!f) return false;
        clearTimeout(timer);
        ok(f);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  // Resolves with the host's close frame: {code, reason}.
  async closeFrame(ms = 5000) {
    const f = await this.next((x) => x.op === 8, ms, 'close frame');
    return {
      code: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null,
      reason: f.payload.subarray(2),
    };
  }
}
