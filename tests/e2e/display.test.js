// The display family in a browser: icons cost only what the page shows, each control
// renders with the Material 3 look, each event reaches its handler with Flet's e.data, and
// Markdown never lets HTML from its value into the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  clickText,
  cspViolations,
  launchBrowser,
  openApp,
  startHost,
  waitText,
} from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/display.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const shown = (page) => clickText(page, 'Show all').then(() => waitText(page, 'status: shown'));
const at = async (page, selector) => {
  const r = await (await page.waitForSelector(selector)).boundingBox();
  return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
};

describe('display', () => {
  it('fetches only the icons a page shows, small and cached for good', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    const entries = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.startsWith('/icons/'))
          .map((e) => ({ path: new URL(e.name).pathname, size: e.encodedBodySize })),
      );
    // The three icons on the page are fetched once each, and nothing else from /icons/.
    await page.waitForFunction(
      () =>
        performance.getEntriesByType('resource').filter((e) => e.name.includes('/icons/')).length >=
        3,
    );
    await cspViolations(page); // a turn of the page's tasks: a fourth fetch would be listed by now
    const icons = await entries();
    assert.deepEqual(icons.map((i) => i.path.replace(/^\/icons\/[^/]+\//, '')).sort(), [
      'add.svg',
      'delete_outline.svg',
      'ten_k_rounded.svg',
    ]);
    const bytes = icons.reduce((n, i) => n + i.size, 0);
    assert.ok(bytes > 0 && bytes < 20 * 1024, `three icons weigh ${bytes} bytes`);
    for (const { path } of icons) {
      const res = await fetch(new URL(path, host.url));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    }
    // The app's own files are not cached for good.
    const app = (await fetch(new URL('/luaflet.js', host.url))).headers.get('cache-control');
    assert.equal(app, 'no-cache');
    const icon = await page.$eval('.lf-icon[data-icon="add"]', (e) => {
      const s = getComputedStyle(e);
      return { w: s.width, color: s.backgroundColor, mask: s.maskImage };
    });
    assert.equal(icon.w, '32px');
    assert.equal(icon.color, 'rgb(76, 175, 80)');
    assert.match(icon.mask, /\/icons\/[^/]+\/add\.svg/);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  it('draws an md-icon named by its data-icon attribute from the same SVGs', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    const mask = () =>
      page.waitForFunction(() => getComputedStyle(document.querySelector('#probe')).maskImage, {
        polling: 'mutation',
      });
    await page.evaluate(() => {
      const el = document.createElement('md-icon');
      el.id = 'probe';
      el.dataset.icon = 'home_rounded';
      document.querySelector('.lf-page-controls').append(el);
    });
    assert.match(await (await mask()).jsonValue(), /\/icons\/[^/]+\/home_rounded\.svg/);
    await page.evaluate(() => (document.querySelector('#probe').dataset.icon = 'star'));
    await page.waitForFunction(
      () => /star\.svg/.test(getComputedStyle(document.querySelector('#probe')).maskImage),
      { polling: 'mutation' },
    );
    assert.equal(await page.$eval('#probe', (e) => getComputedStyle(e).width), '24px');
    await page.close();
  });

  it('admits https images in the Content-Security-Policy', async () => {
    const csp = (await fetch(host.url)).headers.get('content-security-policy');
    const img = /img-src([^;]*)/.exec(csp)[1].trim().split(/\s+/);
    assert.ok(img.includes('https:'), csp);
    assert.ok(!img.includes('http:') && !img.includes('*'), csp);
  });

  it('draws every control and reports its events with Flet data', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'status: none');
    await shown(page);

    // Icon buttons: the standard one toggles to its selected icon.
    await page.waitForFunction(
      () =>
        ['md-icon-button', 'md-filled-icon-button', 'md-fab'].every((n) => customElements.get(n)) &&
        document.querySelector('[data-type="fillediconbutton"]').getBoundingClientRect().width > 0,
    );
    await page.click('[data-type="iconbutton"]');
    await waitText(page, 'status: icon button true');
    await page.waitForSelector('[data-type="iconbutton"] .lf-icon[data-icon="favorite"]');
    await page.click('[data-type="fillediconbutton"]');
    await waitText(page, 'status: filled icon');
    // A ButtonStyle colors and shapes the button; the props would win over it.
    const tonal = await page.$eval('[data-type="filledtonalbutton"]', (e) => {
      const s = getComputedStyle(e);
      return [
        s.getPropertyValue('--md-filled-tonal-button-container-color').trim(),
        s.getPropertyValue('--md-filled-tonal-button-label-text-color').trim(),
        s.getPropertyValue('--md-filled-tonal-button-hover-label-text-color').trim(),
        s.borderRadius,
      ];
    });
    assert.deepEqual(tonal.slice(1), ['white', '#ffeb3b', '4px']);
    assert.match(tonal[0], /^(green|#4caf50)$/i);
    const styled = await page.$$eval('[data-type="iconbutton"]', (els) =>
      els.map((e) => getComputedStyle(e).backgroundColor),
    );
    assert.equal(styled[1], 'rgb(255, 193, 7)');
    // url opens in a new tab, without access to this one.
    await page.evaluate(() => {
      window.opened = [];
      window.open = (...args) => window.opened.push(args);
    });
    await page.click('[data-type="filledtonaliconbutton"]');
    assert.deepEqual(await page.evaluate(() => window.opened), [
      ['https://example.com/docs', '_blank', 'noopener,noreferrer'],
    ]);
    await clickText(page, 'Tonal');
    await waitText(page, 'status: tonal');
    await page.click('[data-type="floatingactionbutton"]');
    await waitText(page, 'status: fab');
    assert.equal(await page.$eval('[data-type="floatingactionbutton"]', (e) => e.label), 'Compose');
    // The page's own FAB floats over its bottom right corner.
    const pageFab = '.lf-page-fab > [data-type="floatingactionbutton"]';
    const corner = await page.$eval(pageFab, (e) => {
      const r = e.getBoundingClientRect();
      return [Math.round(innerWidth - r.right), Math.round(innerHeight - r.bottom)];
    });
    assert.deepEqual(corner, [16, 16]);
    await page.click(pageFab);
    await waitText(page, 'status: page fab');

    // Chips: select reports "true"/"false" and keeps `selected` current on the host.
    const filter = '[data-type="chip"]';
    await page.click(filter);
    await waitText(page, 'status: select true true');
    assert.equal(
      await page.$eval(filter, (e) => getComputedStyle(e).backgroundColor),
      await page.evaluate(() => {
        const probe = document.body.appendChild(document.createElement('div'));
        probe.style.backgroundColor = 'var(--md-sys-color-secondary-container)';
        const c = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return c;
      }),
    );
    await page.click(filter);
    await waitText(page, 'status: select false false');
    await page.click(
      '[data-type="chip"] + [data-type="chip"] + [data-type="chip"] .lf-chip-delete',
    );
    await waitText(page, 'status: deleted');
    await page.evaluate(() =>
      [...document.querySelectorAll('[data-type="chip"]')]
        .find((e) => e.textContent === 'Assist')
        .click(),
    );
    await waitText(page, 'status: chip clicked');
    const assist = await page.$$eval('[data-type="chip"]', (els) => {
      const e = els.find((c) => c.textContent === 'Assist');
      return [
        getComputedStyle(e).borderRadius,
        getComputedStyle(e.querySelector('.lf-chip-label')).color,
      ];
    });
    assert.deepEqual(assist, ['16px', 'rgb(244, 67, 54)']);

    // Images, avatar, progress.
    await page.waitForFunction(() => document.querySelector('[data-type="image"] img').complete);
    assert.equal(await page.$eval('[data-type="image"] img', (e) => e.naturalWidth), 1);
    await waitText(page, 'image failed');
    await waitText(page, 'avatar error: foreground');
    const painted = await page.$$eval('[data-type="image"][data-painted]', (els) =>
      els.map((e) => {
        const s = getComputedStyle(e);
        return [
          e.querySelector('img').alt,
          s.backgroundColor,
          s.maskImage.startsWith('url("data:image/') ? 'a data URL' : s.maskImage,
          s.backgroundRepeat,
        ];
      }),
    );
    assert.deepEqual(painted, [
      ['tinted', 'rgb(244, 67, 54)', 'a data URL', 'repeat'],
      ['repeated', 'rgba(0, 0, 0, 0)', 'none', 'repeat-x'],
    ]);
    const avatar = await page.$eval('[data-type="circleavatar"]', (e) => {
      const s = getComputedStyle(e);
      return [s.width, s.borderRadius, e.textContent];
    });
    assert.deepEqual(avatar, ['48px', '50%', 'AB']);
    const bar = await page.$eval('[data-type="progressbar"]', (e) => [
      getComputedStyle(e).height,
      getComputedStyle(e.firstChild).backgroundColor,
      e.firstChild.getBoundingClientRect().width / e.getBoundingClientRect().width,
    ]);
    assert.deepEqual(bar.slice(0, 2), ['6px', 'rgb(76, 175, 80)']);
    assert.ok(Math.abs(bar[2] - 0.5) < 0.01, `bar at ${bar[2]}`);
    assert.equal(
      await page.$$eval('[data-type="progressbar"][data-indeterminate]', (e) => e.length),
      1,
    );
    assert.equal(
      await page.$$eval('[data-type="progressring"][data-indeterminate]', (e) => e.length),
      1,
    );

    // List tile: click, and a press held until the long press is reported.
    const tile = await at(page, '[data-type="listtile"] .lf-lt-title');
    await page.mouse.click(tile.x, tile.y);
    await waitText(page, 'status: tile clicked');
    await page.mouse.move(tile.x, tile.y);
    await page.mouse.down();
    await waitText(page, 'status: tile long pressed');
    await page.mouse.up();
    assert.equal(
      await page.$eval('[data-type="listtile"]', (e) => getComputedStyle(e).minHeight),
      '72px',
    );

    // Tooltip shows on hover.
    const tip = await at(page, '[data-type="tooltip"] .lf-tooltip-content > *');
    await page.mouse.move(tip.x, tip.y);
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('.lf-tooltip-message')).visibility === 'visible',
    );

    // Text spans: click and enter.
    const span = await at(page, '[data-type="textspan"]');
    await page.mouse.move(span.x, span.y);
    await waitText(page, 'status: span entered');
    await page.mouse.click(span.x, span.y);
    await waitText(page, 'status: span clicked');
    assert.equal(
      await page.$eval(
        '[data-type="text"] [data-type="textspan"]',
        (e) => getComputedStyle(e).fontWeight,
      ),
      '700',
    );
    assert.ok(
      (await page.$eval('[data-type="textspan"]', (e) => e.parentElement.textContent)).startsWith(
        'Value span one span two',
      ),
    );

    // Markdown: formatted, its links report the URL, and no HTML of the value got in.
    await page.waitForSelector('[data-type="markdown"][data-rendered] h1');
    const md = await page.$eval('[data-type="markdown"]', (e) => ({
      h1: e.querySelector('h1').textContent,
      links: [...e.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      imgs: e.querySelectorAll('img').length,
      scripts: e.querySelectorAll('script').length,
      text: e.textContent,
      items: e.querySelectorAll('li').length,
    }));
    assert.equal(md.h1, 'Title');
    assert.equal(md.links[0], 'https://example.com/x');
    assert.ok(
      md.links.every((h) => h === null || /^(https?|mailto):/.test(h)),
      `links ${md.links}`,
    );
    assert.equal(md.imgs, 0);
    assert.equal(md.scripts, 0);
    assert.match(md.text, /<img src=x onerror="window.pwned=1">/);
    assert.match(md.text, /<script>window.pwned=2<\/script>/);
    assert.equal(md.items, 2);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.click('[data-type="markdown"] a[href^="https"]');
    await waitText(page, 'status: link https://example.com/x');

    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });
});
