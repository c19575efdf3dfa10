// What the host refuses: WebSockets from other sites, files outside its folders, and
// internals in what clients see; and what every response carries. Also https and wss.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';

// Sends a request line as is (no normalization by a client library); resolves with the
// status, the headers and the body.
function rawGet(port, path) {
  return new Promise((ok, fail) => {
    const sock = connect(port, '127.0.0.1');
    let data = '';
    sock.on('data', (d) => {
      data += d.toString('latin1');
    });
    sock.on('error', fail);
    sock.on('end', () => ok(parse(data)));
    sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

function parse(data) {
  const [head, ...rest] = data.split('\r\n\r\n');
  const [status, ...lines] = head.split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(status.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

function assertSecurityHeaders(headers) {
  assert.match(headers['content-security-policy'], /default-src 'self'/);
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['x-frame-options'], 'DENY');
}

describe('files', () => {
  let host, dir, outside;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'luaflet-assets-'));
    outside = mkdtempSync(join(tmpdir(), 'luaflet-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'SECRET');
    mkdirSync(join(dir, 'img'));
    writeFileSync(join(dir, 'img', 'dot.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), 'SECRET');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'leak.txt'));
    symlinkSync(outside, join(dir, 'door'));
    host = await startHost('tests/e2e/apps/assets.lua', { args: [dir] });
  });
  after(async () => {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('serves the client and the app assets, with security headers on every response', async () => {
    const index = await rawGet(host.port, '/');
    assert.equal(index.status, 200);
    assert.match(index.body, /<script type="module" src="\/luaflet.js">/);
    assertSecurityHeaders(index.headers);
    const svg = await rawGet(host.port, '/img/dot.svg');
    assert.equal(svg.status, 200);
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    const missing = await rawGet(host.port, '/nothing-here.js');
    assert.equal(missing.status, 404);
    assertSecurityHeaders(missing.headers);
  });

  it('refuses .., encoded traversal and symlinks that lead out', async () => {
    for (const path of [
      '/../../../../etc/passwd',
      '/img/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%252e%252e/etc/passwd',
      '/img/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/.%2e/.%2e/etc/passwd',
      '/leak.txt',
      '/door/secret.txt',
      '/img\\..\\..\\etc\\passwd',
      '/.env',
      '/.git/config',
      '/%2eenv',
      '/img/.%2e/.env',
    ]) {
      const r = await rawGet(host.port, path);
      assert.ok(r.status === 404 || r.status === 403 || r.status === 400, `${path}: ${r.status}`);
      assert.doesNotMatch(r.body, /SECRET|root:/, path);
    }
  });
});

describe('sockets from other sites', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/assets.lua', {
      args: ['--allow-origin', 'https://trusted.example'],
    });
  });
  after(async () => {
    await host.stop();
  });

  it('are refused; the same origin and allowed origins are not', async () => {
    const evil = new Client(host.port, { headers: { Origin: 'https://evil.example' } });
    await assert.rejects(evil.opened);
    await host.waitLog(/refused a WebSocket from origin https:\/\/evil.example/);
    const sneaky = new Client(host.port, {
      headers: { Origin: `http://127.0.0.1:${host.port}.evil.example` },
    });
    await assert.rejects(sneaky.opened);
    // An Origin too long to copy is not taken for a missing one.
    const long = new Client(host.port, {
      headers: { Origin: `http://${'a'.repeat(1100)}.evil.example` },
    });
    await assert.rejects(long.opened);
    // DNS rebinding: a page of evil.example, pointed at us, asks with its own name as Host.
    const rebound = new Client(host.port, {
      headers: { Origin: `http://evil.example:${host.port}`, Host: `evil.example:${host.port}` },
    });
    await assert.rejects(rebound.opened);
    // The scheme counts too.
    const https = new Client(host.port, { headers: { Origin: `https://127.0.0.1:${host.port}` } });
    await assert.rejects(https.opened);
    for (const origin of [`http://127.0.0.1:${host.port}`, 'https://trusted.example']) {
      const c = new Client(host.port, { headers: { Origin: origin } });
      assert.equal((await c.register()).t, 'init');
      c.ws.close(1000);
    }
  });
});

describe('app errors', () => {
  for (const debug of [false, true]) {
    it(`reach the client ${debug ? 'with' : 'only without'} their traceback ${debug ? 'under' : 'without'} --debug`, async () => {
      const host = await startHost('tests/e2e/apps/failing_handler.lua', {
        args: debug ? ['--debug'] : [],
      });
      try {
        const c = new Client(host.port);
        await c.register();
        const add = await c.next((m) => m.t === 'patch');
        const button = add.ops.find((op) => op.node?.props.text === 'Click me').node.id;
        c.send({ t: 'event', id: button, name: 'click', data: '' });
        await c.next((m) => m.t === 'patch' && JSON.stringify(m).includes('on_error'));
        const everything = JSON.stringify(c.messages);
        if (debug) {
          const err = await c.next((m) => m.t === 'error');
          assert.match(err.message, /the first click fails[^]*stack traceback/);
        } else {
          // (the app's own on_error shows the message's first line; that is its choice)
          assert.doesNotMatch(everything, /stack traceback/);
          assert.equal(c.messages.filter((m) => m.t === 'error').length, 0);
        }
        c.ws.close(1000);
      } finally {
        await host.stop();
      }
    });
  }
});

describe('TLS', () => {
  it('serves https and wss with --certfile and --keyfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const host = await startHost('tests/e2e/apps/assets.lua', {
      args: ['--certfile', cert, '--keyfile', key],
      ready: /serving https:\/\//,
    });
    try {
      const res = await new Promise((ok, fail) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port: host.port, path: '/', rejectUnauthorized: false },
          (resp) => {
            let body = '';
            resp.on('data', (d) => {
              body += d;
            });
            resp.on('end', () => ok({ resp, body }));
          },
        );
        req.on('error', fail);
        req.end();
      });
      assert.equal(res.resp.statusCode, 200);
      assertSecurityHeaders(res.resp.headers);
      const ws = new WebSocket(`wss://127.0.0.1:${host.port}/ws`, { rejectUnauthorized: false });
      await new Promise((ok, fail) => {
        ws.once('open', ok);
        ws.once('error', fail);
      });
      ws.send(JSON.stringify({ t: 'register', width: 10, height: 10 }));
      const init = await new Promise((ok) =>
        ws.once('message', (d) => ok(JSON.parse(d.toString()))),
      );
      assert.equal(init.t, 'init');
      ws.close(1000);
      // Plain http on the TLS port gets nothing served.
      const plain = await rawGet(host.port, '/').catch(() => null);
      assert.ok(!plain || plain.status !== 200);
    } finally {
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
