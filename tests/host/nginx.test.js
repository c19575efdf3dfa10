// Several hosts behind a real nginx (Debian's), configured by luaflet --print-nginx-config:
// new sessions spread over the hosts by least connections, a session's token names its
// host, and a tab that lost its socket and reconnects through nginx asking for that host
// resumes there with exactly what it missed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { NGINX, startNginx } from '../e2e/nginx.js';
import { Client, Tracker } from './ws_client.js';

const ROUTES = ['alpha', 'beta', 'gamma'];

const ticks = (tracker) => tracker.values.map((v) => Number(v.split(' ')[1]));

describe('hosts behind nginx', () => {
  let hosts = [];
  let nginx;
  let port;

  before(async () => {
    hosts = await Promise.all(
      ROUTES.map((id) =>
        startHost('tests/e2e/apps/ticker.lua', {
          args: ['--route-id', id, '--trust-proxy', '--log-level', 'debug'],
        }),
      ),
    );
    nginx = await startNginx(Object.fromEntries(ROUTES.map((id, i) => [id, hosts[i]])));
    port = nginx.port;
  });

  after(async () => {
    await nginx?.remove();
    await Promise.all(hosts.map((h) => h.stop()));
  });

  it('prints a configuration nginx accepts', () => {
    const r = spawnSync(NGINX, ['-t', '-p', nginx.dir, '-c', nginx.conf]);
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
    assert.doesNotMatch(nginx.log, /\[(emerg|alert|crit)\]/);
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

describe('uploads behind nginx', () => {
  let hosts = [];
  let nginx;
  let dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'luaflet-up-'));
    hosts = await Promise.all(
      ['one', 'two'].map((id) =>
        startHost('tests/e2e/apps/upload_url.lua', {
          args: ['--route-id', id, '--trust-proxy', '--upload-dir', join(dir, id)],
        }),
      ),
    );
    nginx = await startNginx({ one: hosts[0], two: hosts[1] });
  });

  after(async () => {
    await nginx?.remove();
    await Promise.all(hosts.map((h) => h.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes a file at the host that made its URL, whichever host has fewer connections', async () => {
    // Two tabs: one session on each host. Each uploads through nginx while two more sockets
    // are open to its own host, so that least connections alone would send the file to the
    // other one, which could not check the URL.
    const tabs = [new Client(nginx.port), new Client(nginx.port)];
    const inits = await Promise.all(tabs.map((c) => c.register()));
    for (const [i, c] of tabs.entries()) {
      const owner = inits[i].session.split('.')[0];
      const add = await c.next((m) => (m.ops ?? []).some((op) => op.op === 'add'));
      const url = add.ops.find((op) => op.op === 'add').node.props.value;
      assert.match(url, new RegExp(`^/upload\\?f=note\\.txt&.*&route=${owner}$`));
      const busy = [1, 2].map(() => new Client(nginx.port, { path: `/ws?route=${owner}` }));
      await Promise.all(busy.map((b) => b.opened));
      const status = await new Promise((ok, fail) => {
        const req = request(
          { host: '127.0.0.1', port: nginx.port, method: 'PUT', path: url },
          (res) => {
            res.resume();
            res.on('end', () => ok(res.statusCode));
          },
        );
        req.on('error', fail);
        req.end(`from ${owner}`);
      });
      for (const b of busy) b.ws.close(1001);
      await Promise.all(busy.map((b) => b.waitClosed()));
      assert.equal(status, 200);
      assert.equal(readFileSync(join(dir, owner, 'note.txt'), 'utf8'), `from ${owner}`);
    }
    assert.ok(existsSync(join(dir, 'one', 'note.txt')) && existsSync(join(dir, 'two', 'note.txt')));
    for (const c of tabs) c.ws.close(1001);
    await Promise.all(tabs.map((c) => c.waitClosed()));
  });
});
