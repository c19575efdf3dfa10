// The load benchmark: every scenario against the real host (bench/apps/*.lua) and against
// the baseline (bench/echo.c, a bare libwebsockets server that answers alike), driven by
// bench/loadgen.c, which reads the server's CPU time and RSS from /proc. Prints a table and
// writes it to OUTFILE.
//   node bench/load.mjs OUTFILE [quick]
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { freePort } from '../tests/e2e/harness.js';

const out = process.argv[2] ?? 'build/bench/load.txt';
const quick = process.argv[3] === 'quick';
const lines = [];
const say = (s = '') => {
  console.log(s);
  lines.push(s);
};

// Starts a server and resolves once it prints its "serving" line.
async function start(argv) {
  const port = await freePort();
  const proc = spawn(argv[0], [...argv.slice(1), '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise((ok, fail) => {
    proc.stderr.on('data', (d) => {
      log += d;
      if (/serving http/.test(log)) ok();
    });
    proc.on('exit', () => fail(new Error(`${argv.join(' ')} exited:\n${log}`)));
  });
  return {
    port,
    pid: proc.pid,
    stop: () =>
      new Promise((ok) => {
        proc.once('exit', ok);
        proc.kill('SIGTERM');
      }),
  };
}

function loadgen(server, args) {
  const r = spawnSync(
    'build/bench/loadgen',
    ['--port', String(server.port), '--pid', String(server.pid), ...args],
    { encoding: 'utf8', timeout: 300000 },
  );
  if (r.status !== 0) throw new Error(`loadgen failed: ${r.stderr}`);
  const res = JSON.parse(r.stdout);
  // A figure of nothing would read as a result: a run where no session opened is a failure.
  if (res.failed > 0 && res.sessions === 0) {
    throw new Error(`loadgen opened no session (${res.failed} failed):\n${r.stderr}`);
  }
  return res;
}

// The per-client rate limit is off: a benchmark client clicks far faster than a person.
async function onHost(app, args) {
  // The load client opens every session from one address, as fast as it can: the per-address
  // caps, meant for real clients, are lifted.
  const s = await start([
    'build/luaflet',
    `bench/apps/${app}.lua`,
    '--event-rate',
    '0',
    '--max-sessions-per-ip',
    '0',
    '--handshake-rate',
    '0',
  ]);
  try {
    return loadgen(s, args);
  } finally {
    await s.stop();
  }
}
async function onEcho(mode, reply, args) {
  const s = await start(['build/bench/echo', '--mode', mode, '--reply', String(reply)]);
  try {
    return loadgen(s, ['--ready', '1', ...args]);
  } finally {
    await s.stop();
  }
}

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');
const row = (cells, widths) => cells.map((c, i) => String(c).padStart(widths[i])).join(' ');

say(
  `load on this machine (${cpus().length} cores, ${cpus()[0]?.model.trim()}); host figures beside the`,
);
say(
  'baseline (a bare libwebsockets server on the same loop setup, answering alike), and host/baseline',
);
say('');

// 1. Counter: one click outstanding per session.
const PATCH = 70; // bytes of the host's answer to a click, which the baseline sends too
const W1 = [8, 9, 9, 8, 8, 8, 8, 9, 8];
say('counter: every session clicks "+" again as soon as its answer arrives (3 s)');
say(
  row(
    [
      'sessions',
      'events/s',
      'per core',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'cpu us/ev',
      'server',
    ],
    W1,
  ),
);
for (const n of quick ? [1, 100] : [1, 100, 1000, 10000]) {
  const args = ['--sessions', String(n), '--scenario', 'counter', '--seconds', '3'];
  const h = await onHost('counter', args);
  const e = await onEcho('echo', PATCH, args);
  for (const [name, r] of [
    ['host', h],
    ['baseline', e],
  ]) {
    say(
      row(
        [
          n,
          f(r.events / r.window_s, 0),
          f(r.events / Math.max(r.cpu_s, 1e-9), 0),
          f(r.p50_us / 1e3, 2),
          f(r.p90_us / 1e3, 2),
          f(r.p99_us / 1e3, 2),
          f(r.max_us / 1e3, 1),
          f((r.cpu_s * 1e6) / Math.max(r.events, 1), 1),
          name,
        ],
        W1,
      ),
    );
  }
  say(
    row(
      [
        '',
        ratio(h.events, e.events),
        ratio(h.events / h.cpu_s, e.events / e.cpu_s),
        ratio(h.p50_us, e.p50_us),
        ratio(h.p90_us, e.p90_us),
        ratio(h.p99_us, e.p99_us),
        '',
        ratio(h.cpu_s / h.events, e.cpu_s / e.events),
        'ratio',
      ],
      W1,
    ),
  );
}
say('');

// 2. Idle: as many sessions as one process may hold.
const IDLE = quick ? 2000 : 19000;
say(`idle: ${IDLE} sessions, each holding a page of 20 controls`);
const W2 = [10, 12, 12, 14, 9];
say(row(['sessions', 'open in s', 'RSS MiB', 'KiB/session', 'server'], W2));
const hi = await onHost('idle', [
  '--sessions',
  String(IDLE),
  '--scenario',
  'idle',
  '--seconds',
  '1',
]);
const ei = await onEcho('echo', PATCH, [
  '--sessions',
  String(IDLE),
  '--scenario',
  'idle',
  '--seconds',
  '1',
]);
const perSession = (r) => (r.rss_ready_kib - r.rss_before_kib) / Math.max(r.sessions, 1);
for (const [name, r] of [
  ['host', hi],
  ['baseline', ei],
]) {
  say(
    row(
      [r.sessions, f(r.establish_s, 2), f(r.rss_ready_kib / 1024, 1), f(perSession(r), 2), name],
      W2,
    ),
  );
}
say(
  row(
    ['', ratio(hi.establish_s, ei.establish_s), '', ratio(perSession(hi), perSession(ei)), 'ratio'],
    W2,
  ),
);
say(`host beyond the baseline: ${f(perSession(hi) - perSession(ei), 2)} KiB per session`);
say('');

// 3. Timers: a countdown ticking every second in each session.
const TIMERS = quick ? 1000 : 10000;
say(`timers: ${TIMERS} sessions, each with a one-second countdown (5 s); lateness of each tick`);
const W3 = [10, 10, 10, 10, 9, 9];
say(row(['sessions', 'p50 ms', 'p99 ms', 'max ms', 'cores', 'server'], W3));
const targs = ['--sessions', String(TIMERS), '--scenario', 'timers', '--seconds', '5'];
const ht = await onHost('timers', targs);
const et = await onEcho('tick', 60, targs);
for (const [name, r] of [
  ['host', ht],
  ['baseline', et],
]) {
  say(
    row(
      [
        r.sessions,
        f(r.p50_us / 1e3, 2),
        f(r.p99_us / 1e3, 2),
        f(r.max_us / 1e3, 1),
        f(r.cpu_s / r.window_s, 3),
        name,
      ],
      W3,
    ),
  );
}
say(
  row(
    [
      '',
      ratio(ht.p50_us, et.p50_us),
      ratio(ht.p99_us, et.p99_us),
      '',
      ratio(ht.cpu_s, et.cpu_s),
      'ratio',
    ],
    W3,
  ),
);
say('');

// 4. Broadcast: one click, every session hears of it.
const BCAST = quick ? 1000 : 10000;
say(
  `broadcast: one click updates a value all ${BCAST} sessions show; time until half, 95% and all`,
);
say('of them have it (mean of 5 clicks)');
const W4 = [10, 10, 10, 10, 9];
say(row(['sessions', 'p50 ms', 'p95 ms', 'p100 ms', 'server'], W4));
const bargs = ['--sessions', String(BCAST), '--scenario', 'broadcast', '--seconds', '1'];
const hb = await onHost('broadcast', bargs);
// The same through page.pubsub: each session's subscriber, in a task of its own, updates it.
const hp = await onHost('pubsub_broadcast', bargs);
const eb = await onEcho('broadcast', PATCH, bargs);
for (const [name, r] of [
  ['host', hb],
  ['pubsub', hp],
  ['baseline', eb],
]) {
  say(row([r.sessions, f(r.b50_ms, 1), f(r.b95_ms, 1), f(r.b100_ms, 1), name], W4));
}
say(
  row(
    [
      '',
      ratio(hb.b50_ms, eb.b50_ms),
      ratio(hb.b95_ms, eb.b95_ms),
      ratio(hb.b100_ms, eb.b100_ms),
      'ratio',
    ],
    W4,
  ),
);
say(
  row(
    [
      '',
      ratio(hp.b50_ms, eb.b50_ms),
      ratio(hp.b95_ms, eb.b95_ms),
      ratio(hp.b100_ms, eb.b100_ms),
      'pubsub ratio',
    ],
    W4,
  ),
);

writeFileSync(out, `${lines.join('\n')}\n`);
