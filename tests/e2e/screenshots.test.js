// Screenshots of every family's example (examples/controls/FAMILY.lua) compared with the
// stored references in tests/e2e/screenshots/FAMILY.png, so that a control whose look breaks
// (its CSS, its layout, a missing icon or font) fails a test.
//
// Each page is shown at 1000x800, at a device scale factor of 1, in the light scheme, with
// transitions, animations and the caret off, once its fonts, icons and pictures are loaded:
// the network idle, document.fonts ready, every image decoded. Nothing is focused, so no
// caret or focus ring shows. Then pixelmatch compares it with the reference, and the test
// fails when more than MAX_DIFF_SHARE of the pixels differ by more than THRESHOLD (its
// colour distance, 0 to 1; anti-aliased pixels are not counted). The actual image and the
// difference are then written under build/screenshots/.
//
// UPDATE_SCREENSHOTS=1 writes the references that are missing (and, to accept a change of
// look, delete the reference first): UPDATE_SCREENSHOTS=1 node --test
// tests/e2e/screenshots.test.js
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { launchBrowser, openApp, startHost } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REFERENCES = join(root, 'tests/e2e/screenshots');
const OUT = join(root, 'build/screenshots');
const VIEWPORT = { width: 1000, height: 800, deviceScaleFactor: 1 };
// pixelmatch's colour threshold per pixel, and the share of pixels that may differ.
const THRESHOLD = 0.1;
const MAX_DIFF_SHARE = 0.001;
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';

const STILL = `*, *::before, *::after {
  transition: none !important;
  animation: none !important;
  caret-color: transparent !important;
}`;

// The catalog's families, as lua/flet/schema.lua lists them.
const schema = readFileSync(join(root, 'lua/flet/schema.lua'), 'utf8');
const families = [...schema.match(/M\.families = \{([^}]*)\}/)[1].matchAll(/"(\w+)"/g)].map(
  (m) => m[1],
);

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Stops every transition and animation, in the document and in every shadow root (the
// Material components draw inside theirs): the stylesheet above, adopted as a constructed
// sheet (which the page's Content-Security-Policy allows, as an inline <style> it would not),
// and any animation still running is finished, or stopped at its start when it never ends.
async function holdStill(page) {
  await page.evaluate((css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    for (const r of roots) {
      if (!r.adoptedStyleSheets.includes(sheet))
        r.adoptedStyleSheets = [...r.adoptedStyleSheets, sheet];
    }
    for (const a of document.getAnimations()) {
      if (a.effect?.getComputedTiming().endTime === Infinity) {
        a.pause();
        a.currentTime = 0;
      } else {
        a.finish();
      }
    }
  }, STILL);
}

// Waits until the page has everything it shows: no request in flight (the client loads a
// family's code and each icon on first use), its fonts loaded, its images decoded, and two
// frames drawn since.
async function settle(page) {
  await page.waitForNetworkIdle({ idleTime: 300, timeout: 15000 });
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all(
      [...document.images].map((img) => (img.complete ? null : img.decode().catch(() => null))),
    );
  });
  await holdStill(page);
  await page.waitForNetworkIdle({ idleTime: 300, timeout: 15000 });
  await page.evaluate(
    () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))),
  );
}

async function shoot(family) {
  const host = await startHost(`examples/controls/${family}.lua`);
  try {
    const page = await browser.newPage();
    await page.emulateMediaFeatures([
      { name: 'prefers-color-scheme', value: 'light' },
      { name: 'prefers-reduced-motion', value: 'reduce' },
    ]);
    await openApp(browser, host, VIEWPORT, page);
    await settle(page);
    const png = await page.screenshot({ type: 'png' });
    await page.close();
    assert.doesNotMatch(host.log, /app error/, `the host's log:\n${host.log}`);
    return png;
  } finally {
    await host.stop();
  }
}

// Compares the screenshot with the reference; returns the message of a failure, or null.
// `note` is told how many pixels differ.
function compare(family, png, note) {
  const ref = join(REFERENCES, `${family}.png`);
  const rel = (p) => relative(root, p);
  if (!existsSync(ref)) {
    if (UPDATE) {
      mkdirSync(REFERENCES, { recursive: true });
      writeFileSync(ref, png);
      return null;
    }
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `${family}.actual.png`), png);
    return (
      `no reference ${rel(ref)}: run UPDATE_SCREENSHOTS=1 node --test ` +
      `tests/e2e/screenshots.test.js to write it (look at it first: this run's is ` +
      `${rel(join(OUT, `${family}.actual.png`))})`
    );
  }
  const expected = PNG.sync.read(readFileSync(ref));
  const actual = PNG.sync.read(png);
  const { width, height } = expected;
  if (actual.width !== width || actual.height !== height) {
    return `${family}: the screenshot is ${actual.width}x${actual.height}, the reference ${width}x${height}`;
  }
  const diff = new PNG({ width, height });
  const differ = pixelmatch(expected.data, actual.data, diff.data, width, height, {
    threshold: THRESHOLD,
  });
  const share = differ / (width * height);
  note(`${differ} pixels differ from the reference`);
  if (share <= MAX_DIFF_SHARE) return null;
  mkdirSync(OUT, { recursive: true });
  const actualPath = join(OUT, `${family}.actual.png`);
  const diffPath = join(OUT, `${family}.diff.png`);
  writeFileSync(actualPath, png);
  writeFileSync(diffPath, PNG.sync.write(diff));
  return (
    `${family}: ${differ} pixels differ from ${rel(ref)} (${(share * 100).toFixed(3)}%, more ` +
    `than ${MAX_DIFF_SHARE * 100}%); the actual image is ${rel(actualPath)}, the difference ` +
    `${rel(diffPath)} (in red). If the change is meant, delete the reference and run ` +
    `UPDATE_SCREENSHOTS=1 node --test tests/e2e/screenshots.test.js`
  );
}

describe('screenshots of examples/controls/', () => {
  for (const family of families) {
    it(`${family}.lua looks as tests/e2e/screenshots/${family}.png`, async (t) => {
      const failure = compare(family, await shoot(family), (s) => t.diagnostic(s));
      if (failure) assert.fail(failure);
    });
  }
});
