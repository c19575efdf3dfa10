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

// Clicks the element matching selector whose text (or title) includes `text`.
async function clickWhere(page, selector, text) {
  const handle = await page.waitForFunction(
    (sel, t) =>
      [...document.querySelectorAll(sel)].find(
        (e) => e.offsetParent !== null && (e.textContent.includes(t) || e.title === t),
      ) ?? null,
    { polling: 'mutation' },
    selector,
    text,
  );
  await handle.click();
}

describe("Flet's tutorials", () => {
  it('the to-do app adds, ticks, filters, edits and clears tasks', async () => {
    await withApp('examples/todo.lua', async (page) => {
      await waitText(page, 'Todos');
      for (const task of ['milk', 'bread']) {
        await page.click('[data-type="textfield"]');
        await page.keyboard.type(task);
        await page.keyboard.press('Enter');
        await waitText(page, task);
      }
      await waitText(page, '2 active item(s) left');
      await clickWhere(page, '[data-type="checkbox"]', 'milk');
      await waitText(page, '1 active item(s) left');
      // The "completed" tab shows milk alone.
      await clickWhere(page, '[data-type="tab"]', 'completed');
      await page.waitForFunction(() => !document.body.innerText.includes('bread'));
      assert.ok((await page.evaluate(() => document.body.innerText)).includes('milk'));
      await clickWhere(page, '[data-type="tab"]', 'all');
      await waitText(page, 'bread');
      // Edit bread into butter.
      const tasks = await page.$$('[data-type="column"] [title="Edit To-Do"]');
      assert.equal(tasks.length, 2);
      await tasks[1].click();
      const field = await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-type="textfield"]')].find(
            (e) => e.offsetParent !== null && e.value === 'bread',
          ) ?? null,
        { polling: 'mutation' },
      );
      await field.click({ count: 3 });
      await page.keyboard.type('butter');
      await clickWhere(page, '[data-type="iconbutton"]', 'Update To-Do');
      await waitText(page, 'butter');
      await clickText(page, 'Clear completed');
      await page.waitForFunction(() => !document.body.innerText.includes('milk'));
      await waitText(page, '1 active item(s) left');
    });
  });

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
