// The browser's client on a host of two workers (--workers 2): the page, its files and its
// session come through the host's front; when the workers are killed and started again, the
// tab gets a new page and a notice that it started over, and the new page works. (A resume
// routed to its worker is tests/host/workers.test.js's.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startWorkers, waitText, workerPid } from './harness.js';

let browser, host;

before(async () => {
  browser = await launchBrowser();
  host = await startWorkers('tests/e2e/apps/ticker.lua', { args: ['--log-level', 'debug'] });
});

after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

describe('the browser on --workers 2', () => {
  it('starts over with a notice when its worker is gone', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.waitForFunction(() => document.body.dataset.connection === 'open');
    await waitText(page, 'tick 5');

    assert.equal(await page.evaluate(() => document.body.dataset.startedOver), undefined);

    // Both workers killed: the front starts them again; the tab's session is gone.
    const ready = (host.log.match(/worker w\d ready/g) || []).length;
    for (const w of ['w1', 'w2']) process.kill(workerPid(host.log, w), 'SIGKILL');
    await host.waitCount(/worker w\d ready/, ready + 2, 20000);
    await page.waitForFunction(() => document.body.dataset.startedOver === 'true', {
      timeout: 20000,
    });
    const notice = await page.$eval('#luaflet-status', (b) => ({
      hidden: b.hidden,
      text: b.textContent,
    }));
    assert.deepEqual(notice, {
      hidden: false,
      text: 'The server restarted: this page started over.',
    });
    // The new page ticks.
    const tick = () => {
      const t = [...document.querySelectorAll('[data-type="text"]')].find((e) =>
        e.textContent.startsWith('tick '),
      );
      return t ? Number(t.textContent.split(' ')[1]) : -1;
    };
    const now = await page.evaluate(tick);
    await page.waitForFunction(`(${tick})() > ${now} + 2`);
    await page.close();
  });
});
