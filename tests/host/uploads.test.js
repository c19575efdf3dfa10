// PUT /upload as docs/protocol.md has it, from a client that signs URLs itself with the key
// the host was given (LUAFLET_SECRET_KEY): a good URL stores the body under its name, and
// anything else (another name, a late or forged URL, no length, too many bytes, a connection
// that drops half-way) is refused and leaves nothing in the folder.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';

const SECRET = 'a key the test shares with the host';
const MAX = 100000;
let host, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luaflet-uploads-'));
  process.env.LUAFLET_SECRET_KEY = SECRET;
  host = await startHost('examples/hello_async.lua', {
    args: ['--upload-dir', join(dir, 'in'), '--max-upload', String(MAX), '--log-level', 'debug'],
  });
});
after(async () => {
  agent.destroy();
  const stopped = await host?.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

// The URL the app would sign for name, good until the Unix time expires.
function url(name, expires = Math.floor(Date.now() / 1000) + 60) {
  const key = createHash('sha256').update(SECRET).digest();
  const sig = createHmac('sha256', key).update(`${name}\0${expires}`).digest('hex');
  return `/upload?f=${encodeURIComponent(name)}&e=${expires}&s=${sig}`;
}

// PUTs body to path: resolves {status, text}.
const put = (path, body, headers = {}) =>
  new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'PUT', path, headers, agent },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => ok({ status: res.statusCode, text: text.trim() }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });

const files = () => readdirSync(join(dir, 'in')).sort();

describe('uploads', () => {
  it('store a body under the name its URL was signed for', async () => {
    const body = Buffer.from('héllo, upload\n');
    const r = await put(url('hello world.txt'), body);
    assert.deepEqual(r, { status: 200, text: `uploaded hello world.txt, ${body.length} bytes` });
    assert.deepEqual(readFileSync(join(dir, 'in', 'hello world.txt')), body);
    // The same name again replaces the file; an empty file is a file.
    assert.equal((await put(url('hello world.txt'), 'again')).status, 200);
    assert.equal(readFileSync(join(dir, 'in', 'hello world.txt'), 'utf8'), 'again');
    assert.equal((await put(url('empty'), '')).status, 200);
    assert.equal(readFileSync(join(dir, 'in', 'empty'), 'utf8'), '');
  });

  it('refuse forged, altered, late and escaping URLs', async () => {
    const good = url('a.txt');
    const forged = good.replace(/s=(.)/, (_, c) => `s=${c === '0' ? '1' : '0'}`);
    assert.deepEqual(await put(forged, 'x'), {
      status: 403,
      text: 'this upload URL is not one the app made',
    });
    // The signature holds for a.txt only.
    assert.equal((await put(good.replace('f=a.txt', 'f=b.txt'), 'x')).status, 403);
    const late = await put(url('a.txt', Math.floor(Date.now() / 1000) - 1), 'x');
    assert.deepEqual(late, {
      status: 403,
      text: 'this upload URL has expired: ask the app for a new one',
    });
    // Names that would leave the folder, or hide in it, are refused even when signed.
    for (const name of ['../escape', 'sub/dir', '.hidden', '..', 'a\\b', 'tab\there']) {
      assert.equal((await put(url(name), 'x')).status, 403, name);
    }
    assert.equal((await put('/upload', 'x')).status, 403);
    assert.equal(files().includes('a.txt'), false);
  });

  it('refuse a body without a length, or over --max-upload, and the connection goes on', async () => {
    const chunked = await put(url('c.bin'), 'x', { 'transfer-encoding': 'chunked' });
    assert.deepEqual(chunked, {
      status: 411,
      text: 'an upload must say its length (Content-Length)',
    });
    const big = await put(url('big.bin'), Buffer.alloc(MAX + 1));
    assert.deepEqual(big, {
      status: 413,
      text: `the file is ${MAX + 1} bytes, over the upload limit of ${MAX} (--max-upload)`,
    });
    // Exactly the limit is taken, on the same kept-alive connection.
    assert.equal((await put(url('max.bin'), Buffer.alloc(MAX))).status, 200);
    assert.equal(readFileSync(join(dir, 'in', 'max.bin')).length, MAX);
    assert.equal(files().includes('big.bin'), false);
    // Other methods on /upload are not uploads.
    const post = await new Promise((ok) =>
      request({ host: '127.0.0.1', port: host.port, method: 'POST', path: url('p') }, (res) =>
        ok(res.statusCode),
      ).end('x'),
    );
    assert.equal(post, 405);
  });

  it('leave nothing when the connection drops half-way', async () => {
    const before = files();
    const sock = connect(host.port, '127.0.0.1');
    await new Promise((ok) => sock.once('connect', ok));
    sock.write(
      `PUT ${url('half.bin')} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n` +
        'x'.repeat(2000),
    );
    await host.waitLog(/receiving half\.bin, 5000 bytes/);
    assert.equal(readdirSync(join(dir, 'in')).filter((f) => f.startsWith('.upload-')).length, 1);
    sock.destroy();
    await host.waitLog(/upload of half\.bin dropped: the connection closed after \d+ bytes/);
    assert.deepEqual(files(), before);
  });
});
