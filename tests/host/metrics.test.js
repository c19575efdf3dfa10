// What an operator watches: /healthz always, /metrics in Prometheus's text format only with
// --metrics (and then to this machine's clients), with figures that follow what sessions do,
// and logs as one JSON object a line with --log-format json.
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client, RawClient } from './ws_client.js';

// The figures of /metrics by name (labels kept in the name), checking each line's form.
async function figures(host) {
  const res = await fetch(`${host.url}metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const out = {};
  for (const line of (await res.text()).trimEnd().split('\n')) {
    if (line.startsWith('#')) continue;
    const m = line.match(/^([a-z_]+(?:\{le="[^"]+"\})?) (-?[\d.e+]+)$/);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

// The first node of the tree (any nested object) that pred accepts.
function find(node, pred) {
  if (!node || typeof node !== 'object') return null;
  if (pred(node)) return node;
  for (const v of Object.values(node)) {
    const hit = find(v, pred);
    if (hit) return hit;
  }
  return null;
}

// Runs body(host, press) with the garbage app (tests/e2e/apps/garbage.lua) and one session
// open. press(name, shown) clicks a button and resolves with the first message that shows
// `shown`, within ms (making tens of MB takes a second or more on a busy machine).
async function withGarbage(args, body) {
  const host = await startHost('tests/e2e/apps/garbage.lua', { args });
  try {
    const c = new Client(host.port);
    await c.register();
    await c.next((m) => m.t === 'patch');
    const press = (name, shown, ms = 30000) => {
      c.send({ t: 'event', id: c.buttonId(name), name: 'click', data: '' });
      return c.next((m) => shown.test(JSON.stringify(m)), { ms });
    };
    await body(host, press);
  } finally {
    await host.stop();
  }
}

// The heap the garbage app's "hog" shows, in KB.
const heapKB = (m) => Number(JSON.stringify(m).match(/heap (\d+) KB/)[1]);

describe('operators', () => {
  it('get /healthz always, and /metrics only with --metrics', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua');
    try {
      const h = await fetch(`${host.url}healthz`);
      assert.equal(h.status, 200);
      assert.equal(await h.text(), 'ok\n');
      assert.equal((await fetch(`${host.url}metrics`)).status, 404);
    } finally {
      await host.stop();
    }
  });

  it('get 503 from /healthz while the host stops', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua');
    // The listening socket closes as the stop begins: only a connection already open can ask.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise((ok, fail) => {
        http
          .get(`${host.url}healthz`, { agent }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => ok({ status: res.statusCode, body }));
          })
          .on('error', fail);
      });
    try {
      assert.deepEqual(await get(), { status: 200, body: 'ok\n' });
      // A socket that never answers the host's close frame holds the stop open (two seconds
      // at most).
      const raw = new RawClient(host.port);
      await raw.opened;
      const stopped = host.stop();
      await host.waitLog(/closing 1 connections/);
      assert.deepEqual(await get(), { status: 503, body: 'stopping\n' });
      assert.equal((await stopped).code, 0);
    } finally {
      agent.destroy();
      await host.stop();
    }
  });

  it('see sessions, messages, bytes, tasks and the loop in /metrics', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--metrics', '--log-level', 'debug'],
    });
    try {
      const before = await figures(host);
      assert.equal(before.luaflet_sessions_open, 0);
      const c = new Client(host.port);
      await c.register();
      // main adds the page's controls in the first patch.
      const isPlus = (n) => n.type === 'elevatedbutton' && n.props?.text === '+';
      const plus = find(await c.next((m) => m.t === 'patch' && find(m, isPlus) !== null), isPlus);
      c.send({ t: 'event', id: plus.id, name: 'click', data: '' });
      await c.next((m) => m.t === 'patch' && JSON.stringify(m).includes('clicks 1'));
      const after = await figures(host);
      assert.equal(after.luaflet_sessions_open, 1);
      assert.equal(after.luaflet_sessions_detached, 0);
      assert.ok(
        after.luaflet_messages_received_total >= before.luaflet_messages_received_total + 2,
      );
      assert.ok(after.luaflet_messages_sent_total >= before.luaflet_messages_sent_total + 2);
      assert.ok(after.luaflet_bytes_sent_total > before.luaflet_bytes_sent_total);
      assert.ok(after.luaflet_tasks >= 1);
      assert.ok(after.luaflet_lua_heap_bytes > 0);
      // What the allocator holds for small blocks; 0 under AddressSanitizer, which takes every
      // block from malloc.
      assert.ok(Number.isFinite(after.luaflet_lua_heap_reserved_bytes), JSON.stringify(after));
      if (process.env.SANITIZE !== '1')
        assert.ok(after.luaflet_lua_heap_reserved_bytes >= 1024 * 1024, JSON.stringify(after));
      // The histogram's buckets are cumulative and end with every probe.
      const buckets = Object.keys(after).filter((k) =>
        k.startsWith('luaflet_loop_lag_seconds_bucket'),
      );
      assert.equal(buckets.at(-1), 'luaflet_loop_lag_seconds_bucket{le="+Inf"}');
      const counts = buckets.map((k) => after[k]);
      assert.deepEqual(
        counts,
        [...counts].sort((a, b) => a - b),
      );
      assert.equal(counts.at(-1), after.luaflet_loop_lag_seconds_count);
      // A dropped socket leaves its session detached.
      c.drop();
      await host.waitLog(/session detached/);
      const detached = await figures(host);
      assert.equal(detached.luaflet_sessions_open, 0);
      assert.equal(detached.luaflet_sessions_detached, 1);
    } finally {
      await host.stop();
    }
  });

  it('see a cycle collect a burst of garbage once the loop has gone quiet', () =>
    withGarbage(['--metrics'], async (host, press) => {
      const before = await figures(host);
      // Far less than would start a cycle while busy (the heap doubling), and nothing happens
      // after it: only the quiet-time cycle collects it.
      await press('once', /"made \d+"/);
      // A cycle's end shows only in /metrics: it is polled, for up to 10 s.
      let f = await figures(host);
      for (
        let i = 0;
        i < 200 && f.luaflet_gc_cycles_total === before.luaflet_gc_cycles_total;
        i++
      ) {
        await sleep(50);
        f = await figures(host);
      }
      assert.ok(f.luaflet_gc_cycles_total > before.luaflet_gc_cycles_total, 'no cycle ran');
      assert.ok(f.luaflet_lua_heap_bytes < before.luaflet_lua_heap_bytes * 1.2, JSON.stringify(f));
    }));

  it('see a cycle started in quiet time wait while the loop is busy', () =>
    withGarbage(['--metrics'], async (host, press) => {
      const cyclesAfter = async (n) => {
        let f = await figures(host);
        for (let i = 0; i < 400 && f.luaflet_gc_cycles_total <= n; i++) {
          await sleep(25);
          f = await figures(host);
        }
        assert.ok(f.luaflet_gc_cycles_total > n, 'no cycle ran');
        return f.luaflet_gc_cycles_total;
      };
      // 48 MB that stay alive: the heap more than doubles, and a cycle runs at once.
      const start = (await figures(host)).luaflet_gc_cycles_total;
      await press('keep', /"kept \d+"/);
      const kept = await cyclesAfter(start);
      // A third of that in garbage starts a cycle once the loop has been quiet for 20 ms;
      // "spin" leaves it quiet for 40, and marking 48 MB takes longer than the other 20.
      await press('once', /"made \d+"/);
      await press('spin', /"spinning"/);
      // Busy turns give that cycle nothing, for as long as the loop stays busy.
      for (let i = 0; i < 40; i++) {
        const f = await figures(host);
        assert.equal(f.luaflet_gc_cycles_total, kept, `a cycle ended in busy time (poll ${i})`);
        await sleep(25);
      }
      await press('stop', /"stopped"/);
      await cyclesAfter(kept);
    }));

  it('see a collector the app stopped stay stopped', () =>
    withGarbage(['--metrics'], async (host, press) => {
      // The garbage of "once", which a quiet cycle would collect within a few turns.
      await press('freeze', /"frozen \d+"/);
      const frozen = await figures(host);
      // Half a second of quiet loop, with the host's own turns (these requests) in it.
      for (let i = 0; i < 20; i++) {
        await sleep(25);
        const f = await figures(host);
        assert.equal(f.luaflet_gc_cycles_total, frozen.luaflet_gc_cycles_total, `poll ${i}`);
        assert.ok(f.luaflet_lua_heap_bytes >= frozen.luaflet_lua_heap_bytes, `poll ${i}`);
      }
    }));

  it('see a task that allocates for a second without awaiting leave the heap small', () =>
    withGarbage([], async (host, press) => {
      // Hundreds of MB of garbage in that second beside 16 MB kept: Lua's own pacing, turned
      // down under the host's, still collects as it goes.
      const kb = heapKB(await press('hog', /heap \d+ KB/));
      // 16 MB stay alive: the heap may hold about three times that (measured: 3.3), and
      // would be ten times as much with Lua's own pacing off.
      assert.ok(kb < 5 * 16 * 1024, `${kb} KB`);
    }));

  it('see a task that allocates for a second while a cycle runs leave the heap small', () =>
    withGarbage([], async (host, press) => {
      // 48 MB kept: the heap more than doubles, and the host starts a cycle at its next turn,
      // which marking 48 MB keeps running for many more.
      await press('keep', /"kept \d+"/);
      // Then a second of garbage without awaiting, beside 16 MB kept instead of the 48, with
      // Lua's own steps at their least while the host's cycle runs.
      const kb = heapKB(await press('hog', /heap \d+ KB/));
      // The running cycle marked the 48 MB before the task let them go, so they stay until
      // the next one: 64 MB count as live here. Measured 53 to 82 MB; with no collection at
      // all, that second's garbage alone is some hundreds of MB.
      assert.ok(kb < 3 * 64 * 1024, `${kb} KB`);
    }));

  it('get the log as one JSON object a line with --log-format json', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--log-format', 'json', '--log-level', 'debug'],
      ready: /"msg":"serving http:\/\//,
    });
    const c = new Client(host.port);
    await c.register();
    await host.waitLog(/session started/);
    const stopped = await host.stop();
    assert.equal(stopped.code, 0);
    const lines = host.log.trimEnd().split('\n');
    assert.ok(lines.length >= 4, host.log);
    for (const line of lines) {
      const r = JSON.parse(line);
      assert.deepEqual(Object.keys(r), ['time', 'level', 'msg']);
      assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(['error', 'warn', 'info', 'debug'].includes(r.level), line);
    }
    assert.ok(lines.some((l) => JSON.parse(l).msg === 'received SIGINT: stopping'));
  });
  it('see the collector keep up from the loop turns while an app makes garbage', () =>
    withGarbage(['--metrics'], async (host, press) => {
      // Each update says how many objects' worth of garbage the app made: wait for 3 million
      // (some 300 MB of tables and strings).
      await press('churn', /"3000000"/, 60000);
      const f = await figures(host);
      assert.ok(f.luaflet_gc_cycles_total >= 3, `${f.luaflet_gc_cycles_total} cycles`);
      assert.ok(f.luaflet_lua_heap_bytes < 64 * 1024 * 1024, `${f.luaflet_lua_heap_bytes} bytes`);
      assert.ok(f.luaflet_gc_longest_slice_seconds > 0);
    }));
});
