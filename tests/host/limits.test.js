// Bad input over real sockets: each class is answered clearly (an error reply or a close
// code), and another session on the same host goes on as if nothing happened.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startHost } from '../e2e/harness.js';
import { Client, RawClient } from './ws_client.js';

async function registered(port) {
  const c = new Client(port);
  const init = await c.register();
  await c.next((m) => m.t === 'patch');
  return { c, init };
}

// Resolves with the number of patches c gets until it has seen `text` in a set op.
const sees = (c, text) =>
  c.next((m) => m.t === 'patch' && m.ops.some((op) => op.props?.value === text));

describe('bad input', () => {
  let host, bystander;
  before(async () => {
    host = await startHost('tests/e2e/apps/clicks.lua', {
      args: [
        '--log-level',
        'debug',
        '--max-message',
        '1024',
        '--event-rate',
        '20',
        '--event-burst',
        '10',
      ],
    });
    bystander = await registered(host.port);
  });
  after(async () => {
    // The bystander's session was never disturbed: a click still counts.
    const { c } = bystander;
    c.send({ t: 'event', id: c.buttonId('+'), name: 'click', data: '' });
    await sees(c, 'clicks 1');
    await host.stop();
  });

  it('closes a socket that sends a message over --max-message with 1009', async () => {
    const { c } = await registered(host.port);
    c.send(JSON.stringify({ t: 'event', id: 1, name: 'click', data: 'x'.repeat(2000) }));
    assert.equal((await c.waitClosed()).code, 1009);
  });

  it('takes a message of exactly --max-message bytes in fragments, and refuses one byte more', async () => {
    // A message of `size` bytes the host answers with an error, in fragments of 100 bytes.
    const fragments = (size) => {
      const head = '{"t":"big","pad":"';
      const text = head + 'x'.repeat(size - head.length - 2) + '"}';
      assert.equal(Buffer.byteLength(text), size);
      const frames = [];
      for (let at = 0; at < size; at += 100) {
        frames.push(
          RawClient.frame(at === 0 ? 1 : 0, text.slice(at, at + 100), { fin: at + 100 >= size }),
        );
      }
      return frames;
    };
    const fits = new RawClient(host.port);
    await fits.opened;
    fits.write(...fragments(1024));
    const reply = await fits.next((f) => f.op === 1, 5000, 'reply');
    assert.match(JSON.parse(reply.payload).message, /unknown message type big/);
    fits.write(RawClient.close(1000));
    await fits.waitEnded();

    const over = new RawClient(host.port);
    await over.opened;
    over.write(...fragments(1025));
    assert.equal((await over.closeFrame()).code, 1009);
    assert.deepEqual(
      over.frames.map((f) => f.op),
      [8],
    );
    over.sock.end();
    await over.waitEnded();
  });

  it('closes a socket that sends invalid UTF-8 with 1007, at once', async () => {
    const { c } = await registered(host.port);
    c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    // (a host that took the text as it came would answer it with an error and go on)
    assert.equal((await c.waitClosed(1000)).code, 1007);
  });

  it('closes a socket that sends a binary frame with 1003', async () => {
    const { c } = await registered(host.port);
    c.ws.send(Buffer.from('{"t":"event"}'), { binary: true });
    assert.equal((await c.waitClosed()).code, 1003);
  });

  it('answers malformed JSON, unknown kinds and wrong field types with an error, and goes on', async () => {
    const { c } = await registered(host.port);
    const errors = [
      ['{"t": "event", ', /JSON|parse|unexpected|invalid/i],
      ['{"t": "event"} trailing', /JSON|trailing|invalid/i],
      [{ t: 'frobnicate' }, /unknown message type frobnicate/],
      [{ t: 'event', id: 'one', name: 'click' }, /'id' must be an integer/],
      [{ t: 'ack', seq: [] }, /'seq' must be an integer/],
    ];
    for (const [bad, re] of errors) {
      const from = c.messages.length;
      c.send(bad);
      const reply = await c.next((m) => m.t === 'error', { from });
      assert.match(reply.message, re);
      assert.doesNotMatch(reply.message, /traceback|\.lua:/);
    }
    // Events for a control that does not exist, or of a kind it does not emit, are ignored.
    c.send({ t: 'event', id: 99999, name: 'click', data: '' });
    c.send({ t: 'event', id: c.buttonId('+'), name: 'change', data: 'x' });
    await host.waitLog(/ignored: the control does not emit this event/);
    c.send({ t: 'event', id: c.buttonId('+'), name: 'click', data: '' });
    await sees(c, 'clicks 1');
    c.ws.close(1000);
  });

  it('answers a close frame it must not echo with 1002, or 1007 for a reason cut short', async () => {
    // lws would echo these as they came: a code past 4999, a one-byte body, and a reason that
    // ends inside a UTF-8 sequence.
    for (const [frame, code] of [
      [RawClient.close(5000), 1002],
      [RawClient.frame(8, '\x03'), 1002],
      [RawClient.close(1000, '*\xc3'), 1007],
    ]) {
      const c = new RawClient(host.port);
      await c.opened;
      c.write(frame);
      assert.equal((await c.closeFrame()).code, code);
      c.sock.end();
      await c.waitEnded();
    }
  });

  it('sends nothing after its close frame', async () => {
    const c = new RawClient(host.port);
    await c.opened;
    // The first message is due an error reply when lws refuses the second, for its reserved
    // bits, and sends its close frame.
    c.write(RawClient.frame(1, 'not json'), RawClient.frame(1, '{}', { rsv: 2 }));
    assert.equal((await c.closeFrame()).code, 1002);
    c.write(RawClient.close(1002));
    await c.waitEnded();
    assert.deepEqual(
      c.frames.map((f) => f.op),
      [8],
    );
  });

  it('lets a burst of at most --event-burst through, however long the client was idle', async () => {
    const { c } = await registered(host.port);
    const id = c.buttonId('+');
    // Two seconds at 20 a second would be 40 tokens: the bucket holds 10 of them.
    await sleep(2000);
    for (let i = 0; i < 40; i++) c.send({ t: 'event', id, name: 'click', data: '' });
    // A message the host answers, once the bucket has a token for it again: the clicks that
    // got through were answered before it.
    await sleep(200);
    c.send({ t: 'probe' });
    await c.next((m) => m.t === 'error' && /probe/.test(m.message));
    const counts = c.messages
      .flatMap((m) => (m.t === 'patch' ? m.ops : []))
      .map((op) => op.props?.value)
      .filter((v) => /^clicks \d+$/.test(v ?? ''))
      .map((v) => Number(v.split(' ')[1]));
    const through = Math.max(0, ...counts);
    assert.ok(through >= 10 && through <= 13, `${through} of 40 clicks got through`);
    c.ws.close(1000);
    await c.waitClosed();
  });

  it('drops events over the rate, and closes a client that keeps far over it with 1008', async () => {
    const { c } = await registered(host.port);
    const id = c.buttonId('+');
    // A burst of 40 clicks at once: the burst's 10 tokens (less the one register took)
    // let 9 through, the rest are dropped.
    for (let i = 0; i < 40; i++) c.send({ t: 'event', id, name: 'click', data: '' });
    await host.waitLog(/dropping the excess/);
    await sees(c, 'clicks 9');
    await sleep(200); // the bucket refills at 20 a second
    const from = c.messages.length;
    c.send({ t: 'event', id, name: 'click', data: '' });
    const next = await c.next((m) => m.t === 'patch', { from });
    const shown = Number(next.ops[0].props.value.split(' ')[1]);
    assert.ok(shown >= 10 && shown <= 12, `${shown - 1} clicks of the burst got through`);
    // Sustained: far over the rate for long.
    for (let i = 0; i < 2000; i++) c.send({ t: 'event', id, name: 'click', data: '' });
    assert.equal((await c.waitClosed()).code, 1008);
  });
});

describe('slow and silent clients', () => {
  it('drops a client that stops reading, and the host goes on serving', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--max-send-queue', '262144'],
    });
    try {
      const { c } = await registered(host.port);
      c.ws._socket.pause(); // reads nothing more
      c.send({ t: 'event', id: c.buttonId('flood'), name: 'click', data: '' });
      await host.waitLog(/a client stopped reading \(\d+ bytes unsent\): dropping it/, 20000);
      const other = await registered(host.port);
      other.c.send({ t: 'event', id: other.c.buttonId('+'), name: 'click', data: '' });
      await sees(other.c, 'clicks 1');
    } finally {
      await host.stop();
    }
  });

  it('gives a reading client every message of a burst written at once, in order', async () => {
    const host = await startHost('tests/e2e/apps/bursts.lua');
    try {
      const { c } = await registered(host.port);
      const from = c.messages.length;
      c.send({ t: 'event', id: c.buttonId('burst'), name: 'click', data: '3000' });
      await c.next(
        (m) => m.t === 'patch' && m.ops.some((op) => op.props?.value?.endsWith(' 3000')),
        {
          ms: 30000,
        },
      );
      const got = c.messages.slice(from);
      const shown = got.map((m) => Number(m.ops[0].props.value.split(' ')[1]));
      assert.deepEqual(
        shown,
        Array.from({ length: 3000 }, (_, i) => i + 1),
      );
      for (let i = 1; i < got.length; i++) assert.equal(got[i].seq, got[i - 1].seq + 1);
    } finally {
      await host.stop();
    }
  });

  it('drops a client that stops reading a burst of small messages, and goes on serving', async () => {
    const host = await startHost('tests/e2e/apps/bursts.lua', {
      args: ['--max-send-queue', '262144'],
    });
    try {
      const { c } = await registered(host.port);
      c.ws._socket.pause(); // reads nothing more: the kernel's buffers fill, then lws's, then ours
      // Small ones only: each would be written at once, were lws not holding part of one.
      c.send({ t: 'event', id: c.buttonId('burst'), name: 'click', data: '200000 small' });
      await host.waitLog(/a client stopped reading \(\d+ bytes unsent\): dropping it/, 60000);
      const other = await registered(host.port);
      other.c.send({ t: 'event', id: other.c.buttonId('burst'), name: 'click', data: '3' });
      await other.c.next(
        (m) => m.t === 'patch' && m.ops.some((op) => op.props?.value?.endsWith(' 3')),
      );
    } finally {
      await host.stop();
    }
  });

  it('pings an idle socket and drops one that does not answer', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--log-level', 'debug', '--ping-interval', '1', '--ping-timeout', '2'],
    });
    try {
      const live = await registered(host.port);
      let pings = 0;
      live.c.ws.on('ping', () => {
        pings += 1;
      });
      const silent = await registered(host.port);
      silent.c.ws._socket.pause(); // no pong will come
      await host.waitLog(/session detached/, 8000);
      await new Promise((ok) => live.c.ws.once('ping', ok)); // the answering one is still pinged
      assert.ok(pings >= 1);
      assert.equal(live.c.ws.readyState, 1);
      live.c.send({ t: 'event', id: live.c.buttonId('+'), name: 'click', data: '' });
      await sees(live.c, 'clicks 1');
    } finally {
      await host.stop();
    }
  });

  it('closes an HTTP request or a handshake that does not arrive in time', async () => {
    const host = await startHost('tests/e2e/apps/clicks.lua', {
      args: ['--handshake-timeout', '1'],
    });
    try {
      for (const partial of [
        'GET / HTTP/1.1\r\nHost: x\r\n',
        'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n',
      ]) {
        const sock = connect(host.port, '127.0.0.1');
        sock.on('error', () => {});
        sock.write(partial);
        const started = Date.now();
        await new Promise((ok) => sock.on('close', ok));
        const waited = Date.now() - started;
        assert.ok(waited < 6000, `closed after ${waited} ms`);
      }
    } finally {
      await host.stop();
    }
  });
});
