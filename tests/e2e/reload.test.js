// luaflet app.lua --reload: an edit of the script or of a module it loads from its folder
// rebuilds the open page with the new code, in its session and without reloading the tab;
// code that does not load shows in the page, and the old code runs on until it is fixed.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// A folder of its own with the app and its module; removed by the caller.
function appFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'luaflet-reload-'));
  for (const f of ['reload.lua', 'reload_words.lua']) {
    copyFileSync(join('tests/e2e/apps', f), join(dir, f));
  }
  return dir;
}

// Edits a file as an editor does: a new file renamed over the old one.
function saveByRename(path, text) {
  writeFileSync(`${path}.swp`, text);
  renameSync(`${path}.swp`, path);
}

function edit(path, from, to, save = writeFileSync) {
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${path} has ${from}`);
  save(path, text.replace(from, to));
}

// Resolves with how long `text` took to show, in ms, failing past `ms`.
async function shows(page, text, ms = 1000) {
  const t0 = Date.now();
  await waitText(page, text, ms);
  return Date.now() - t0;
}

describe('--reload', () => {
  it('rebuilds the page with the new code and keeps the session', async () => {
    const dir = appFolder();
    const host = await startHost(join(dir, 'reload.lua'), {
      args: ['--reload', '--log-level', 'debug'],
    });
    try {
      await host.waitLog(/reload: watching/);
      const page = await openApp(browser, host);
      await waitText(page, 'greeting one');
      await page.evaluate(() => {
        window.sameDocument = true;
      });
      await clickText(page, 'Remember');
      await waitText(page, 'session: kept');

      edit(join(dir, 'reload.lua'), '"version 1"', '"version 2"');
      const took = await shows(page, 'version 2');
      assert.ok(took < 1000, `the new text showed after ${took} ms`);
      await host.waitLog(/reload: \S+reload\.lua changed: rebuilt 1 page in/);

      edit(join(dir, 'reload_words.lua'), 'greeting one', 'greeting two', saveByRename);
      await shows(page, 'greeting two');
      const text = await page.evaluate(() => document.body.innerText);
      // main built the page again, in the same session, in the same document.
      assert.match(text, /session: kept/);
      assert.doesNotMatch(text, /version 1|greeting one/);
      assert.equal(await page.evaluate(() => window.sameDocument), true);
      assert.equal(host.log.match(/session started/g).length, 1);
      await page.close();
    } finally {
      assert.equal((await host.stop()).code, 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a syntax error in the page and runs the old code until it is fixed', async () => {
    const dir = appFolder();
    const script = join(dir, 'reload.lua');
    const host = await startHost(script, { args: ['--reload'] });
    try {
      await host.waitLog(/reload: watching/);
      const page = await openApp(browser, host);
      await waitText(page, 'version 1');
      const good = readFileSync(script, 'utf8');
      writeFileSync(script, good.replace('"version 1"', '"version 2" +'));
      await page.waitForSelector('#luaflet-app-error:not([hidden])');
      const shown = await page.$eval('#luaflet-app-error', (e) => e.innerText);
      assert.match(shown, /reload\.lua:\d+: unexpected symbol/);
      await host.waitLog(/the app runs on with the code it had/);

      // The old code still answers.
      await clickText(page, 'Count');
      await waitText(page, 'clicks: 1');
      assert.match(await page.evaluate(() => document.body.innerText), /version 1/);

      writeFileSync(script, good.replace('"version 1"', '"version 3"'));
      await shows(page, 'version 3');
      // The error was the old code's: it goes with it.
      await page.waitForSelector('#luaflet-app-error', { hidden: true });
      await page.close();
    } finally {
      assert.equal((await host.stop()).code, 0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
