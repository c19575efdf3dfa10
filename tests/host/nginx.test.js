// Several hosts behind a real nginx (Debian's), configured by luaflet --print-nginx-config:
// new sessions spread over the hosts by least connections, a session's token names its
// host, and a tab that lost its socket and reconnects through nginx asking for that host
// resumes there with exactly what it missed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { freePort, startHost } from '../e2e/harness.js';
import { Client, Tracker } from './ws_client.js';

const HOST_BIN = resolve('build/luaflet');
const NGINX = '/usr/sbin/nginx';
const ROUTES = ['alpha', 'beta', 'gamma'];

const ticks = (tracker) => tracker.values.map((v) => Number(v.split(' ')[1]));

// Resolves once something accepts connections on port (nginx has started).
async function listening(port, ms = 10000) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((done) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        done(true);
      });
      s.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port} after ${ms} ms`);
    await sleep(50);
  }
}

describe('hosts behind nginx', () => {
  let hosts = [];
  let nginx;
  let dir;
  let port;
  let nginxLog = '';

  before(async () => {
    hosts = await Promise.all(
      ROUTES.map((id) =>
        startHost('tests/e2e/apps/ticker.lua', {
          args: ['--route-id', id, '--trust-proxy', '--log-level', 'debug'],
        }),
      ),
    );
    port = await freePort();
    const made = spawnSync(HOST_BIN, [
      '--print-nginx-config',
      '--listen',
      `127.0.0.1:${port}`,
      ...ROUTES.map((id, i) => `${id}=127.0.0.1:${hosts[i].port}`),
    ]);
    assert.equal(made.status, 0, made.stderr.toString());
    dir = mkdtempSync(join(tmpdir(), 'luaflet-nginx-'));
    writeFileSync(join(dir, 'luaflet.conf'), made.stdout);
    // The rest of an nginx.conf, with every file nginx writes in the test's folder.
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        'daemon off;',
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        'error_log stderr warn;',
        'events { worker_connections 512; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (t) => `  ${t}_temp_path ${dir}/${t};`,
        ),
        `  include ${dir}/luaflet.conf;`,
        '}',
      ].join('\n'),
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx.stderr.on('data', (d) => (nginxLog += d));
    nginx.stdout.on('data', (d) => (nginxLog += d));
    await listening(port);
  });

  after(async () => {
    if (nginx) {
      const gone = new Promise((ok) => nginx.once('exit', ok));
      nginx.kill('SIGTERM'); // fast: a failed test may leave sockets open
      await gone;
    }
    await Promise.all(hosts.map((h) => h.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints a configuration nginx accepts', () => {
    const r = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')]);
    assert.equal(r.status, 0, r.stderr.toString());
  });

  it('spreads new sessions, and resumes a dropped one on the host that holds it', async () => {
    // Three tabs at once: each host has the fewest connections in turn.
    const tabs = ROUTES.map(() => new Client(port));
    const inits = await Promise.all(tabs.map((c) => c.register()));
    const owners = inits.map((m) => m.session.split('.')[0]);
    assert.deepEqual(
      [...owners].sort(),
      [...ROUTES].sort(),
      `tokens: ${inits.map((m) => m.session)}`,
    );
    for (const m of inits) assert.match(m.session, /^[a-z]+\.[0-9a-f]{32}$/);

    // One tab loses its socket; the ticks go on while it is away.
    const tracker = new Tracker();
    const c1 = tabs[0];
    tracker.receive(inits[0]);
    await c1.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 4);
    for (const m of c1.messages.slice(1)) tracker.receive(m);
    const owner = hosts[ROUTES.indexOf(owners[0])];
    c1.drop();
    await owner.waitLog(/app: disconnected/);

    // Asking nginx for another host is asking a host that never saw the token: a new page.
    const other = ROUTES.find((id) => id !== owners[0]);
    const lost = new Client(port, { path: `/ws?route=${other}` });
    const fresh = await lost.register({ session: tracker.token, seq: tracker.seq });
    assert.equal(fresh.t, 'init');
    assert.ok(fresh.session.startsWith(`${other}.`));

    // The tab asks for the host its token names, as the browser's client does: it resumes.
    const c2 = new Client(port, { path: `/ws?route=${owners[0]}` });
    const first = await c2.register({ session: tracker.token, seq: tracker.seq });
    assert.equal(first.t, 'resume', JSON.stringify(first).slice(0, 200));
    tracker.receive(first);
    await c2.next((m) => m.t === 'patch' && m.seq >= tracker.seq + 2, { from: 1 });
    for (const m of c2.messages.slice(1)) tracker.receive(m);
    const got = ticks(tracker);
    for (let i = 1; i < got.length; i++) assert.equal(got[i], got[i - 1] + 1, `ticks ${got}`);
    await owner.waitLog(/session resumed/);

    for (const c of [...tabs.slice(1), lost, c2]) c.ws.close(1001);
    await Promise.all([...tabs.slice(1), lost, c2].map((c) => c.waitClosed()));
    assert.doesNotMatch(nginxLog, /\[(emerg|alert|crit)\]/);
  });

  it('gives the tabs of a host that is gone a new session from another', async () => {
    const gone = ROUTES.indexOf('gamma');
    const tab = new Client(port, { path: '/ws?route=gamma' });
    const first = await tab.register();
    assert.ok(first.session.startsWith('gamma.'), first.session);
    await hosts[gone].stop('SIGKILL');
    await tab.waitClosed();
    // The tab comes back asking for its host: nginx tries it, then one of the others, which
    // has never seen the token.
    const back = new Client(port, { path: '/ws?route=gamma' });
    const again = await back.register({ session: first.session, seq: first.seq });
    assert.equal(again.t, 'init');
    assert.match(again.session, /^(alpha|beta)\./);
    back.ws.close(1001);
    await back.waitClosed();
  });
});
