// What the client sends when the user clicks: an event for an enabled control that asked for
// clicks, and nothing for one that is disabled, itself or by a control that holds it. The
// host ignores such events too, so only what the page hands to its WebSocket tells.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/disabled.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// The ids of the buttons whose text is each of `texts`, as the page has them.
const idsOf = (page, texts) =>
  page.evaluate(
    (ts) =>
      ts.map((t) => {
        const el = [...document.querySelectorAll('[data-type$="button"]')].find(
          (e) => e.textContent.trim() === t,
        );
        return Number(el.dataset.id);
      }),
    texts,
  );

// The events the page has sent, as the ids they were for.
const sentEvents = (page) =>
  page.evaluate(() =>
    window.sent
      .map((m) => JSON.parse(m))
      .filter((m) => m.t === 'event' && m.name === 'click')
      .map((m) => m.id),
  );

// Records what the page hands to its WebSocket (window.sent) and the number of each
// message it receives (window.seqs), from before the client loads.
async function watchedPage() {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    window.sent = [];
    window.seqs = [];
    const { send } = WebSocket.prototype;
    WebSocket.prototype.send = function (data) {
      window.sent.push(String(data));
      return send.call(this, data);
    };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => window.seqs.push(JSON.parse(e.data).seq));
      }
    };
  });
  return openApp(browser, host, undefined, page);
}

describe('clicks', () => {
  it('are sent only for enabled controls, not for one under a disabled ancestor', async () => {
    const page = await watchedPage();
    await waitText(page, 'clicks: none');
    const [itself, inside, later, enabled] = await idsOf(page, [
      'disabled itself',
      'inside disabled',
      'later disabled',
      'enabled',
    ]);

    await clickText(page, 'disabled itself');
    await clickText(page, 'inside disabled');
    await clickText(page, 'later disabled');
    await waitText(page, 'clicks: later disabled');
    await clickText(page, 'disable the column');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-disabled] [data-type="elevatedbutton"]').length === 2,
    );
    await clickText(page, 'later disabled');
    // Clicks are sent in the order they happen: once this one is out, the others were too.
    await clickText(page, 'enabled');
    await waitText(page, 'clicks: later disabled, enabled');
    const sent = (await sentEvents(page)).filter((id) =>
      [itself, inside, later, enabled].includes(id),
    );
    assert.deepEqual(sent, [later, enabled]);
    await page.close();
  });
});

describe('acknowledgements', () => {
  it('tell the host the number of the last message the page applied', async () => {
    const page = await watchedPage();
    await waitText(page, 'clicks: none');
    await clickText(page, 'enabled');
    await waitText(page, 'clicks: enabled');
    // Sent within half a second of the last message; the host then forgets what it kept.
    const last = await page.evaluate(() => Math.max(...window.seqs.filter(Number.isInteger)));
    await page.waitForFunction(
      (n) =>
        window.sent.some((m) => {
          const msg = JSON.parse(m);
          return msg.t === 'ack' && msg.seq === n;
        }),
      { timeout: 10000 },
      last,
    );
    await page.close();
  });
});
