// The page's theme as Flet's: the M3 scheme from a seed (blue by default), light, dark or
// following the browser ("system", the default), and roles an app sets itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/theme.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const role = (page, name) =>
  page.evaluate(
    (n) =>
      getComputedStyle(document.documentElement).getPropertyValue(`--md-sys-color-${n}`).trim(),
    name,
  );
const isDark = (page) => page.evaluate(() => document.documentElement.hasAttribute('data-dark'));

// Green-ish: the green channel leads.
const greenish = (hex) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return g > r && g > b;
};

describe('the theme', () => {
  it('is computed from the seed, with the roles the app sets itself', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'themed');
    await page.waitForFunction(
      () =>
        getComputedStyle(document.documentElement)
          .getPropertyValue('--md-sys-color-tertiary')
          .trim() === '#123456',
    );
    // The theme's font comes first, the default behind it.
    const font = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--md-ref-typeface-plain'),
    );
    assert.match(font, /^\s*"Kanit", Roboto/);
    const primary = await role(page, 'primary');
    assert.match(primary, /^#[0-9a-f]{6}$/);
    assert.ok(greenish(primary), primary);
    await clickText(page, 'Blue');
    await page.waitForFunction(
      (was) =>
        getComputedStyle(document.documentElement)
          .getPropertyValue('--md-sys-color-primary')
          .trim() !== was,
      {},
      primary,
    );
    const blue = await role(page, 'primary');
    const [r, , b] = [1, 3, 5].map((i) => parseInt(blue.slice(i, i + 2), 16));
    assert.ok(b > r, blue);
    await page.close();
  });

  it('follows the browser in system mode, and the app in light and dark', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'themed');
    assert.equal(await isDark(page), false);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-dark'));
    const surface = await role(page, 'surface');
    const lum = parseInt(surface.slice(1, 3), 16);
    assert.ok(lum < 0x40, `a dark surface, not ${surface}`);
    await clickText(page, 'Light');
    await page.waitForFunction(() => !document.documentElement.hasAttribute('data-dark'));
    await clickText(page, 'Dark');
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-dark'));
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await clickText(page, 'System');
    await page.waitForFunction(() => !document.documentElement.hasAttribute('data-dark'));
    await page.close();
  });
});
