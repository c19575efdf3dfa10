// The client's files go compressed to a browser that takes it, and a file the browser has
// already costs a 304: what makes a page load cheap on a slow link and again from cache.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startHost } from '../e2e/harness.js';

let host;
before(async () => {
  host = await startHost('examples/hello_async.lua');
});
after(async () => {
  agent.destroy();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// One kept-alive connection for every request, as a browser's.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

// GET path with headers: resolves {status, headers, body (a Buffer)}.
const get = (path, headers = {}) =>
  new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers, agent }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () =>
        ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', fail);
    req.end();
  });

describe("the app's routes", () => {
  it('answer a browser with the app page, and anything else with 404', async () => {
    const page = await get('/books/42?x=1', { accept: 'text/html,application/xhtml+xml' });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.body.toString(), /luaflet\.js/);
    assert.equal((await get('/books/42')).status, 404); // no Accept: not a navigation
    // A script's request (fetch of JSON) is not a navigation either.
    assert.equal((await get('/books/42', { accept: 'application/json' })).status, 404);
    assert.equal((await get('/missing.js', { accept: 'text/html' })).status, 404);
  });
});

describe('the client files', () => {
  it('go as brotli or gzip when the browser takes them, the same bytes once unpacked', async () => {
    const plain = await get('/luaflet.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'accept-encoding');

    const br = await get('/luaflet.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(br.headers['content-type'], /^text\/javascript/);
    assert.ok(br.body.length < plain.body.length / 3, `${br.body.length} of ${plain.body.length}`);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);

    // br;q=0 refuses brotli: gzip comes instead.
    const gz = await get('/luaflet.js', { 'accept-encoding': 'br;q=0, gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain.body);

    const css = await get('/luaflet.css', { 'accept-encoding': 'gzip' });
    assert.equal(css.headers['content-encoding'], 'gzip');
  });

  it('carry an ETag, and a request that has it gets 304 with no body', async () => {
    const first = await get('/luaflet.css', { 'accept-encoding': 'br' });
    const tag = first.headers.etag;
    assert.match(tag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const again = await get('/luaflet.css', { 'accept-encoding': 'br', 'if-none-match': tag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, tag);
    // Another representation (uncompressed) has another tag: no 304 for it.
    const other = await get('/luaflet.css', { 'if-none-match': tag });
    assert.equal(other.status, 200);
    assert.notEqual(other.headers.etag, tag);
    // The kept-alive connection goes on after a 304: the next request on it is answered.
    assert.equal((await get('/')).status, 200);
  });
});

describe('the Content-Security-Policy', () => {
  it('is the default, strict one, admitting images over https', async () => {
    const r = await get('/');
    assert.match(r.headers['content-security-policy'], /img-src 'self' https: /);
    assert.match(r.headers['content-security-policy'], /script-src 'self';/);
  });

  it('is the one --csp gives, and a policy of two lines is refused', async () => {
    const policy = "default-src 'self'; img-src 'self' https://images.example";
    const other = await startHost('examples/hello_async.lua', { args: ['--csp', policy] });
    try {
      const r = await new Promise((ok, fail) =>
        request({ host: '127.0.0.1', port: other.port, path: '/' }, (res) => {
          res.resume();
          ok(res);
        })
          .on('error', fail)
          .end(),
      );
      assert.equal(r.headers['content-security-policy'], policy);
    } finally {
      assert.equal((await other.stop()).code, 0);
    }
    // A line break would let the policy write headers of its own: the host will not start.
    await assert.rejects(
      startHost('examples/hello_async.lua', { args: ['--csp', "default-src 'self'\r\nx-evil: 1"] }),
      /Content-Security-Policy must be one non-empty line/,
    );
  });
});
