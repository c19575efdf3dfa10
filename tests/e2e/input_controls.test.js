// The Inputs family in the browser (tests/e2e/apps/input_controls.lua): each control renders
// in Material 3's look, each event reaches its handler with Flet's e.data (the app writes it
// into the log line), each input's value reaches the host without any handler (a button
// reads the "B" controls), and a disabled input does not change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  clickText,
  cspViolations,
  launchBrowser,
  openApp,
  startHost,
  waitText,
} from './harness.js';

let browser, host, page;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/input_controls.lua');
  page = await openApp(browser, host, { width: 1100, height: 1000 });
  await waitText(page, 'log: |');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// The element of the control of `type` whose text includes `text`.
async function control(type, text = '') {
  const h = await page.waitForFunction(
    (type, text) =>
      [...document.querySelectorAll(`[data-type="${type}"]`)].find((e) =>
        (e.textContent + (e.label ?? '') + (e.querySelector('input')?.placeholder ?? '')).includes(
          text,
        ),
      ),
    { polling: 'mutation' },
    type,
    text,
  );
  return h.asElement();
}

async function clickIn(handle, selector) {
  const el = selector ? await handle.$(selector) : handle;
  await el.click();
}

// Reads the B controls' values through the host.
async function values(expected) {
  await clickText(page, 'Read');
  await waitText(page, expected);
}

describe('the Inputs family', () => {
  it('renders every control in the M3 look, with no CSP violation', async () => {
    // The family's renderers and stylesheet load on first use: wait until every control
    // measured below is drawn by them.
    await page.waitForFunction(
      () =>
        [
          '[data-type="checkbox"] input:checked',
          '[data-type="switch"] input',
          '[data-type="radio"] input',
          '[data-type="slider"] .lf-slider-track',
          '[data-type="dropdown"] .lf-dropdown-field',
          '[data-type="segment"][aria-pressed="true"]',
          '[data-type="searchbar"] .lf-searchbar-bar',
        ].every((sel) => document.querySelector(sel)) &&
        [...document.styleSheets].some((s) => /inputs/.test(s.href ?? '')),
      { polling: 'mutation' },
    );
    const styles = await page.evaluate(() => {
      const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
      // A color role of the page's scheme, as the browser computes it.
      const role = (name) => {
        const probe = document.body.appendChild(document.createElement('div'));
        probe.style.backgroundColor = `var(--md-sys-color-${name})`;
        const c = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return c;
      };
      return {
        primary: role('primary'),
        secondaryContainer: role('secondary-container'),
        check: css('[data-type="checkbox"] input', 'width'),
        checked: css('[data-type="checkbox"] input:checked', 'backgroundColor'),
        switchW: css('[data-type="switch"] input', 'width'),
        switchRadius: css('[data-type="switch"] input', 'borderRadius'),
        radio: css('[data-type="radio"] input', 'borderRadius'),
        track: css('[data-type="slider"] .lf-slider-track', 'height'),
        dropdown: css('[data-type="dropdown"] .lf-dropdown-field', 'minHeight'),
        segment: css('[data-type="segment"][aria-pressed="true"]', 'backgroundColor'),
        search: css('[data-type="searchbar"] .lf-searchbar-bar', 'borderRadius'),
        field: document.querySelector('[data-type="textfield"]').localName,
      };
    });
    // The checked box is filled with the primary color, the chosen segment with the secondary
    // container.
    assert.equal(styles.checked, styles.primary);
    assert.equal(styles.segment, styles.secondaryContainer);
    delete styles.primary;
    delete styles.secondaryContainer;
    delete styles.checked;
    delete styles.segment;
    assert.deepEqual(styles, {
      check: '18px',
      switchW: '52px',
      switchRadius: '16px',
      radio: '50%',
      track: '4px',
      dropdown: '56px',
      search: '28px',
      field: 'md-outlined-text-field',
    });
    assert.deepEqual(await cspViolations(page), []);
  });

  it('reports each event to its handler with Flet e.data', async () => {
    const cb = await control('checkbox', 'A check');
    await clickIn(cb, 'input');
    await waitText(page, '|cb=true|');
    await clickIn(cb, 'input');
    await waitText(page, '|cb=false|');
    // Tristate: true -> "" (null) -> false.
    const tri = await control('checkbox', 'A tri');
    await clickIn(tri, 'input');
    await waitText(page, '|tri=|');
    assert.equal(await tri.$eval('input', (i) => i.indeterminate), true);
    await clickIn(tri, 'input');
    await waitText(page, '|tri=false|');

    await clickIn(await control('switch', 'A switch'), 'input');
    await waitText(page, '|sw=true|');

    await clickIn(await control('radio', 'A blue'), 'input');
    await waitText(page, '|rg=blue|');

    // The slider, by keyboard: one division up from 5.
    const sl = await control('slider');
    await sl.$eval('input', (i) => i.focus());
    await page.keyboard.press('ArrowRight');
    await waitText(page, '|sl=6.0|');

    const dd = await control('dropdown', 'A color');
    await clickIn(dd, '.lf-dropdown-field');
    await clickIn(dd, '[data-key="g"]');
    await waitText(page, '|dd=g|');
    assert.equal(await dd.$eval('.lf-dropdown-text', (e) => e.textContent), 'Green');

    const seg = await control('segmentedbutton', 'Small');
    await clickIn(seg, '[data-value="l"]');
    await waitText(page, '|seg=["m","l"]|');

    const tf = await control('textfield', 'A field');
    await tf.click();
    await page.keyboard.type('hi');
    await waitText(page, '|tf=hi|');
    await page.keyboard.press('Enter');
    await waitText(page, '|tf_submit=hi|');

    const sb = await control('searchbar', 'A search');
    await clickIn(sb, 'input');
    await waitText(page, '|sb_tap=|');
    await waitText(page, 'suggestion one');
    await page.keyboard.type('q');
    await waitText(page, '|sb=q|');
    await page.keyboard.press('Enter');
    await waitText(page, '|sb_submit=q|');
  });

  it('keeps every value on the host without a handler', async () => {
    await clickIn(await control('checkbox', 'B check'), 'input');
    await clickIn(await control('switch', 'B switch'), 'input');
    await clickIn(await control('radio', 'B y'), 'input');
    const sliders = await page.$$('[data-type="slider"]');
    await sliders[1].$eval('input', (i) => i.focus());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const ranges = await page.$$('[data-type="rangeslider"]');
    const [, end] = await ranges[1].$$('input');
    await end.focus();
    await page.keyboard.press('ArrowLeft');
    const dd = await control('dropdown', 'B color');
    await clickIn(dd, '.lf-dropdown-field');
    await clickIn(dd, '[data-key="r"]');
    const segs = await page.$$('[data-type="segmentedbutton"]');
    await clickIn(segs[1], '[data-value="l"]');
    const tf = await control('textfield', 'B field');
    await tf.click();
    await page.keyboard.type('typed');
    await clickIn(await control('searchbar', 'B search'), 'input');
    await page.keyboard.type('found');
    await values(
      'values: tf=typed cb=true sw=true rg=y sl=2.0 rs=20.0-70.0 dd=r seg=l sb=found off=nil',
    );
    // The search bar's tap (its view opened) went too, though its text came after it.
    await values('sbopen=true');
  });

  it('lets nothing change a disabled input', async () => {
    const off = await control('checkbox', 'Off check');
    assert.equal(await off.$eval('input', (i) => i.disabled), true);
    assert.equal(await off.evaluate((e) => getComputedStyle(e).opacity), '0.38');
    // Even an input enabled behind the host's back is not heard: the client drops it.
    await off.$eval('input', (i) => {
      i.disabled = false;
      i.click();
    });
    await values('off=nil');
  });

  it('opens a date picker from the overlay and reports the date picked', async () => {
    await clickText(page, 'Pick date');
    const dialog = await page.waitForSelector('dialog[open]');
    assert.equal(await dialog.$eval('input', (i) => i.value), '2024-05-01');
    assert.equal(await dialog.$eval('input', (i) => i.min), '2024-01-01');
    await dialog.$eval('input', (i) => {
      i.value = '2024-06-15';
    });
    await clickIn(dialog, 'md-text-button:last-child');
    await waitText(page, '|dp=2024-06-15T00:00:00.000|');
    assert.equal(await page.$('dialog[open]'), null);
    // It opens again: the host knows it was closed.
    await clickText(page, 'Pick date');
    await page.waitForSelector('dialog[open]');
    await page.keyboard.press('Escape');
    await waitText(page, '|dp_dismiss=2024-06-15T00:00:00.000|');
  });

  it('reports the time picked, as Flet writes it', async () => {
    await clickText(page, 'Pick time');
    const dialog = await page.waitForSelector('dialog[open]');
    assert.equal(await dialog.$eval('input', (i) => i.value), '09:30');
    await dialog.$eval('input', (i) => {
      i.value = '07:05';
    });
    await clickIn(dialog, 'md-text-button:last-child');
    await waitText(page, '|tp=7:5|');
  });

  it("keeps a picker's value and open state on the host without a handler", async () => {
    await clickText(page, 'Pick B date');
    const dialog = await page.waitForSelector('dialog[open]');
    await dialog.$eval('input', (i) => {
      i.value = '2024-03-03';
    });
    await clickIn(dialog, 'md-text-button:last-child');
    await values('dp2=2024-03-03T00:00:00.000 open=false');
  });
});

describe('the Inputs family, more of Flet', () => {
  it('reports a range, a switch turned off, a dropdown select, a closed search view', async () => {
    const ranges = await page.$$('[data-type="rangeslider"]');
    const [, end] = await ranges[0].$$('input');
    await end.focus();
    await page.keyboard.press('ArrowLeft');
    await waitText(page, '|rs=20.0,70.0|');

    const sw = await control('switch', 'A switch');
    await clickIn(sw, 'input');
    await waitText(page, '|sw=false|');

    const dd = await control('dropdown', 'A color');
    await clickIn(dd, '.lf-dropdown-field');
    await clickIn(dd, '[data-key="r"]');
    await waitText(page, '|dd=r|dd_select=r|');
    // A disabled option cannot be chosen.
    await clickIn(dd, '.lf-dropdown-field');
    await clickIn(dd, '[data-key="b"]').catch(() => {});
    assert.equal(await dd.$eval('.lf-dropdown-text', (e) => e.textContent), 'Red');

    const sb = await control('searchbar', 'A search');
    await clickIn(sb, 'input');
    assert.equal(await sb.$eval('input', (i) => i.placeholder), 'Pick one');
    await clickText(page, 'Choose me');
    await page.waitForFunction((e) => !e.hasAttribute('data-open'), {}, sb);
    assert.equal(await sb.$eval('input', (i) => i.value), 'chosen');
    await values('sb_a=chosen');
  });

  it('filters, submits with Enter in a shift_enter field, shows prefix, icons and errors', async () => {
    const digits = await control('textfield', 'Digits');
    await digits.click();
    await page.keyboard.type('1a2b3');
    assert.equal(await digits.evaluate((e) => e.value), '123');

    const multi = await control('textfield', 'Multi');
    await multi.click();
    await page.keyboard.type('one');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Shift');
    await page.keyboard.type('two');
    await page.keyboard.press('Enter');
    await waitText(page, '|multi_submit=one\ntwo|');
    assert.equal(await multi.evaluate((e) => [e.type, e.rows]).then(String), 'textarea,2');
    await values('digits=123 multi=one/two');

    const fancy = await control('textfield', 'Fancy');
    const shown = await fancy.evaluate((e) => ({
      prefix: e.querySelector('[slot="leading-icon"]')?.textContent,
      icon: e.querySelector('[slot="trailing-icon"] md-icon')?.dataset.icon,
      error: [e.error, e.errorText],
      type: e.type,
      outside: getComputedStyle(e, '::before').content,
    }));
    assert.deepEqual(shown, {
      prefix: 'PRE',
      icon: 'star',
      error: [true, 'bad value'],
      type: 'password',
      outside: '"edit"',
    });
    await clickIn(fancy, '.lf-reveal');
    assert.equal(await fancy.evaluate((e) => e.type), 'text');
  });

  it('shows the values the app sets', async () => {
    await clickText(page, 'Set B');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-type="textfield"]')].some((e) => e.value === 'from app'),
    );
    const b = await page.evaluate(() => {
      const find = (type, text) =>
        [...document.querySelectorAll(`[data-type="${type}"]`)].find((e) =>
          e.textContent.includes(text),
        );
      const sliders = document.querySelectorAll('[data-type="slider"]');
      const ranges = document.querySelectorAll('[data-type="rangeslider"]');
      const segs = document.querySelectorAll('[data-type="segmentedbutton"]');
      return {
        cb: find('checkbox', 'B check').querySelector('input').checked,
        sw: find('switch', 'B switch').querySelector('input').checked,
        rg: [...document.querySelectorAll('[data-type="radio"] input')]
          .filter((i) => i.checked)
          .map((i) => i.value),
        sl: sliders[1].querySelector('input').value,
        rs: [...ranges[1].querySelectorAll('input')].map((i) => i.value),
        dd: find('dropdown', 'B color').querySelector('.lf-dropdown-text').textContent,
        seg: [...segs[1].querySelectorAll('[aria-pressed="true"]')].map((s) => s.dataset.value),
        sb: [...document.querySelectorAll('[data-type="searchbar"] input')][1].value,
      };
    });
    assert.deepEqual(b, {
      cb: false,
      sw: false,
      rg: ['blue', 'x'],
      sl: '7',
      rs: ['30', '40'],
      dd: 'Green',
      seg: ['m', 'l'],
      sb: 'app search',
    });
  });

  it("keeps what the person picked when the app changes the controls' other props", async () => {
    await clickText(page, 'Relabel A');
    const dd = await control('dropdown', 'A colour');
    assert.equal(await dd.$eval('.lf-dropdown-text', (e) => e.textContent), 'Red');
    const sliders = await page.$$('[data-type="slider"]');
    assert.deepEqual(await sliders[0].$eval('input', (i) => [i.max, i.value]), ['20', '6']);
    const segs = await page.$$('[data-type="segmentedbutton"]');
    const pressed = await segs[0].$$eval('[aria-pressed="true"]', (s) =>
      s.map((x) => x.dataset.value),
    );
    assert.deepEqual(pressed, ['m', 'l']);
  });

  it('keeps a disabled slider and dropdown still', async () => {
    const sliders = await page.$$('[data-type="slider"]');
    const off = sliders[sliders.length - 1];
    assert.equal(await off.$eval('input', (i) => i.disabled), true);
    const dd = await control('dropdown', 'Off color');
    assert.equal(await dd.evaluate((e) => getComputedStyle(e).pointerEvents), 'none');
    await dd.$eval('.lf-dropdown-field', (f) => f.click());
    assert.equal(await dd.evaluate((e) => e.hasAttribute('data-open')), false);
  });
});

describe('examples/controls/inputs.lua', () => {
  it('starts and shows every control of the family, with no CSP violation', async () => {
    const ex = await startHost('examples/controls/inputs.lua');
    try {
      const p = await openApp(browser, ex);
      await waitText(p, 'Change something');
      await p.waitForSelector('[data-type="searchbar"].lf-searchbar');
      const types = await p.evaluate(() => [
        ...new Set([...document.querySelectorAll('[data-type]')].map((e) => e.dataset.type)),
      ]);
      for (const t of ['textfield', 'checkbox', 'switch', 'radiogroup', 'radio', 'slider']) {
        assert.ok(types.includes(t), `no ${t}`);
      }
      for (const t of ['rangeslider', 'dropdown', 'dropdownoption', 'segmentedbutton', 'segment']) {
        assert.ok(types.includes(t), `no ${t}`);
      }
      assert.ok(types.includes('searchbar'), 'no searchbar');
      // page:open(picker) puts it in the overlay and opens it.
      await clickText(p, 'Pick a date');
      await p.waitForSelector('[data-type="datepicker"] dialog[open]');
      await p.keyboard.press('Escape');
      await waitText(p, 'date dismissed: ');
      assert.deepEqual(await cspViolations(p), []);
      await p.close();
    } finally {
      const stopped = await ex.stop();
      assert.equal(stopped.code, 0, `host exit status, log:\n${ex.log}`);
    }
  });
});
