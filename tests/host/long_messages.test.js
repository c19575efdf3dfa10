// Messages longer than the socket's receive buffer (RX_BUFFER in host/server.c) reach the app whole,
// in one frame or in many: a text field's long value, a register with a long route.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';

describe('long messages', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/inputs.lua');
  });
  after(async () => {
    await host.stop();
  });

  it('reach the app whole, several times the receive buffer long', async () => {
    const c = new Client(host.port);
    await c.register();
    await c.next((m) => m.t === 'patch');
    // Not ASCII, so that a piece boundary falls inside a character.
    const value = 'héllo wörld '.repeat(700); // about 9.8 KB of UTF-8
    c.send({
      t: 'event',
      id: c.nodeId((n) => n.type === 'textfield', 'text field'),
      name: 'change',
      data: value,
    });
    c.send({ t: 'event', id: c.buttonId('Greet'), name: 'click', data: '' });
    await c.next(
      (m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === `hello ${value}`),
    );
    c.ws.close(1000);
  });

  it('start a session whose register names a long route', async () => {
    const c = new Client(host.port);
    const route = `/${'segment/'.repeat(250)}end`; // about 2 KB
    await c.register({ route });
    // The page's first update carries its route back to the address bar.
    await c.next((m) => m.t === 'patch' && JSON.stringify(m).includes(route));
    c.ws.close(1000);
  });
});
