// The library as keyboard and screen-reader buyers meet it, with purchase lists the page's
// requests are answered with (page.route): 14 purchases, one of 12 files, Tabbed through one by
// one; every purchase in the tree (headings, details, a control naming its product) while the
// canvas draws only the rows on screen; focus to the new Download link; the sort as a radio
// group; <html lang> and the title from ?lang=; the DOM for 10,000 purchases measured; axe on
// every state in both themes; screenshots of every screen at phone and desktop widths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withServerAndBrowser, newPage, saveScreenshot, root } from './harness.mjs';
import { codeFromOutbox, requestCode } from './portal_driver.mjs';
import { library, routeLibrary } from './purchases_fixture.mjs';

// Behind a trusted proxy (X-Real-IP), so that each buyer below can come from an address of
// their own, as real buyers do: the per-IP sign-in limit (10 a minute) would otherwise count
// all of this file's buyers as one, and refuse them once the file runs fast enough.
const env = withServerAndBrowser(['--demo', '--trusted-proxy', '127.0.0.1']);
const AXE = join(root, 'node_modules/axe-core/axe.min.js');

let buyers = 0;
// A new buyer each time (the purchases are the route's): no code sent twice to one address.
async function signedIn(options, n, query = '') {
  const page = await newPage(env.browser, options);
  await routeLibrary(page, n, env.server.url);
  const email = `keyboard-buyer-${++buyers}@example.com`;
  const code = await requestCode(env.server.url, email);
  await page.goto(`${env.server.url}/my?email=${encodeURIComponent(email)}&code=${code}${query}`);
  await page.waitForFunction((n) => (window.__continuata?.rows || []).length === n, n, { timeout: 20000 });
  return page;
}

async function axeScan(page, what) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe on ${what}`,
  );
}

// The native layout test's checks on what the browser drew: a widget or text past its column or
// the window, or two overlapping (rows apart from the header, which the list clips them under).
function layoutFaults(page, width) {
  return page.evaluate((width) => {
    const s = window.__continuata.semantics;
    const list = s.find((w) => w.id === 'purchases');
    const inRow = (w) => (w.parent || '').startsWith('row-');
    const leaves = s.filter(
      (w) =>
        !['list', 'listitem', 'radiogroup', 'document'].includes(w.role) &&
        w.w > 0 &&
        w.h > 0 &&
        !(list && w.y >= list.y + list.h),
    );
    const out = [];
    for (const w of leaves) {
      if (w.clipped) out.push(`${w.id} runs past its column`);
      if (w.x < -0.5 || w.x + w.w > width + 0.5) out.push(`${w.id} is outside the window`);
    }
    for (let i = 0; i < leaves.length; i++)
      for (let j = i + 1; j < leaves.length; j++) {
        const a = leaves[i],
          b = leaves[j];
        if (list && inRow(a) !== inRow(b)) continue;
        const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (ix > 0.5 && iy > 0.5) out.push(`${a.id} overlaps ${b.id}`);
      }
    return out;
  }, width);
}

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? el.getAttribute('aria-label') || el.textContent : null;
  });

test('14 purchases: every one in the tree as a heading with details, and Tab reaches each in turn', async () => {
  const page = await signedIn({ viewport: { width: 1000, height: 700 } }, 14);
  const list = page.getByRole('list', { name: 'Your purchases' });
  assert.equal(await list.getByRole('listitem').count(), 14);
  assert.equal(await list.getByRole('heading', { level: 2 }).count(), 14);
  await list.getByRole('heading', { name: 'Product 14' }).waitFor();
  assert.match(await list.getByRole('listitem').nth(13).textContent(), /Order ORD-1013/);
  // The canvas draws only the rows on screen.
  const drawn = await page.evaluate(
    () => window.__continuata.semantics.filter((w) => w.role === 'listitem').length,
  );
  assert.ok(drawn < 14, `${drawn} rows drawn`);
  // The sort is a real radio group.
  const sort = page.getByRole('radiogroup', { name: 'Sort' });
  assert.equal(await sort.getByRole('radio').count(), 2);
  assert.ok(await sort.getByRole('radio', { name: 'Sort by date' }).isChecked());

  await page.getByRole('searchbox', { name: 'Search purchases' }).focus();
  const seen = [];
  for (let i = 0; i < 40 && seen.length < 14; i++) {
    await page.keyboard.press('Tab');
    const name = await focused(page);
    if (/^Get download link, /.test(name || '')) {
      seen.push(name.slice('Get download link, '.length));
      // The row of the focused control is scrolled in and drawn (its ring on the canvas).
      await page.waitForFunction(
        (id) => {
          const s = window.__continuata.semantics;
          const w = s.find((n) => n.id === id);
          const l = s.find((n) => n.id === 'purchases');
          return w && w.focused && l && w.y >= l.y - 0.5 && w.y + w.h <= l.y + l.h + 0.5;
        },
        await page.evaluate(() => document.activeElement.dataset.semanticsId),
        { timeout: 5000 },
      );
    }
  }
  assert.equal(seen.length, 14, `Tab reached ${seen.join(' | ')}`);
  assert.deepEqual(
    seen.filter((n) => /^Product \d+$/.test(n)),
    library(14)
      .purchases.map((p) => p.productName)
      .filter((n) => /^Product/.test(n)),
  );
  await saveScreenshot(page, 'library-keyboard-row-14-1000');

  // Enter on "Get download link": the focus goes on to the new Download link, and the row says so.
  await page.keyboard.press('Enter');
  await page
    .waitForFunction(() => /^Download, /.test(document.activeElement?.textContent || ''), null, {
      timeout: 10000,
    })
    .catch(async (e) => {
      const info = await page.evaluate(() => ({
        active: document.activeElement?.outerHTML?.slice(0, 200),
        focused: window.__continuata.semantics.filter((w) => w.focused).map((w) => w.id),
        row14: window.__continuata.semantics
          .filter((w) => w.parent === 'row-14')
          .map((w) => `${w.id}:${w.name}`),
      }));
      throw new Error(`${e.message}: ${JSON.stringify(info)}`);
    });
  const row = list.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Product 14' }) });
  await row.getByRole('status').filter({ hasText: /ready/i }).waitFor();
  await saveScreenshot(page, 'library-link-ready-1000');
  await axeScan(page, 'the library with a link ready');
  assert.deepEqual(page.consoleErrors, []);
});

test('a 12-file purchase opens into its files, each with size, checksum and its own download', async () => {
  for (const [width, height, touch] of [
    [320, 640, true],
    [390, 760, true],
    [768, 1000, true],
    [1280, 800, false],
    [1920, 1080, false],
  ]) {
    const page = await signedIn({ viewport: { width, height }, hasTouch: touch, isMobile: touch }, 14);
    const toggle = page.getByRole('button', { name: /^Show the 12 files/ });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Product 2 part 12.wav', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Get download link, Product 2' }).focus();
    await page.keyboard.press('Enter');
    const file = page.getByRole('link', { name: 'Download, Product 2 part 3.wav' });
    await file.waitFor();
    assert.match(await file.getAttribute('href'), /&file=Product%202%20part%203\.wav$/);
    if (touch) {
      const small = await page.evaluate(() =>
        window.__continuata.semantics
          .filter((w) => ['button', 'link', 'textbox'].includes(w.role) && w.h < 44)
          .map((w) => `${w.id} ${w.h}`),
      );
      assert.deepEqual(small, [], 'touch targets under 44 px');
    }
    assert.deepEqual(await layoutFaults(page, width), [], `layout at ${width} px`);
    await saveScreenshot(page, `library-files-open-${width}`);
    await axeScan(page, `the open file list at ${width} px`);
  }
});

test('<html lang> and the title follow ?lang=de', async () => {
  const page = await newPage(env.browser, { viewport: { width: 390, height: 760 } });
  await page.goto(`${env.server.url}/my?lang=de`);
  await page.waitForFunction(() => document.documentElement.lang === 'de');
  assert.doesNotMatch(await page.title(), /Get your downloads/);
  await saveScreenshot(page, 'screen-email-de-390');
});

test('every screen and state in both themes: axe clean, screenshots at phone and desktop widths', async () => {
  for (const scheme of ['light', 'dark'])
    for (const [width, height] of [
      [390, 760],
      [1280, 800],
    ]) {
      const page = await newPage(env.browser, { viewport: { width, height }, colorScheme: scheme });
      await page.setExtraHTTPHeaders({ 'X-Real-IP': `203.0.113.${buyers + 1}` });
      await routeLibrary(page, 14, env.server.url);
      await page.goto(`${env.server.url}/my`);
      const email = page.getByRole('textbox', { name: 'Email address' });
      await email.waitFor();
      await page.waitForFunction(() => (window.__continuata?.frames || 0) > 2);
      await email.focus();
      const address = `theme-buyer-${++buyers}@example.com`;
      await email.fill(address);
      // Typing in the dark theme: the real input keeps the theme's colours (not white).
      const bg = await email.evaluate((el) => getComputedStyle(el).backgroundColor);
      if (scheme === 'dark') assert.notEqual(bg, 'rgb(255, 255, 255)', 'the focused input turned white');
      await saveScreenshot(page, `screen-email-${scheme}-${width}`);
      await axeScan(page, `the email screen (${scheme}, ${width} px)`);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByRole('textbox', { name: 'Verification code' }).waitFor();
      await page.waitForTimeout(200);
      await saveScreenshot(page, `screen-code-${scheme}-${width}`);
      await axeScan(page, `the code screen (${scheme}, ${width} px)`);
      // A wrong code: the error, said where the status goes.
      const code = await codeFromOutbox(env.server.url, address);
      const wrong = code === '000000' ? '111111' : '000000';
      await page.getByRole('textbox', { name: 'Verification code' }).fill(wrong);
      await page.keyboard.press('Enter');
      await page
        .getByRole('alert')
        .filter({ hasText: /not right/ })
        .waitFor();
      await page.waitForTimeout(200);
      assert.deepEqual(await layoutFaults(page, width), [], `the wrong-code screen at ${width} px`);
      await saveScreenshot(page, `screen-code-error-${scheme}-${width}`);
      await axeScan(page, `the wrong-code screen (${scheme}, ${width} px)`);
      await page.getByRole('textbox', { name: 'Verification code' }).fill(code);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window.__continuata?.rows || []).length === 14, null, {
        timeout: 20000,
      });
      await page.waitForTimeout(200);
      await saveScreenshot(page, `screen-library-${scheme}-${width}`);
      await axeScan(page, `the library (${scheme}, ${width} px)`);
      await page.getByRole('button', { name: 'Get download link, Product 1', exact: true }).click();
      await page.getByRole('link', { name: 'Download, Product 1', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Copy link, Product 1', exact: true }).click();
      await page.waitForTimeout(300);
      await saveScreenshot(page, `screen-library-link-${scheme}-${width}`);
      await axeScan(page, `the library with a link (${scheme}, ${width} px)`);
      await page.getByRole('button', { name: /^Show the 12 files/ }).click();
      // Its Get download link is below the open list now: reached by keyboard, which scrolls it in.
      await page.getByRole('button', { name: 'Get download link, Product 2', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('link', { name: 'Download, Product 2 part 1.wav' }).waitFor();
      // Back to the top of the open list for the picture.
      await page.getByRole('button', { name: /^Hide the files/ }).focus();
      await page.waitForTimeout(200);
      assert.deepEqual(await layoutFaults(page, width), [], `the open file list at ${width} px`);
      await saveScreenshot(page, `screen-library-files-${scheme}-${width}`);
      await page.getByRole('searchbox', { name: 'Search purchases' }).fill('zzzz nothing');
      await page
        .getByText(/No purchase matches/)
        .first()
        .waitFor();
      await saveScreenshot(page, `screen-library-no-match-${scheme}-${width}`);
      await axeScan(page, `the library with no match (${scheme}, ${width} px)`);
      // The wrong code's 401 is the browser's own log line; nothing else.
      assert.deepEqual(
        page.consoleErrors.filter((e) => !/status of 401/.test(e)),
        [],
      );
      await page.context().close();
    }
});

test('10,000 purchases: the whole list in the tree, its DOM built once, scrolling cheap', async (t) => {
  const page = await signedIn({ viewport: { width: 1280, height: 800 } }, 10000);
  await page.waitForFunction(() => window.__continuata.rowsSettledMs !== undefined);
  const built = await page.evaluate(() => ({
    nodes: document.querySelectorAll('.cx-semantics *').length,
    parseMs: window.__continuata.rowsParseMs,
    rowsMs: window.__continuata.rowsMs,
    settledMs: window.__continuata.rowsSettledMs,
    items: document.querySelectorAll('.cx-semantics li').length,
    headings: document.querySelectorAll('.cx-semantics li > h2').length,
    controls: document.querySelectorAll('.cx-semantics li button, .cx-semantics li a').length,
  }));
  assert.equal(built.items, 10000);
  assert.equal(built.headings, 10000);
  // Two elements a purchase (its item and heading, the details a text node), and the controls of
  // the rows near those drawn and of the first and last: not four or more a purchase.
  assert.ok(built.nodes < 10000 * 2 + 400, `${built.nodes} elements for 10,000 rows`);
  assert.ok(built.controls > 2 && built.controls < 100, `${built.controls} controls made`);
  // The last purchase has its controls, so Shift+Tab into the list from below lands on it.
  const last = page.getByRole('list', { name: 'Your purchases' }).getByRole('listitem').last();
  await last.getByRole('button', { name: 'Get download link, Product 10000', exact: true }).waitFor();
  // Scrolling: the catalogue is not published again, only the rows on screen move.
  const before = await page.evaluate(() => {
    window.__rowsBefore = window.__continuata.rows;
    return { frames: window.__continuata.frames, ui: (window.__continuata.uiTimes || []).length };
  });
  const list = page.getByRole('list', { name: 'Your purchases' });
  const box = await list.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 400);
  await page.waitForTimeout(500);
  const after = await page.evaluate((ui) => {
    const times = (window.__continuata.uiTimes || []).slice(ui);
    return {
      same: window.__continuata.rows === window.__rowsBefore,
      frames: window.__continuata.frames,
      maxUi: times.length ? Math.max(...times) : 0,
      top: document.querySelector('.cx-semantics li[aria-posinset]')?.getAttribute('aria-posinset'),
    };
  }, before.ui);
  assert.ok(after.same, 'the catalogue was published again while scrolling');
  assert.ok(after.frames > before.frames, 'no frames while scrolling');
  const summary =
    `10,000 rows: ${built.nodes} elements (${built.controls} controls), catalogue parse ` +
    `${built.parseMs.toFixed(1)} ms, parse+build ${built.rowsMs.toFixed(1)} ms, through the frame's style, ` +
    `layout and paint ${built.settledMs.toFixed(1)} ms; ${after.frames - before.frames} frames scrolling, ` +
    `portal work at most ${after.maxUi.toFixed(2)} ms a frame`;
  t.diagnostic(summary);
  console.log(summary);
  await saveScreenshot(page, 'library-10000-scrolled-1280');

  // Keyboard through rows whose controls were not made: from the first purchase's Get download
  // link, Tab reaches every control of each next purchase in turn (Product 2's files toggle, then
  // its link), well past the rows made at sign-in, and Shift+Tab walks back the same way.
  await page.getByRole('button', { name: 'Get download link, Product 1', exact: true }).focus();
  const forward = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    forward.push(await focused(page));
  }
  const names = library(50).purchases.map((p) => p.productName);
  // Each row's controls in order: (its files toggle,) its link, its download history.
  const expected = [`Download history, ${names[0]}`, 'Show the 12 files', `Get download link, ${names[1]}`];
  expected.push(`Download history, ${names[1]}`);
  for (let k = 2; expected.length < 40; k++)
    expected.push(`Get download link, ${names[k]}`, `Download history, ${names[k]}`);
  expected.length = 40;
  assert.deepEqual(
    forward.map((n) => (n.startsWith('Show the 12 files') ? 'Show the 12 files' : n)),
    expected,
  );
  const back = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    back.push(await focused(page));
  }
  assert.deepEqual(back, expected.slice(34, 39).reverse());
  // A row off screen shows every control it has: Product 1's link, got from its element, gives
  // it Download and Copy link while the list is scrolled far from it.
  const first = page.getByRole('list', { name: 'Your purchases' }).getByRole('listitem').first();
  await page.getByRole('button', { name: 'Get download link, Product 1', exact: true }).focus();
  await page.keyboard.press('Enter');
  await first.getByRole('link', { name: 'Download, Product 1', exact: true }).waitFor();
  // The wheel over the list's right margin: a control's element under the pointer takes the wheel.
  await page.mouse.move(box.x + box.width - 30, box.y + 200);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
  await page.waitForFunction(() => !window.__continuata.semantics.some((w) => w.id === 'row-1'));
  await first.getByRole('link', { name: 'Download, Product 1', exact: true }).waitFor();
  await first.getByRole('button', { name: 'Copy link, Product 1', exact: true }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
});
