// An error in the app shows in the page: a small banner in production with nothing internal
// in it, the message, its traceback and the app's lines around it under --debug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, startHost, waitText } from './harness.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Where the app's code fails: a handler, a task it started, and main itself.
const kinds = [
  {
    name: 'a handler',
    path: '',
    click: 'Break',
    message: /the button broke/,
    line: />\s+8 \|\s+error\("the button broke"\)/,
  },
  {
    name: 'a task',
    path: '',
    click: 'Break in a task',
    message: /the task broke/,
    line: />\s+12 \|\s+error\("the task broke"\)/,
  },
  {
    name: 'main',
    path: 'main-error',
    click: null,
    message: /main broke/,
    line: />\s+15 \|.*error\("main broke"\)/,
  },
];

for (const debug of [false, true]) {
  describe(`an app error ${debug ? 'under --debug' : 'in production'}`, () => {
    for (const kind of kinds) {
      it(`in ${kind.name} ${debug ? 'shows its message, traceback and lines' : 'shows a banner with no detail'}`, async () => {
        const host = await startHost('tests/e2e/apps/app_error.lua', {
          args: debug ? ['--debug'] : [],
        });
        try {
          // A fresh tab at the address: in a tab that has a session already, another address
          // is only a route change (its main does not run again).
          const page = await browser.newPage();
          await page.goto(`${host.url}${kind.path}`);
          await waitText(page, 'ready');
          if (kind.click) await clickText(page, kind.click);
          await page.waitForSelector('#luaflet-app-error:not([hidden])');
          const text = await page.$eval('#luaflet-app-error', (e) => e.innerText);
          assert.match(text, /Something went wrong/);
          if (debug) {
            assert.match(text, kind.message);
            assert.match(text, /stack traceback/);
            // The app's own lines around the error, the line itself marked.
            assert.match(text, kind.line);
          } else {
            // Nothing internal in the page at all: no message, path or traceback.
            const html = await page.content();
            assert.doesNotMatch(text, /broke|traceback|\.lua/);
            assert.doesNotMatch(html, /broke|traceback|app_error\.lua/);
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
    }
  });
}
