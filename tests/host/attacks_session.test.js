// Attacks on sessions over real sockets: what one client (or many from one address) can do
// to an ordinary app must not take the host down or starve other sessions.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client, within } from './ws_client.js';

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
  c.send({ t: 'event', id: c.buttonId('+'), name: 'click', data: '' });
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
    // SIGINT still stops it, promptly, with every kind of victim left behind.
    const started = Date.now();
    const { code } = await host.stop('SIGINT');
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

// The host's /metrics, as numbers by name.
async function metrics(host) {
  const res = await fetch(`${host.url}metrics`);
  assert.equal(res.status, 200);
  const out = {};
  for (const line of (await res.text()).split('\n')) {
    const m = line.match(/^(\w+) (\d+)$/);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

// Opens a raw TCP connection and resolves once it is connected.
function rawSocket(port) {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1', () => ok(s));
    s.on('error', fail);
  });
}

// Resolves with the HTTP status a WebSocket handshake got, or 101 if it opened.
function handshakeStatus(port, headers = {}) {
  const c = new Client(port, { headers });
  return c.opened.then(
    () => {
      c.ws.close(1000);
      return 101;
    },
    (e) => Number(e.message.match(/HTTP (\d+)/)?.[1] ?? 0),
  );
}

describe('file descriptors running out', () => {
  it('pauses accepting instead of spinning, says so in /metrics, and recovers', async () => {
    // The host raises its soft limit to the hard one: both are set low here.
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      prefix: ['prlimit', '--nofile=64'],
      args: ['--metrics'],
    });
    const socks = [];
    // When the host closed each socket (it takes those it has no descriptor for, one at a
    // time, and closes them at once; the others stay open for --handshake-timeout, 10 s).
    const closedAt = [];
    let closedEnough;
    const enough = new Promise((ok) => {
      closedEnough = ok;
    });
    try {
      for (let i = 0; i < 80; i++) {
        const s = await rawSocket(host.port);
        s.on('close', () => {
          closedAt.push(performance.now());
          if (closedAt.length === 6) closedEnough();
        });
        socks.push(s);
      }
      await host.waitLog(/out of file descriptors/);
      await within(enough, 10000, () => `only ${closedAt.length} sockets were refused in 10 s`);
      // One at a time, with a pause between: accepting does not spin while descriptors are
      // out. (Timers never fire early; a busy machine only spreads them more.)
      const spread = closedAt[5] - closedAt[0];
      assert.ok(spread >= 5 * 90, `six refusals within ${spread.toFixed(0)} ms`);
      // And the log does not flood.
      assert.ok(
        (host.log.match(/out of file descriptors/g) || []).length <= 2,
        host.log.slice(-2000),
      );
      assert.doesNotMatch(host.log, /accept: errno/);
    } finally {
      for (const s of socks) s.destroy();
    }
    // Descriptors come back as the connections go: the host serves again.
    let m;
    for (;;) {
      try {
        m = await metrics(host);
        break;
      } catch {
        await sleep(100);
      }
    }
    assert.ok(m.luaflet_fd_limit_hits_total >= 1, JSON.stringify(m));
    assert.ok(m.luaflet_fd_limit_hits_total < 100, `${m.luaflet_fd_limit_hits_total} retries`);
    const c = await bystander(host.port);
    await stillAnswers(host, c, 1);
    c.ws.close(1000);
    assert.equal((await host.stop()).code, 0);
  });
});

describe('sockets that never register', () => {
  it('are closed with 1008 after --handshake-timeout, and count against --max-sessions', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--metrics', '--handshake-timeout', '1', '--max-sessions', '3'],
    });
    try {
      const idle = [new Client(host.port), new Client(host.port), new Client(host.port)];
      await Promise.all(idle.map((c) => c.opened));
      // Three open sockets fill --max-sessions 3, registered or not.
      assert.equal(await handshakeStatus(host.port), 503);
      // They answer pings, as any client library does, but never register.
      const closes = await Promise.all(idle.map((c) => c.waitClosed()));
      assert.deepEqual(
        closes.map((c) => c.code),
        [1008, 1008, 1008],
      );
      assert.equal((await metrics(host)).luaflet_register_timeouts_total, 3);
      // Their slots are free again, and a client that registers keeps its socket.
      const c = await bystander(host.port);
      await sleep(1500); // past the deadline it would have had
      await stillAnswers(host, c, 1);
      c.ws.close(1000);
    } finally {
      await host.stop();
    }
  });
});

describe('one client address', () => {
  it('cannot take every session slot: --max-sessions-per-ip counts its sockets and sessions', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--metrics', '--log-level', 'debug', '--max-sessions-per-ip', '3'],
    });
    try {
      const mine = [
        await bystander(host.port),
        await bystander(host.port),
        await bystander(host.port),
      ];
      assert.equal(await handshakeStatus(host.port), 503);
      // Another address (through a trusted proxy's header) is not held back by this one's.
      // Without --trust-proxy the header is ignored.
      assert.equal(await handshakeStatus(host.port, { 'X-Forwarded-For': '10.1.2.3' }), 503);
      // A dropped session still counts, but the address's own detached session makes room.
      const detached = (host.log.match(/session detached/g) || []).length;
      mine[0].drop();
      await host.waitCount(/session detached/, detached + 1);
      const again = await bystander(host.port);
      await host.waitLog(/too many sessions from one address/);
      await stillAnswers(host, again, 1);
      const m = await metrics(host);
      assert.ok(m.luaflet_websockets_refused_per_ip_total >= 2, JSON.stringify(m));
      for (const c of [...mine.slice(1), again]) c.ws.close(1000);
    } finally {
      await host.stop();
    }
  });

  it('is told apart behind a trusted proxy by X-Forwarded-For', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--metrics', '--max-sessions-per-ip', '1', '--trust-proxy'],
    });
    try {
      // /metrics is the operator's: a client a trusted proxy speaks for is not on this machine.
      const remote = await fetch(`${host.url}metrics`, {
        headers: { 'X-Forwarded-For': '203.0.113.7' },
      });
      assert.equal(remote.status, 404);
      assert.equal((await fetch(`${host.url}metrics`)).status, 200);
      const a = new Client(host.port, { headers: { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1' } });
      await a.register();
      assert.equal(await handshakeStatus(host.port, { 'X-Forwarded-For': '10.0.0.1' }), 503);
      assert.equal(await handshakeStatus(host.port, { 'X-Forwarded-For': '10.0.0.2' }), 101);
      a.ws.close(1000);
    } finally {
      await host.stop();
    }
  });

  it('cannot open sockets faster than --handshake-rate', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--metrics', '--handshake-rate', '1'],
    });
    try {
      // A burst of five seconds' worth passes; the rest of a quick run of 15 gets 429.
      const statuses = [];
      for (let i = 0; i < 15; i++) statuses.push(await handshakeStatus(host.port));
      assert.ok(statuses.filter((s) => s === 101).length <= 7, statuses.join(' '));
      assert.ok(statuses.includes(429), statuses.join(' '));
      assert.ok((await metrics(host)).luaflet_websockets_refused_rate_total >= 1);
    } finally {
      await host.stop();
    }
  });
});

describe('sessions that register, acknowledge and drop', () => {
  it('hold bounded memory: past --max-detached-memory the oldest end', async () => {
    const host = await startHost('tests/e2e/apps/ticker.lua', {
      args: [
        '--metrics',
        '--log-level',
        'debug',
        '--max-detached-memory',
        '2000000',
        '--max-sessions-per-ip',
        '0',
        '--handshake-rate',
        '0',
      ],
    });
    try {
      const tokens = [];
      for (let i = 0; i < 60; i++) {
        const c = new Client(host.port);
        const init = await c.register();
        c.send({ t: 'ack', seq: init.seq });
        tokens.push({ token: init.session, seq: init.seq });
        c.drop();
      }
      await host.waitCount(/session detached/, 60);
      await host.waitLog(/detached sessions hold over 2000000 bytes/);
      // Every detached page keeps ticking: give them time to pile up patches.
      await sleep(1000);
      const m = await metrics(host);
      assert.ok(m.luaflet_lua_heap_bytes < 12e6, `Lua heap ${m.luaflet_lua_heap_bytes} bytes`);
      // The first sessions are gone (a new one starts); the last one resumes.
      const first = new Client(host.port);
      const again = await first.register({ session: tokens[0].token, seq: tokens[0].seq });
      assert.equal(again.t, 'init');
      assert.notEqual(again.session, tokens[0].token);
      first.ws.close(1000);
      const last = new Client(host.port);
      const back = await last.register({ session: tokens[59].token, seq: tokens[59].seq });
      // It missed more than a detached session keeps, or not: either way it is its own.
      assert.ok(
        back.t === 'resume' || back.session === tokens[59].token,
        JSON.stringify(back).slice(0, 200),
      );
      last.ws.close(1000);
    } finally {
      await host.stop();
    }
  });
});

describe('where the host listens and upgrades', () => {
  it('binds only the address --host names, and upgrades only /ws', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', { args: ['--host', '127.0.0.1'] });
    try {
      // The listening socket's own address, as the kernel reports it: 127.0.0.1, not "any".
      const { readFileSync } = await import('node:fs');
      const hex = host.port.toString(16).toUpperCase().padStart(4, '0');
      const listening = [
        ...readFileSync('/proc/net/tcp', 'utf8').split('\n'),
        ...readFileSync('/proc/net/tcp6', 'utf8').split('\n'),
      ]
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '0A');
      assert.deepEqual(
        listening.map((f) => f[1]),
        [`0100007F:${hex}`],
      );
      assert.equal(await handshakeStatus(host.port), 101);
      const elsewhere = new Client(host.port, { path: '/not-ws' });
      await assert.rejects(elsewhere.opened, /HTTP 404/);
    } finally {
      await host.stop();
    }
  });
});
