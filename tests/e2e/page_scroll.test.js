// The page's own scrolling area in Chromium: page:scroll_to by key, offset and delta, and
// page.on_scroll with Flet's fields, sent only while the page has the handler.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/page_scroll.lua', { args: ['--log-level', 'debug'] });
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// The page's scrolling column, and where item `n` is from its top.
const scrollTop = (page) => page.$eval('.lf-page-controls', (el) => el.scrollTop);
const itemFromTop = (page, n) =>
  page.$eval(
    '.lf-page-controls',
    (el, text) => {
      const item = [...el.children].find((c) => c.innerText.trim() === text);
      return item.getBoundingClientRect().top - el.getBoundingClientRect().top;
    },
    `item ${n}`,
  );

describe("the page's scrolling", () => {
  it('follows page:scroll_to and reports to page.on_scroll only once it is set', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'item 100');
    // A key: its control comes to the top.
    await clickText(page, 'To 60');
    await page.waitForFunction(() => document.querySelector('.lf-page-controls').scrollTop > 0, {
      timeout: 10000,
    });
    assert.ok(
      Math.abs(await itemFromTop(page, 60)) <= 1,
      `item 60 at ${await itemFromTop(page, 60)}`,
    );
    // A delta from there.
    const before60 = await scrollTop(page);
    await clickText(page, 'Down 100');
    await page.waitForFunction(
      (t) => document.querySelector('.lf-page-controls').scrollTop >= t + 99,
      { timeout: 10000 },
      before60,
    );
    // No handler yet: the browser sent nothing (the host would log an event it ignores).
    await clickText(page, 'Listen');
    await waitText(page, 'listening');
    assert.doesNotMatch(host.log, /event scroll for control 0 ignored/);
    // The end, as Flet reports it: pixels at the maximum extent.
    await clickText(page, 'To end');
    const end = await page.waitForFunction(
      () => {
        const m = /scroll end (\d+) \/ (\d+)/.exec(document.body.innerText);
        return m && m[1] === m[2] && Number(m[1]) > 0 && m;
      },
      { polling: 'mutation', timeout: 10000 },
    );
    const [, pixels] = await end.jsonValue();
    assert.equal(Number(pixels), Math.round(await scrollTop(page)));
    // The person scrolling back up is reported too.
    const box = await page.$eval('.lf-page-controls', (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await page.mouse.wheel({ deltaY: -400 });
    await page.waitForFunction(
      (p) => {
        const m = /scroll (?:update|end) (\d+) \//.exec(document.body.innerText);
        return m && Number(m[1]) < p;
      },
      { polling: 'mutation', timeout: 10000 },
      Number(pixels),
    );
    await page.close();
  });

  it('stays at its end as items come while page.auto_scroll is set', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'item 100');
    assert.equal(await scrollTop(page), 0);
    const atEnd = () =>
      page.waitForFunction(
        () => {
          const el = document.querySelector('.lf-page-controls');
          return (
            el.scrollTop > 0 && Math.abs(el.scrollHeight - el.clientHeight - el.scrollTop) <= 1
          );
        },
        { polling: 'mutation', timeout: 10000 },
      );
    await clickText(page, 'Follow');
    await waitText(page, 'item 101');
    await atEnd();
    await clickText(page, 'Add');
    await waitText(page, 'item 102');
    await atEnd();
    // The newest item is in view.
    const height = await page.$eval('.lf-page-controls', (el) => el.clientHeight);
    const top = await itemFromTop(page, 102);
    assert.ok(top > 0 && top < height, `item 102 at ${top} of ${height}`);
    await page.close();
  });
});
