// The host's Content-Security-Policy allows no inline style or script, and nothing the client
// draws may need one: a page with every control type, used as a person would use it, must
// cause no violation at all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  clickText,
  cspViolations,
  launchBrowser,
  openApp,
  startHost,
  waitText,
} from './harness.js';

// The control types the client knows, read from its registry, so that a type added there
// without being added to the app below fails this test.
function clientTypes() {
  const src = readFileSync(new URL('../../client/src/controls/index.js', import.meta.url), 'utf8');
  const block = /const TYPES = \{([^}]*)\}/.exec(src)[1];
  return [...block.matchAll(/^\s*(\w+)\s*[:,]/gm)].map((m) => m[1]);
}

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/every_control.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

describe('Content-Security-Policy', () => {
  it('is strict: no inline style or script', async () => {
    const csp = (await fetch(host.url)).headers.get('content-security-policy');
    assert.match(csp, /style-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-hashes|style-src-attr|style-src-elem/);
  });

  it('is kept by every control type, before and after patches and while typing', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'Every control');
    const shown = await page.evaluate(() => [
      ...new Set([...document.querySelectorAll('[data-type]')].map((e) => e.dataset.type)),
    ]);
    for (const type of [...clientTypes(), 'gauge'])
      assert.ok(shown.includes(type), `no ${type} on the page`);
    assert.equal(await page.$$eval('.lf-unsupported', (els) => els.length), 1);

    // Focus the text field and type: its component renders on focus and on every input.
    await page.bringToFront();
    const field = '[data-type="textfield"]';
    await page.click(field);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.type), 'textfield');
    await page.keyboard.type('hello');
    await waitText(page, 'typed: hello');
    await page.keyboard.press('Enter');
    await waitText(page, 'submitted: hello');

    // Patches: new colors, borders, the dark theme, a password field and a text field added.
    await clickText(page, 'Restyle');
    await waitText(page, 'restyled');
    assert.equal(await page.$eval(field, (el) => el.type), 'password');
    await page.waitForSelector(`[data-type="column"] ${field}`);
    await page.click(`[data-type="column"] ${field}`);
    await page.keyboard.type('more');
    assert.equal(await page.$eval(`[data-type="column"] ${field}`, (el) => el.value), 'more');
    await clickText(page, 'Restyle');
    await waitText(page, 'plain');

    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });
});
