// Flet's tutorials, ported line by line to Lua (examples/), used as a person would: each must
// work as the Python original does.
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

// Starts app, opens it, runs fn(page), and stops the host (its exit status must be 0).
async function withApp(app, fn) {
  const host = await startHost(app);
  try {
    const page = await openApp(browser, host);
    await fn(page);
    await page.close();
  } finally {
    const stopped = await host.stop();
    assert.equal(stopped?.code, 0, `host exit status, log:\n${host.log}`);
  }
}

// The calculator's display: the text in the black container's first row.
const display = (page) =>
  page.evaluate(
    () => document.querySelector('[data-type="container"] [data-type="text"]')?.textContent,
  );

describe("Flet's tutorials", () => {
  it('the calculator computes 12 + 30 = 42 and 7 / 0 = Error', async () => {
    await withApp('examples/calc.lua', async (page) => {
      await waitText(page, 'AC');
      for (const key of ['1', '2', '+', '3', '0', '=']) await clickText(page, key);
      await page.waitForFunction(
        () =>
          document.querySelector('[data-type="container"] [data-type="text"]')?.textContent ===
          '42',
      );
      for (const key of ['AC', '7', '/', '0', '=']) await clickText(page, key);
      await page.waitForFunction(
        () =>
          document.querySelector('[data-type="container"] [data-type="text"]')?.textContent ===
          'Error',
      );
      assert.equal(await display(page), 'Error');
    });
  });
});
