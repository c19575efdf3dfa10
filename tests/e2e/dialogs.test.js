// The dialogs family on the real host: each shows with page:open (or the older page props),
// hides with page:close, and one the person dismisses in the browser (Escape, the scrim, a
// snack bar's time) hides, runs on_dismiss with Flet's e.data and has `open` false on the
// server, with or without a handler.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText, roleColor } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/dialogs.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const isOpen = (page, selector) => page.$eval(selector, (e) => e.hasAttribute('data-open'));
// Waits until the animations running (a sheet rising, a snack bar sliding in) have ended.
const settled = (page) =>
  page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));

describe('dialogs', () => {
  it('show an alert dialog with page:open and follow Escape and a click outside', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickText(page, 'Open dialog');
    await waitText(page, 'Hello dialog');
    // The dialog has the focus.
    await page.waitForFunction(() => document.activeElement?.classList.contains('lf-dialog'));
    const look = await page.$eval('[data-type="alertdialog"][data-open] .lf-dialog', (e) => {
      const s = getComputedStyle(e);
      return [s.borderTopLeftRadius, s.backgroundColor];
    });
    assert.deepEqual(look, ['28px', await roleColor(page, 'surface-container-high')]);
    await page.keyboard.press('Escape');
    await waitText(page, 'dialog dismissed 1 []');
    await page.waitForSelector('[data-type="alertdialog"][data-open]', { hidden: true });
    // Open again: the server knew it was closed. A click on the scrim dismisses it.
    await clickText(page, 'Open dialog');
    await waitText(page, 'Hello dialog');
    await page.mouse.click(20, 400);
    await waitText(page, 'dialog dismissed 2 []');
    // page:close from an action.
    await clickText(page, 'Open dialog');
    await clickText(page, 'Close it');
    await page.waitForSelector('[data-type="alertdialog"][data-open]', { hidden: true });
    await page.close();
  });

  it('keep a modal dialog up on Escape and a click outside', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickText(page, 'Open modal');
    await waitText(page, 'Modal dialog');
    const icon = await page.$eval('.lf-dialog-layer[data-open] .lf-dialog-icon md-icon', (e) => [
      e.dataset.icon,
      getComputedStyle(e).color,
    ]);
    assert.deepEqual(icon, ['warning', await roleColor(page, 'secondary')]);
    await page.keyboard.press('Escape');
    await page.mouse.click(20, 400);
    // Still there: its OK button can be clicked, and closes it through page:close.
    await clickText(page, 'OK');
    await waitText(page, 'modal closed');
    assert.equal(
      await page.evaluate(() => document.body.innerText.includes('modal dismissed')),
      false,
    );
    await page.close();
  });

  it('show a snack bar until its time runs out, and report its action', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    // The app logs the snack bar's events in order. A test waits for the whole log, never
    // for a state that the next event ends at once: the 700 ms snack bar is gone by then on
    // a busy machine, and pressing the action dismisses it too.
    await clickText(page, 'Snack');
    await waitText(page, 'snack: visible dismiss');
    assert.equal(await isOpen(page, '.lf-snackbar'), false);
    // The same snack bar again, up for a minute.
    await clickText(page, 'Snack to act on');
    await page.waitForSelector('.lf-snackbar[data-open]');
    await waitText(page, 'Saved it');
    // Slid in and still: a click during the slide could miss the moving button.
    await settled(page);
    const sb = await page.$eval('.lf-snackbar', (e) => {
      const r = e.getBoundingClientRect();
      return [r.bottom, r.width, getComputedStyle(e).backgroundColor];
    });
    // Above the bottom app bar, across the page, in the inverse surface color.
    assert.deepEqual(sb, [700 - 80, 1000, await roleColor(page, 'inverse-surface')]);
    await page.click('.lf-snackbar-action');
    await waitText(page, 'snack: visible dismiss visible action dismiss');
    assert.equal(await isOpen(page, '.lf-snackbar'), false);
    await page.close();
  });

  it('replace the snack bar shown with a new one, which dismisses it', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickText(page, 'Snack 2');
    await waitText(page, 'Second snack');
    // The one up for a minute: the 700 ms one could be gone before it is looked at.
    await clickText(page, 'Snack to act on');
    await waitText(page, 'snack 2 gone');
    const shown = await page.$$eval('.lf-snackbar[data-open]', (els) =>
      els.map((e) => e.innerText),
    );
    assert.equal(shown.length, 1);
    assert.match(shown[0], /Saved it/);
    await page.close();
  });

  it('show a banner set the older way, closed by page:close', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickText(page, 'Banner');
    await waitText(page, 'Banner text');
    const top = await page.$eval('.lf-banner', (e) => [
      e.getBoundingClientRect().y,
      getComputedStyle(e).backgroundColor,
    ]);
    assert.deepEqual(top, [0, 'rgb(255, 236, 179)']);
    // The page's controls move down under it, and back up once it is hidden.
    await page.waitForFunction(
      () =>
        document.querySelector('.lf-page-controls').getBoundingClientRect().y ===
        document.querySelector('.lf-banner').getBoundingClientRect().bottom,
      { polling: 'raf' },
    );
    await clickText(page, 'Hide banner');
    await page.waitForSelector('.lf-banner[data-open]', { hidden: true });
    await page.waitForFunction(
      () => document.querySelector('.lf-page-controls').getBoundingClientRect().y === 0,
      { polling: 'raf' },
    );
    await page.close();
  });

  it('dismiss a bottom sheet with a click outside, open false on the server without on_dismiss', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickText(page, 'Sheet');
    await waitText(page, 'Sheet body');
    await settled(page);
    const sheet = await page.$eval('.lf-sheet', (e) => [
      e.getBoundingClientRect().bottom,
      getComputedStyle(e.querySelector('.lf-sheet-handle')).width,
    ]);
    assert.deepEqual(sheet, [700, '32px']);
    await page.mouse.click(500, 100);
    await page.waitForSelector('.lf-sheet-layer[data-open]', { hidden: true });
    await clickText(page, 'Read sheet');
    await waitText(page, 'sheet open=false');
    await page.close();
  });

  it('show a dialog set as page.dialog, the older way', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickText(page, 'Old dialog');
    await waitText(page, 'Old way');
    await clickText(page, 'Old close');
    await page.waitForSelector('[data-type="alertdialog"][data-open]', { hidden: true });
    await page.close();
  });
});
