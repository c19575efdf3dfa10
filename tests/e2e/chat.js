// What the chat tutorial's tests do in a tab of examples/chat.lua: join under a name, say
// something, and read the messages shown.
import { clickText, openApp, waitText } from './harness.js';

// Joins the chat as name in a new tab of host.
export async function join(browser, host, name) {
  const page = await openApp(browser, host);
  await waitText(page, 'Welcome!');
  await page.bringToFront();
  await page.click('[data-type="alertdialog"] [data-type="textfield"]');
  await page.keyboard.type(name);
  await clickText(page, 'Join chat');
  await waitText(page, `${name} has joined the chat.`);
  return page;
}

// Writes text as a message and waits for it to show in the writer's own tab.
export async function say(page, text) {
  await page.bringToFront();
  await page.click('[data-type="row"] [data-type="textfield"]');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await waitText(page, text);
}

// The chat's messages that start with "m", in the order the page shows them, once there are
// at least n. (A tab in the background draws no frames: it is brought forward.)
export async function messages(page, n) {
  await page.bringToFront();
  await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('[data-type="listview"] [data-type="text"]')].filter((e) =>
        e.textContent.startsWith('m'),
      ).length >= n,
    { polling: 'mutation' },
    n,
  );
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-type="listview"] [data-type="text"]')]
      .map((e) => e.textContent)
      .filter((t) => t.startsWith('m')),
  );
}
