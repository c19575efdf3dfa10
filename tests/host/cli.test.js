// The luaflet command itself: options, exit codes, scripts without a UI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HOST_BIN } from '../e2e/harness.js';

function run(args, script) {
  if (script !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-cli-'));
    const file = join(dir, 'script.lua');
    writeFileSync(file, script);
    args = [...args, file];
  }
  return spawnSync(HOST_BIN, args, { encoding: 'utf8', timeout: 10000 });
}

describe('luaflet command', () => {
  it('prints its version', () => {
    const r = run(['--version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^luaflet \d+\.\d+\.\d+\n$/);
  });

  it('prints an nginx configuration, and says what is wrong with its arguments', () => {
    const ok = run([
      '--print-nginx-config',
      '--tls',
      '/c.pem',
      '/c.key',
      'a=10.0.0.1:8550',
      'b-2=[::1]:8551',
    ]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /listen 443 ssl http2;/);
    assert.match(
      ok.stdout,
      /upstream luaflet_route_b-2 \{\n {4}server \[::1\]:8551;\n {4}server 10\.0\.0\.1:8550 backup;/,
    );
    assert.match(ok.stdout, /~\^a\(-w\[0-9\]\+\)\?\$ luaflet_route_a;/);
    const named = run([
      '--print-nginx-config',
      '--server-name',
      'app.example.com',
      '--tls',
      '/c',
      '/k',
      'a=h:1',
    ]);
    assert.match(
      named.stdout,
      /--route-id a --trust-proxy --allow-origin https:\/\/app\.example\.com\n/,
    );
    assert.match(
      named.stdout,
      /location = \/upload \{\n {8}proxy_pass http:\/\/\$luaflet_backend;/,
    );
    for (const [args, why] of [
      [[], /usage: luaflet --print-nginx-config/],
      [['a=10.0.0.1'], /a=10\.0\.0\.1 is not ID=HOST:PORT/],
      [['a b=10.0.0.1:1'], /is not ID=HOST:PORT/],
      [['a=10.0.0.1:1;evil'], /is not ID=HOST:PORT/],
      [['a=h:1', 'a=h:2'], /route id a is given twice/],
      [['--listen'], /unexpected --listen/],
    ]) {
      const r = run(['--print-nginx-config', ...args]);
      assert.equal(r.status, 2, `${args}: ${r.stdout}`);
      assert.match(r.stderr, why);
    }
    const bad = run(['--route-id', 'no.dots'], 'print(1)');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--route-id wants 1 to 32 letters, digits, - or _/);
  });

  it('says what is wrong with --workers', () => {
    for (const [args, why] of [
      [['--workers', '0'], /--workers wants a number from 1 to 1024, or auto/],
      [['--workers', 'many'], /--workers wants a number from 1 to 1024, or auto/],
      [['--workers', '2', '--reload'], /--reload runs one process: drop --workers/],
      [['--workers', '2', '--route-id', 'x'.repeat(27)], /--route-id takes up to 26 characters/],
    ]) {
      const r = run(args, 'print(1)');
      assert.equal(r.status, 2, `${args}: ${r.stderr}`);
      assert.match(r.stderr, why);
    }
  });

  it('prints its help with every option', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0);
    for (const o of [
      '--host',
      '--port',
      '--log-level',
      '--task-time-limit',
      '--route-url-strategy path\\|hash',
      '--help',
      '--version',
    ]) {
      assert.match(r.stdout, new RegExp(o));
    }
  });

  it('refuses an unknown option or a bad port with status 2', () => {
    assert.equal(run(['--frobnicate', 'x.lua']).status, 2);
    const r = run(['--port', 'abc', 'x.lua']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port wants a number/);
    const s = run(['--route-url-strategy', 'fragment', 'x.lua']);
    assert.equal(s.status, 2);
    assert.match(s.stderr, /--route-url-strategy wants one of path\|hash/);
  });

  it('runs a script without a UI under asyncio.run and passes it its arguments', () => {
    const r = run(
      ['--log-level', 'debug'],
      `
      local asyncio = require "asyncio"
      print(asyncio.run(function(a)
        local t = asyncio.create_task(function() asyncio.sleep(0.01) return "slept" end)
        asyncio.sleep(0.02)
        return t:result(), a
      end, arg[1]))`,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'slept\tnil\n');
    assert.match(r.stderr, /loop closed cleanly/);
  });

  it('--debug names a task that runs long without awaiting, and shows where it is', () => {
    const r = run(
      ['--debug'],
      `
      local asyncio = require "asyncio"
      asyncio.run(function()
        asyncio.current_task():set_name("busy")
        local t0 = os.clock()
        while os.clock() - t0 < 0.15 do end
        asyncio.sleep(0)
        asyncio.create_task("poller", function()
          local t1 = os.clock()
          while os.clock() - t1 < 0.15 do end
        end):wait()
      end)`,
    );
    assert.equal(r.status, 0, r.stderr);
    // While it still runs, with the line it is on; and once it awaits, how long it took.
    assert.match(
      r.stderr,
      /task busy has run \d+ ms without awaiting[^\n]*\nstack traceback:\n\s*\S*script\.lua:6: in/,
    );
    assert.match(r.stderr, /task busy ran \d+ ms without awaiting/);
    // A name given to create_task, as Python's create_task(coro, name=...).
    assert.match(
      r.stderr,
      /task poller has run \d+ ms without awaiting[^\n]*\nstack traceback:\n\s*\S*script\.lua:10: in/,
    );
    const quiet = run(
      [],
      'local asyncio = require "asyncio"\n' +
        'asyncio.run(function() local t0 = os.clock() while os.clock() - t0 < 0.15 do end end)',
    );
    assert.doesNotMatch(quiet.stderr, /without awaiting/);
  });

  it('exits with status 1 and the traceback when the script fails', () => {
    const r = run(
      [],
      `
      local asyncio = require "asyncio"
      asyncio.run(function() asyncio.sleep(0.001); error("it broke") end)`,
    );
    assert.equal(r.status, 1);
    assert.match(r.stderr, /it broke/);
    assert.match(r.stderr, /stack traceback/);
    assert.doesNotMatch(r.stderr, /open handles/);
  });

  it('says clearly when it cannot listen', async () => {
    const taken = createServer();
    await new Promise((ok) => taken.listen(0, '127.0.0.1', ok));
    const { port } = taken.address();
    try {
      const r = run(
        ['--port', String(port)],
        `
        local ft = require "flet"
        ft.app(function(page) end)`,
      );
      assert.equal(r.status, 1);
      assert.match(
        r.stderr,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
      );
      assert.doesNotMatch(r.stderr, /open handles/);
      assert.doesNotMatch(r.stderr, /lws:/);
      // One line that says what to do, and no traceback.
      assert.match(r.stderr, /choose another with --port/);
      assert.doesNotMatch(r.stderr, /traceback/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    } finally {
      taken.close();
    }
  });

  it('says in one line what is wrong with the script it was given, with status 2 or 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-cli-'));
    const cases = [
      [
        [join(dir, 'missing.lua')],
        2,
        /^luaflet: error: no script at .*missing\.lua \(No such file or directory\)$/,
      ],
      [
        [dir],
        2,
        /^luaflet: error: .* is a folder: give the app's Lua script, such as .*\/main\.lua$/,
      ],
    ];
    const notLua = join(dir, 'notes.lua');
    writeFileSync(notLua, 'Remember to buy milk\n');
    cases.push([[notLua], 1, /^luaflet: error: .*notes\.lua:1: syntax error near 'to'$/]);
    for (const [args, status, line] of cases) {
      const r = run(args);
      assert.equal(r.status, status, `${args}: ${r.stderr}`);
      assert.match(r.stderr.trim(), line);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('says so when an app script ends without calling ft.app', () => {
    const r = run([], 'local ft = require "flet"\nlocal function main(page) end\n');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the script ended without calling ft\.app \(nothing was served\)/);
    // A plain Lua script, which never loaded flet, just ends.
    const plain = run([], 'local x = 1 + 1\n');
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stderr, '');
  });

  it('refuses an unknown option after the script too; app arguments that start with a dash go after --', () => {
    const script = 'print(arg[1], arg[2], arg[3])';
    let r;
    // `app.lua --prot 8620` once served on 8550 with "--prot" as an app argument.
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-cli-'));
    const app = join(dir, 'app.lua');
    writeFileSync(app, script);
    r = spawnSync(HOST_BIN, [app, '--prot', '8620'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option --prot/);
    r = spawnSync(HOST_BIN, [app, 'one', '--', '--two', '3'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'one\t--two\t3\n');
    r = spawnSync(HOST_BIN, [app, '--max_message', '9'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2);
    r = spawnSync(HOST_BIN, [app, '--redis', 'redis://h:1/x'], {
      encoding: 'utf8',
      timeout: 10000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--redis: the database of a Redis URL is a number/);
  });

  it("checks ft.app settings against the options: unknown or wrong kinds fail at the app's line", () => {
    for (const [setting, re] of [
      ['prot = 8620', /app\.lua:2: ft\.app: unknown setting 'prot'/],
      ['port = "x"', /app\.lua:2: ft\.app: 'port' must be a number from 0 to 65535/],
      ['max_message = 1', /'max_message' must be a number from 16/],
      ['debug = true', /app\.lua:2: ft\.app: 'debug' is set on the command line only \(--debug\)/],
      ['workers = 2', /'workers' is set on the command line only \(--workers\)/],
      ['drain_timeout = 1', /'drain_timeout' is set on the command line only \(--drain-timeout\)/],
      ['route_url_strategy = "hsah"', /'route_url_strategy' must be one of "path", "hash"/],
      ['redis = "http://x:1"', /app\.lua:2: ft\.app: 'redis': a Redis URL starts with redis:\/\//],
      ['redis = "redis://x:0"', /'redis': the port of a Redis URL is a number from 1 to 65535/],
      ['redis_prefix = 3', /'redis_prefix' must be a string/],
    ]) {
      const r = run(
        [],
        `
        local ft = require "flet"
        ft.app{target = function(page) end, ${setting}}`.replace(/^\n/, ''),
      );
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr.replace(/script\.lua/g, 'app.lua'), re);
    }
  });

  it("takes Flet's own ft.app settings, and port 0 for any free port", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luaflet-cli-'));
    const app = join(dir, 'app.lua');
    writeFileSync(
      app,
      `
      local ft = require "flet"
      ft.app{target = function(page) end, port = 0, view = "web_browser", name = "x",
             route_url_strategy = ft.RouteUrlStrategy.HASH}`,
    );
    const { spawn } = await import('node:child_process');
    const proc = spawn(HOST_BIN, [app], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(log)), 10000);
      proc.stderr.on('data', (d) => {
        log += d;
        if (/serving http:\/\/127\.0\.0\.1:\d+/.test(log)) {
          clearTimeout(timer);
          ok();
        }
      });
    });
    const port = Number(log.match(/serving http:\/\/127\.0\.0\.1:(\d+)/)[1]);
    assert.ok(port > 0);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    proc.kill('SIGTERM');
    await new Promise((ok) => proc.on('exit', ok));
  });
});
