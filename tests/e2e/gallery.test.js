// examples/gallery.lua, used as a person would: the list of families at `/`, each family
// opened from its card and shown without an app error in the host's log or a CSP violation,
// then the way back (the gallery's button, or the browser's back button); a deep link opens
// its family, and what a family set on the page (app bar, navigation bar, theme) is gone
// once the list shows again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { clickText, cspViolations, launchBrowser, openApp, startHost } from './harness.js';

// The catalog's families, as lua/flet/schema.lua lists them.
const schema = readFileSync(new URL('../../lua/flet/schema.lua', import.meta.url), 'utf8');
const families = [...schema.match(/M\.families = \{([^}]*)\}/)[1].matchAll(/"(\w+)"/g)].map(
  (m) => m[1],
);
// Each family's title in the list (its catalog file's `family`).
const title = (name) =>
  readFileSync(new URL(`../../lua/flet/catalog/${name}.lua`, import.meta.url), 'utf8').match(
    /family = "([^"]+)"/,
  )[1];

const LIST_TITLE = 'Luaflet controls gallery';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('examples/gallery.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const appErrors = () => host.log.split('\n').filter((l) => /app error/.test(l));

// Waits until the list of families shows, with nothing a family left on the page.
async function showsList(page) {
  await page.waitForFunction(
    (t, n) =>
      document.title === t &&
      document.querySelectorAll('[data-type="card"] [data-type="listtile"]').length === n,
    { timeout: 10000, polling: 'mutation' },
    LIST_TITLE,
    families.length,
  );
}

// Waits until a family shows: its example's title, its controls, and the way back.
async function showsFamily(page, name) {
  try {
    await page.waitForFunction(
      (t) =>
        document.title !== t &&
        document.querySelector('.lf-overlay [data-type="filledtonalbutton"]') !== null &&
        (document.querySelector('.lf-page-controls')?.children.length > 0 ||
          document.querySelector('.lf-views')?.children.length > 0),
      { timeout: 10000, polling: 'mutation' },
      LIST_TITLE,
    );
  } catch (e) {
    throw new Error(`family ${name} did not show (${e.message}); host log:\n${host.log}`);
  }
  assert.equal(new URL(page.url()).pathname, `/${name}`);
}

async function clickCard(page, text) {
  await page.bringToFront();
  const tile = await page.waitForFunction(
    (t) => {
      for (const el of document.querySelectorAll('[data-type="listtile"]')) {
        if (el.innerText.split('\n')[0].trim() === t) return el;
      }
      return null;
    },
    { polling: 'mutation', timeout: 10000 },
    text,
  );
  await tile.click();
}

describe('examples/gallery.lua', () => {
  it('lists every family with its controls, opens each, and goes back', async () => {
    const page = await openApp(browser, host, { width: 1000, height: 800 });
    await showsList(page);
    const listed = await page.evaluate(() => document.body.innerText);
    for (const name of families) assert.ok(listed.includes(title(name)), `${name} is listed`);
    assert.match(listed, /ElevatedButton/);
    assert.match(listed, /NavigationDrawerDestination/);

    for (const [i, name] of families.entries()) {
      await clickCard(page, title(name));
      await showsFamily(page, name);
      assert.deepEqual(appErrors(), [], `no app error after opening ${name}`);
      assert.deepEqual(await cspViolations(page), [], `no CSP violation in ${name}`);
      // Back by the gallery's button, or by the browser's, in turn.
      if (i % 2 === 0) await clickText(page, 'Gallery');
      else await page.goBack();
      await showsList(page);
      assert.equal(new URL(page.url()).pathname, '/');
      // Nothing the family set on the page is left: app bar, navigation bar, views, overlay.
      const left = await page.evaluate(() => ({
        appbar: document.querySelector('.lf-page-appbar')?.children.length ?? 0,
        views: document.querySelector('.lf-views')?.children.length ?? 0,
        overlay: document.querySelector('.lf-overlay')?.children.length ?? 0,
        navbar: document.querySelectorAll('[data-type="navigationbar"]').length,
      }));
      assert.deepEqual(left, { appbar: 0, views: 0, overlay: 0, navbar: 0 }, `after ${name}`);
    }
    // The browser's history goes to the last family and back to the list: behind the list
    // when the gallery's button brought it (a new entry), ahead of it when back did.
    const lastByButton = (families.length - 1) % 2 === 0;
    await (lastByButton ? page.goBack() : page.goForward());
    await showsFamily(page, families.at(-1));
    await (lastByButton ? page.goForward() : page.goBack());
    await showsList(page);
    assert.deepEqual(appErrors(), []);
    await page.close();
  });

  it('opens a deep link at its family, and a family works there', async () => {
    const page = await openApp(browser, host, { width: 1000, height: 800 });
    await page.goto(`${host.url}buttons`);
    await showsFamily(page, 'buttons');
    await clickText(page, 'FilledButton');
    await page.waitForFunction(() => document.body.innerText.includes('FilledButton pressed'), {
      timeout: 10000,
      polling: 'mutation',
    });
    await page.goto(`${host.url}inputs`);
    await showsFamily(page, 'inputs');
    // The inputs' switch turns the page dark; the list is light again.
    const dark = await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-type="switch"]')].find((el) =>
          el.innerText.includes('Dark mode'),
        ),
      { timeout: 10000, polling: 'mutation' },
    );
    await dark.click();
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-dark'), {
      timeout: 10000,
    });
    await clickText(page, 'Gallery');
    await showsList(page);
    assert.equal(
      await page.evaluate(() => document.documentElement.hasAttribute('data-dark')),
      false,
    );
    await page.goto(`${host.url}no-such-family`);
    await showsList(page);
    assert.deepEqual(appErrors(), []);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });
});
