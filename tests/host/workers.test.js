// `luaflet app.lua --workers 2`: one port served by two worker processes behind the host's
// own front. New sessions go to each worker in turn; a tab that reconnects asking for its
// session's route id always reaches the worker that holds it; a worker that dies is started
// again and its tabs get new sessions; SIGTERM drains.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHost, startWorkers, workerPid } from '../e2e/harness.js';
import { startNginx } from '../e2e/nginx.js';
import { startRedis } from '../e2e/redis.js';
import { Client, refused, Tracker, within } from './ws_client.js';

const ticks = (tracker) => tracker.values.map((v) => Number(v.split(' ')[1]));

describe('--workers 2', () => {
  let host;

  before(async () => {
    host = await startWorkers('tests/e2e/apps/ticker.lua', { args: ['--log-level', 'debug'] });
  });

  after(async () => {
    await host?.stop();
  });

  it('gives new sessions to each worker in turn, each token naming its worker', async () => {
    const tabs = [new Client(host.port), new Client(host.port)];
    const inits = await Promise.all(tabs.map((c) => c.register()));
    const owners = inits.map((m) => m.session.split('.')[0]).sort();
    assert.deepEqual(owners, ['w1', 'w2'], `tokens: ${inits.map((m) => m.session)}`);
    for (const c of tabs) c.ws.close(1001);
    await Promise.all(tabs.map((c) => c.waitClosed()));
  });

  it('resumes every dropped socket on the worker that holds its session', async () => {
    const tab = new Client(host.port);
    const tracker = new Tracker();
    let first = await tab.register();
    const owner = first.session.split('.')[0];
    tracker.receive(first);
    let c = tab;
    // Four cuts: a front that picked workers in turn would send half of them astray.
    for (let round = 0; round < 4; round++) {
      await c.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 2, { from: 1 });
      for (const m of c.messages.slice(1)) tracker.receive(m);
      const disconnects = (host.log.match(/app: disconnected/g) || []).length;
      c.drop();
      await host.waitCount(/app: disconnected/, disconnects + 1);
      c = new Client(host.port, { path: `/ws?route=${owner}` });
      first = await c.register({ session: tracker.token, seq: tracker.seq });
      assert.equal(first.t, 'resume', `round ${round}: ${JSON.stringify(first).slice(0, 200)}`);
      tracker.receive(first);
    }
    await c.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 2, { from: 1 });
    for (const m of c.messages.slice(1)) tracker.receive(m);
    const got = ticks(tracker);
    for (let i = 1; i < got.length; i++) assert.equal(got[i], got[i - 1] + 1, `ticks ${got}`);
    // The other worker has never seen the token: asking it gives a new page.
    const other = owner === 'w1' ? 'w2' : 'w1';
    const stray = new Client(host.port, { path: `/ws?route=${other}` });
    const fresh = await stray.register({ session: tracker.token, seq: tracker.seq });
    assert.equal(fresh.t, 'init');
    assert.ok(fresh.session.startsWith(`${other}.`), fresh.session);
    for (const x of [c, stray]) x.ws.close(1001);
    await Promise.all([c, stray].map((x) => x.waitClosed()));
  });

  it('answers 421 to a request for another worker on a kept connection, and closes it', async () => {
    // One kept-alive connection: the front hands it to w1 with its first request; the second
    // names w2, as an upload URL of w2's would.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path) =>
      new Promise((ok, fail) => {
        const req = request({ port: host.port, host: '127.0.0.1', path, agent }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () =>
            ok({ status: res.statusCode, headers: res.headers, body, socket: req.socket }),
          );
        });
        req.on('error', fail);
        req.end();
      });
    const first = await get('/?route=w1');
    assert.equal(first.status, 200);
    const second = await get('/upload?route=w2&x=1');
    assert.equal(second.socket, first.socket, 'the connection was kept');
    assert.equal(second.status, 421, second.body);
    assert.equal(second.headers.connection, 'close');
    // Asked again on a new connection, the front sends it to w2: not 421 any more.
    const third = await get('/upload?route=w2&x=1');
    assert.notEqual(third.socket, first.socket);
    assert.notEqual(third.status, 421, third.body);
    agent.destroy();
  });

  it('starts a worker killed with SIGKILL again; its tabs get a new session', async () => {
    const tab = new Client(host.port, { path: '/ws?route=w2' });
    const first = await tab.register();
    assert.ok(first.session.startsWith('w2.'), first.session);
    const starts = (host.log.match(/worker w2 ready/g) || []).length;
    process.kill(workerPid(host.log, 'w2'), 'SIGKILL');
    await tab.waitClosed();
    const restart = /worker w2 was killed by signal 9: starting it again in (\d+) ms/g;
    await host.waitCount(new RegExp(restart.source), 1);
    await host.waitCount(/worker w2 ready/, starts + 1);
    // Killed again at once, young: it waits twice as long before its next start.
    process.kill(workerPid(host.log, 'w2'), 'SIGKILL');
    await host.waitCount(new RegExp(restart.source), 2);
    const [once, twice] = [...host.log.matchAll(restart)].map((m) => Number(m[1]));
    assert.equal(twice, Math.min(2 * once, 5000), `delays ${once} then ${twice} ms`);
    await host.waitCount(/worker w2 ready/, starts + 2);
    // The tab comes back to its worker, which no longer has the session: a new page, no hang.
    const back = new Client(host.port, { path: '/ws?route=w2' });
    const again = await back.register({ session: first.session, seq: first.seq });
    assert.equal(again.t, 'init');
    assert.ok(again.session.startsWith('w2.'), again.session);
    assert.notEqual(again.session, first.session);
    // And the other worker went on as if nothing happened.
    const w1 = new Client(host.port, { path: '/ws?route=w1' });
    assert.ok((await w1.register()).session.startsWith('w1.'));
    for (const x of [back, w1]) x.ws.close(1001);
    await Promise.all([back, w1].map((x) => x.waitClosed()));
  });
});

describe('--workers with --redis', () => {
  it('joins the workers: pubsub reaches the sessions of both, ft.kv is one store', async () => {
    const redis = await startRedis();
    const host = await startWorkers('tests/e2e/apps/redis_pubsub.lua', {
      args: ['--redis', redis.url],
    });
    try {
      await host.waitCount(/\]: info: redis: subscribed to redis_pubsub:\* at/, 2);
      const tabs = [
        new Client(host.port, { path: '/ws?route=w1' }),
        new Client(host.port, { path: '/ws?route=w2' }),
      ];
      const inits = await Promise.all(tabs.map((c) => c.register()));
      assert.deepEqual(
        inits.map((m) => m.session.split('.')[0]),
        ['w1', 'w2'],
      );
      // Each worker numbers its own sessions: s1 on both.
      await host.waitCount(/session s1 ready/, 2);
      const click = (c, label) =>
        c.send({ t: 'event', id: c.buttonId(label), name: 'click', data: '' });
      click(tabs[0], 'all');
      await host.waitCount(/got s1 hello-all from s1/, 2);
      click(tabs[0], 'incr');
      await host.waitLog(/incr s1 1 nil/);
      click(tabs[1], 'incr');
      await host.waitLog(/incr s1 2 nil/);
      for (const c of tabs) c.ws.close(1001);
      await Promise.all(tabs.map((c) => c.waitClosed()));
    } finally {
      await host.stop();
      await redis.remove();
    }
  });
});

describe('uploads to a host of workers', () => {
  it('takes each file at the worker that made its URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-up-'));
    const host = await startWorkers('tests/e2e/apps/upload_url.lua', {
      args: ['--upload-dir', dir],
    });
    try {
      for (const route of ['w1', 'w2', 'w1', 'w2']) {
        const tab = new Client(host.port, { path: `/ws?route=${route}` });
        await tab.register();
        const add = await tab.next((m) => (m.ops ?? []).some((op) => op.op === 'add'));
        const url = add.ops.find((op) => op.op === 'add').node.props.value;
        assert.match(url, new RegExp(`&route=${route}$`));
        // Each on a new connection, as the front sees it: to the worker the URL names, which
        // alone can check its signature (each worker has a key of its own).
        const status = await new Promise((ok, fail) => {
          const req = request(
            { host: '127.0.0.1', port: host.port, method: 'PUT', path: url, agent: false },
            (res) => {
              res.resume();
              res.on('end', () => ok(res.statusCode));
            },
          );
          req.on('error', fail);
          req.end(`from ${route}`);
        });
        assert.equal(status, 200);
        assert.equal(readFileSync(join(dir, 'note.txt'), 'utf8'), `from ${route}`);
        tab.ws.close(1001);
        await tab.waitClosed();
      }
    } finally {
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a worker draining on its own', () => {
  it('gets no new connections once it closed its pipe; the others take them', async () => {
    const host = await startWorkers('tests/e2e/apps/ticker.lua', {
      args: ['--drain-timeout', '3600'],
    });
    try {
      const held = new Client(host.port, { path: '/ws?route=w1' });
      assert.ok((await held.register()).session.startsWith('w1.'));
      // w1 alone is told to stop (as an operator might): it drains, its tab still open.
      process.kill(workerPid(host.log, 'w1'), 'SIGTERM');
      await host.waitLog(/\[w1\]: info: draining/);
      const tabs = Array.from({ length: 4 }, () => new Client(host.port));
      const inits = await Promise.all(tabs.map((c) => c.register()));
      assert.deepEqual(
        inits.map((m) => m.session.split('.')[0]),
        ['w2', 'w2', 'w2', 'w2'],
      );
      // Even a tab that asks for w1 is given to w2, as a new session.
      const astray = new Client(host.port, { path: '/ws?route=w1' });
      assert.ok((await astray.register()).session.startsWith('w2.'));
      for (const c of [...tabs, astray, held]) c.ws.close(1001);
      // With its last tab gone, w1 ends; the front starts it again.
      await host.waitLog(/worker w1 exited with status 0: starting it again/);
    } finally {
      await host.stop();
    }
  });
});

describe('a front that is killed', () => {
  it('takes its workers with it: each sees its pipe end and stops', async () => {
    const host = await startWorkers('tests/e2e/apps/ticker.lua');
    const tab = new Client(host.port);
    await tab.register();
    // The workers write to the same stderr as the front: it ends once they have all exited.
    const stderrClosed = new Promise((ok) => host.proc.stderr.once('close', ok));
    host.proc.kill('SIGKILL');
    await within(stderrClosed, 20000, () => `workers outlived their front:\n${host.log}`);
    assert.equal(host.log.match(/the front process has gone: stopping/g)?.length, 2, host.log);
    assert.equal((await tab.waitClosed()).code, 1001);
  });
});

describe('--workers and slow clients', () => {
  it('closes a connection that sends no request line in time, and serves others meanwhile', async () => {
    const host = await startWorkers('tests/e2e/apps/ticker.lua', {
      args: ['--handshake-timeout', '1'],
    });
    try {
      // One says nothing, one stops in the middle of its request line.
      const silent = connect(host.port, '127.0.0.1');
      const partial = connect(host.port, '127.0.0.1', () => partial.write('GET /ws?rou'));
      // Closed with bytes unread, the partial one may see a reset: either is an end.
      const ended = (s) => new Promise((ok) => s.on('error', () => {}).once('close', ok));
      const gone = Promise.all([ended(silent), ended(partial)]);
      // Meanwhile a tab gets its session.
      const tab = new Client(host.port);
      assert.equal((await tab.register()).t, 'init');
      await within(gone, 10000, () => 'the front kept a silent connection past the timeout');
      // A request line in two pieces is handed on whole once its end has come.
      const answer = await new Promise((ok, fail) => {
        let got = '';
        const s = connect(host.port, '127.0.0.1', () => {
          s.write('GET /?route=w2 HT');
          setImmediate(() => s.write('TP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
        });
        s.on('data', (d) => (got += d));
        s.on('end', () => ok(got));
        s.on('error', fail);
      });
      assert.match(answer, /^HTTP\/1\.1 200/);
      tab.ws.close(1001);
      await tab.waitClosed();
    } finally {
      await host.stop();
    }
  });
});

describe('--workers and SIGTERM', () => {
  it('drains: no new connections, the open session goes on until its tab leaves', async () => {
    const host = await startWorkers('tests/e2e/apps/ticker.lua', {
      args: ['--log-level', 'debug', '--drain-timeout', '3600'],
    });
    const tab = new Client(host.port);
    const first = await tab.register();
    const owner = first.session.split('.')[0];
    host.proc.kill('SIGTERM');
    await host.waitLog(new RegExp(`${owner}\\]: info: draining`));
    assert.ok(await refused(host.port), 'a new connection was accepted while draining');
    // The session still ticks, and its tab may still act.
    const seen = tab.messages.length;
    await tab.next((m) => m.t === 'patch', { from: seen });
    await tab.next((m) => m.t === 'patch', { from: seen + 1 });
    assert.equal(host.proc.exitCode, null);
    // Its tab leaves: the worker has nothing left, and all exit.
    tab.ws.close(1001);
    // Long before the drain's hour is up.
    const { code } = await within(
      host.exited,
      20000,
      () => 'the host did not exit once its tab left',
    );
    assert.equal(code, 0, host.log.slice(-2000));
    assert.match(host.log, /worker w1 exited with status 0/);
    assert.match(host.log, /worker w2 exited with status 0/);
  });

  it('a front told to stop while its workers load exits, binding nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-gate-'));
    const gate = join(dir, 'open');
    process.env.LUAFLET_TEST_GATE = gate;
    try {
      const host = await startHost('tests/host/fixtures/gated_start.lua', {
        args: ['--workers', '2'],
        ready: /worker w2 started/,
      });
      // Both workers run the script (their signal handlers are in place): stop the front.
      await host.waitCount(/app: waiting at the gate/, 2);
      host.proc.kill('SIGINT');
      await host.waitLog(/received SIGINT: stopping/);
      // The workers were told while loading: they finish loading, say they are ready, stop.
      writeFileSync(gate, '');
      const { code } = await within(
        host.exited,
        20000,
        () => `the front did not exit:\n${host.log}`,
      );
      assert.equal(code, 0, host.log);
      assert.doesNotMatch(host.log, /serving http/);
      assert.ok(await refused(host.port), 'the port is still open');
    } finally {
      delete process.env.LUAFLET_TEST_GATE;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a script that fails stops the front, with the error and status of the script', async () => {
    const host = await startHost('tests/host/fixtures/fails_at_start.lua', {
      args: ['--workers', '2'],
      ready: /before it served: stopping/,
    });
    const { code } = await host.stop();
    assert.equal(code, 1, host.log);
    assert.match(host.log, /fails_at_start\.lua:3: this app cannot start/);
  });
});

describe('a host of workers behind nginx', () => {
  let hosts = [];
  let nginx;

  before(async () => {
    hosts = await Promise.all([
      startWorkers('tests/e2e/apps/ticker.lua', {
        args: ['--route-id', 'alpha', '--trust-proxy', '--log-level', 'debug'],
      }),
      startHost('tests/e2e/apps/ticker.lua', {
        args: ['--route-id', 'beta', '--trust-proxy', '--log-level', 'debug'],
      }),
    ]);
    nginx = await startNginx({ alpha: hosts[0], beta: hosts[1] });
  });

  after(async () => {
    await nginx?.remove();
    await Promise.all(hosts.map((h) => h.stop()));
  });

  it('routes a resume through nginx to the host, and through its front to the worker', async () => {
    for (const route of ['alpha-w1', 'alpha-w2']) {
      const tab = new Client(nginx.port, { path: `/ws?route=${route}` });
      const tracker = new Tracker();
      const first = await tab.register();
      assert.ok(first.session.startsWith(`${route}.`), first.session);
      tracker.receive(first);
      await tab.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 2, { from: 1 });
      for (const m of tab.messages.slice(1)) tracker.receive(m);
      const disconnects = (hosts[0].log.match(/app: disconnected/g) || []).length;
      tab.drop();
      await hosts[0].waitCount(/app: disconnected/, disconnects + 1);
      const back = new Client(nginx.port, { path: `/ws?route=${route}` });
      const again = await back.register({ session: tracker.token, seq: tracker.seq });
      assert.equal(again.t, 'resume', `${route}: ${JSON.stringify(again).slice(0, 200)}`);
      back.ws.close(1001);
      await back.waitClosed();
    }
  });
});
