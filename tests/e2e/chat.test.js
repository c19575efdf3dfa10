// Flet's chat tutorial (examples/chat.lua) in three tabs: each joins through the dialog, and
// messages sent through page.pubsub reach every tab, in the order they were sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('examples/chat.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// Joins the chat as name in a new tab.
async function join(name) {
  const page = await openApp(browser, host);
  await waitText(page, 'Welcome!');
  await page.bringToFront();
  await page.click('[data-type="alertdialog"] [data-type="textfield"]');
  await page.keyboard.type(name);
  await clickText(page, 'Join chat');
  await waitText(page, `${name} has joined the chat.`);
  return page;
}

// The texts of the chat's messages, in the order the page shows them.
const messages = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-type="listview"] [data-type="text"]')]
      .map((e) => e.textContent)
      .filter((t) => t.startsWith('m')),
  );

describe('the chat tutorial', () => {
  it('carries messages between three tabs, in send order', async () => {
    const ada = await join('Ada');
    const bob = await join('Bob');
    // A tab in the background draws no frames (the list lays out in one): bring it forward.
    await ada.bringToFront();
    await waitText(ada, 'Bob has joined the chat.');
    const cy = await join('Cy');
    await bob.bringToFront();
    await waitText(bob, 'Cy has joined the chat.');
    await ada.bringToFront();
    for (const text of ['m1', 'm2', 'm3']) {
      await ada.click('[data-type="row"] [data-type="textfield"]');
      await ada.keyboard.type(text);
      await ada.keyboard.press('Enter');
      await waitText(ada, text);
    }
    for (const page of [ada, bob, cy]) {
      await page.bringToFront();
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-type="listview"] [data-type="text"]')].filter((e) =>
            e.textContent.startsWith('m'),
          ).length === 3,
        { polling: 'mutation' },
      );
      assert.deepEqual(await messages(page), ['m1', 'm2', 'm3']);
      await waitText(page, 'Ada');
    }
    for (const page of [ada, bob, cy]) await page.close();
  });
});
