// The test harness itself: a test that times out does not leave its host or its browser
// running, and so does not keep its test file's run from ending.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the harness', () => {
  it('kills the host and the browser of a test that timed out', async () => {
    const run = spawn(
      process.execPath,
      ['--test', '--test-reporter=tap', join(here, 'fixtures/hangs.js')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // Not as one of this run's test files: a run of its own, with its own report.
        env: Object.fromEntries(
          Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'),
        ),
      },
    );
    let out = '';
    run.stdout.on('data', (d) => {
      out += d;
    });
    run.stderr.on('data', (d) => {
      out += d;
    });
    const ended = new Promise((ok) => run.on('exit', ok));
    // Without the harness the run would never end: it is killed after a minute.
    const timer = setTimeout(() => run.kill('SIGKILL'), 60000);
    const code = await ended;
    clearTimeout(timer);
    assert.notEqual(run.signalCode, 'SIGKILL', `the run did not end:\n${out}`);
    assert.notEqual(code, 0);
    assert.match(out, /test timed out after 3000ms/);
    const pids = out.match(/pids (\d+) (\d+)/);
    assert.ok(pids, out);
    assert.match(out, /harness: killing the host of tests\/e2e\/apps\/clicks.lua/);
    assert.match(out, /harness: killing Chromium/);
    for (const pid of pids.slice(1).map(Number))
      assert.ok(!alive(pid), `process ${pid} is still running`);
  });
});
