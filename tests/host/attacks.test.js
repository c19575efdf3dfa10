// What one client can try against the host over real sockets, and what it gets: HTTP as
// RFC 9112 has it, and a log that stays the host's own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';
import { Conn, closePayload, frame, handshake, openWs } from './raw.js';

describe('log lines', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/clicks.lua', { args: ['--log-level', 'debug'] });
  });
  after(async () => {
    await host.stop();
  });

  it('carry what a client sent escaped, so it cannot forge a line or steer a terminal', async () => {
    const c = new Client(host.port);
    await c.register();
    // A message type and an event name with newlines, escape sequences (ESC, the C1 CSI) and
    // a Unicode line separator.
    let from = c.messages.length;
    c.send({ t: 'x\nluaflet: info: FORGED type\u001b[2J' });
    await c.next((m) => m.t === 'error', { from });
    from = c.messages.length;
    c.send({ t: '\u009b31m\u2028luaflet: info: FORGED separator' });
    await c.next((m) => m.t === 'error', { from });
    c.send({
      t: 'event',
      id: 99999,
      name: 'click\nluaflet: info: FORGED event\u001b]0;owned\u0007',
      data: '',
    });
    await host.waitLog(/ignored: no control with this id/);
    // A request path with an escape sequence in it (lws decodes %1b), and an Origin header
    // with control bytes and a byte that is not UTF-8, which no client library would send.
    const get = new Conn(host.port);
    get.write(`GET /%1b[31mFORGED%c2%9b HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`);
    assert.equal((await get.response()).status, 404);
    get.destroy();
    const ws = new Conn(host.port);
    ws.write(
      Buffer.concat([
        Buffer.from(handshake(host.port).slice(0, -2)),
        Buffer.from('Origin: http://evil\x1b]0;owned\x07\xff.example\r\n\r\n', 'latin1'),
      ]),
    );
    await host.waitLog(/refused a WebSocket from origin/);
    ws.destroy();
    c.ws.close(1000);

    const log = host.log;
    for (const line of log.split('\n').slice(0, -1))
      assert.match(line, /^luaflet: /, JSON.stringify(line));
    assert.doesNotMatch(log, /^luaflet: info: FORGED/m);
    assert.doesNotMatch(
      log,
      /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u2028\ufffd]/,
      'a control character or a bad byte in the log',
    );
    assert.ok(
      log.includes(String.raw`unknown message type x\nluaflet: info: FORGED type\x1b[2J`),
      log,
    );
    assert.ok(
      log.includes(String.raw`\xc2\x9b31m\xe2\x80\xa8luaflet: info: FORGED separator`),
      log,
    );
    assert.ok(
      log.includes(
        String.raw`event click\nluaflet: info: FORGED event\x1b]0;owned\x07 for control 99999`,
      ),
      log,
    );
    assert.ok(log.includes(String.raw`not served: /\x1b[31mFORGED\xc2\x9b`), log);
    assert.ok(log.includes(String.raw`from origin http://evil\x1b]0;owned\x07\xff.example`), log);
  });
});

const get = (port, path, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`;

describe('HTTP', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/clicks.lua');
  });
  after(async () => {
    await host.stop();
  });

  it('answers requests pipelined in one write, each in order with its own answer', async () => {
    const c = new Conn(host.port);
    c.write(
      get(host.port, '/') +
        get(host.port, '/luaflet.css') +
        get(host.port, '/nothing.js') +
        get(host.port, '/luaflet.js'),
    );
    const index = await c.response();
    assert.equal(index.status, 200);
    assert.match(index.body, /<script type="module" src="\/luaflet.js">/);
    const css = await c.response();
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'], /^text\/css/);
    assert.equal((await c.response()).status, 404);
    const js = await c.response();
    assert.equal(js.status, 200);
    assert.match(js.headers['content-type'], /^text\/javascript/);
    // The connection is still good for more.
    c.write(get(host.port, '/luaflet.css'));
    assert.equal((await c.response()).status, 200);
    c.destroy();
  });

  it('answers a request without one good Host header with 400 and closes (HTTP/1.0 may have none)', async () => {
    for (const request of [
      'GET / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost:\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nHost: evil.example\r\n\r\n`,
      `GET / HTTP/1.0\r\nHost: 127.0.0.1:${host.port}\r\nHost: evil.example\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: a/b\r\n\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n',
    ]) {
      const c = new Conn(host.port);
      c.write(request);
      const r = await c.response();
      assert.equal(r?.status, 400, JSON.stringify(request));
      assert.equal(r.headers.connection, 'close');
      await c.closed;
    }
    for (const request of [
      'GET / HTTP/1.0\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: [::1]:8550\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n',
    ]) {
      const c = new Conn(host.port);
      c.write(request);
      assert.equal((await c.response())?.status, 200, JSON.stringify(request));
      c.destroy();
    }
  });

  for (const [what, path, status] of [
    ['a file', '/luaflet.css', 200],
    ['a 404', '/nothing.js', 404],
  ]) {
    it(`closes a connection after its 100th request, saying so in that answer (${what})`, async () => {
      const c = new Conn(host.port);
      for (let i = 1; i <= 100; i++) {
        c.write(get(host.port, path));
        const r = await c.response();
        assert.equal(r?.status, status, `request ${i}`);
        assert.equal(r.headers.connection, i === 100 ? 'close' : undefined, `request ${i}`);
      }
      c.write(get(host.port, path));
      assert.equal(await c.response(), null, 'a 101st request is not answered');
      assert.ok(c.ended);
    });
  }
});

describe('idle HTTP connections', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--keepalive-timeout', '1', '--handshake-timeout', '2'],
    });
  });
  after(async () => {
    await host.stop();
  });

  it('are closed --keepalive-timeout after an answer, or --handshake-timeout after opening', async () => {
    // (libwebsockets' own keep-alive timeout, which applied before, is 5 s.)
    const c = new Conn(host.port);
    c.write(get(host.port, '/'));
    assert.equal((await c.response()).status, 200);
    const answered = Date.now();
    const silent = new Conn(host.port);
    await silent.opened;
    const opened = Date.now();
    await c.closed;
    const idle = Date.now() - answered;
    assert.ok(idle >= 500 && idle < 4000, `closed after ${idle} ms idle`);
    await silent.closed;
    const waited = Date.now() - opened;
    assert.ok(
      waited >= 1000 && waited < 7000,
      `a connection that sent nothing closed after ${waited} ms`,
    );
    assert.equal(silent.data.length, 0);
  });
});

describe('WebSocket handshakes', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/clicks.lua');
  });
  after(async () => {
    await host.stop();
  });

  it('are refused, not upgraded, with a bad key, another version, no good Host, or for h2c', async () => {
    const port = host.port;
    const cases = [
      [handshake(port, { key: 'abc' }), 400],
      [handshake(port, { key: 'AAAAAAAAAAAAAAAAAAAAAAA=' }), 400], // 17 bytes
      [handshake(port, { extra: 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' }), 400], // two keys
      [handshake(port, { version: '8' }), 426],
      [handshake(port).replace(/Host: [^\r]*\r\n/, ''), 400],
      [handshake(port, { extra: 'Host: evil.example\r\n' }), 400],
      [
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n` +
          'HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n',
        400,
      ],
    ];
    for (const [request, status] of cases) {
      const c = new Conn(port);
      c.write(request);
      const r = await c.response();
      assert.equal(r?.status, status, JSON.stringify(request));
      if (status === 426) assert.equal(r.headers['sec-websocket-version'], '13');
      await c.closed;
    }
    const good = await openWs(port, { key: 'dGhlIHNhbXBsZSBub25jZQ==' });
    good.destroy();
  });
});

describe('WebSocket closes', () => {
  it('reach clients that are sending at that moment: all see 1001 when the host stops', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', { args: ['--event-rate', '0'] });
    const clients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const c = new Client(host.port);
        await c.register();
        await c.next((m) => m.t === 'patch');
        return c;
      }),
    );
    // Each client clicks (every click sends a patch back) a few hundred times on every turn
    // of its loop, until the host closes it; the host is stopped once every client has been
    // answered a few dozen times. Loopback takes megabytes before a write blocks, so the
    // host always has clicks unread when it stops.
    const flooding = clients.map(
      (c) =>
        new Promise((ok) => {
          const click = JSON.stringify({
            t: 'event',
            id: c.buttonId('+'),
            name: 'click',
            data: '',
          });
          const pump = () => {
            if (c.ws.readyState !== 1) return;
            for (let i = 0; i < 200 && c.ws.bufferedAmount < 1 << 16; i++) c.ws.send(click);
            if (c.messages.length > 50) ok();
            setImmediate(pump);
          };
          pump();
        }),
    );
    await Promise.all(flooding);
    const { code } = await host.stop('SIGINT');
    assert.equal(code, 0, host.log.slice(-2000));
    const closes = await Promise.all(clients.map((c) => c.closed));
    assert.deepEqual(
      closes.map((c) => c.code),
      clients.map(() => 1001),
    );
  });

  describe('from a client', () => {
    let host;
    before(async () => {
      host = await startHost('tests/e2e/apps/clicks.lua');
    });
    after(async () => {
      await host.stop();
    });

    it('with a code that breaks the protocol are answered with 1002, good ones in kind', async () => {
      for (const [payload, answer] of [
        [closePayload(5000), 1002],
        [closePayload(65535), 1002],
        [Buffer.from([0x03]), 1002],
        [closePayload(1000, 'bye'), 1000],
        [closePayload(4999), 4999],
      ]) {
        const c = await openWs(host.port);
        c.write(frame(0x8, payload));
        const f = await c.frame();
        assert.equal(f.opcode, 0x8, `a close frame for ${payload.toString('hex')}`);
        assert.equal(f.payload.readUInt16BE(0), answer, `the answer to ${payload.toString('hex')}`);
        await c.closed; // and the host hangs up
      }
    });
  });
});
