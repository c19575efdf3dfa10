// The page-weight benchmark: the bytes a browser downloads to show a page (what went over
// the wire, compressed as the host sent it; the WebSocket's frames not counted), for the
// hello page and for a page with three icons, from a cold cache and again from a warm one.
//   node bench/page_weight.mjs OUTFILE
import { writeFileSync } from 'node:fs';
import { launchBrowser, startHost, waitText } from '../tests/e2e/harness.js';

const out = process.argv[2] ?? 'build/bench/page_weight.txt';
const lines = [];
const say = (s = '') => {
  console.log(s);
  lines.push(s);
};

// Loads the page of app, waits for `text`, and returns the bytes received and the requests.
async function weigh(browser, host, text, page) {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  await page.goto(host.url);
  await waitText(page, text);
  // Fonts and icons load after the text shows: let the network settle.
  await page.waitForNetworkIdle({ idleTime: 300 });
  await cdp.detach();
  return { bytes, requests };
}

const browser = await launchBrowser();
say('page weight: bytes a browser downloads to show the page (over the wire, compressed)');
say('page                      cold KiB  requests   warm KiB  requests');
const figures = {};
for (const [name, app, text] of [
  ['hello', 'examples/hello_async.lua', 'Hello, async world!'],
  ['three icons', 'bench/apps/three_icons.lua', 'Hello, async world!'],
]) {
  const host = await startHost(app);
  const page = await browser.newPage();
  const cold = await weigh(browser, host, text, page);
  const warm = await weigh(browser, host, text, page);
  await page.close();
  await host.stop();
  figures[name] = cold;
  say(
    `${name.padEnd(24)} ${(cold.bytes / 1024).toFixed(1).padStart(9)} ${String(cold.requests).padStart(9)}` +
      ` ${(warm.bytes / 1024).toFixed(1).padStart(10)} ${String(warm.requests).padStart(9)}`,
  );
}
say(
  `three icons add ${((figures['three icons'].bytes - figures.hello.bytes) / 1024).toFixed(1)} KiB` +
    ' (target: under 20); the hello page target: under 200 KiB',
);
await browser.close();
writeFileSync(out, lines.join('\n') + '\n');
