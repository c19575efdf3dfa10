// F5 keeps the session, as in Flet: a reloaded tab shows the same page with the app's state
// (a count, page.session), while a new tab, or a duplicated one, gets a session of its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/clicks.lua', { args: ['--log-level', 'debug'] });
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

describe('a reload', () => {
  it('keeps the session and its state; a new tab starts its own', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'clicks 0');
    for (let i = 1; i <= 3; i++) {
      await clickText(page, '+');
      await waitText(page, `clicks ${i}`);
    }
    const started = (host.log.match(/session started/g) || []).length;
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.connection === 'open');
    await waitText(page, 'clicks 3');
    await host.waitLog(/session resumed/);
    assert.equal((host.log.match(/session started/g) || []).length, started, 'no new session');
    // The handed-over token is not left where a duplicated tab would copy it.
    assert.equal(await page.evaluate(() => sessionStorage.getItem('luaflet.session')), null);
    await clickText(page, '+');
    await waitText(page, 'clicks 4');

    const other = await openApp(browser, host);
    await waitText(other, 'clicks 0');
    assert.equal((host.log.match(/session started/g) || []).length, started + 1);
    await other.close();
    await page.close();
  });
});
