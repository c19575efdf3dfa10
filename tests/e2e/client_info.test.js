// What the page knows of its browser, in Chromium: the user agent and platform, and the
// preferred color scheme, from register and as it changes (emulated prefers-color-scheme).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/client_info.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

describe("the browser's user agent and brightness", () => {
  it('are the page client_user_agent and platform', async () => {
    const page = await openApp(browser, host);
    const ua = await page.evaluate(() => navigator.userAgent);
    await waitText(page, `user agent: ${ua}`);
    await waitText(page, 'platform: linux');
    await page.close();
  });

  it('is page.platform_brightness from the start, then on_platform_brightness_change', async () => {
    const page = await browser.newPage();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await openApp(browser, host, undefined, page);
    await waitText(page, 'brightness: dark');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await waitText(page, 'brightness: light (change 1: light)');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await waitText(page, 'brightness: dark (change 2: dark)');
    await page.close();
  });
});
