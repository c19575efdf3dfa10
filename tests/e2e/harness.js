// What every browser test needs: a real host running an app on a free port, and a real
// headless Chromium (Debian's) driven by puppeteer-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, afterEach, beforeEach } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HOST_BIN = join(root, 'build/luaflet');

// Every process the harness starts (hosts, valgrind, Chromium), so that none outlives the
// test that started it. A test that fails stops its own in its `finally`; but one that times
// out never gets there (node:test abandons it), and a process left running would keep this
// file's test process alive for ever. So what a test started is killed once it ends, what a
// `before` hook started is killed if still there well after every `after` hook had its
// chance, and everything is killed if this process exits or is told to stop.
const started = { test: null, file: new Set() };

function track(proc, what) {
  const set = started.test ?? started.file;
  const entry = { proc, what };
  set.add(entry);
  proc.once('exit', () => set.delete(entry));
}

function killAll(set, why) {
  for (const { proc, what } of set) {
    if (proc.exitCode === null && proc.signalCode === null) {
      process.stderr.write(`harness: killing ${what} (pid ${proc.pid}), ${why}\n`);
      proc.kill('SIGKILL');
    }
  }
  set.clear();
}

beforeEach(() => {
  started.test = new Set();
});
afterEach(() => {
  const left = started.test;
  started.test = null;
  killAll(left, 'left running by its test');
});
// Root `after` hooks run in the order they were registered, and this one comes first: the
// test file's own (closing its browser, stopping its host) must run before anything is
// killed. The timer does not keep the process alive: it fires only if something else does.
after(() => {
  setTimeout(() => killAll(started.file, 'still running after the tests'), 30000).unref();
});
process.on('exit', () => {
  killAll(started.file, 'still running at exit');
  if (started.test) killAll(started.test, 'still running at exit');
});
// (exit runs the handler above; 128 + the signal's number, as a shell reports it)
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Starts `luaflet app --port P` and resolves once its "serving" line is out.
// With valgrind: true the host runs under valgrind's memcheck, which exits with 99 on any
// memory error or leak.
// `prefix` runs the host through another command (e.g. ['prlimit', '--nofile=64']).
export async function startHost(
  app,
  { port, valgrind = false, args = [], prefix = [], ready = /serving http:\/\// } = {},
) {
  port = port || (await freePort());
  let argv = [...prefix, HOST_BIN, resolve(root, app), '--port', String(port), ...args];
  if (valgrind) {
    argv = [
      'valgrind',
      '--quiet',
      '--leak-check=full',
      '--errors-for-leak-kinds=definite,indirect',
      '--error-exitcode=99',
      ...argv,
    ];
  }
  const proc = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(proc, `the host of ${app}`);
  let log = '';
  const waiters = [];
  const onData = (d) => {
    log += d.toString();
    for (const w of waiters.splice(0)) if (!w()) waiters.push(w);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((ok) => proc.on('exit', (code, signal) => ok({ code, signal })));
  const host = {
    proc,
    port,
    url: `http://127.0.0.1:${port}/`,
    get log() {
      return log;
    },
    // Resolves when the host's log matches re; rejects if the host exits first.
    waitLog(re, ms = 10000) {
      return host.waitCount(re, 1, ms);
    },
    // Resolves when re (a regexp without flags) matches the log at least n times.
    waitCount(re, n, ms = 10000) {
      const all = new RegExp(re.source, 'g');
      const count = () => (log.match(all) || []).length;
      return new Promise((ok, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`${count()} of ${n} log lines ${re} in:\n${log.slice(-3000)}`)),
          ms,
        );
        const check = () => {
          if (count() >= n) {
            clearTimeout(timer);
            ok();
            return true;
          }
          return false;
        };
        if (!check()) waiters.push(check);
        exited.then(() => {
          if (count() < n) {
            clearTimeout(timer);
            fail(new Error(`host exited:\n${log.slice(-3000)}`));
          }
        });
      });
    },
    // Sends `signal` and resolves with how the host exited. A host that has not exited
    // within `ms` is killed (SIGKILL), so that a failing test never leaves one behind.
    // Resolves with {code, signal} when the host exits.
    exited,
    // SIGINT stops at once; SIGTERM drains first (--drain-timeout).
    async stop(signal = 'SIGINT', ms = 15000) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
  await host.waitLog(ready, valgrind ? 30000 : 10000);
  return host;
}

// A host of n workers (--workers n): resolves once the front says all are ready.
export function startWorkers(app, { n = 2, args = [], ...rest } = {}) {
  return startHost(app, {
    ...rest,
    args: ['--workers', String(n), ...args],
    ready: new RegExp(`serving http://127\\.0\\.0\\.1:\\d+ with ${n} workers`),
  });
}

// The pid the front logged for worker `route` when it last started it.
export function workerPid(log, route) {
  const all = [...log.matchAll(new RegExp(`worker ${route} started \\(pid (\\d+)\\)`, 'g'))];
  return Number(all.at(-1)[1]);
}

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'luaflet-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    userDataDir,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const proc = browser.process();
  track(proc, 'Chromium');
  proc.once('exit', () => rmSync(userDataDir, { recursive: true, force: true }));
  const close = browser.close.bind(browser);
  browser.close = async () => {
    // A browser killed already (its test timed out) has nothing left to close.
    if (proc.exitCode === null && proc.signalCode === null) await close();
  };
  return browser;
}

// Opens the app in a new tab (or in `page`, prepared by the caller) and waits until its
// session is up.
// Content-Security-Policy violations are recorded in window.cspViolations, each as the
// directive, what it blocked, the element it was on (the shadow host, for one inside a
// component) and the script line that caused it.
export async function openApp(browser, host, viewport = { width: 1000, height: 700 }, page = null) {
  page ??= await browser.newPage();
  await page.setViewport(viewport);
  await page.evaluateOnNewDocument(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const t =
        e.target instanceof Element
          ? `<${e.target.localName}${e.target.id ? `#${e.target.id}` : ''}>`
          : 'document';
      const at = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : '';
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} on ${t}${at}`);
    });
  });
  await page.goto(host.url);
  await page.waitForFunction(() => document.body.dataset.connection === 'open');
  return page;
}

// The page's Content-Security-Policy violations so far, once every one already caused has
// been reported: reports arrive as queued tasks, so this causes one of its own (a style
// attribute on a marker element), waits for it, and leaves it out.
export function cspViolations(page) {
  return page.evaluate(
    () =>
      new Promise((ok) => {
        const marker = document.createElement('span');
        marker.id = 'csp-marker';
        document.addEventListener('securitypolicyviolation', function seen(e) {
          if (e.target !== marker) return;
          document.removeEventListener('securitypolicyviolation', seen);
          marker.remove();
          ok(window.cspViolations.filter((v) => !v.includes('<span#csp-marker>')));
        });
        document.body.append(marker);
        marker.setAttribute('style', 'color: red');
      }),
  );
}

export async function waitText(page, text, timeout = 10000) {
  try {
    await page.waitForFunction(
      (t) => document.body.innerText.includes(t),
      { timeout, polling: 'mutation' },
      text,
    );
  } catch (e) {
    const shown = await page
      .evaluate(() => document.body.innerText)
      .catch(() => '(the page is gone)');
    throw new Error(
      `"${text}" did not show in ${timeout} ms (${e.message}); the page shows:\n${shown.slice(-1500)}`,
    );
  }
}

export function countText(page, text) {
  return page.evaluate((t) => document.body.innerText.split(t).length - 1, text);
}

// Clicks the control whose visible text is `text` and that reports clicks.
export async function clickText(page, text) {
  // A tab in the background gets no frames, so a click there would wait forever.
  await page.bringToFront();
  const handle = await page.waitForFunction(
    (t) => {
      // Shown only: a closed dialog keeps its buttons, without a box, until it opens again.
      for (const el of document.querySelectorAll('[data-id]')) {
        if (
          el.textContent.trim() === t &&
          el.dataset.type.endsWith('button') &&
          el.getClientRects().length > 0
        )
          return el;
      }
      return null;
    },
    { polling: 'mutation' },
    text,
  );
  await handle.click();
}

/** The color the page's theme gives `role` (a --md-sys-color-* name), as the browser
 * computes it: what a test compares a control's color with, whatever the seed. */
export const roleColor = (page, role) =>
  page.evaluate((r) => {
    const probe = document.body.appendChild(document.createElement('div'));
    probe.style.backgroundColor = `var(--md-sys-color-${r})`;
    const c = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return c;
  }, role);
