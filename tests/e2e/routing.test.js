// Routes as Flet's: page:go adds to the browser's history, back and forward come back as
// route changes, a deep link and a reload open their route, and a view's back button pops it;
// with route_url_strategy "hash", the same with the route in the address's fragment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('examples/routing.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// The text of the view that shows (the last of page.views).
const shown = (page) =>
  page.evaluate(() => {
    const views = document.querySelectorAll('.lf-views > .lf-view');
    return views.length ? views[views.length - 1].innerText : '';
  });

// Waits until the shown view starts with `title`.
const showsView = (page, title) =>
  page.waitForFunction(
    (t) => {
      const views = document.querySelectorAll('.lf-views > .lf-view');
      return views.length > 0 && views[views.length - 1].innerText.includes(t);
    },
    { timeout: 10000 },
    title,
  );

describe('routes', () => {
  it('go forward with page:go, and back and forward with the browser', async () => {
    const page = await openApp(browser, host);
    await showsView(page, 'Home');
    await clickText(page, 'Visit store');
    await showsView(page, 'Store');
    assert.equal(new URL(page.url()).pathname, '/store');
    await page.goBack();
    await showsView(page, 'Home');
    assert.equal(new URL(page.url()).pathname, '/');
    await page.goForward();
    await showsView(page, 'Store');
    assert.match(await shown(page), /Store/);
    await page.close();
  });

  it('open a deep link at its route, also after a reload, with template parameters', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}store`);
    await showsView(page, 'Store');
    await page.reload();
    await showsView(page, 'Store');
    await page.goto(`${host.url}books/42`);
    await showsView(page, 'Book 42');
    // The path is the route: a fragment is not.
    await page.goto(`${host.url}#/store`);
    await showsView(page, 'Home');
    await page.close();
  });

  it('pop a view with its back button, through page.on_view_pop', async () => {
    const page = await openApp(browser, host);
    await showsView(page, 'Home');
    await clickText(page, 'Read book 42');
    await showsView(page, 'Book 42');
    await page.click('.lf-views > .lf-view:last-child > .lf-view-back');
    await showsView(page, 'Home');
    assert.equal(new URL(page.url()).pathname, '/');
    await page.close();
  });
});

describe('routes in the address fragment (--route-url-strategy hash)', () => {
  let hashHost;
  before(async () => {
    hashHost = await startHost('examples/routing.lua', { args: ['--route-url-strategy', 'hash'] });
  });
  after(async () => {
    const stopped = await hashHost?.stop();
    assert.equal(stopped?.code, 0, `host exit status, log:\n${hashHost?.log}`);
  });

  it('go forward with page:go, and back and forward with the browser', async () => {
    const page = await openApp(browser, hashHost);
    await showsView(page, 'Home');
    await clickText(page, 'Visit store');
    await showsView(page, 'Store');
    let url = new URL(page.url());
    assert.deepEqual([url.pathname, url.hash], ['/', '#/store']);
    await page.goBack();
    await showsView(page, 'Home');
    assert.equal(new URL(page.url()).hash, '');
    await page.goForward();
    await showsView(page, 'Store');
    await clickText(page, 'Go home');
    await showsView(page, 'Home');
    url = new URL(page.url());
    assert.deepEqual([url.pathname, url.hash], ['/', '#/']);
    await page.close();
  });

  it('open a deep link at its route, also after a reload and a new fragment', async () => {
    const page = await browser.newPage();
    await page.goto(`${hashHost.url}#/store`);
    await showsView(page, 'Store');
    await page.reload();
    await showsView(page, 'Store');
    // A new fragment in the same document: a route change, not a new session.
    await page.goto(`${hashHost.url}#/books/42`);
    await showsView(page, 'Book 42');
    // The fragment is the route: a path is not.
    await page.goto(`${hashHost.url}store`);
    await showsView(page, 'Home');
    assert.equal(new URL(page.url()).pathname, '/store');
    await page.close();
  });
});
