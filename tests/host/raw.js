// HTTP and WebSocket over a bare TCP socket, for what a client library will not send:
// pipelined requests, missing or doubled headers, odd handshakes, unmasked frames, any close
// code, header bytes a library refuses.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

// A TCP connection that keeps what it receives and can wait for more of it.
export class Conn {
  constructor(port) {
    this.sock = connect(port, '127.0.0.1');
    this.data = Buffer.alloc(0);
    this.waiters = [];
    this.ended = false;
    this.sock.on('data', (d) => {
      this.data = Buffer.concat([this.data, d]);
      this.wake();
    });
    this.sock.on('error', () => {}); // a reset shows as the end of the stream
    this.closed = new Promise((ok) =>
      this.sock.on('close', () => {
        this.ended = true;
        this.wake();
        ok();
      }),
    );
    this.opened = new Promise((ok, fail) => {
      this.sock.once('connect', ok);
      this.sock.once('error', fail);
    });
  }

  wake() {
    for (const w of this.waiters.splice(0)) if (!w()) this.waiters.push(w);
  }

  write(bytes) {
    this.sock.write(bytes);
  }

  // Resolves with what take(data) returns once it returns something other than undefined
  // (take consumes from this.data by returning [value, bytesUsed]); rejects with a timeout, or
  // resolves with null when the stream ended first.
  take(take, ms = 10000) {
    return new Promise((ok, fail) => {
      const timer = setTimeout(
        () =>
          fail(
            new Error(
              `timed out; have ${JSON.stringify(this.data.toString('latin1').slice(0, 300))}`,
            ),
          ),
        ms,
      );
      const check = () => {
        const r = take(this.data);
        if (r !== undefined) {
          clearTimeout(timer);
          this.data = this.data.subarray(r[1]);
          ok(r[0]);
          return true;
        }
        if (this.ended) {
          clearTimeout(timer);
          ok(null);
          return true;
        }
        return false;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  // The next whole HTTP response: {status, headers (lower-case names), body}, or null if the
  // connection ended before one came.
  response(ms) {
    return this.take(parseResponse, ms);
  }

  // The next WebSocket frame from the server: {fin, opcode, payload}, or null.
  frame(ms) {
    return this.take(parseFrame, ms);
  }

  destroy() {
    this.sock.destroy();
  }
}

function parseResponse(data) {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  const length = status === 101 ? 0 : Number(headers['content-length'] ?? 0);
  if (data.length < end + 4 + length) return undefined;
  const body = data.subarray(end + 4, end + 4 + length).toString('latin1');
  return [{ status, headers, body }, end + 4 + length];
}

function parseFrame(data) {
  if (data.length < 2) return undefined;
  let len = data[1] & 0x7f;
  let at = 2;
  if (len === 126) {
    if (data.length < 4) return undefined;
    len = data.readUInt16BE(2);
    at = 4;
  } else if (len === 127) {
    if (data.length < 10) return undefined;
    len = Number(data.readBigUInt64BE(2));
    at = 10;
  }
  if (data.length < at + len) return undefined;
  return [
    { fin: !!(data[0] & 0x80), opcode: data[0] & 0x0f, payload: data.subarray(at, at + len) },
    at + len,
  ];
}

// One frame as a client sends it: masked unless mask is false.
export function frame(opcode, payload = Buffer.alloc(0), { mask = true, fin = true } = {}) {
  payload = Buffer.from(payload);
  const head = [(fin ? 0x80 : 0) | opcode];
  const m = mask ? 0x80 : 0;
  if (payload.length < 126) head.push(m | payload.length);
  else if (payload.length < 65536) head.push(m | 126, payload.length >> 8, payload.length & 0xff);
  else throw new Error('frame too long for this helper');
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

// A close frame's payload: the code, then the reason.
export function closePayload(code, reason = '') {
  const b = Buffer.alloc(2 + Buffer.byteLength(reason));
  b.writeUInt16BE(code, 0);
  b.write(reason, 2);
  return b;
}

export const handshake = (
  port,
  { key = randomBytes(16).toString('base64'), extra = '', version = '13', path = '/ws' } = {},
) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;

// A connection upgraded to a WebSocket; rejects unless the server switched protocols.
export async function openWs(port, opts) {
  const c = new Conn(port);
  c.write(handshake(port, opts));
  const r = await c.response();
  if (!r || r.status !== 101) throw new Error(`no upgrade: ${r ? r.status : 'closed'}`);
  return c;
}
