// SIGINT with a thousand sessions open: every client is told the host is going away (1001),
// every session's controls unmount and its tasks are cancelled, and the host exits 0 soon.
// SIGTERM drains first: no new connections, and the open sessions go on until they end or
// the drain's time is up.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client, refused, within } from './ws_client.js';

const SESSIONS = 1000;

describe('shutdown', () => {
  it(`tells ${SESSIONS} clients, unmounts and cancels everything, and exits 0`, async () => {
    // A thousand sessions from one address: the per-address caps are lifted.
    const host = await startHost('tests/e2e/apps/unmount.lua', {
      args: ['--max-sessions-per-ip', '0', '--handshake-rate', '0'],
    });
    const clients = [];
    for (let i = 0; i < SESSIONS; i += 100) {
      const batch = Array.from({ length: 100 }, () => new Client(host.port));
      await Promise.all(batch.map((c) => c.register().then(() => c.next((m) => m.t === 'patch'))));
      clients.push(...batch);
    }
    const started = Date.now();
    const { code } = await host.stop('SIGINT');
    const took = Date.now() - started;
    assert.equal(code, 0, host.log.slice(-2000));
    assert.ok(took < 5000, `took ${took} ms`);
    const closes = await Promise.all(clients.map((c) => c.waitClosed()));
    assert.deepEqual([...new Set(closes.map((c) => c.code))], [1001]);
    assert.equal(host.log.match(/app: unmounted/g)?.length, SESSIONS);
    assert.equal(host.log.match(/app: task cancelled/g)?.length, SESSIONS);
    assert.match(host.log, /loop closed cleanly|stopped serving/);
    // The graceful path ran: the server waited on its sockets rather than dropping them.
    assert.match(host.log, new RegExp(`closing ${SESSIONS} connections`));
    assert.doesNotMatch(host.log, /did not close in time/);
  });

  it('drains on SIGTERM: no one new, sessions live on until they end or time is up', async () => {
    const host = await startHost('tests/e2e/apps/unmount.lua', {
      args: ['--max-sessions-per-ip', '0', '--handshake-rate', '0', '--drain-timeout', '3'],
    });
    const clients = Array.from({ length: 20 }, () => new Client(host.port));
    await Promise.all(clients.map((c) => c.register().then(() => c.next((m) => m.t === 'patch'))));
    host.proc.kill('SIGTERM');
    await host.waitLog(/draining: no new connections; waiting up to 3 s for 20 open ones to end/);
    assert.ok(await refused(host.port), 'a connection was taken while draining');
    // One tab leaves: its session ends as any would; the others are still open.
    clients[0].ws.close(1001);
    await host.waitLog(/app: unmounted/);
    assert.equal(host.log.match(/app: unmounted/g).length, 1);
    // The time is up: the rest are told the host is going away.
    const closes = await Promise.all(clients.slice(1).map((c) => c.waitClosed(15000)));
    assert.deepEqual([...new Set(closes.map((c) => c.code))], [1001]);
    const { code } = await host.exited;
    assert.equal(code, 0, host.log.slice(-2000));
    assert.match(host.log, /drain time is up with 19 connections open/);
    assert.equal(host.log.match(/app: unmounted/g)?.length, 20);
  });

  it('answers /healthz 503 while it drains, on a connection kept from before', async () => {
    const host = await startHost('tests/e2e/apps/unmount.lua', {
      args: ['--drain-timeout', '3600'],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const health = () =>
      new Promise((ok, fail) => {
        const req = request(
          { port: host.port, host: '127.0.0.1', path: '/healthz', agent },
          (res) => {
            res.resume();
            res.on('end', () => ok(res.statusCode));
          },
        );
        req.on('error', fail);
        req.end();
      });
    const tab = new Client(host.port);
    await tab.register();
    assert.equal(await health(), 200);
    host.proc.kill('SIGTERM');
    await host.waitLog(/draining: no new connections/);
    assert.equal(await health(), 503);
    agent.destroy();
    tab.ws.close(1001);
    const { code } = await within(
      host.exited,
      20000,
      () => `no exit once all had left:\n${host.log}`,
    );
    assert.equal(code, 0, host.log.slice(-2000));
  });
});
