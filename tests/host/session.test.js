// Sessions over real sockets: a dropped socket resumes with exactly what it missed, also
// before the host noticed the drop; a new or duplicated tab gets a session of its own; a
// closing tab ends its session at once; a session whose client does not come back expires.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client, Tracker } from './ws_client.js';

const ticks = (tracker) => tracker.values.map((v) => Number(v.split(' ')[1]));

function assertConsecutive(nums) {
  assert.ok(nums.length > 0);
  for (let i = 1; i < nums.length; i++) {
    assert.equal(nums[i], nums[i - 1] + 1, `tick ${nums[i]} after ${nums[i - 1]}: ${nums}`);
  }
}

describe('sessions over real sockets', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/ticker.lua', { args: ['--log-level', 'debug'] });
  });
  after(async () => {
    await host.stop();
  });

  it('resume after a drop with exactly the patches missed, none lost or doubled', async () => {
    const tracker = new Tracker();
    const c1 = new Client(host.port);
    tracker.receive(await c1.register());
    await c1.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 6);
    // The last two patches were still in flight when the network went: the browser never
    // saw them.
    const got = c1.messages.slice(1);
    for (const m of got.slice(0, got.length - 2)) tracker.receive(m);
    c1.drop();
    await host.waitLog(/app: disconnected/);
    await sleep(150); // the network stays down while the app goes on ticking
    const c2 = new Client(host.port);
    const first = await c2.register({ session: tracker.token, seq: tracker.seq });
    assert.equal(first.t, 'resume');
    assert.ok(first.patches.length >= 4, `only ${first.patches.length} patches replayed`);
    tracker.receive(first);
    await c2.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 3, { from: 1 });
    for (const m of c2.messages.slice(1)) tracker.receive(m);
    assertConsecutive(ticks(tracker));
    await host.waitLog(/app: connected/);

    // A new or duplicated tab has no count, so it gets a session of its own.
    const c3 = new Client(host.port);
    const init = await c3.register({ session: tracker.token });
    assert.equal(init.t, 'init');
    assert.match(init.session, /^[0-9a-f]{32}$/);
    assert.notEqual(init.session, tracker.token);
    await c2.next((m) => m.t === 'patch' && m.seq > tracker.seq, { from: 1 });

    // The tab's new socket takes over while the host still believes the old one open (a
    // drop it has not noticed yet): the old one is closed with 4000, nothing is lost.
    for (const m of c2.messages.slice(1)) if (m.seq > tracker.seq) tracker.receive(m);
    const c4 = new Client(host.port);
    const again = await c4.register({ session: tracker.token, seq: tracker.seq });
    assert.equal(again.t, 'resume');
    assert.equal((await c2.waitClosed()).code, 4000);
    tracker.receive(again);
    await c4.next((m) => m.t === 'patch' && m.seq > tracker.seq, { from: 1 });
    for (const m of c4.messages.slice(1)) tracker.receive(m);
    assertConsecutive(ticks(tracker));

    // A tab that closes says so, and its session ends now.
    const ended = (host.log.match(/session ended/g) || []).length;
    c3.ws.close(1001);
    c4.ws.close(1001);
    await c4.waitClosed();
    await host.waitCount(/session ended/, ended + 2);
  });

  it('frees the patches an acknowledgement covers, in the form the client writes or another', async () => {
    // The browser's form is taken without a task (host/ws.c); any other goes the general way.
    const forms = [(seq) => ({ t: 'ack', seq }), (seq) => `{ "seq": ${seq}, "t": "ack" }`];
    for (const form of forms) {
      const c1 = new Client(host.port);
      const init = await c1.register();
      const p = await c1.next((m) => m.t === 'patch' && m.seq >= init.seq + 3);
      const gone = (host.log.match(/app: disconnected/g) || []).length;
      c1.send(form(p.seq));
      c1.drop();
      await host.waitCount(/app: disconnected/, gone + 1);
      // The acknowledged patch and what came before it are no longer kept: a client that
      // says it has only the one before gets the whole page again, in the same session.
      const c2 = new Client(host.port);
      const back = await c2.register({ session: init.session, seq: p.seq - 1 });
      assert.equal(back.t, 'init', `${form(p.seq)}: ${JSON.stringify(back).slice(0, 200)}`);
      assert.equal(back.session, init.session);
      c2.ws.close(1000);
      await c2.waitClosed();
    }
    // Before a register there is nothing to acknowledge, in either form.
    for (const text of ['{"t":"ack","seq":1}', '{"seq":1,"t":"ack"}']) {
      const c = new Client(host.port);
      await c.opened;
      c.send(text);
      const reply = await c.next((m) => m.t === 'error');
      assert.match(reply.message, /ack: register first/);
      c.ws.close(1000);
      await c.waitClosed();
    }
  });
});

describe('a reloaded tab', () => {
  let host;
  before(async () => {
    host = await startHost('tests/e2e/apps/ticker.lua', { args: ['--log-level', 'debug'] });
  });
  after(async () => {
    await host.stop();
  });

  // The tick a message shows, if it shows one.
  const tickIn = (m) => Number(JSON.stringify(m).match(/"tick (\d+)"/)?.[1] ?? NaN);

  it('takes its session up again with the whole page, after its page unloaded', async () => {
    const a = new Client(host.port);
    const init = await a.register();
    await a.next((m) => tickIn(m) >= 3);
    const connects = (host.log.match(/app: connected/g) || []).length;
    // The page unloads: its socket closes with 4001, and the session waits.
    a.ws.close(4001);
    await a.waitClosed();
    await host.waitLog(/app: disconnected/);
    const b = new Client(host.port);
    const again = await b.register({ session: init.session, reload: true });
    // A new page has nothing: it gets the whole page, ticked on meanwhile, in an init.
    assert.equal(again.t, 'init');
    assert.equal(again.session, init.session);
    assert.ok(tickIn(again) >= 3, JSON.stringify(again).slice(0, 300));
    await host.waitCount(/app: connected/, connects + 1);
    await b.next((m) => m.t === 'patch' && m.seq === again.seq + 1);
    b.ws.close(1000);
    await b.waitClosed();
  });

  it('is refused the session of a socket still live: the token was copied', async () => {
    const a = new Client(host.port);
    const init = await a.register();
    const b = new Client(host.port);
    const other = await b.register({ session: init.session, reload: true });
    assert.equal(other.t, 'init');
    assert.notEqual(other.session, init.session);
    await host.waitLog(/a reload named a session whose socket is live: a new session/);
    // The first tab goes on undisturbed.
    const seen = a.messages.length;
    await a.next((m) => m.t === 'patch', { from: seen });
    a.ws.close(1000);
    b.ws.close(1000);
    await Promise.all([a.waitClosed(), b.waitClosed()]);
  });
});

describe('a session whose client does not come back', () => {
  it('expires after --session-timeout, and its token no longer resumes', async () => {
    const host = await startHost('tests/e2e/apps/ticker.lua', {
      args: ['--log-level', 'debug', '--session-timeout', '0.3'],
    });
    try {
      const c1 = new Client(host.port);
      const init = await c1.register();
      c1.drop();
      await host.waitLog(/session detached/);
      await host.waitLog(/session ended/, 3000);
      const c2 = new Client(host.port);
      const again = await c2.register({ session: init.session, seq: init.seq });
      assert.equal(again.t, 'init');
      assert.notEqual(again.session, init.session);
      c2.ws.close(1000);
      await c2.waitClosed();
    } finally {
      await host.stop();
    }
  });
});
