// The load benchmark: every scenario against the real host (bench/apps/*.lua) and against
// the baseline (bench/echo.c, a bare libwebsockets server that answers alike), driven by
// bench/loadgen.c, which reads the server's CPU time and RSS from /proc. Prints the tables and
// writes them to OUTFILE, and the figures loadgen gave to OUTFILE's name with .json for .txt
// (bench/targets.mjs reads them).
//   node bench/load.mjs OUTFILE [quick] [only=SECTION,...]
// quick: smaller counts and shorter runs. only=: just these of the sections counter, idle,
// timers, broadcast, open, workers and redis.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { freePort } from '../tests/e2e/harness.js';
import { startRedis } from '../tests/e2e/redis.js';

const out = process.argv[2] ?? 'build/bench/load.txt';
const options = process.argv.slice(3);
const quick = options.includes('quick');
const SECTIONS = ['counter', 'idle', 'timers', 'broadcast', 'open', 'workers', 'redis'];
const onlyOption = options.find((o) => o.startsWith('only='));
const only = onlyOption ? onlyOption.slice(5).split(',') : SECTIONS;
for (const o of options) {
  if (o !== 'quick' && o !== onlyOption) throw new Error(`load.mjs: unknown option ${o}`);
}
for (const s of only) {
  if (!SECTIONS.includes(s)) throw new Error(`load.mjs: no section ${s} (${SECTIONS.join(', ')})`);
}
const runs = (section) => only.includes(section);
// What each section measured, as loadgen gave it, for bench/targets.mjs.
const figures = { quick };
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
        proc.kill('SIGINT');
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
// The load client opens every session from one address, as fast as it can: the per-address
// caps, meant for real clients, are lifted.
const hostArgv = (app, more = []) => [
  'build/luaflet',
  `bench/apps/${app}.lua`,
  '--event-rate',
  '0',
  '--max-sessions-per-ip',
  '0',
  '--handshake-rate',
  '0',
  ...more,
];
async function onHost(app, args, more = []) {
  const s = await start(hostArgv(app, more));
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
// A table's row of host/baseline ratios: one cell per column, from the figure `cols[i]` reads
// out of a loadgen result, or blank where cols[i] is null; then the row's label.
const ratioRow = (h, e, cols, label, widths) =>
  say(row([...cols.map((c) => (c ? ratio(c(h), c(e)) : '')), label], widths));
const p50 = (r) => r.p50_us;
const p90 = (r) => r.p90_us;
const p99 = (r) => r.p99_us;
const usPerEvent = (r) => (r.cpu_s * 1e6) / Math.max(r.events, 1);

say(
  `load on this machine (${cpus().length} cores, ${cpus()[0]?.model.trim()}); host figures beside the`,
);
say(
  'baseline (a bare libwebsockets server on the same loop setup, answering alike), and host/baseline',
);
say('');

// A closed-loop counter run's columns (the counter and workers tables): its cells, their
// heads, and what the ratio row divides.
const W1 = [8, 9, 9, 8, 8, 8, 8, 9, 8];
const COUNTER_HEAD = ['events/s', 'per core', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'cpu us/ev'];
const counterCells = (r) => [
  f(r.events / r.window_s, 0),
  f(r.events / Math.max(r.cpu_s, 1e-9), 0),
  f(r.p50_us / 1e3, 2),
  f(r.p90_us / 1e3, 2),
  f(r.p99_us / 1e3, 2),
  f(r.max_us / 1e3, 1),
  f(usPerEvent(r), 1),
];
const COUNTER_RATIOS = [
  (r) => r.events,
  (r) => r.events / r.cpu_s,
  p50,
  p90,
  p99,
  null,
  usPerEvent,
];

// 1. Counter: one click outstanding per session.
const PATCH = 70; // bytes of the host's answer to a click, which the baseline sends too
if (runs('counter')) {
  say('counter: every session clicks "+" again as soon as its answer arrives (3 s)');
  say(row(['sessions', ...COUNTER_HEAD, 'server'], W1));
  figures.counter = {};
  for (const n of quick ? [1, 100] : [1, 100, 1000, 10000]) {
    const args = ['--sessions', String(n), '--scenario', 'counter', '--seconds', '3'];
    const h = await onHost('counter', args);
    const e = await onEcho('echo', PATCH, args);
    figures.counter[n] = { host: h, baseline: e };
    for (const [name, r] of [
      ['host', h],
      ['baseline', e],
    ]) {
      say(row([n, ...counterCells(r), name], W1));
    }
    ratioRow(h, e, [null, ...COUNTER_RATIOS], 'ratio', W1);
  }
  say('');
}

// 2. Idle: as many sessions as one process may hold, with what each costs to keep and to open.
const IDLE = quick ? 2000 : 19000;
if (runs('idle')) {
  say(`idle: ${IDLE} sessions; memory is the server's RSS growth per session, and opening the`);
  say(`server's CPU time per session opened, over the first and the last 1,000 and the worst`);
  say('1,000 of them (page: bench/apps/idle.lua, 21 controls; counter: bench/apps/counter.lua)');
  const W2 = [8, 10, 8, 12, 10, 10, 10, 9];
  say(
    row(
      [
        'sessions',
        'open in s',
        'RSS MiB',
        'KiB/session',
        'first us',
        'last us',
        'worst us',
        'server',
      ],
      W2,
    ),
  );
  const args = ['--sessions', String(IDLE), '--scenario', 'idle', '--seconds', '1'];
  const hi = await onHost('idle', args);
  const hc = await onHost('counter', args);
  const ei = await onEcho('echo', PATCH, args);
  figures.idle = { page: hi, counter: hc, baseline: ei };
  const perSession = (r) => (r.rss_ready_kib - r.rss_before_kib) / Math.max(r.sessions, 1);
  const opening = (r) => r.open_cpu_us ?? [];
  const worst = (r) => Math.max(...opening(r));
  for (const [name, r] of [
    ['page', hi],
    ['counter', hc],
    ['baseline', ei],
  ]) {
    say(
      row(
        [
          r.sessions,
          f(r.establish_s, 2),
          f(r.rss_ready_kib / 1024, 1),
          f(perSession(r), 2),
          f(opening(r)[0], 1),
          f(opening(r).at(-1), 1),
          f(worst(r), 1),
          name,
        ],
        W2,
      ),
    );
  }
  for (const [name, r] of [
    ['page ratio', hi],
    ['counter ratio', hc],
  ]) {
    say(
      row(
        [
          '',
          ratio(r.establish_s, ei.establish_s),
          '',
          ratio(perSession(r), perSession(ei)),
          ratio(opening(r)[0], opening(ei)[0]),
          ratio(opening(r).at(-1), opening(ei).at(-1)),
          ratio(worst(r), worst(ei)),
          name,
        ],
        W2,
      ),
    );
  }
  say(
    `host beyond the baseline: ${f(perSession(hi) - perSession(ei), 2)} KiB per session ` +
      `(page), ${f(perSession(hc) - perSession(ei), 2)} (counter)`,
  );
  say('');
}

// 3. Timers: a countdown ticking every second in each session.
const TIMERS = quick ? 1000 : 10000;
if (runs('timers')) {
  say(`timers: ${TIMERS} sessions, each with a one-second countdown (5 s); lateness of each tick`);
  const W3 = [10, 10, 10, 10, 9, 9];
  say(row(['sessions', 'p50 ms', 'p99 ms', 'max ms', 'cores', 'server'], W3));
  const targs = ['--sessions', String(TIMERS), '--scenario', 'timers', '--seconds', '5'];
  const ht = await onHost('timers', targs);
  const et = await onEcho('tick', 60, targs);
  figures.timers = { host: ht, baseline: et };
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
  ratioRow(ht, et, [null, p50, p99, null, (r) => r.cpu_s], 'ratio', W3);
  say('');
}

// 4. Broadcast: one click, every session hears of it.
const BCAST = quick ? 1000 : 10000;
if (runs('broadcast')) {
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
  figures.broadcast = { host: hb, pubsub: hp, baseline: eb };
  for (const [name, r] of [
    ['host', hb],
    ['pubsub', hp],
    ['baseline', eb],
  ]) {
    say(row([r.sessions, f(r.b50_ms, 1), f(r.b95_ms, 1), f(r.b100_ms, 1), name], W4));
  }
  const heard = [null, (r) => r.b50_ms, (r) => r.b95_ms, (r) => r.b100_ms];
  ratioRow(hb, eb, heard, 'ratio', W4);
  ratioRow(hp, eb, heard, 'pubsub ratio', W4);
  say('');
}

// 5. Open loop: every session clicks at a fixed rate whatever the server answers, as people
// do; a click's latency counts from when it was due. The closed-loop counter above measures
// throughput, but each of its sessions waits for its answer before it clicks again, so a slow
// server is sent less and its slowness partly hides.
if (runs('open')) {
  const openRun = async (onServer, sessions, rate, seconds) =>
    onServer([
      '--sessions',
      String(sessions),
      '--scenario',
      'open',
      '--rate',
      String(rate),
      '--seconds',
      String(seconds),
    ]);
  const onCounter = (args) => onHost('counter', args);
  const onBaseline = (args) => onEcho('echo', PATCH, args);
  // Share of the clicks this client sent over 1 ms after they were due (its loop was busy or
  // the machine's cores taken); their delay counts in their latency all the same.
  const late = (r) => `${f((100 * r.late_sends) / Math.max(r.sent, 1), 1)}%`;
  // A run whose figures cannot be trusted says so: a reply that matched no click means the
  // server did not answer each click with exactly one message.
  const check = (r) => {
    if (r.unmatched > 0) say(`  (${r.unmatched} replies matched no click)`);
    if (r.unanswered > 0) say(`  (${r.unanswered} clicks never answered, counted as lost)`);
  };

  const ROWS = quick
    ? [
        [100, 10],
        [1000, 1],
      ]
    : [
        [1000, 10],
        [10000, 1],
      ];
  const SECONDS = quick ? 2 : 5;
  say(`latency at a rate people produce: each session clicks at a fixed rate, whatever comes`);
  say(`back (open loop, sessions' phases spread evenly, ${SECONDS} s); latency from each click's`);
  say('due time; late: clicks this client sent over 1 ms after they were due');
  const W5 = [8, 7, 9, 9, 8, 8, 8, 8, 9, 6, 8];
  say(
    row(
      [
        'sessions',
        'each/s',
        'offered/s',
        'answered/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'cpu us/ev',
        'late',
        'server',
      ],
      W5,
    ),
  );
  figures.open = { rows: [] };
  for (const [n, rate] of ROWS) {
    const h = await openRun(onCounter, n, rate, SECONDS);
    const e = await openRun(onBaseline, n, rate, SECONDS);
    figures.open.rows.push({ sessions: n, rate, host: h, baseline: e });
    for (const [name, r] of [
      ['host', h],
      ['baseline', e],
    ]) {
      say(
        row(
          [
            n,
            rate,
            f(r.offered_per_s, 0),
            f(r.events / r.window_s, 0),
            f(r.p50_us / 1e3, 2),
            f(r.p90_us / 1e3, 2),
            f(r.p99_us / 1e3, 2),
            f(r.max_us / 1e3, 1),
            f(usPerEvent(r), 1),
            late(r),
            name,
          ],
          W5,
        ),
      );
      check(r);
    }
    ratioRow(h, e, [null, null, null, null, p50, p90, p99, null, usPerEvent, null], 'ratio', W5);
  }
  say('');

  // The highest total rate whose p99 stays under 50 ms: doubling from 5,000 clicks/s until a
  // run misses, then halving the gap between the best that held and the least that missed.
  const SEARCH_SESSIONS = quick ? 100 : 1000;
  const SEARCH_SECONDS = quick ? 1 : 2;
  const BISECTIONS = quick ? 2 : 3;
  const P99_MS = 50;
  const holds = (r) => r.p99_us < P99_MS * 1e3 && r.unanswered === 0 && r.sessions > 0;
  async function highestRate(onServer) {
    const tried = [];
    const attempt = async (total) => {
      const r = await openRun(onServer, SEARCH_SESSIONS, total / SEARCH_SESSIONS, SEARCH_SECONDS);
      tried.push({ total, p99_ms: r.p99_us / 1e3 });
      return r;
    };
    let best = null;
    let missed = null;
    for (let total = 5000; total <= 640000; total *= 2) {
      const r = await attempt(total);
      if (!holds(r)) {
        missed = total;
        break;
      }
      best = { total, r };
    }
    // Even the first rate missed: halve until one holds.
    for (let total = 2500; !best && total >= 100; total /= 2) {
      const r = await attempt(total);
      if (holds(r)) best = { total, r };
      else missed = total;
    }
    for (let i = 0; i < BISECTIONS && best && missed; i++) {
      const total = Math.round((best.total + missed) / 2 / 100) * 100;
      const r = await attempt(total);
      if (holds(r)) best = { total, r };
      else missed = total;
    }
    return { best: best?.total ?? 0, result: best?.r ?? null, tried };
  }
  say(
    `highest open-loop rate with p99 under ${P99_MS} ms, ${SEARCH_SESSIONS} sessions ` +
      `(runs of ${SEARCH_SECONDS} s: doubling, then ${BISECTIONS} bisections)`,
  );
  const W6 = [10, 12, 8, 8, 9, 6, 8];
  say(row(['clicks/s', 'answered/s', 'p50 ms', 'p99 ms', 'cpu us/ev', 'late', 'server'], W6));
  const sh = await highestRate(onCounter);
  const se = await highestRate(onBaseline);
  figures.open.search = {
    sessions: SEARCH_SESSIONS,
    p99_ms: P99_MS,
    host: sh,
    baseline: se,
  };
  for (const [name, s] of [
    ['host', sh],
    ['baseline', se],
  ]) {
    const r = s.result;
    say(
      row(
        [
          s.best,
          r ? f(r.events / r.window_s, 0) : '-',
          r ? f(r.p50_us / 1e3, 2) : '-',
          r ? f(r.p99_us / 1e3, 2) : '-',
          r ? f(usPerEvent(r), 1) : '-',
          r ? late(r) : '-',
          name,
        ],
        W6,
      ),
    );
  }
  say(row([ratio(sh.best, se.best), '', '', '', '', '', 'ratio'], W6));
  for (const [name, s] of [
    ['host', sh],
    ['baseline', se],
  ]) {
    say(`${name} tried: ${s.tried.map((t) => `${t.total}/s p99 ${f(t.p99_ms, 1)} ms`).join(', ')}`);
  }
  say('');
}

// 6. Workers: the counter on one process, then on a front and two workers (--workers 2), the
// CPU summed over every process of the host.
if (runs('workers')) {
  const n = quick ? 100 : 1000;
  say(`workers: the counter with ${n} sessions (3 s) on one process, then on --workers 2`);
  say(row(['workers', ...COUNTER_HEAD, 'server'], W1));
  figures.workers = {};
  for (const w of [1, 2]) {
    const args = ['--sessions', String(n), '--scenario', 'counter', '--seconds', '3'];
    const r = await onHost('counter', args, ['--workers', String(w)]);
    figures.workers[w] = r;
    say(row([w, ...counterCells(r), w === 1 ? 'host' : 'front+2'], W1));
  }
  const [one, two] = [figures.workers[1], figures.workers[2]];
  ratioRow(two, one, [null, ...COUNTER_RATIOS], '2 / 1', W1);
  say(
    `(${cpus().length} cores, shared with the load generator, itself one busy process: on two cores, ` +
      'two workers have no core of their own, and events/s shows what the second one adds ' +
      'beside the client; CPU per event shows what the front and the hand-off cost)',
  );
  say('');
}

// 7. page.pubsub across processes through a real redis-server: a click in one host sends
// one message that sessions of another host (or of both) show. Latency from the click to each
// session's update, at the client.
if (runs('redis')) {
  const ONE_TO = quick ? 200 : 1000;
  const SPLIT = quick ? 2000 : 10000;
  say('pubsub through Redis: one send_all, from a session of host A, shown by the sessions');
  say('of host B or of both hosts; time from the click until each session has it (mean of 5)');
  const W7 = [10, 10, 10, 10, 10, 30];
  say(row(['sessions', 'p50 ms', 'p95 ms', 'p99 ms', 'p100 ms', 'how'], W7));
  const redis = await startRedis();
  const twoHosts = async (args) => {
    const more = ['--redis', redis.url];
    const [ha, hb] = await Promise.all([
      start(hostArgv('pubsub_broadcast', more)),
      start(hostArgv('pubsub_broadcast', more)),
    ]);
    try {
      return loadgen(ha, ['--port2', String(hb.port), ...args]);
    } finally {
      await Promise.all([ha.stop(), hb.stop()]);
    }
  };
  try {
    const bargs = (n) => ['--sessions', String(n), '--scenario', 'broadcast', '--seconds', '1'];
    // The clicker is session 0, alone on A; the 1,000 hearers are on B.
    const one = await twoHosts([...bargs(ONE_TO + 1), '--split', '1', '--count-from', '1']);
    // The same within one process, for comparison.
    const local = await onHost('pubsub_broadcast', [...bargs(ONE_TO + 1), '--count-from', '1']);
    const split = await twoHosts([...bargs(SPLIT), '--split', String(SPLIT / 2)]);
    figures.redis = { one_to_many: one, one_to_many_local: local, split };
    for (const [r, how] of [
      [one, `1 on A -> ${ONE_TO} on B`],
      [local, `1 -> ${ONE_TO}, one process`],
      [split, `${SPLIT / 2} on A + ${SPLIT / 2} on B`],
    ]) {
      say(
        row(
          [
            r.sessions - (r === split ? 0 : 1),
            f(r.b50_ms, 1),
            f(r.b95_ms, 1),
            f(r.b99_ms, 1),
            f(r.b100_ms, 1),
            how,
          ],
          W7,
        ),
      );
    }
  } finally {
    await redis.remove();
  }
  say('');
}

writeFileSync(out, `${lines.join('\n')}\n`);
writeFileSync(out.replace(/(\.txt)?$/, '.json'), `${JSON.stringify(figures, null, 1)}\n`);
