// An error in the app shows in the page: a small banner in production with nothing internal
// in it, the message, its traceback and the app's lines around it under --debug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const debug of [false, true]) {
  describe(`an app error ${debug ? 'under --debug' : 'in production'}`, () => {
    it(debug ? 'shows its message and traceback' : 'shows a banner with no detail', async () => {
      const host = await startHost('tests/e2e/apps/app_error.lua', {
        args: debug ? ['--debug'] : [],
      });
      try {
        const page = await openApp(browser, host);
        await waitText(page, 'ready');
        await clickText(page, 'Break');
        await page.waitForSelector('#luaflet-app-error:not([hidden])');
        const text = await page.$eval('#luaflet-app-error', (e) => e.innerText);
        assert.match(text, /Something went wrong/);
        if (debug) {
          assert.match(text, /the button broke/);
          assert.match(text, /stack traceback/);
          // The app's own lines around the error, the line itself marked.
          assert.match(text, />\s+6 \|\s+error\("the button broke"\)/);
          assert.match(text, /\s5 \|.*ElevatedButton/);
        } else {
          assert.doesNotMatch(text, /broke|traceback|\.lua/);
        }
        await page.click('.lf-app-error-close');
        await page.waitForSelector('#luaflet-app-error', { hidden: true });
        // The page goes on showing what it showed.
        await waitText(page, 'ready');
        await page.close();
      } finally {
        assert.equal((await host.stop()).code, 0);
      }
    });
  });
}
