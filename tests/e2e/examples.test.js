// Every example of the async-apps guide, in a real browser against the real host.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:http';
import {
  clickText,
  countText,
  cspViolations,
  launchBrowser,
  openApp,
  startHost,
  waitText,
} from './harness.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Runs body(host) against a host serving app, and checks that the host then stops cleanly.
async function withHost(app, body) {
  const host = await startHost(app);
  try {
    await body(host);
  } finally {
    const { code } = await host.stop();
    assert.equal(code, 0, `host exit status, log:\n${host.log}`);
    assert.doesNotMatch(host.log, /open handles|task failed/);
  }
}

describe('examples', () => {
  it("run under the host's Content-Security-Policy without a violation", () =>
    withHost('examples/say_hello.lua', async (host) => {
      const page = await openApp(browser, host);
      const response = await page.reload();
      assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
      await page.waitForFunction(() => document.body.dataset.connection === 'open');
      await clickText(page, 'Say hello!');
      await waitText(page, 'Hello!');
      assert.deepEqual(await cspViolations(page), []);
    }));

  it('hello_async shows its text and title', () =>
    withHost('examples/hello_async.lua', async (host) => {
      const page = await openApp(browser, host);
      await waitText(page, 'Hello, async world!');
      assert.equal(await page.title(), 'Hello, async world');
    }));

  it('say_hello adds "Hello!" on each click', () =>
    withHost('examples/say_hello.lua', async (host) => {
      const page = await openApp(browser, host);
      // Mark the button's element: a patch that adds beside it must leave it alone.
      await page.evaluate(() => {
        document.querySelector('[data-type="elevatedbutton"]').__mark = 1;
      });
      await clickText(page, 'Say hello!');
      await waitText(page, 'Hello!');
      await clickText(page, 'Say hello!');
      await page.waitForFunction(() => document.body.innerText.split('Hello!').length - 1 === 2);
      assert.equal(
        await page.evaluate(() => document.querySelector('[data-type="elevatedbutton"]').__mark),
        1,
        'the button was rendered again',
      );
    }));

  it('say_hello_delay answers a second later and stays responsive meanwhile', () =>
    withHost('examples/say_hello_delay.lua', async (host) => {
      const page = await openApp(browser, host);
      const t0 = Date.now();
      await clickText(page, 'Say hello with delay!');
      await waitText(page, 'Click 1: saying hello in a second...');
      // A second click during the first one's sleep is handled at once.
      await clickText(page, 'Say hello with delay!');
      await waitText(page, 'Click 2: saying hello in a second...');
      assert.equal(await countText(page, 'Hello! (1)'), 0, 'the first answer came too early');
      await waitText(page, 'Hello! (1)');
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= 1000, `first answer after ${elapsed} ms`);
      assert.ok(elapsed < 3000, `first answer after ${elapsed} ms`);
      await waitText(page, 'Hello! (2)');
    }));

  it('page_resize follows the window size', () =>
    withHost('examples/page_resize.lua', async (host) => {
      const page = await openApp(browser, host, { width: 900, height: 700 });
      await waitText(page, '900 x 700');
      await page.setViewport({ width: 640, height: 480 });
      await waitText(page, '640 x 480');
      // The size sits in the overlay, in the bottom-right corner.
      const box = await page.evaluate(() => {
        const el = [...document.querySelectorAll('[data-type="text"]')].find((e) =>
          e.textContent.includes('640 x 480'),
        );
        const r = el.getBoundingClientRect();
        return { right: innerWidth - r.right, bottom: innerHeight - r.bottom };
      });
      assert.ok(Math.abs(box.right - 50) < 2 && Math.abs(box.bottom - 50) < 2, JSON.stringify(box));
    }));

  it('countdown ticks once a second and stops when removed', () =>
    withHost('examples/countdown.lua', async (host) => {
      const page = await openApp(browser, host);
      // Count the patches the page receives, to see that ticking stops after removal.
      await waitText(page, '02:00');
      await waitText(page, '01:00');
      await waitText(page, '01:59');
      const t0 = Date.now();
      await waitText(page, '01:57');
      await waitText(page, '00:57');
      const two = Date.now() - t0;
      assert.ok(two > 1500 && two < 2800, `two ticks took ${two} ms`);
      await page.evaluate(() => {
        window.__texts = [];
        new MutationObserver(() => window.__texts.push(document.body.innerText)).observe(
          document.body,
          { subtree: true, childList: true, characterData: true },
        );
      });
      await clickText(page, 'Remove the countdowns');
      await page.waitForFunction(() => !/\d\d:\d\d/.test(document.body.innerText));
      await page.evaluate(() => {
        window.__texts = [];
      });
      // will_unmount stopped both tasks: nothing changes on the page for more than a tick.
      await new Promise((r) => setTimeout(r, 2200));
      assert.deepEqual(await page.evaluate(() => window.__texts), []);
    }));

  it('lambda_handlers: inline handlers may await', () =>
    withHost('examples/lambda_handlers.lua', async (host) => {
      const page = await openApp(browser, host);
      await clickText(page, 'Inline, awaits');
      await waitText(page, 'Working...');
      await waitText(page, 'Done after half a second');
      await clickText(page, 'Inline, plain');
      await waitText(page, 'Clicked at once');
    }));

  it('dialogs opens and closes every overlay, and hears each one dismissed', () =>
    withHost('examples/dialogs.lua', async (host) => {
      const page = await openApp(browser, host);
      await waitText(page, 'Nothing yet');
      const openDialog = '[data-type="alertdialog"][data-open]';
      // Waits until what slides or rises in has come to rest, so a click does not miss it.
      const settled = () =>
        page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      // Dismissible: Escape closes it and on_dismiss hears it.
      await clickText(page, 'Say hello');
      await waitText(page, 'Hello there');
      await page.keyboard.press('Escape');
      await waitText(page, 'The greeting was dismissed');
      await page.waitForSelector(openDialog, { hidden: true });
      // Modal: Escape leaves it up; its button closes it.
      await clickText(page, 'Delete draft');
      await waitText(page, 'Delete the draft?');
      await page.keyboard.press('Escape');
      await clickText(page, 'Keep');
      await waitText(page, 'The draft was kept');
      await page.waitForSelector(openDialog, { hidden: true });
      // The snack bar and its action.
      await clickText(page, 'Archive');
      await waitText(page, 'Message 1 archived');
      await page.waitForSelector('.lf-snackbar[data-open]');
      await settled();
      await page.click('.lf-snackbar-action');
      await waitText(page, 'Undone: 0 message(s) archived');
      // The banner, closed from its action.
      await clickText(page, 'Sync error');
      await waitText(page, 'The last sync failed');
      await clickText(page, 'Retry');
      await waitText(page, 'Syncing again');
      await page.waitForSelector('.lf-banner[data-open]', { hidden: true });
      // The bottom sheet: a click outside dismisses it; a button in it closes it.
      await clickText(page, 'Share');
      await waitText(page, 'Share this page');
      await settled();
      await page.mouse.click(500, 100);
      await waitText(page, 'Not shared');
      await clickText(page, 'Share');
      await page.waitForSelector('.lf-sheet-layer[data-open]');
      await settled();
      await clickText(page, 'Link');
      await waitText(page, 'Shared by link');
      // The pickers.
      await clickText(page, 'Pick a date');
      const dialog = await page.waitForSelector('[data-type="datepicker"] dialog[open]');
      await dialog.$eval('input', (i) => {
        i.value = '2024-06-15';
      });
      await (await dialog.$('md-text-button:last-child')).click();
      await waitText(page, 'Date picked: 2024-06-15');
      await clickText(page, 'Pick a time');
      await page.waitForSelector('[data-type="timepicker"] dialog[open]');
      await page.keyboard.press('Escape');
      await waitText(page, 'No time picked');
      // The drawer, opened with page:open and closed by a pick.
      await clickText(page, 'Menu');
      await page.waitForSelector('.lf-drawer[data-open]');
      await settled();
      const dest = await page.waitForFunction(() =>
        [...document.querySelectorAll('.lf-drawer .lf-dest')].find(
          (e) => e.innerText.trim() === 'Archive',
        ),
      );
      await dest.click();
      await waitText(page, 'Went to Archive');
      await page.waitForSelector('.lf-drawer:not([data-open])');
      assert.deepEqual(await cspViolations(page), []);
      assert.doesNotMatch(host.log, /app error/);
    }));
});

describe('moves', () => {
  it('keep focus, caret and typed text when the host reorders the rows', () =>
    withHost('tests/e2e/apps/reorder_fields.lua', async (host) => {
      const page = await openApp(browser, host);
      await page.waitForSelector('[data-type="textfield"]');
      const fields = await page.$$('[data-type="textfield"]');
      await page.evaluate((f) => {
        f.__mark = 'first';
      }, fields[0]);
      await fields[0].click();
      await page.keyboard.type('hello');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      const rowOrder = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[data-type="row"]')].map(
            (r) => r.querySelector('[data-type="text"]').textContent,
          ),
        );
      assert.deepEqual(await rowOrder(), ['row 1', 'row 2', 'row 3']);
      // Enter moves the focused field's row to the end: its element is taken out and put
      // back, which would drop the focus.
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-type="row"] [data-type="text"]').textContent === 'row 2',
      );
      assert.deepEqual(await rowOrder(), ['row 2', 'row 3', 'row 1']);
      const state = await page.evaluate(() => {
        const f = document.activeElement;
        return {
          mark: f.__mark,
          value: f.value,
          caret: f.selectionStart,
          last: f === [...document.querySelectorAll('[data-type="textfield"]')].at(-1),
        };
      });
      assert.deepEqual(state, { mark: 'first', value: 'hello', caret: 2, last: true });
      await clickText(page, 'Reverse');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-type="row"] [data-type="text"]').textContent === 'row 1',
      );
      assert.deepEqual(await rowOrder(), ['row 1', 'row 3', 'row 2']);
      assert.equal(await page.$eval('[data-type="textfield"]', (f) => f.__mark), 'first');
    }));
});

describe('http_fetch', () => {
  it('keeps the spinner turning while a slow request runs', async () => {
    // A slow endpoint: it answers after 1.5 s.
    const slow = createServer((req, res) => setTimeout(() => res.end('slow answer'), 1500));
    await new Promise((ok) => slow.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${slow.address().port}/`;
    const host = await startHost('examples/http_fetch.lua', { args: [url] });
    try {
      const page = await openApp(browser, host);
      await waitText(page, `Press Fetch to load ${url}`);
      await page.evaluate(() => {
        window.__frames = new Set();
        const spinner = document.querySelector('[data-type="text"]');
        new MutationObserver(() => {
          if (!/HTTP \d+/.test(document.body.innerText)) window.__frames.add(spinner.textContent);
        }).observe(spinner, { subtree: true, childList: true, characterData: true });
      });
      await clickText(page, 'Fetch');
      await waitText(page, 'Fetching...');
      await waitText(page, 'HTTP 200, 11 bytes');
      const frames = await page.evaluate(() => window.__frames.size);
      assert.equal(frames, 4, 'every spinner frame showed while the request ran');
    } finally {
      slow.close();
      assert.equal((await host.stop()).code, 0, host.log);
    }
  });
});

describe('sessions', () => {
  it('two tabs are two independent sessions', () =>
    withHost('examples/say_hello.lua', async (host) => {
      const a = await openApp(browser, host);
      const b = await openApp(browser, host);
      await clickText(a, 'Say hello!');
      await waitText(a, 'Hello!');
      await clickText(b, 'Say hello!');
      await clickText(b, 'Say hello!');
      await b.waitForFunction(() => document.body.innerText.split('Hello!').length - 1 === 2);
      assert.equal(await countText(a, 'Hello!'), 1);
    }));

  it('an error in a handler is reported and the next click works', () =>
    withHost('tests/e2e/apps/failing_handler.lua', async (host) => {
      const page = await openApp(browser, host);
      await clickText(page, 'Click me');
      await waitText(page, 'on_error: ');
      assert.match(await page.evaluate(() => document.body.innerText), /the first click fails/);
      await host.waitLog(/app error: .*the first click fails[\s\S]*stack traceback/);
      await clickText(page, 'Click me');
      await waitText(page, 'clicks: 2');
    }));

  it('shows that it is reconnecting while the host is away, then starts afresh', async () => {
    let host = await startHost('examples/say_hello.lua');
    const port = host.port;
    const page = await openApp(browser, host);
    await clickText(page, 'Say hello!');
    await waitText(page, 'Hello!');
    assert.equal((await host.stop()).code, 0);
    await page.waitForFunction(() => document.body.dataset.connection === 'reconnecting');
    assert.ok(
      await page.evaluate(() => {
        const s = document.getElementById('luaflet-status');
        return (
          s &&
          !s.hidden &&
          getComputedStyle(s).display !== 'none' &&
          s.getBoundingClientRect().height > 0 &&
          /reconnecting/i.test(s.textContent)
        );
      }),
      'the reconnecting banner is visible',
    );
    host = await startHost('examples/say_hello.lua', { port });
    try {
      await page.waitForFunction(() => document.body.dataset.connection === 'open', {
        timeout: 15000,
      });
      await waitText(page, 'Say hello!');
      assert.equal(await countText(page, 'Hello!'), 0, 'a new session starts with a new page');
    } finally {
      assert.equal((await host.stop()).code, 0);
    }
  });
});

describe('host', () => {
  it('serves from ft.app_async while another task keeps running', () =>
    withHost('tests/e2e/apps/app_async.lua', async (host) => {
      const page = await openApp(browser, host);
      await waitText(page, 'background ticks: 0');
      await clickText(page, 'Show ticks');
      await page.waitForFunction(() => /background ticks: [1-9]/.test(document.body.innerText));
    }));

  it(
    'frees everything under valgrind after sessions come and go',
    {
      skip: process.env.SANITIZE === '1' && 'valgrind cannot run a host built with ASan',
    },
    async () => {
      const host = await startHost('examples/countdown.lua', { valgrind: true });
      const page = await openApp(browser, host);
      await waitText(page, '01:59', 30000);
      await clickText(page, 'Remove the countdowns');
      await page.waitForFunction(() => !/\d\d:\d\d/.test(document.body.innerText));
      await page.close();
      const again = await openApp(browser, host);
      await waitText(again, '01:59', 30000);
      const { code } = await host.stop('SIGINT');
      assert.equal(code, 0, host.log);
      assert.doesNotMatch(host.log, /open handles|task failed/);
    },
  );

  it('stops cleanly on SIGINT with a session open', async () => {
    const host = await startHost('examples/countdown.lua');
    const page = await openApp(browser, host);
    await waitText(page, '01:59');
    const { code } = await host.stop('SIGINT');
    assert.equal(code, 0, host.log);
    assert.match(host.log, /stopped serving/);
    assert.doesNotMatch(host.log, /open handles|task failed/);
  });
});
