// What the client makes of props: Flet's color names (palette shades and accents, theme
// roles, see-through black) and its lengths, edges, corners and alignments, as the browser
// computes the styles.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openApp, roleColor, startHost, waitText } from './harness.js';

let browser, host;
before(async () => {
  browser = await launchBrowser();
  host = await startHost('tests/e2e/apps/render.lua');
});
after(async () => {
  await browser?.close();
  const stopped = await host?.stop();
  assert.equal(stopped?.code, 0, `host exit status, log:\n${host?.log}`);
});

// The computed styles `names` of the control whose tooltip is `tip`.
const styles = (page, tip, names) =>
  page.evaluate(
    (t, ns) => {
      const s = getComputedStyle(document.querySelector(`[title="${t}"]`));
      return Object.fromEntries(ns.map((n) => [n, s[n]]));
    },
    tip,
    names,
  );

describe('props', () => {
  it('become the colors and the box they name', async () => {
    const page = await openApp(browser, host);
    await waitText(page, 'i');
    const bg = async (tip) => (await styles(page, tip, ['backgroundColor'])).backgroundColor;
    assert.equal(await bg('palette'), 'rgb(187, 222, 251)'); // blue 100, #bbdefb
    assert.equal(await bg('hue'), 'rgb(33, 150, 243)'); // blue 500, the hue's own
    assert.equal(await bg('accent'), 'rgb(255, 82, 82)'); // red accent 200
    assert.equal(await bg('css'), 'rgb(18, 52, 86)');
    // A theme role is the theme's own color.
    const primary = await roleColor(page, 'primary');
    assert.match(primary, /^rgb\(/);
    assert.equal(await bg('role'), primary);
    assert.equal((await styles(page, 'see-through', ['color'])).color, 'rgba(0, 0, 0, 0.54)');

    assert.deepEqual(
      await styles(page, 'box', [
        'paddingLeft',
        'paddingTop',
        'paddingRight',
        'paddingBottom',
        'marginTop',
        'marginLeft',
        'width',
        'height',
        'borderTopLeftRadius',
        'borderTopRightRadius',
        'borderBottomRightRadius',
      ]),
      {
        paddingLeft: '1px',
        paddingTop: '2px',
        paddingRight: '3px',
        paddingBottom: '4px',
        marginTop: '5px',
        marginLeft: '5px',
        width: '160px',
        height: '50px',
        borderTopLeftRadius: '6px',
        borderTopRightRadius: '0px',
        borderBottomRightRadius: '7px',
      },
    );
    assert.deepEqual(await styles(page, 'column', ['justifyContent', 'alignItems', 'rowGap']), {
      justifyContent: 'space-between',
      alignItems: 'safe center',
      rowGap: '9px',
    });
    assert.deepEqual(await styles(page, 'row', ['justifyContent', 'alignItems', 'columnGap']), {
      justifyContent: 'safe flex-end',
      alignItems: 'stretch',
      columnGap: '11px',
    });
    await page.close();
  });
});
