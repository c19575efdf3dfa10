// What the host learns of a client from its WebSocket handshake: the User-Agent header, as
// page.client_user_agent (at most 512 bytes, cut where a character starts; none when it is
// not UTF-8), and the platform it names, as page.platform.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';

describe("the client's user agent", () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/client_info.lua');
  });
  after(async () => {
    const stopped = await host?.stop();
    assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
  });

  // The texts the app's page shows to a client whose handshake has these headers.
  async function shown(headers) {
    const c = new Client(host.port, { headers });
    await c.register();
    const patch = await c.next((m) => m.t === 'patch');
    c.ws.close(1000);
    await c.waitClosed();
    const texts = patch.ops.filter((op) => op.op === 'add').map((op) => op.node.props.value);
    const after = (prefix) => texts.find((t) => t.startsWith(prefix)).slice(prefix.length);
    return { platform: after('platform: '), ua: after('user agent: ') };
  }

  it('is the handshake header, with the platform it names', async () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0';
    assert.deepEqual(await shown({ 'User-Agent': ua }), { platform: 'windows', ua });
    const mac = 'Navigateur é (Macintosh; Intel Mac OS X 14_4)';
    assert.deepEqual(await shown({ 'User-Agent': Buffer.from(mac).toString('latin1') }), {
      platform: 'macos',
      ua: mac,
    });
    assert.deepEqual(await shown({}), { platform: 'nil', ua: 'nil' });
  });

  it('is cut to 512 bytes where a character starts, and dropped when it is not UTF-8', async () => {
    // "é" takes bytes 511 and 512: the cut leaves it out whole.
    const long = `${'a'.repeat(511)}é${'b'.repeat(100)}`;
    // Node writes a header's characters as bytes (Latin-1): these are the text's UTF-8.
    const utf8 = Buffer.from(long).toString('latin1');
    assert.equal((await shown({ 'User-Agent': utf8 })).ua, 'a'.repeat(511));
    const exact = 'c'.repeat(600);
    assert.equal((await shown({ 'User-Agent': exact })).ua, 'c'.repeat(512));
    // Latin-1's "é" alone, one byte that UTF-8 never has there.
    assert.equal((await shown({ 'User-Agent': 'caf\u00e9 (X11; Linux)' })).ua, 'nil');
  });
});
