// Debian's redis-server for the tests of several hosts sharing one Redis: on a free loopback
// port, keeping nothing on disk, its files in a folder of its own. stop() kills it at once
// (as a crash would), start() starts it again on the same port, pause() stops it answering.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness.js';

export const REDIS = '/usr/bin/redis-server';

// Every redis-server started here, killed if the test process exits with one still running.
const running = new Set();
process.on('exit', () => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

// With { start: false }, the port is chosen but nothing listens on it until start().
export async function startRedis({ start = true } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'luaflet-redis-'));
  let proc = null;
  const r = {
    port,
    url: `redis://127.0.0.1:${port}`,
    log: '',
    // Resolves once redis-server says it accepts connections; rejects if it exits first.
    async start() {
      proc = spawn(
        REDIS,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const me = proc;
      running.add(me);
      me.once('exit', () => running.delete(me));
      let out = '';
      await new Promise((ok, fail) => {
        const check = (d) => {
          out += d;
          r.log += d;
          if (/Ready to accept connections/.test(out)) ok();
        };
        proc.stdout.on('data', check);
        proc.stderr.on('data', check);
        proc.once('exit', (code) => fail(new Error(`redis-server exited (${code}):\n${out}`)));
      });
    },
    // SIGKILL: Redis goes away with its sockets, as when it crashes.
    async stop() {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((ok) => proc.once('exit', ok));
      proc.kill('SIGKILL');
      await gone;
    },
    // SIGSTOP and SIGCONT: Redis stalls with its sockets open, as when its machine is gone
    // without a word, then carries on.
    pause() {
      proc.kill('SIGSTOP');
    },
    resume() {
      proc.kill('SIGCONT');
    },
    async remove() {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (start) await r.start();
  return r;
}
