// The gestures family in Chromium with a real mouse: GestureDetector's taps, long press,
// hover and pan reach their handlers with Flet's e.data, and a Draggable dropped on a
// DragTarget of its group is accepted with the source's id.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openApp, startHost, waitText } from './harness.js';

let browser, host, page;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/gestures.lua');
  page = await openApp(browser, host);
  await waitText(page, 'log: none');
});
after(async () => {
  await page?.close();
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

const boxOf = async (selector, text) => {
  const h = await page.evaluateHandle(
    (s, t) => [...document.querySelectorAll(s)].find((e) => e.textContent.includes(t)),
    selector,
    text,
  );
  return h.boundingBox();
};
const shown = (prefix) =>
  page.evaluate((p) => document.body.innerText.split('\n').find((l) => l.startsWith(p)), prefix);

describe('GestureDetector', () => {
  it('shows its mouse_cursor and reports a tap, a double tap and hover as Flet does', async () => {
    const cursor = await page.evaluate(
      () => getComputedStyle(document.querySelector('.lf-gesturedetector')).cursor,
    );
    assert.equal(cursor, 'move');
    const r = await boxOf('.lf-gesturedetector', 'gesture area');
    await page.mouse.move(r.x + 10, r.y + 10);
    await waitText(page, 'log: hover json');
    await page.mouse.click(r.x + 20, r.y + 30);
    await waitText(page, 'log: tap');
    assert.equal(await shown('log:'), 'log: tap ');
    // Two presses well inside Flutter's 300 ms double-tap timeout, whatever the load: sent
    // as pointer events from the page in one go.
    await page.evaluate(() => {
      const el = document.querySelector('.lf-gesturedetector');
      const r = el.getBoundingClientRect();
      const at = {
        clientX: r.x + 20,
        clientY: r.y + 30,
        pointerId: 7,
        button: 0,
        bubbles: true,
        pointerType: 'mouse',
      };
      for (let i = 0; i < 2; i++) {
        el.dispatchEvent(new PointerEvent('pointerdown', at));
        el.dispatchEvent(new PointerEvent('pointerup', at));
      }
    });
    await waitText(page, 'double taps: 1');
  });

  it('reports a long press with its place as JSON', async () => {
    const r = await boxOf('.lf-gesturedetector', 'gesture area');
    await page.mouse.move(r.x + 50, r.y + 40);
    await page.mouse.down();
    await waitText(page, 'log: long press');
    await page.mouse.up();
    const d = JSON.parse((await shown('log: long press ')).slice('log: long press '.length));
    assert.equal(d.lx, 50);
    assert.equal(d.ly, 40);
    assert.equal(d.gx, r.x + 50);
  });

  it('reports a pan: start, updates with deltas, end', async () => {
    const r = await boxOf('.lf-gesturedetector', 'gesture area');
    await page.mouse.move(r.x + 10, r.y + 10);
    await page.mouse.down();
    await page.mouse.move(r.x + 30, r.y + 20, { steps: 4 });
    await page.mouse.move(r.x + 60, r.y + 40, { steps: 4 });
    await waitText(page, 'pan: start');
    const start = JSON.parse((await shown('pan: start ')).slice('pan: start '.length));
    assert.deepEqual([start.lx, start.ly, start.kind], [10, 10, 'mouse']);
    await page.mouse.up();
    await waitText(page, 'pan: end after');
    // The pan set off mostly along x: a horizontal drag too, its primary delta along x.
    await waitText(page, 'h drag: pd ');
    const upd = JSON.parse((await shown('first update: ')).slice('first update: '.length));
    for (const k of ['dx', 'dy', 'lx', 'ly', 'gx', 'gy']) assert.equal(typeof upd[k], 'number', k);
    assert.ok(upd.dx > 0 && upd.dy > 0, JSON.stringify(upd));
    const end = await shown('pan: end after ');
    assert.ok(Number(end.split(' ').pop()) >= 2, end);
  });
});

describe('Draggable and DragTarget', () => {
  it('drop on a target of the same group: will_accept "true", then accept with the source id', async () => {
    const src = await boxOf('.lf-draggable', 'drag me');
    const dst = await boxOf('.lf-dragtarget', 'drop here');
    const srcId = await page.evaluate(() => document.querySelector('.lf-draggable').dataset.id);
    await page.mouse.move(src.x + 40, src.y + 40);
    await page.mouse.down();
    await page.mouse.move(src.x + 60, src.y + 50, { steps: 3 });
    await waitText(page, 'dragging');
    await page.mouse.move(dst.x + 60, dst.y + 60, { steps: 8 });
    await waitText(page, 'drop: will true');
    await page.mouse.up();
    await waitText(page, `drop: accept from ${srcId}`);
    assert.equal(await page.evaluate(() => document.querySelector('.lf-drag-ghost')), null);
  });

  it('a source of another group is refused: will_accept "false", then leave', async () => {
    const src = await boxOf('.lf-draggable', 'wrong group');
    const dst = await boxOf('.lf-dragtarget', 'drop here');
    await page.mouse.move(src.x + 40, src.y + 40);
    await page.mouse.down();
    await page.mouse.move(dst.x + 60, dst.y + 60, { steps: 10 });
    await waitText(page, 'drop: will false');
    await page.mouse.up();
    await waitText(page, 'drop: leave');
  });
});
