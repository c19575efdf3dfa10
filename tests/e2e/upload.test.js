// Files through FilePicker (examples/upload.lua): picked in the browser's dialog, uploaded into
// the app's upload folder with progress, a 50 MB one without the host holding it in memory, one
// over --max-upload refused with the reason shown, and bytes downloaded as a file.
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText } from './harness.js';

const LIMIT = 50 * 1024 * 1024 + 4096;
let browser, host, dir, uploads, downloads;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luaflet-upload-'));
  uploads = join(dir, 'uploads');
  downloads = join(dir, 'downloads');
  browser = await launchBrowser();
  host = await startHost('examples/upload.lua', {
    args: ['--upload-dir', uploads, '--max-upload', String(LIMIT)],
  });
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// Picks files through the browser's dialog, as a person would after clicking the button.
async function pick(page, paths) {
  const [chooser] = await Promise.all([
    page.waitForFileChooser(),
    clickText(page, 'Select files...'),
  ]);
  await chooser.accept(paths);
}

// The host's resident memory in KiB: now (VmRSS) and at its peak (VmHWM).
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+) kB`))[1]);
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

describe('FilePicker', () => {
  it('picks files and uploads them with their progress into the upload folder', async () => {
    const a = join(dir, 'notes one.txt');
    const b = join(dir, 'b&c=é.bin');
    writeFileSync(a, 'first file\n');
    writeFileSync(b, Buffer.from([0, 1, 2, 255, 254, 10, 13]));
    const page = await openApp(browser, host);
    await pick(page, [a, b]);
    await waitText(page, 'notes one.txt (11 bytes)');
    await waitText(page, 'b&c=é.bin (7 bytes)');
    await clickText(page, 'Upload');
    await waitText(page, 'b&c=é.bin uploaded');
    assert.equal(readFileSync(join(uploads, 'notes one.txt'), 'utf8'), 'first file\n');
    assert.deepEqual(readFileSync(join(uploads, 'b&c=é.bin')), readFileSync(b));
    // Every progress ring is full, and nothing half-received is left behind.
    const rings = () =>
      page.$$eval('[role="progressbar"]', (els) =>
        els.map((el) => el.getAttribute('aria-valuenow')),
      );
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[role="progressbar"]')].every(
          (el) => el.getAttribute('aria-valuenow') === '100',
        ),
      { polling: 'mutation' },
    );
    assert.deepEqual(await rings(), ['100', '100']);
    assert.deepEqual(readdirSync(uploads).sort(), ['b&c=é.bin', 'notes one.txt']);

    // save_file downloads what the app gives it: the list of uploads, in the order they came.
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', {
      behavior: 'allow',
      downloadPath: downloads,
      eventsEnabled: true,
    });
    const done = new Promise((ok) =>
      cdp.on('Browser.downloadProgress', (e) => e.state === 'completed' && ok()),
    );
    await clickText(page, 'Download the list of uploads');
    await done;
    assert.equal(
      readFileSync(join(downloads, 'uploaded.txt'), 'utf8'),
      'notes one.txt\nb&c=é.bin\n',
    );
    await cdp.detach();
    await page.close();
  });

  it('streams a 50 MB file to disk: the host grows by less than 5 MB', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024);
    const page = await openApp(browser, host);
    await pick(page, [big]);
    await waitText(page, 'big.bin (52428800 bytes)');
    // The peak is measured from here: writing 5 to clear_refs resets VmHWM to VmRSS.
    writeFileSync(`/proc/${host.proc.pid}/clear_refs`, '5');
    const before = memory(host.proc.pid);
    // The ring's values as the page shows them: the upload's progress comes in steps.
    await page.evaluate(() => {
      window.ringValues = [];
      const ring = document.querySelector('[role="progressbar"]');
      new MutationObserver(() =>
        window.ringValues.push(ring.getAttribute('aria-valuenow')),
      ).observe(ring, { attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await clickText(page, 'Upload');
    await waitText(page, 'big.bin uploaded', 60000);
    const steps = await page.evaluate(() => window.ringValues);
    assert.equal(steps.at(-1), '100');
    const grew = memory(host.proc.pid).peak - before.rss;
    assert.ok(grew < 5 * 1024, `the host grew by ${grew} KiB during the upload`);
    assert.equal(readFileSync(join(uploads, 'big.bin')).length, 50 * 1024 * 1024);
    await page.close();
  });

  it('refuses a file over --max-upload, and the page shows why', async () => {
    const over = join(dir, 'over.bin');
    writeFileSync(over, '');
    truncateSync(over, LIMIT + 1);
    const page = await openApp(browser, host);
    await pick(page, [over]);
    await waitText(page, `over.bin (${LIMIT + 1} bytes)`);
    await clickText(page, 'Upload');
    await waitText(
      page,
      `over.bin: the file is ${LIMIT + 1} bytes, over the upload limit of ${LIMIT}`,
    );
    assert.ok(!readdirSync(uploads).includes('over.bin'));
    assert.deepEqual(
      readdirSync(uploads).filter((f) => f.startsWith('.')),
      [],
      'no partial file is left',
    );
    await page.close();
  });
});
