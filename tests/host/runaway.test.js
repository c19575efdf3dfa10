// App mistakes that used to take the whole host down: a handler that never awaits (plain,
// inside pcall, inside a coroutine) is interrupted by the watchdog and every other session
// goes on; --debug names a slow task and says where it is while it still runs; a stuck host
// still stops on a second SIGTERM or SIGINT, and SIGHUP stops it as SIGINT does; an error repeated
// every millisecond is logged once and then counted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';

const APP = 'tests/e2e/apps/runaway.lua';

async function registered(port) {
  const c = new Client(port);
  await c.register();
  await c.next((m) => m.t === 'patch');
  return c;
}

// Resolves with how the host exited, without sending it anything.
const exit = (host) =>
  new Promise((ok) => {
    const { proc } = host;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      ok({ code: proc.exitCode, signal: proc.signalCode });
    } else {
      proc.once('exit', (code, signal) => ok({ code, signal }));
    }
  });

const click = (c, label) => c.send({ t: 'event', id: c.buttonId(label), name: 'click', data: '' });
const sees = (c, text, ms = 15000) =>
  c.next((m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === text), { ms });

// Runs fn with a host, and makes sure the host is gone afterwards whatever happened (a test
// that times out has its host killed by the harness).
async function withHost(app, opts, fn) {
  const host = await startHost(app, opts);
  try {
    await fn(host);
  } finally {
    host.proc.kill('SIGKILL');
  }
}

describe('the task watchdog', () => {
  it(
    'interrupts a handler that never awaits, and every other session goes on',
    { timeout: 60000 },
    () =>
      withHost(APP, { args: ['--task-time-limit', '1'] }, async (host) => {
        const a = await registered(host.port);
        const b = await registered(host.port);
        click(a, 'spin');
        await host.waitLog(/app: spinning/);
        // Another session's click is answered once the runaway is interrupted.
        click(b, '+');
        await sees(b, 'clicks 1');
        await host.waitLog(
          /app: on_error: .*task ran over 1 s without awaiting \(--task-time-limit\)/,
        );
        // Raised at the line that loops, logged with its traceback as any app error.
        assert.match(
          host.log,
          /app error: \S*runaway\.lua:16: task ran over 1 s without awaiting[^\n]*\nstack traceback:\n[^\n]*runaway\.lua:16: in/,
        );
        // The runaway's own session goes on too.
        click(a, '+');
        await sees(a, 'clicks 1');

        // An interrupt that the app catches comes back at once: pcall cannot keep the task
        // alive, whether it catches the interrupt or errors of its own.
        let errors = 1;
        for (const label of ['spin in pcall', 'fail in pcall', 'spin in coroutine']) {
          click(a, label);
          errors += 1;
          await host.waitCount(
            /app: on_error: [^\n]*task ran over 1 s without awaiting/,
            errors,
            15000,
          );
          click(b, '+');
          await sees(b, `clicks ${errors}`);
        }
        assert.equal((host.log.match(/app: spinning/g) || []).length, 4);
        const { code } = await host.stop('SIGINT');
        assert.equal(code, 0, host.log.slice(-2000));
      }),
  );

  it(
    'leaves nothing behind under valgrind, from interrupts in pcall and in a coroutine',
    {
      timeout: 120000,
      skip: process.env.SANITIZE === '1' && 'valgrind cannot run a host built with ASan',
    },
    () =>
      withHost(APP, { valgrind: true, args: ['--task-time-limit', '1'] }, async (host) => {
        const a = await registered(host.port);
        click(a, 'spin in pcall');
        await host.waitLog(/app: on_error: [^\n]*task ran over 1 s/, 60000);
        click(a, 'spin in coroutine');
        await host.waitCount(/app: on_error: [^\n]*task ran over 1 s/, 2, 60000);
        click(a, '+');
        await sees(a, 'clicks 1', 30000);
        const { code } = await host.stop('SIGINT');
        assert.equal(code, 0, host.log.slice(-3000));
      }),
  );

  it(
    '--debug names a slow task and shows where it is while it still runs',
    { timeout: 60000 },
    () =>
      withHost(APP, { args: ['--debug', '--task-time-limit', '2', 'slow-main'] }, async (host) => {
        const a = await registered(host.port);
        await host.waitLog(/task main has run \d+ ms without awaiting/);
        click(a, 'spin');
        await host.waitLog(/task on_click of ElevatedButton \d+ has run \d+ ms without awaiting/);
        // The warning came while the handler still ran: it has not been interrupted yet, and
        // the traceback shows the line it loops on.
        const warned = host.log.slice(host.log.search(/task on_click of ElevatedButton/));
        assert.doesNotMatch(warned, /task ran over/);
        assert.match(warned, /^[^\n]*\nstack traceback:\n[^\n]*runaway\.lua:16: in /);
        await host.waitLog(/app: on_error: [^\n]*task ran over 2 s/);

        a.send({ t: 'event', id: 0, name: 'resize', data: '900,700' });
        await host.waitLog(/task on_resize of page has run \d+ ms without awaiting/);
        click(a, 'mount');
        await host.waitLog(/task did_mount_async of Slow \d+ has run \d+ ms without awaiting/);
        assert.doesNotMatch(host.log, /task \(unnamed\)|task Task-/);
      }),
  );
});

describe('stopping a stuck host', () => {
  it('a second SIGTERM ends it at once, with a clear line and status 143', { timeout: 30000 }, () =>
    withHost(APP, { args: ['--task-time-limit', '0'] }, async (host) => {
      const a = await registered(host.port);
      click(a, 'spin');
      await host.waitLog(/app: spinning/);
      host.proc.kill('SIGTERM');
      // Said at once, though the loop is stuck and cannot stop gracefully.
      await host.waitLog(/received SIGTERM: stopping/);
      host.proc.kill('SIGTERM');
      const { code } = await exit(host);
      assert.equal(code, 143, host.log.slice(-2000));
      assert.match(host.log, /received SIGTERM while stopping: exiting at once/);
    }),
  );

  it('so does a second SIGINT, with status 130', { timeout: 30000 }, () =>
    withHost(APP, { args: ['--task-time-limit', '0'] }, async (host) => {
      const a = await registered(host.port);
      click(a, 'spin');
      await host.waitLog(/app: spinning/);
      host.proc.kill('SIGINT');
      await host.waitLog(/received SIGINT: stopping/);
      host.proc.kill('SIGINT');
      const { code } = await exit(host);
      assert.equal(code, 130, host.log.slice(-2000));
      assert.match(host.log, /received SIGINT while stopping: exiting at once/);
    }),
  );

  it(
    'one SIGINT stops it cleanly once the watchdog has interrupted the task',
    { timeout: 30000 },
    () =>
      withHost(APP, { args: ['--task-time-limit', '1'] }, async (host) => {
        const a = await registered(host.port);
        click(a, 'spin');
        await host.waitLog(/app: spinning/);
        host.proc.kill('SIGINT');
        const { code } = await exit(host);
        assert.equal(code, 0, host.log.slice(-2000));
        assert.equal((await a.waitClosed()).code, 1001);
        // The graceful path ran, and the interrupt was reported (by a task of its own,
        // which the stop does not cancel) before the host stopped serving.
        assert.match(host.log, /closing 1 connections[\s\S]*stopped serving/);
        assert.match(host.log, /task ran over 1 s without awaiting[\s\S]*stopped serving/);
        // The session's end, queued as its socket closed, ran too.
        assert.doesNotMatch(host.log, /still running at exit/);
      }),
  );

  it('SIGHUP stops it gracefully, as SIGINT does', { timeout: 30000 }, () =>
    withHost(APP, {}, async (host) => {
      const a = await registered(host.port);
      host.proc.kill('SIGHUP');
      const { code, signal } = await exit(host);
      assert.equal(signal, null);
      assert.equal(code, 0, host.log.slice(-2000));
      assert.equal((await a.waitClosed()).code, 1001);
      assert.match(host.log, /received SIGHUP: stopping/);
    }),
  );
});

describe('repeated errors', () => {
  it('are logged once with their traceback, then counted once a second', { timeout: 30000 }, () =>
    withHost('tests/e2e/apps/failing_often.lua', {}, async (host) => {
      await registered(host.port);
      await host.waitCount(/the same error \d+ times in the last second/, 2);
      const counts = [
        ...host.log.matchAll(/the same error (\d+) times in the last second: ([^\n]*)/g),
      ];
      // The summary names the error; it failed hundreds of times a second, at least tens
      // even on a busy machine.
      assert.match(counts[0][2], /app error: [^\n]*this fails every millisecond/);
      assert.ok(
        counts.every((m) => Number(m[1]) >= 20),
        counts.map((m) => m[1]).join(' '),
      );
      // Two seconds of it: one traceback, not a thousand.
      assert.equal((host.log.match(/stack traceback/g) || []).length, 1, host.log.slice(0, 3000));
      assert.equal((host.log.match(/app error: /g) || []).length, 1 + counts.length);
    }),
  );
});
