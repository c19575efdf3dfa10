// Inputs keep the host in step: what is typed is the field's value in any handler, even when
// the app never set on_change; the common events reach their handlers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/inputs.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

describe('inputs', () => {
  it("give a handler the field's current text without on_change, even clicked at once", async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'nobody yet');
    await page.click('md-outlined-text-field');
    await page.keyboard.type('Ada');
    // The click follows the typing at once, well inside the pause after which typed text
    // goes on its own: the client sends the text first, so the handler sees it.
    await clickText(page, 'Greet');
    await waitText(page, 'hello Ada');
    // Back in the field (the click took the focus), at the end of its text.
    await page.click('md-outlined-text-field');
    await page.keyboard.press('End');
    await page.keyboard.type(' Lovelace');
    await clickText(page, 'Greet');
    await waitText(page, 'hello Ada Lovelace');
    await page.close();
  });

  it('take the keyboard focus when the app calls focus()', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'nobody yet');
    await clickText(page, 'Focus the field');
    await page.waitForFunction(() => document.activeElement?.dataset?.type === 'textfield');
    await page.keyboard.type('Zed');
    await clickText(page, 'Greet');
    await waitText(page, 'hello Zed');
    await page.close();
  });

  it('report the pointer entering and leaving a control with on_hover', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'pointer outside');
    const box = await page.evaluateHandle(() =>
      [...document.querySelectorAll('[data-type="container"]')].find((e) =>
        e.textContent.includes('hover me'),
      ),
    );
    const r = await box.boundingBox();
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await waitText(page, 'pointer inside');
    await page.mouse.move(r.x + r.width + 200, r.y + r.height + 200);
    await waitText(page, 'pointer outside');
    await page.close();
  });
});
