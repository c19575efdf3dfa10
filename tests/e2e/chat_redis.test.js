// Flet's chat tutorial (examples/chat.lua) served by two host processes that share a real
// redis-server: a tab on each, and what either writes shows in both, in the order it was
// sent, through page.pubsub carried by Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join, messages, say } from './chat.js';
import { launchBrowser, startHost, waitText } from './harness.js';
import { startRedis } from './redis.js';

let browser, redis, hosts;
before(async () => {
  redis = await startRedis();
  browser = await launchBrowser();
  const args = ['--redis', redis.url];
  hosts = await Promise.all([
    startHost('examples/chat.lua', { args }),
    startHost('examples/chat.lua', { args }),
  ]);
  // Each host listens on Redis before any tab joins.
  await Promise.all(hosts.map((h) => h.waitLog(/redis: subscribed to chat:\*/)));
  await Promise.all(hosts.map((h) => h.waitLog(/redis: connected to .* \(commands\)/)));
});
after(async () => {
  await browser?.close();
  const stopped = await Promise.all((hosts ?? []).map((h) => h.stop()));
  await redis?.remove();
  for (const [i, s] of stopped.entries()) {
    assert.equal(s?.code, 0, `host ${i} exit status, log:\n${hosts[i].log}`);
  }
});

describe('the chat tutorial over two processes and Redis', () => {
  it('shows what a tab on either host writes in both tabs', async () => {
    const ada = await join(browser, hosts[0], 'Ada');
    const bob = await join(browser, hosts[1], 'Bob');
    await ada.bringToFront();
    await waitText(ada, 'Bob has joined the chat.');
    await say(ada, 'm1 from Ada');
    await say(ada, 'm2 from Ada');
    assert.deepEqual(await messages(bob, 2), ['m1 from Ada', 'm2 from Ada']);
    await say(bob, 'm3 from Bob');
    assert.deepEqual(await messages(ada, 3), ['m1 from Ada', 'm2 from Ada', 'm3 from Bob']);
    assert.deepEqual(await messages(bob, 3), ['m1 from Ada', 'm2 from Ada', 'm3 from Bob']);
    await ada.close();
    await bob.close();
  });
});
