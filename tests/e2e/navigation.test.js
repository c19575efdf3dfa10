// The navigation family on the real host: the page's chrome in its places (app bar on top,
// navigation bar at the bottom, the floating button at the end over the body, the drawer
// sliding in), each control's events reaching the app with Flet's e.data, and a rail's
// selected_index reaching the server without on_change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText, roleColor } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/navigation.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const box = (page, selector) =>
  page.evaluate((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, right: r.right, bottom: r.bottom };
  }, selector);

// Clicks the element of `selector` whose text is `text`.
async function clickIn(page, selector, text) {
  const handle = await page.waitForFunction(
    (s, t) => [...document.querySelectorAll(s)].find((e) => e.innerText.trim() === t),
    { polling: 'mutation' },
    selector,
    text,
  );
  await handle.click();
}

// The indexes of the destinations marked selected in the control of `selector`.
const selected = (page, selector) =>
  page.evaluate(
    (s) =>
      [...document.querySelectorAll(`${s} .lf-dest`)]
        .map((d, i) => (d.hasAttribute('data-selected') ? i : -1))
        .filter((i) => i >= 0),
    selector,
  );

describe('navigation', () => {
  it('puts the app bar on top, the navigation bar at the bottom and the FAB at the end', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    const bar = await box(page, '.lf-appbar');
    assert.deepEqual([bar.y, bar.h, bar.w], [0, 56, 1000]);
    assert.equal(
      await page.$eval('.lf-appbar', (e) => getComputedStyle(e).backgroundColor),
      await roleColor(page, 'primary-container'),
    );
    assert.equal(await page.$eval('.lf-appbar-title', (e) => e.innerText), 'Nav app');
    const nav = await box(page, '.lf-navbar');
    assert.deepEqual([nav.bottom, nav.h, nav.w], [700, 80, 1000]);
    // The controls fill what is between.
    const body = await box(page, '.lf-page-controls');
    assert.deepEqual([body.y, body.bottom], [56, 620]);
    const fab = await box(page, '.lf-page-fab');
    assert.deepEqual([fab.right, fab.bottom], [1000 - 16, 620 - 16]);
    assert.deepEqual(await selected(page, '.lf-navbar'), [0]);
    await page.close();
  });

  it("reports a navigation bar's pick with its index, and marks it", async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickIn(page, '.lf-navbar .lf-dest', 'Saved');
    await waitText(page, 'bar 2');
    assert.deepEqual(await selected(page, '.lf-navbar'), [2]);
    // The selected icon replaces the icon on the selected destination.
    await clickIn(page, '.lf-navbar .lf-dest', 'Commute');
    await waitText(page, 'bar 1');
    const icons = await page.$$eval('.lf-navbar .lf-dest[data-selected] md-icon', (els) =>
      els.filter((e) => e.checkVisibility()).map((e) => e.dataset.icon),
    );
    assert.deepEqual(icons, ['directions_car']);
    await page.close();
  });

  it("keeps a rail's selected_index on the server without on_change", async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickIn(page, '.lf-rail .lf-dest', 'Third');
    assert.deepEqual(await selected(page, '.lf-rail'), [2]);
    await clickText(page, 'Read rail');
    await waitText(page, 'rail 2');
    await page.close();
  });

  it('slides the drawer in with page:open, reports a pick and a dismissal, and opens again', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    assert.equal(await page.$eval('.lf-drawer', (e) => e.hasAttribute('data-open')), false);
    await clickText(page, 'Menu');
    await page.waitForFunction(
      () => document.querySelector('.lf-drawer-panel').getBoundingClientRect().x === 0,
      { polling: 'raf' },
    );
    // Only destinations count: "Sent" is the second though a container comes between.
    await clickIn(page, '.lf-drawer .lf-dest', 'Sent');
    await waitText(page, 'drawer 1');
    await page.keyboard.press('Escape');
    await waitText(page, 'drawer dismissed []');
    assert.equal(await page.$eval('.lf-drawer', (e) => e.hasAttribute('data-open')), false);
    // The server knows it closed: opening it again is a change it sends.
    await clickText(page, 'Menu');
    await page.waitForSelector('.lf-drawer[data-open]');
    // A click on the scrim dismisses it too.
    await page.mouse.click(900, 300);
    await page.waitForSelector('.lf-drawer:not([data-open])');
    await page.close();
  });

  it("opens a popup menu, reports the item's click with its new checked state and the pick", async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await page.click('.lf-popup-trigger');
    await waitText(page, 'popup open');
    await clickIn(page, '.lf-popupitem', 'Bold');
    await waitText(page, 'bold true, picked Bold');
    assert.equal(await page.$eval('.lf-popup', (e) => e.hasAttribute('data-open')), false);
    // The app set checked: the check shows the next time.
    await page.click('.lf-popup-trigger');
    await page.waitForSelector('.lf-popupitem[data-checkable] md-icon[data-icon="check"]');
    // The empty item is a divider, one pixel high.
    const heights = await page.$$eval('.lf-popupitem', (els) =>
      els.map((e) => e.getBoundingClientRect().height),
    );
    assert.equal(heights[1], 1);
    // A click outside cancels.
    await page.mouse.click(500, 400);
    await waitText(page, 'popup cancelled');
    await page.close();
  });

  it("opens menus of a menu bar and reports an item's click", async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await clickIn(page, '.lf-menu-head', 'File');
    await waitText(page, 'opened File');
    await clickIn(page, '.lf-menu-head', 'Recent');
    await clickIn(page, '.lf-menuitem', 'notes.txt');
    await waitText(page, 'clicked notes.txt');
    assert.equal(await page.$$eval('.lf-submenu[data-open]', (els) => els.length), 0);
    // While one menu of the bar is open, pointing at another title opens that one instead.
    await clickIn(page, '.lf-menu-head', 'File');
    await waitText(page, 'opened File');
    const edit = await page.waitForFunction(() =>
      [...document.querySelectorAll('.lf-menu-head')].find((e) => e.innerText.trim() === 'Edit'),
    );
    await edit.hover();
    await waitText(page, 'opened Edit');
    const open = await page.$$eval('.lf-submenu[data-open] > .lf-menu-head', (els) =>
      els.map((e) => e.innerText.trim()),
    );
    assert.deepEqual(open, ['Edit']);
    await page.close();
  });
});
