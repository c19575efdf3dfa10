// Attacks on sessions over real sockets: what one client (or many from one address) can do
// to an ordinary app must not take the host down or starve other sessions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';

// The id of the button labelled `label` among the client's messages so far.
function buttonId(client, label) {
  for (const m of client.messages) {
    for (const op of m.ops ?? []) {
      if (op.op === 'add' && op.node.props.text === label) return op.node.id;
    }
  }
  throw new Error(`no button ${label}`);
}

const sees = (c, text, ms = 10000) =>
  c.next((m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === text), { ms });

// A session of tests/e2e/apps/paced.lua that shows its click counter.
async function bystander(port) {
  const c = new Client(port);
  await c.register();
  await c.next((m) => m.t === 'patch');
  return c;
}

// One click on the bystander's button must be answered: the host is not held up.
async function stillAnswers(host, c, n) {
  c.send({ t: 'event', id: buttonId(c, '+'), name: 'click', data: '' });
  await sees(c, `clicks ${n}`);
  const res = await fetch(host.url);
  assert.equal(res.status, 200);
}

describe('an app that paces itself with update_async alone', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/paced.lua', {
      args: ['--log-level', 'debug', '--ping-interval', '1', '--ping-timeout', '2'],
    });
  });
  after(async () => {
    // SIGTERM still works, promptly, with every kind of victim left behind.
    const started = Date.now();
    const { code } = await host.stop('SIGTERM');
    assert.equal(code, 0, host.log.slice(-2000));
    assert.ok(Date.now() - started < 10000, 'the host stopped in time');
  });

  it('does not hold up the host when its client drops or closes', async () => {
    const detached = (host.log.match(/session detached/g) || []).length;
    const ended = (host.log.match(/session ended/g) || []).length;
    const dropper = new Client(host.port);
    await dropper.register({ width: 1 });
    await dropper.next((m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === '3'));
    dropper.drop();
    const closer = new Client(host.port);
    await closer.register({ width: 1 });
    await closer.next((m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === '3'));
    closer.ws.close(1000);
    await host.waitCount(/session detached/, detached + 1);
    await host.waitCount(/session ended/, ended + 1);
    const c = await bystander(host.port);
    await stillAnswers(host, c, 1);
    await stillAnswers(host, c, 2);
    c.ws.close(1000);
  });

  it('does not hold up the host when twenty clients stop reading', async () => {
    const detached = (host.log.match(/session detached/g) || []).length;
    const victims = [];
    for (let i = 0; i < 20; i++) {
      const v = new Client(host.port);
      await v.register({ width: 1 });
      await v.next((m) => m.t === 'patch');
      v.ws._socket.pause(); // reads nothing more, answers no ping
      victims.push(v);
    }
    // Each is dropped at its ping timeout; their loops must then wait, not spin.
    await host.waitCount(/session detached/, detached + 20, 30000);
    const c = await bystander(host.port);
    await stillAnswers(host, c, 1);
    c.ws.close(1000);
    for (const v of victims) v.drop();
  });
});
