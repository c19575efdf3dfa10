// The targets of issue 15, each against the figures `make bench` measured in this run: one
// row per target with the host's figure, the baseline's, their ratio and whether it was met.
// Reads the JSON the benches write beside their tables (asyncio.json, diff.json, load.json in
// DIR), prints the table and writes it to DIR/targets.txt. A figure a bench did not measure
// (a section left out with only=) shows as not measured.
//   node bench/targets.mjs [DIR]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'build/bench';
const read = (name) => {
  const file = join(dir, name);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
};
const asyncio = read('asyncio.json');
const diff = read('diff.json');
const load = read('load.json');

const lines = [];
const say = (s = '') => {
  console.log(s);
  lines.push(s);
};

const num = (v, d) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d }) : '-';
const rssPerSession = (r) => (r.rss_ready_kib - r.rss_before_kib) / Math.max(r.sessions, 1);
const cpuPerEvent = (r) => (r.cpu_s * 1e6) / Math.max(r.events, 1);
const worstOpen = (r) => (r.open_cpu_us?.length ? Math.max(...r.open_cpu_us) : NaN);
const count = (n) => num(n, 0);

// Each target: what it is, how it is bounded (a ratio to the baseline, or an absolute figure
// in unit), and the figures, or null when this run did not measure them.
const rows = [];
function target(name, bound, unit, figures, digits = 1) {
  rows.push({ name, bound, unit, figures, digits });
}
const ratioBound = (max) => ({ kind: 'ratio', max });
const absBound = (max) => ({ kind: 'abs', max });

for (const n of [100, 1000]) {
  const c = load?.counter?.[n];
  target(
    `CPU per event, counter, ${count(n)} sessions`,
    ratioBound(1.0),
    'us',
    c && { value: cpuPerEvent(c.host), base: cpuPerEvent(c.baseline) },
  );
}
const idle = load?.idle;
target(
  `memory per idle session, counter (${count(idle?.counter.sessions)} sessions)`,
  absBound(6),
  'KiB',
  idle && { value: rssPerSession(idle.counter), base: rssPerSession(idle.baseline) },
  2,
);
target(
  `memory per idle session, 21 controls (${count(idle?.page.sessions)})`,
  absBound(12),
  'KiB',
  idle && { value: rssPerSession(idle.page), base: rssPerSession(idle.baseline) },
  2,
);
target(
  `opening a session, CPU, worst 1,000 of ${count(idle?.page.sessions)}`,
  absBound(100),
  'us',
  idle && { value: worstOpen(idle.page), base: worstOpen(idle.baseline) },
);
const timers = load?.timers;
const timersName = `timers, ${count(timers?.host.sessions)} one-second countdowns`;
target(
  `${timersName}, lateness p99`,
  absBound(10),
  'ms',
  timers && { value: timers.host.p99_us / 1e3, base: timers.baseline.p99_us / 1e3 },
);
target(
  `${timersName}, lateness max`,
  absBound(20),
  'ms',
  timers && { value: timers.host.max_us / 1e3, base: timers.baseline.max_us / 1e3 },
);
const bcast = load?.broadcast;
target(
  `broadcast to ${count(bcast?.host.sessions)} sessions, p95`,
  ratioBound(1.0),
  'ms',
  bcast && { value: bcast.host.b95_ms, base: bcast.baseline.b95_ms },
);
for (const [i, sessions, rate] of [
  [0, 1000, 10],
  [1, 10000, 1],
]) {
  const o = load?.open?.rows?.[i];
  target(
    `open loop, ${count(o?.sessions ?? sessions)} x ${o?.rate ?? rate}/s, p99`,
    absBound(5),
    'ms',
    o && { value: o.host.p99_us / 1e3, base: o.baseline.p99_us / 1e3 },
    2,
  );
}
target(
  'asyncio: resume + yield',
  ratioBound(2),
  'ns',
  asyncio && { value: asyncio.resume_yield_ns, base: asyncio.resume_yield_bare_ns },
  0,
);
target(
  'asyncio: task create + finish',
  ratioBound(3),
  'ns',
  asyncio && { value: asyncio.create_finish_ns, base: asyncio.create_finish_bare_ns },
  0,
);
for (const op of ['create 1,000 rows', 'replace all 1,000 rows']) {
  const d = diff?.[op];
  target(`diff: ${op}`, ratioBound(1.0), 'us', d && { value: d.diff_us, base: d.resend_us }, 0);
}

say('targets of issue 15, against the figures of this run; the baseline: bare echo server,');
say('bare coroutine, or the whole tree sent again');
if (load?.quick) {
  say('(the load figures come from a quick run: smaller counts than the targets name)');
}
const W = [48, 12, 12, 8, 10, 9];
const pad = (cells) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(W[i]) : String(c).padStart(W[i]))).join(' ');
say(pad(['target', 'figure', 'baseline', 'ratio', 'wanted', 'result']));
let met = 0;
let missed = 0;
for (const { name, bound, unit, figures, digits } of rows) {
  if (!figures || !Number.isFinite(figures.value)) {
    say(pad([name, '-', '-', '-', '', 'not measured']));
    continue;
  }
  const ratio = figures.value / figures.base;
  const wanted = bound.kind === 'ratio' ? `<= ${bound.max.toFixed(1)}x` : `<= ${bound.max} ${unit}`;
  const ok = bound.kind === 'ratio' ? ratio <= bound.max : figures.value <= bound.max;
  if (ok) met++;
  else missed++;
  say(
    pad([
      name,
      `${num(figures.value, digits)} ${unit}`,
      `${num(figures.base, digits)} ${unit}`,
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '-',
      wanted,
      ok ? 'met' : 'missed',
    ]),
  );
}
say(`${met} met, ${missed} missed, ${rows.length - met - missed} not measured`);
writeFileSync(join(dir, 'targets.txt'), `${lines.join('\n')}\n`);
