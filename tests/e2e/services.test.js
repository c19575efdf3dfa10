// The page's calls on its browser, each answered by the browser: localStorage surviving a
// reload, the clipboard both ways, a URL opened in a new tab, and keys reaching the app.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/services.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

describe("the page's calls on its browser", () => {
  it('keep values in localStorage across a reload, under the app prefix', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'ready');
    await clickText(page, 'Save');
    await waitText(page, 'saved');
    // The reload keeps the session (its page shows "saved" still); the values come back from
    // the browser's storage all the same.
    await page.reload();
    await waitText(page, 'saved');
    await clickText(page, 'Load');
    await waitText(page, 'loaded Ada 3');
    await clickText(page, 'Keys');
    await waitText(page, 'keys name');
    assert.equal(await page.evaluate(() => localStorage.getItem('name')), null);
    assert.ok(await page.evaluate(() => localStorage.getItem('luaflet.name')));
    await clickText(page, 'Forget');
    await waitText(page, 'has name: false');
    await page.close();
  });

  it('write and read the clipboard', async () => {
    const context = browser.defaultBrowserContext();
    await context.overridePermissions(host.url.replace(/\/$/, ''), [
      'clipboard-read',
      'clipboard-write',
      'clipboard-sanitized-write',
    ]);
    const page = await openApp(browser, host);
    await waitText(page, 'ready');
    await clickText(page, 'Copy');
    await page.waitForFunction(
      async () => (await navigator.clipboard.readText()) === 'from the app',
    );
    await page.evaluate(() => navigator.clipboard.writeText('from the person'));
    await clickText(page, 'Paste');
    await waitText(page, 'pasted from the person');
    await page.close();
  });

  it('open a URL in a new tab', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'ready');
    const opened = new Promise((ok) => browser.once('targetcreated', (t) => ok(t.url())));
    await clickText(page, 'Open');
    assert.equal(await opened, `${host.url}opened`);
    await page.close();
  });

  it('hand keys to page.on_keyboard_event', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'ready');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Shift');
    await waitText(page, 'key: A shift');
    await page.keyboard.press('ArrowDown');
    await waitText(page, 'key: Arrow Down');
    await page.close();
  });
});
