// Download history and the ZIP buttons in the browser, against the real server (--demo) and its
// real download log, found by role and name in the accessibility layer at a desktop and a phone
// width: a purchase downloaded once with curl says so at its row (the others "Not downloaded
// yet"), "Download history, <product>" opens the list (the curl download in it) and Escape and
// "Close" close it with the focus back on the toggle, "Download all, <product>" of a multi-file
// purchase links to its ZIP (format=zip), which Node's fetch downloads (a ZIP, counted in that
// purchase's history from then on: with Wget, as its User-Agent says), and "Download everything"
// in the header mints the library's link, "Download everything (ZIP)".
// Screenshots of the library with a history open: build/test-artefacts/history-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { openSignedIn, requestCode } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo', '--trusted-proxy', '127.0.0.1']);
const DRUMS = 'Epic Drum Kit Vol. 1';
const SYNTHS = 'Analog Synth Presets';

// demo@example.com downloads the drum kit once with curl, through the portal API like the portal.
let downloaded = null;
let synthZips = 0; // the synth presets' ZIPs the earlier widths' tests downloaded
async function downloadOnce() {
  const url = env.server.url;
  const code = await requestCode(url, 'demo@example.com');
  const session = await (
    await fetch(`${url}/api/portal/session`, {
      method: 'POST',
      body: JSON.stringify({ email: 'demo@example.com', code }),
    })
  ).json();
  const auth = { Authorization: `Bearer ${session.sessionToken}` };
  const { purchases } = await (await fetch(`${url}/api/portal/purchases`, { headers: auth })).json();
  const drums = purchases.find((p) => p.productName === DRUMS);
  assert.equal(drums.downloads.count, 0);
  const link = await (
    await fetch(`${url}/api/portal/download-url`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ purchaseId: drums.purchaseId }),
    })
  ).json();
  const file = await fetch(link.downloadUrl, { headers: { 'User-Agent': 'curl/8.11.0' } });
  assert.equal(file.status, 200);
  await file.arrayBuffer();
  await fetch(`${url}/api/portal/session`, { method: 'DELETE', headers: auth });
}

for (const [width, height] of [
  [1280, 900],
  [390, 844],
]) {
  test(`history, Download all and Download everything at ${width} px`, async () => {
    downloaded ??= downloadOnce();
    await downloaded;
    const page = await newPage(env.browser, { viewport: { width, height } });
    await openSignedIn(page, env.server.url, 'demo@example.com');

    // The history in plain words, at its row (in the page's tree too, drawn or not).
    const drumsRow = page.locator('li', { has: page.getByRole('heading', { name: DRUMS }) });
    await drumsRow.getByText(/^Downloaded once, .+ with curl$/).waitFor({ timeout: 15000 });
    const synthRow = page.locator('li', { has: page.getByRole('heading', { name: SYNTHS }) });
    if (synthZips === 0) await synthRow.getByText('Not downloaded yet', { exact: true }).waitFor();
    else await synthRow.getByText(/^Downloaded once, .+ with Wget$/).waitFor();
    await page.getByRole('button', { name: 'Download everything', exact: true }).waitFor();

    // The full list opens under the toggle, which keeps the focus and says it is expanded.
    const toggle = page.getByRole('button', { name: `Download history, ${DRUMS}`, exact: true });
    await toggle.press('Enter');
    const list = page.getByRole('list', { name: `Download history, ${DRUMS}` });
    await list.waitFor();
    await list
      .getByRole('listitem')
      .filter({ hasText: /UTC · curl · Epic-Drum-Kit/ })
      .waitFor();
    assert.equal(await list.getByRole('listitem').count(), 1);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    // It is scrolled into sight, down to its Close (on the phone it opens below the fold).
    await page.waitForFunction((name) => {
      const nodes = window.__continuata.semantics;
      const shown = nodes.find((n) => n.role === 'list' && n.name === 'Your purchases');
      const close = nodes.find((n) => n.role === 'button' && n.name === name);
      return shown && close && close.y + close.h <= shown.y + shown.h + 1 && close.y >= shown.y - 1;
    }, `Close download history, ${DRUMS}`);
    await saveScreenshot(page, `history-${width}`);

    // Escape closes it, the focus stays on the toggle.
    await toggle.focus();
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(
      await page.evaluate(() => document.activeElement && document.activeElement.textContent),
      await toggle.textContent(),
    );

    // Close closes it too, and the focus goes back to the toggle.
    await toggle.press('Enter');
    await list.waitFor();
    const close = page.getByRole('button', { name: `Close download history, ${DRUMS}`, exact: true });
    await close.focus();
    await close.press('Enter');
    await list.waitFor({ state: 'detached' });
    await page.waitForFunction(
      (name) => document.activeElement && document.activeElement.textContent === name,
      `Download history, ${DRUMS}`, // the toggle's element holds its accessible name
    );

    // A multi-file purchase: once its link is minted, Download all beside Download, a ZIP.
    await page.getByRole('button', { name: `Get download link, ${SYNTHS}`, exact: true }).press('Enter');
    const all = page.getByRole('link', { name: `Download all, ${SYNTHS}`, exact: true });
    await all.waitFor();
    const href = await all.getAttribute('href');
    const download = await page
      .getByRole('link', { name: `Download, ${SYNTHS}`, exact: true })
      .getAttribute('href');
    assert.match(href, /[?&]format=zip$/);
    assert.equal(href, `${download}&format=zip`);
    // And it is one: the archive itself, as a download manager gets it.
    const zip = await fetch(new URL(href, env.server.url), { headers: { 'User-Agent': 'Wget/1.21.4' } });
    assert.equal(zip.status, 200);
    assert.match(zip.headers.get('content-type'), /^application\/zip\b/);
    const body = Buffer.from(await zip.arrayBuffer());
    assert.ok(body.length > 22, `a ZIP of ${body.length} bytes`);
    assert.equal(body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    synthZips += 1;
    // A one-file purchase has none: Download is all of it.
    await page.getByRole('button', { name: `Get download link, ${DRUMS}`, exact: true }).press('Enter');
    await page.getByRole('link', { name: `Download, ${DRUMS}`, exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: `Download all, ${DRUMS}` }).count(), 0);
    // Download everything: the library's link, minted on request, replaces the button.
    await page.getByRole('button', { name: 'Download everything', exact: true }).press('Enter');
    const everything = page.getByRole('link', { name: 'Download everything (ZIP)', exact: true });
    await everything.waitFor();
    assert.match(await everything.getAttribute('href'), /\/download\?token=[^&]+$/);
    await saveScreenshot(page, `history-links-${width}`);
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });
}
