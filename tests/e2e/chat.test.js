// Flet's chat tutorial (examples/chat.lua) in three tabs: each joins through the dialog, and
// messages sent through page.pubsub reach every tab, in the order they were sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join, messages, say } from './chat.js';
import { launchBrowser, startHost, waitText } from './harness.js';

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

describe('the chat tutorial', () => {
  it('carries messages between three tabs, in send order', async () => {
    const ada = await join(browser, host, 'Ada');
    const bob = await join(browser, host, 'Bob');
    // A tab in the background draws no frames (the list lays out in one): bring it forward.
    await ada.bringToFront();
    await waitText(ada, 'Bob has joined the chat.');
    const cy = await join(browser, host, 'Cy');
    await bob.bringToFront();
    await waitText(bob, 'Cy has joined the chat.');
    await ada.bringToFront();
    for (const text of ['m1', 'm2', 'm3']) await say(ada, text);
    for (const page of [ada, bob, cy]) {
      assert.deepEqual(await messages(page, 3), ['m1', 'm2', 'm3']);
      await waitText(page, 'Ada');
    }
    for (const page of [ada, bob, cy]) await page.close();
  });
});
