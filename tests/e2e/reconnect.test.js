// The network drops for a few seconds while the app keeps changing the page. After the
// browser reconnects, its page shows exactly the server's state, and no update was skipped:
// every tick the server made reached the page, once, in order.
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, startHost, waitText } from './harness.js';

// A TCP relay between the browser and the host, which the test can cut and restore.
function relay(targetPort) {
  const pairs = new Set();
  let up = true;
  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    for (const s of [client, upstream]) {
      s.on('error', pair);
      s.on('close', pair);
    }
  });
  return {
    listen: () =>
      new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port))),
    cut() {
      up = false;
      for (const pair of [...pairs]) pair();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise((ok) => {
        for (const pair of [...pairs]) pair();
        server.close(ok);
      }),
  };
}

describe('a network drop', () => {
  let host, browser, net;
  before(async () => {
    host = await startHost('tests/e2e/apps/ticker.lua');
    net = relay(host.port);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await net.close();
    await host.stop();
  });

  it('loses no update: the page ends showing exactly the server state', async () => {
    const port = await net.listen();
    const page = await browser.newPage();
    // Every tick the page is told of, as the socket delivers it, in order.
    await page.evaluateOnNewDocument(() => {
      window.seenTicks = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => {
            const m = JSON.parse(e.data);
            const patches = m.t === 'resume' ? m.patches : m.t === 'patch' ? [m] : [];
            for (const p of patches) {
              for (const op of p.ops) {
                const v = op.props?.value ?? op.node?.props?.value;
                if (typeof v === 'string' && v.startsWith('tick '))
                  window.seenTicks.push(Number(v.slice(5)));
              }
            }
          });
        }
      };
    });
    const warnings = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.body.dataset.connection === 'open');
    await waitText(page, 'tick 10');

    net.cut();
    await page.waitForFunction(() => document.body.dataset.connection === 'reconnecting');
    await host.waitLog(/app: disconnected/);
    await sleep(2000); // the network stays down; the app ticks on
    net.restore();
    await page.waitForFunction(() => document.body.dataset.connection === 'open', {
      timeout: 15000,
    });
    await host.waitLog(/app: connected/);

    const resumedAt = await page.evaluate(() => window.seenTicks.at(-1));
    assert.ok(resumedAt >= 90, `the page resumed at tick ${resumedAt}`);
    await clickText(page, 'Stop');
    await host.waitLog(/app: stopped at \d+/);
    const last = Number(host.log.match(/app: stopped at (\d+)/)[1]);
    await waitText(page, `tick ${last}`);
    const seen = await page.evaluate(() => window.seenTicks);
    assert.deepEqual(
      seen,
      Array.from({ length: last + 1 }, (_, i) => i),
    );
    assert.equal(
      await page.evaluate(() => document.body.innerText.match(/tick \d+/)[0]),
      `tick ${last}`,
    );
    assert.deepEqual(
      warnings.filter((w) => /resynchroniz/.test(w)),
      [],
    );
  });
});
