// A protocol-level client for tests: a real WebSocket to a running host, with the browser's
// bookkeeping (message numbers, the session token) and nothing else.
import WebSocket from 'ws';

export class Client {
  constructor(port, { headers = {}, path = '/ws' } = {}) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    this.messages = [];
    this.waiters = [];
    this.errors = [];
    this.opened = new Promise((ok, fail) => {
      // A host that never answers the handshake fails the test instead of hanging it.
      const timer = setTimeout(() => fail(new Error('the WebSocket handshake got no answer in 10 s')), 10000);
      this.ws.once('open', () => { clearTimeout(timer); ok(); });
      this.ws.once('close', () => clearTimeout(timer));
      this.ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', fail);
    });
    this.opened.catch(() => {}); // a test that never awaits it must not crash on it
    this.closed = new Promise((ok) => this.ws.once('close', (code, reason) => ok({ code, reason: reason.toString() })));
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) if (!w()) this.waiters.push(w);
    });
    this.ws.on('error', (e) => this.errors.push(e));
  }

  send(msg) { this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)); }

  // Resolves with the first message (from index `from` on) that pred accepts.
  next(pred = () => true, { from = 0, ms = 5000 } = {}) {
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no such message; got ${JSON.stringify(this.messages).slice(-500)}`)), ms);
      const check = () => {
        for (let i = from; i < this.messages.length; i++) {
          if (pred(this.messages[i], i)) { clearTimeout(timer); ok(this.messages[i]); return true; }
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
  drop() { this.ws._socket.destroy(); }
}

// The browser's side of message numbering: applies init, patch and resume messages in
// order and fails on any lost or doubled one. `text` is the last value set on any control.
export class Tracker {
  constructor() { this.seq = null; this.token = null; this.values = []; }

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
