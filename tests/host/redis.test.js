// Two hosts of one app sharing a real redis-server (Debian's, on a free port, started and
// stopped here): page.pubsub crosses between them in send order, ft.kv is one store for both,
// and when Redis goes away while messages flow, every session of the sending process still
// gets every message while the sender is told of each one that could not cross; once Redis is
// back, messages cross again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { startRedis } from '../e2e/redis.js';
import { Client } from './ws_client.js';

const APP = 'tests/e2e/apps/redis_pubsub.lua';

const click = (c, label) => c.send({ t: 'event', id: c.buttonId(label), name: 'click', data: '' });

// The numbers of the lines of log that re (with one group: a number) matches, in order.
const numbers = (log, re) => [...log.matchAll(new RegExp(re.source, 'g'))].map((m) => Number(m[1]));
const count = (log, re) => (log.match(new RegExp(re.source, 'g')) || []).length;
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('page.pubsub and ft.kv across two hosts sharing one Redis', () => {
  let redis, a, b, a1, a2, b1;
  const clients = [];

  // Runs redis-cli against the test's Redis; returns its answer.
  const redisCli = (...args) => {
    const r = spawnSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };

  // A tab on host, once its session (sN in that host) is ready.
  async function open(host, n) {
    const c = new Client(host.port);
    clients.push(c);
    await c.register();
    await host.waitLog(new RegExp(`session s${n} ready`));
    return c;
  }

  // Both of a host's connections to Redis are up (for the nth time).
  const connected = (host, n = 1) =>
    Promise.all([
      host.waitCount(/redis: connected to 127\.0\.0\.1:\d+ \(commands\)/, n),
      host.waitCount(/redis: subscribed to redis_pubsub:\* at/, n),
    ]);

  before(async () => {
    redis = await startRedis();
    const args = ['--redis', redis.url];
    [a, b] = await Promise.all([startHost(APP, { args }), startHost(APP, { args })]);
    await Promise.all([connected(a), connected(b)]);
    a1 = await open(a, 1);
    a2 = await open(a, 2);
    b1 = await open(b, 1);
  });

  after(async () => {
    for (const c of clients) c.ws.close();
    const stopped = await Promise.all([a?.stop(), b?.stop()]);
    await redis?.remove();
    for (const [i, s] of stopped.entries()) {
      assert.equal(s?.code, 0, `host ${i} exit status, log:\n${[a, b][i]?.log.slice(-3000)}`);
    }
  });

  it('carries send_all, send_others and topics to the other host, each once', async () => {
    click(a1, 'all');
    await b.waitLog(/got s1 hello-all from s1/);
    await a.waitLog(/got s1 hello-all from s1/);
    await a.waitLog(/got s2 hello-all from s1/);

    // send_others from b's only session: a's two get it, b's none.
    click(b1, 'others');
    await a.waitLog(/got s1 hello-others from s1/);
    await a.waitLog(/got s2 hello-others from s1/);
    // Redis hands b's subscriber what it published in the order Redis took it: once a's
    // answer has reached b, b has seen (and skipped) its own message.
    click(a1, 'all');
    await b.waitCount(/got s1 hello-all from s1/, 2);
    assert.equal(count(b.log, /got s1 hello-others/), 0, b.log.slice(-2000));
    // Nor did a deliver its own send_all twice when Redis echoed it back.
    await a.waitCount(/got s2 hello-all from s1/, 2);
    assert.equal(count(a.log, /got s1 hello-all from s1/), 2);

    click(a1, 'topic');
    await b.waitLog(/topic s1 room hello-room/);
    await a.waitLog(/topic s2 room hello-room/);
    assert.equal(count(b.log, /got s1 hello-room/), 0);

    // Tables cross with their shape: a float, a boolean, nesting, and a cycle.
    click(a1, 'rich');
    await b.waitLog(/got s1 rich 7 2\.5 true c cycle/);

    // What cannot cross is an error at the send, for this process's sessions too.
    click(a1, 'function');
    await a.waitLog(/function refused true .*a function cannot be sent to other processes/);
  });

  it('keeps the order of 200 messages from one sender', async () => {
    click(a1, 'burst');
    await b.waitCount(/got s1 b\d+\n/, 200);
    await a.waitCount(/got s2 b\d+\n/, 200);
    assert.deepEqual(numbers(b.log, /got s1 b(\d+)\n/), range(1, 200));
    assert.deepEqual(numbers(a.log, /got s2 b(\d+)\n/), range(1, 200));
  });

  it('shares ft.kv between the hosts, under the app prefix', async () => {
    click(b1, 'kvcheck');
    await b.waitLog(/kvcheck (ok|failed.*)/);
    assert.match(b.log, /kvcheck ok/);
    click(a1, 'incr');
    await a.waitLog(/incr s1 1 nil/);
    click(b1, 'incr');
    await b.waitLog(/incr s1 2 nil/);
    assert.equal(redisCli('GET', 'redis_pubsub:hits'), '2');
  });

  it('keeps apps with other prefixes apart, and delivers a foreign payload as it is', async () => {
    const other = await startHost(APP, {
      args: ['--redis', redis.url, '--redis-prefix', 'other:'],
    });
    try {
      await other.waitLog(/redis: subscribed to other:\* at/);
      const c = await open(other, 1);
      click(a1, 'all');
      await b.waitCount(/got s1 hello-all from s1/, count(b.log, /got s1 hello-all from s1/) + 1);
      // Redis took a's message before this one: once other has this one, it would have had
      // a's too.
      redisCli('PUBLISH', 'other:all', 'plain bytes');
      await other.waitLog(/got s1 plain bytes/);
      assert.equal(count(other.log, /hello-all/), 0, other.log);
      c.ws.close();
    } finally {
      const stopped = await other.stop();
      assert.equal(stopped.code, 0, other.log);
    }
  });

  it('refuses publishes past 10,000 awaiting Redis, as when it is away', async () => {
    click(a1, 'flood');
    await a.waitLog(/flood s1 refused \d+: /);
    assert.match(a.log, /flood s1 refused 100: pubsub: .*redis: 10000 publishes \(\d+ kB\) await/);
    // The others went, and Redis answered them all: none is reported as failed.
    click(a1, 'all');
    await b.waitCount(/got s1 hello-all from s1/, count(b.log, /got s1 hello-all from s1/) + 1);
    assert.equal(count(a.log, /pubsub-error/), 0, a.log.slice(-2000));
  });

  it('reports to the sending page a publish that Redis refuses', async () => {
    const delivered = count(a.log, /got s2 hello-all from s1/);
    redisCli('ACL', 'SETUSER', 'default', '-publish');
    try {
      click(a1, 'all');
      await a.waitLog(
        /pubsub-error s1: pubsub: a message may not have reached the other processes: redis: NOPERM/,
      );
      // Within the host it was delivered all the same.
      await a.waitCount(/got s2 hello-all from s1/, delivered + 1);
    } finally {
      redisCli('ACL', 'SETUSER', 'default', '+publish');
    }
  });

  it('loses no message within a host while Redis is away, and tells the sender', async () => {
    click(a1, 'flow');
    // Some messages cross before Redis goes.
    await b.waitLog(/got s1 f5\n/);
    await redis.stop();
    await a.waitLog(/redis: lost the connection to 127\.0\.0\.1:\d+ \(commands\)/);
    await b.waitLog(/redis: lost the connection to 127\.0\.0\.1:\d+ \(messages\)/);
    // Sends while it is away fail at once, and the flow goes on within the host.
    await a.waitCount(/send-failed s1 f\d+: pubsub: .*redis: not connected/, 3);
    click(b1, 'kvget');
    await b.waitLog(/kvget s1 nil redis: not connected/);
    click(a1, 'stop');
    await a.waitLog(/flow stopped s1 at f\d+/);
    const last = numbers(a.log, /flow stopped s1 at f(\d+)/)[0];

    // Within a, every message reached the other session, in order.
    await a.waitCount(/got s2 f\d+\n/, last);
    assert.deepEqual(numbers(a.log, /got s2 f(\d+)\n/), range(1, last));
    // Every message that did not reach b was reported to its sender: at the send, or later
    // (those Redis took but never answered before it went) through page.on_error.
    const crossed = new Set(numbers(b.log, /got s1 f(\d+)\n/));
    const refused = new Set(numbers(a.log, /send-failed s1 f(\d+):/));
    const late = count(a.log, /pubsub-error s1: pubsub: a message may not have reached/);
    const missing = range(1, last).filter((i) => !crossed.has(i));
    assert.ok(refused.size >= 3);
    assert.ok(
      missing.filter((i) => !refused.has(i)).length <= late,
      `missing at b: ${missing}; refused at the send: ${[...refused]}; reported later: ${late}`,
    );

    // Back: both hosts reconnect by themselves, and messages cross again.
    await redis.start();
    await Promise.all([connected(a, 2), connected(b, 2)]);
    const before = count(b.log, /got s1 hello-all from s1/);
    click(a1, 'all');
    await b.waitCount(/got s1 hello-all from s1/, before + 1);
    click(b1, 'kvget');
    await b.waitLog(/kvget s1 nil nil/);
  });
});

describe('a host started while its Redis is down', () => {
  it('serves at once, and connects once Redis comes up', async () => {
    const late = await startRedis({ start: false });
    const host = await startHost(APP, { args: ['--redis', late.url] });
    try {
      await host.waitLog(
        /redis: cannot connect to 127\.0\.0\.1:\d+ \(commands\): Connection refused/,
      );
      await host.waitLog(
        /redis: cannot connect to 127\.0\.0\.1:\d+ \(messages\): Connection refused/,
      );
      const c = new Client(host.port);
      await c.register();
      await host.waitLog(/session s1 ready/);
      click(c, 'incr');
      await host.waitLog(/incr s1 nil redis: not connected \(Connection refused\)/);
      await late.start();
      await host.waitLog(/redis: connected to 127\.0\.0\.1:\d+ \(commands\)/);
      await host.waitLog(/redis: subscribed to redis_pubsub:\*/);
      click(c, 'incr');
      await host.waitLog(/incr s1 1 nil/);
      c.ws.close();
    } finally {
      const stopped = await host.stop();
      await late.remove();
      assert.equal(stopped.code, 0, host.log);
    }
  });
});

describe('a Redis that stalls, refuses, or floods a lagging process', () => {
  let redis;
  const redisCli = (...args) => {
    const r = spawnSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    redis?.resume();
    await redis?.remove();
  });

  it('fails calls after --redis-timeout, notices on both connections, and recovers', async () => {
    const args = ['--redis', redis.url, '--redis-timeout', '1'];
    const [a, b] = await Promise.all([startHost(APP, { args }), startHost(APP, { args })]);
    const tabs = [];
    try {
      const up = (host, n) =>
        Promise.all([
          host.waitCount(/redis: connected to 127\.0\.0\.1:\d+ \(commands\)/, n),
          host.waitCount(/redis: subscribed to redis_pubsub:\* at/, n),
        ]);
      await Promise.all([up(a, 1), up(b, 1)]);
      const tab = async (host) => {
        const c = new Client(host.port);
        tabs.push(c);
        await c.register();
        await host.waitLog(/session s1 ready/);
        return c;
      };
      const a1 = await tab(a);
      const b1 = await tab(b);

      // Redis stops answering, its sockets open: no reset comes.
      redis.pause();
      click(b1, 'kvget');
      // Its own time is up, or that of a ping sent just before it, which drops the
      // connection first: either way it ends within the timeout, saying why.
      await b.waitLog(/kvget s1 nil redis: .*no answer in 1 s/);
      // Each connection finds it on its own, the idle subscriber by its ping.
      for (const host of [a, b]) {
        await host.waitLog(
          /lost the connection to 127\.0\.0\.1:\d+ \(commands\): no answer in 1 s/,
        );
        await host.waitLog(
          /lost the connection to 127\.0\.0\.1:\d+ \(messages\): no answer in 1 s/,
        );
      }
      // While it stalls, a call fails at once.
      click(b1, 'kvget');
      await b.waitLog(/kvget s1 nil redis: not connected \(/);

      redis.resume();
      await Promise.all([up(a, 2), up(b, 2)]);
      const before = count(b.log, /got s1 hello-all from s1/);
      click(a1, 'all');
      await b.waitCount(/got s1 hello-all from s1/, before + 1);
      click(b1, 'kvget');
      await b.waitLog(/kvget s1 (nil|\d+) nil/);
    } finally {
      redis.resume();
      for (const c of tabs) c.ws.close();
      const stopped = await Promise.all([a.stop(), b.stop()]);
      for (const [i, s] of stopped.entries())
        assert.equal(s.code, 0, `host ${i}, log:\n${[a, b][i].log.slice(-3000)}`);
    }
  });

  it('says when Redis refuses the subscription, and subscribes once it is allowed', async () => {
    redisCli('ACL', 'SETUSER', 'default', '-psubscribe');
    let host;
    try {
      host = await startHost(APP, { args: ['--redis', redis.url] });
      await host.waitLog(
        /error: redis: 127\.0\.0\.1:\d+ refused the subscription to redis_pubsub:\* \(messages\): NOPERM/,
      );
    } finally {
      redisCli('ACL', 'SETUSER', 'default', '+psubscribe');
    }
    try {
      await host.waitLog(/redis: subscribed to redis_pubsub:\* at/);
    } finally {
      const stopped = await host.stop();
      assert.equal(stopped.code, 0, host.log);
    }
  });

  it('drops what passes 32 MiB waiting for a lagging receiver, with one warning', async () => {
    // Redis would drop a subscriber that holds 32 MB unsent; here the host must be the one.
    redisCli('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 0 0');
    redisCli('DEL', 'inbox:go');
    const host = await startHost('tests/host/fixtures/redis_inbox.lua', {
      args: ['--redis', redis.url],
      ready: /redis: subscribed to inbox:\* at/,
    });
    try {
      redisCli(
        'EVAL',
        "for i = 1, 40 do redis.call('PUBLISH', KEYS[1], string.rep('x', 1048576)) end",
        '1',
        'inbox:big',
      );
      redisCli('PUBLISH', 'inbox:end', 'end');
      await host.waitLog(/redis: the pubsub task is not keeping up: messages dropped/, 30000);
      redisCli('SET', 'inbox:go', '1');
      await host.waitLog(/redis: \d+ messages were dropped while the pubsub task lagged/);
      await host.waitLog(/batch \d+ messages \d+ bytes/);
      const first = host.log.match(/batch (\d+) messages (\d+) bytes/);
      assert.ok(first, host.log);
      assert.ok(Number(first[2]) <= 32 * 1048576, first[0]);
      assert.ok(Number(first[1]) >= 31, first[0]);
      const stopped = await host.exited;
      assert.equal(stopped.code, 0, host.log);
    } finally {
      await host.stop();
    }
  });
});
