// Debian's nginx in front of hosts, configured by luaflet --print-nginx-config, for the tests
// of several hosts behind a proxy. Every file nginx writes goes to a folder of its own.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST_BIN, freePort } from './harness.js';

export const NGINX = '/usr/sbin/nginx';

// Resolves once something accepts connections on port.
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

// Writes the configuration for backends ({id: host}) and starts nginx on a free port.
// Returns {port, url, dir, conf, log, start(), stop()}: stop() ends nginx at once (open
// sockets and all), start() starts it again on the same port.
export async function startNginx(backends) {
  const port = await freePort();
  const made = spawnSync(HOST_BIN, [
    '--print-nginx-config',
    '--listen',
    `127.0.0.1:${port}`,
    ...Object.entries(backends).map(([id, h]) => `${id}=127.0.0.1:${h.port}`),
  ]);
  if (made.status !== 0) throw new Error(`--print-nginx-config: ${made.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'luaflet-nginx-'));
  writeFileSync(join(dir, 'luaflet.conf'), made.stdout);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
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
  let proc = null;
  const n = {
    port,
    url: `http://127.0.0.1:${port}/`,
    dir,
    conf,
    log: '',
    async start() {
      proc = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stderr.on('data', (d) => (n.log += d));
      proc.stdout.on('data', (d) => (n.log += d));
      await listening(port);
    },
    // SIGTERM is nginx's fast stop: a failed test may leave sockets open, which a graceful
    // one would wait for.
    async stop() {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((ok) => proc.once('exit', ok));
      proc.kill('SIGTERM');
      await gone;
    },
    async remove() {
      await n.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await n.start();
  return n;
}
