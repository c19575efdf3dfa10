// The browser's client behind nginx, configured by luaflet --print-nginx-config, with two
// hosts: the page, its files and its session come through the proxy, and when the proxy
// restarts under the tab (every socket cut), the client reconnects asking for the host its
// token names and resumes there, the page still ticking and never reloaded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startHost, waitText } from './harness.js';
import { startNginx } from './nginx.js';

const ROUTES = ['left', 'right'];
let browser, hosts, nginx;

before(async () => {
  browser = await launchBrowser();
  hosts = await Promise.all(
    ROUTES.map((id) =>
      startHost('tests/e2e/apps/ticker.lua', {
        args: ['--route-id', id, '--trust-proxy', '--log-level', 'debug'],
      }),
    ),
  );
  nginx = await startNginx(Object.fromEntries(ROUTES.map((id, i) => [id, hosts[i]])));
});

after(async () => {
  await browser?.close();
  await nginx?.remove();
  for (const h of hosts ?? []) {
    const stopped = await h.stop();
    assert.equal(stopped.code, 0, `host exit status, log:\n${h.log}`);
  }
});

const shownTick = (page) =>
  page.evaluate(() => {
    const t = [...document.querySelectorAll('[data-type="text"]')].find((e) =>
      e.textContent.startsWith('tick '),
    );
    return t ? Number(t.textContent.split(' ')[1]) : -1;
  });

describe('the browser behind nginx', () => {
  it('resumes on the host that holds its session when the proxy cuts every socket', async () => {
    const page = await browser.newPage();
    await page.goto(nginx.url);
    await page.waitForFunction(() => document.body.dataset.connection === 'open');
    await waitText(page, 'tick 5');
    const owner = hosts.find((h) => /session started/.test(h.log));
    assert.ok(owner, 'a host started the session');
    const other = hosts.find((h) => h !== owner);
    const before = await shownTick(page);

    // Every socket through the proxy goes; the tab retries until the proxy is back.
    await nginx.stop();
    await owner.waitLog(/app: disconnected/);
    await page.waitForFunction(() => document.body.dataset.connection !== 'open');
    await nginx.start();
    await page.waitForFunction(() => document.body.dataset.connection === 'open', {
      timeout: 15000,
    });
    await owner.waitLog(/session resumed/);
    assert.doesNotMatch(other.log, /session (started|resumed)/);
    // The same page goes on: the ticks it shows keep counting from where they were.
    await page.waitForFunction(
      (n) => {
        const t = [...document.querySelectorAll('[data-type="text"]')].find((e) =>
          e.textContent.startsWith('tick '),
        );
        return t && Number(t.textContent.split(' ')[1]) > n + 10;
      },
      {},
      before,
    );
    await page.close();
  });
});
