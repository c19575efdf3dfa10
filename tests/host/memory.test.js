// Sessions that come and go leave nothing behind: after rounds of a thousand sessions each,
// the host's memory (RSS, and the Lua heap) comes back to where it stood after the first
// round, within a small margin. (The first round grows the allocators' pools, which stay.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client } from './ws_client.js';

const ROUND = 1000;

const rssKiB = (pid) =>
  Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

describe('memory', () => {
  it(
    `returns after ${ROUND} sessions come and go, round after round`,
    {
      // ASan holds freed memory back (its quarantine), so RSS would say nothing.
      skip: process.env.SANITIZE === '1' && 'RSS means nothing under ASan',
    },
    async (t) => {
      const host = await startHost('tests/e2e/apps/memory.lua', {
        args: ['--log-level', 'debug', '--max-sessions-per-ip', '0', '--handshake-rate', '0'],
      });
      try {
        const watcher = new Client(host.port);
        await watcher.register();
        const add = await watcher.next((m) => m.t === 'patch');
        const collect = add.ops.find((op) => op.node?.props.text === 'collect').node.id;
        let collected = 0;
        const measure = async () => {
          collected += 1;
          watcher.send({ t: 'event', id: collect, name: 'click', data: '' });
          await host.waitCount(/app: collected/, collected);
          const lua = Number([...host.log.matchAll(/lua heap (\d+) KB/g)].at(-1)[1]);
          return { rss: rssKiB(host.proc.pid), lua };
        };
        let ended = 0;
        const round = async () => {
          for (let i = 0; i < ROUND; i += 100) {
            const batch = Array.from({ length: 100 }, () => new Client(host.port));
            // Each session gets its page and its three updates, then its tab closes.
            await Promise.all(
              batch.map(async (c) => {
                await c.register();
                await c.next(
                  (m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === 'hello 3'),
                );
                c.ws.close(1001);
                await c.waitClosed();
              }),
            );
          }
          ended += ROUND;
          await host.waitCount(/session ended/, ended, 20000);
          return measure();
        };
        const start = await round();
        await round();
        const end = await round();
        const grew = end.rss - start.rss;
        t.diagnostic(
          `memory after round 1: RSS ${start.rss} KiB, Lua ${start.lua} KB; after round 3: RSS ${end.rss} KiB, Lua ${end.lua} KB`,
        );
        assert.ok(
          grew < 2048,
          `RSS grew by ${grew} KiB over ${2 * ROUND} sessions (${start.rss} -> ${end.rss})`,
        );
        assert.ok(
          end.lua - start.lua < 256,
          `the Lua heap grew from ${start.lua} to ${end.lua} KB`,
        );
        watcher.ws.close(1001);
      } finally {
        await host.stop();
      }
    },
  );
});
