// The layout family in Chromium: lists of 10,000 keep only what is near the viewport in the
// document and scroll to what the host asks; Flutter's layout rules for Row and Column; and
// each layout control renders and reports its events with Flet's e.data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clickText, launchBrowser, openApp, startHost, waitText, roleColor } from './harness.js';

let browser, host, page;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/layout.lua');
  page = await openApp(browser, host, { width: 1000, height: 700 });
  await waitText(page, 'log: none');
});
after(async () => {
  await page?.close();
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// The first element of `selector` whose text includes `text`.
const find = (selector, text) =>
  page.evaluateHandle(
    (s, t) => [...document.querySelectorAll(s)].find((e) => e.textContent.includes(t)),
    selector,
    text,
  );
const frames = (n = 2) =>
  page.evaluate(
    (k) =>
      new Promise((ok) => {
        const step = (i) => (i ? requestAnimationFrame(() => step(i - 1)) : ok());
        step(k);
      }),
    n,
  );

describe('ListView and GridView', () => {
  it('keep only the children near the viewport in the document', async () => {
    await waitText(page, 'item 0');
    const counts = await page.evaluate(() => {
      const [lv] = document.querySelectorAll('.lf-listview');
      const grid = document.querySelector('.lf-gridview');
      return {
        list: lv.querySelectorAll('.lf-vitem').length,
        grid: grid.querySelectorAll('.lf-vitem').length,
        height: lv.querySelector('.lf-vsizer').offsetHeight,
        divider: getComputedStyle(lv.querySelector('.lf-vitem[data-divider]'), '::before').height,
      };
    });
    assert.ok(counts.list > 5 && counts.list < 100, `list children shown: ${counts.list}`);
    assert.ok(counts.grid > 5 && counts.grid < 200, `grid children shown: ${counts.grid}`);
    // 10,000 rows of 20px text and 10px spacing, some measured and the rest estimated.
    assert.ok(counts.height > 250000, `sizer height ${counts.height}`);
    assert.equal(counts.divider, '1px');
    assert.equal(await page.evaluate(() => document.body.innerText.includes('item 5000')), false);
  });

  it('scroll to a key, an offset from the end and by a delta, as scroll_to asks', async () => {
    await clickText(page, 'to key 5000');
    await waitText(page, 'item 5000');
    const top = await page.evaluate(() => {
      const lv = document.querySelector('.lf-listview');
      const item = [...lv.querySelectorAll('.lf-vitem')].find((w) => w.textContent === 'item 5000');
      return item.getBoundingClientRect().top - lv.getBoundingClientRect().top;
    });
    assert.ok(Math.abs(top) <= 2, `item 5000 is ${top}px from the list's top`);
    await clickText(page, 'to end');
    await waitText(page, 'item 9999');
    const at = await page.evaluate(() => document.querySelector('.lf-listview').scrollTop);
    await clickText(page, 'down 100');
    await page.waitForFunction(
      (was) => document.querySelector('.lf-listview').scrollTop !== was || was > 0,
      {},
      at,
    );
    await clickText(page, 'grid to 9000');
    await waitText(page, 'tile 9000');
  });

  it('follow what is added with auto_scroll', async () => {
    await clickText(page, 'say more');
    await waitText(page, 'said 4');
    await clickText(page, 'say more');
    await waitText(page, 'said 9');
    const at = await page.evaluate(() => {
      const chat = [...document.querySelectorAll('.lf-listview')].find((l) =>
        l.textContent.includes('said 9'),
      );
      return [chat.scrollTop, chat.scrollHeight - chat.clientHeight];
    });
    assert.deepEqual(at, [140, 140]);
  });

  it('keep what is in view still when children of other sizes than guessed are measured', async () => {
    const step = (...args) => page.evaluate(...args);
    const topItem = () => {
      const l = document.querySelector('[title="uneven"]');
      const top = l.getBoundingClientRect().top;
      const w = [...l.querySelectorAll('.lf-vitem')]
        .filter((e) => e.getBoundingClientRect().bottom > top + 1)
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
      return { text: w.textContent, y: w.getBoundingClientRect().top - top, scroll: l.scrollTop };
    };
    await step(() => {
      document.querySelector('[title="uneven"]').scrollTop = 150000;
    });
    await frames(3);
    const before = await step(topItem);
    // Up past what was drawn around it, into children never measured, and back by as much:
    // the child at the top is where it was.
    await step(() => {
      document.querySelector('[title="uneven"]').scrollTop -= 1000;
    });
    await frames(3);
    await step(() => {
      document.querySelector('[title="uneven"]').scrollTop += 1000;
    });
    await frames(3);
    const after = await step(topItem);
    assert.equal(after.text, before.text);
    assert.ok(Math.abs(after.y - before.y) <= 1, `${before.text} moved ${after.y - before.y}px`);
  });

  it('start a reversed list at its far end, its first child last', async () => {
    const m = await page.evaluate(() => {
      const l = document.querySelector('[title="reversed"]');
      const r = l.getBoundingClientRect();
      const at = (t) =>
        [...l.querySelectorAll('.lf-vitem')]
          .find((e) => e.textContent === t)
          ?.getBoundingClientRect();
      return {
        r0: r.bottom - at('r0').bottom,
        r1: at('r0').top - at('r1').bottom,
        r4: at('r4').top - r.top,
        n: l.querySelectorAll('.lf-vitem').length,
      };
    });
    assert.deepEqual([m.r0, m.r1, m.r4], [0, 0, 0]);
    assert.ok(m.n < 40, `shown ${m.n}`);
  });

  it("report on_scroll with Flet's data", async () => {
    await page.evaluate(() => {
      document.querySelector('.lf-listview').scrollTop = 1000;
    });
    await waitText(page, 'log: scroll end');
  });

  it('take 10,000 new children in one update, and scroll through them smoothly', async (t) => {
    // The size of the patch that brings them, as the browser receives it.
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    let biggest = 0;
    cdp.on('Network.webSocketFrameReceived', ({ response }) => {
      biggest = Math.max(biggest, response.payloadData.length);
    });
    const t0 = Date.now();
    await clickText(page, 'add 10000');
    await page.waitForFunction(() => {
      // The second vertical list: the one the button fills.
      const late = document.querySelectorAll('.lf-listview:not([data-horizontal])')[1];
      return late.querySelector('.lf-vsizer').offsetHeight === 200000;
    });
    const added = Date.now() - t0;
    const scroll = await page.evaluate(async () => {
      // The second vertical list: the one the button fills.
      const late = document.querySelectorAll('.lf-listview:not([data-horizontal])')[1];
      const times = [];
      for (let i = 1; i <= 30; i++) {
        late.scrollTop = i * 6000;
        // The work of one scroll: placing the children now in view, and the layout.
        const s = performance.now();
        late.lfVirtual.render();
        void late.offsetHeight;
        times.push(performance.now() - s);
        await new Promise((ok) => requestAnimationFrame(ok));
      }
      return {
        worst: Math.max(...times),
        mean: times.reduce((a, b) => a + b) / times.length,
        shown: late.querySelectorAll('.lf-vitem').length,
        text: late.textContent.includes('late 9000'),
      };
    });
    await cdp.detach();
    t.diagnostic(
      `10,000 Texts: patch of ${biggest} bytes; click to laid out ${added} ms; render per scroll step mean ${scroll.mean.toFixed(1)} ms, worst ${scroll.worst.toFixed(1)} ms; ${scroll.shown} shown`,
    );
    assert.ok(scroll.shown < 100, `shown ${scroll.shown}`);
    assert.ok(scroll.text, 'late 9000 shown after scrolling 180000px');
    assert.ok(added < 10000, `adding took ${added} ms`);
  });
});

describe("Flutter's layout rules", () => {
  it('make a Row fill its Column, a tight one not; share space by expand; wrap with run_spacing', async () => {
    const m = await page.evaluate(() => {
      const by = (t) => document.querySelector(`[title="${t}"]`);
      const w = (t) => by(t).getBoundingClientRect();
      const wrapKids = [...by('wrap').children].map((c) => c.getBoundingClientRect());
      const cardRow = [...document.querySelectorAll('.lf-card > .lf-row')].find(
        (r) => r.textContent === 'row in a card',
      );
      return {
        fill: w('fill').width,
        tight: w('tight').width,
        w1: w('w1').width,
        w2: w('w2').width,
        wrapGap: wrapKids[1].top - wrapKids[0].bottom,
        card: cardRow.closest('.lf-card').getBoundingClientRect().width,
        stretched: by('stretchcol').firstElementChild.getBoundingClientRect().width,
        start: by('startcol').firstElementChild.getBoundingClientRect().width,
      };
    });
    assert.equal(m.fill, 400);
    assert.ok(m.tight < 200, `tight row ${m.tight}`);
    assert.ok(Math.abs(m.w1 - 100) < 1 && Math.abs(m.w2 - 200) < 1, `${m.w1} ${m.w2}`);
    assert.equal(m.wrapGap, 20);
    // A Card holding a Row is as wide as its Column allows, less its 4px margins.
    assert.equal(m.card, 392);
    assert.equal(m.stretched, 300);
    assert.ok(m.start < 100, `unstretched ${m.start}`);
  });
});

describe('layout controls', () => {
  it("render Stack, ResponsiveRow, dividers, Card, Pagelet with Flet's look", async () => {
    const m = await page.evaluate(() => {
      const corner = [...document.querySelectorAll('.lf-stack > *')].find(
        (e) => e.textContent === 'corner',
      );
      const stack = corner.parentElement.getBoundingClientRect();
      const c = corner.getBoundingClientRect();
      const rr = document.querySelector('.lf-responsiverow');
      const kids = [...rr.children].map((k) => k.getBoundingClientRect());
      const div = document.querySelector('.lf-divider');
      const vdiv = document.querySelector('.lf-verticaldivider');
      const card = [...document.querySelectorAll('.lf-card')].find(
        (e) => e.textContent === 'elevated card',
      );
      const outlined = [...document.querySelectorAll('.lf-card')].find(
        (e) => e.textContent === 'outlined card',
      );
      const pagelet = document.querySelector('.lf-pagelet');
      return {
        corner: [stack.right - c.right, stack.bottom - c.bottom],
        rr: rr.getBoundingClientRect().width,
        half: kids[0].width,
        third: kids[1].width,
        hidden: getComputedStyle(rr.children[2]).display,
        div: [
          div.getBoundingClientRect().height,
          getComputedStyle(div, '::before').height,
          getComputedStyle(div, '::before').backgroundColor,
        ],
        vdiv: [vdiv.getBoundingClientRect().width, vdiv.getBoundingClientRect().height],
        card: [
          getComputedStyle(card).borderRadius,
          getComputedStyle(card).boxShadow !== 'none',
          getComputedStyle(card).backgroundColor,
        ],
        outlined: getComputedStyle(outlined).borderTopWidth,
        pagelet: pagelet.textContent,
        fab: getComputedStyle(pagelet.querySelector('.lf-pagelet-fab')).position,
      };
    });
    assert.deepEqual(m.corner, [0, 0]);
    // 1000px wide is md: 6 of 12 columns, then 4, with 10px spacing.
    assert.ok(Math.abs(m.half - (m.rr + 10) / 2 + 10) < 1, `half ${m.half} of ${m.rr}`);
    assert.ok(Math.abs(m.third - ((m.rr + 10) * 4) / 12 + 10) < 1, `third ${m.third}`);
    assert.equal(m.hidden, 'none');
    // Flet's "red" is Material's red 500.
    assert.deepEqual(m.div, [16, '2px', 'rgb(244, 67, 54)']);
    assert.deepEqual(m.vdiv, [20, 40]);
    assert.deepEqual(m.card, ['12px', true, await roleColor(page, 'surface-container-low')]);
    assert.equal(m.outlined, '1px');
    assert.ok(
      m.pagelet.includes('pagelet bar') &&
        m.pagelet.includes('pagelet body') &&
        m.pagelet.includes('fab'),
    );
    assert.equal(m.fab, 'absolute');
  });

  it('lay a horizontal ListView out along x, and open a Pagelet drawer from show_drawer', async () => {
    const xs = await page.evaluate(() => {
      const h = document.querySelector('.lf-listview[data-horizontal]');
      const items = [...h.querySelectorAll('.lf-vitem')]
        .slice(0, 2)
        .map((w) => w.getBoundingClientRect());
      return {
        dx: items[1].left - items[0].right,
        dy: items[1].top - items[0].top,
        shown: h.querySelectorAll('.lf-vitem').length,
      };
    });
    assert.ok(Math.abs(xs.dx - 10) < 0.5 && xs.dy === 0, `${xs.dx} ${xs.dy}`);
    assert.ok(xs.shown < 100, `shown ${xs.shown}`);
    assert.equal(await page.evaluate(() => document.body.innerText.includes('drawer body')), false);
    await clickText(page, 'open drawer');
    await waitText(page, 'drawer body');
    const d = await page.evaluate(() => {
      const pl = document.querySelector('.lf-pagelet');
      const dr = pl.querySelector('.lf-pagelet-drawer').getBoundingClientRect();
      return [
        dr.left - pl.getBoundingClientRect().left,
        getComputedStyle(pl.querySelector('.lf-pagelet-scrim')).display,
      ];
    });
    assert.deepEqual(d, [0, 'block']);
    await page.click('.lf-pagelet-scrim', { offset: { x: 290, y: 100 } });
    await page.waitForFunction(() => !document.body.innerText.includes('drawer body'));
    await clickText(page, 'open drawer');
    await waitText(page, 'drawer body');
  });

  it('open an ExpansionTile and report on_change "true"/"false"', async () => {
    assert.equal(
      await page.evaluate(() => document.body.innerText.includes('inside the tile')),
      false,
    );
    await (await find('.lf-tile-header', 'More')).click();
    await waitText(page, 'log: tile true');
    await waitText(page, 'inside the tile');
    await (await find('.lf-tile-header', 'More')).click();
    await waitText(page, 'log: tile false');
  });

  it("switch Tabs, showing the selected tab's content, with the index as e.data", async () => {
    await waitText(page, 'first tab body');
    const tab = await find('md-primary-tab', 'Two');
    await tab.click();
    await waitText(page, 'log: tab 1');
    await waitText(page, 'second tab body');
    assert.equal(
      await page.evaluate(() => document.body.innerText.includes('first tab body')),
      false,
    );
    await (await find('md-primary-tab', 'Three')).click();
    await waitText(page, 'log: tab 2');
    await waitText(page, 'third tab body');
  });

  it("report DataTable sorting, selection and taps with Flet's data", async () => {
    const sorted = await page.evaluate(() => {
      const th = [...document.querySelectorAll('.lf-datacolumn')];
      return [
        th[1].hasAttribute('data-sorted'),
        getComputedStyle(th[1]).textAlign,
        document.querySelectorAll('.lf-datarow[data-selected]').length,
      ];
    });
    assert.deepEqual(sorted, [true, 'end', 1]);
    await (await find('.lf-datacolumn', 'Age')).click();
    await waitText(page, 'log: sort {"i":1,"a":false}');
    await (await find('.lf-datacell', 'Ada')).click();
    await waitText(page, 'log: row true');
    await page.waitForFunction(
      () => document.querySelectorAll('.lf-datarow[data-selected]').length === 2,
    );
    await (await find('.lf-datacell', 'Alan')).click();
    await waitText(page, 'log: cell tap');
    await page.click('.lf-datatable thead .lf-dt-check');
    await waitText(page, 'log: all false');
  });
});
