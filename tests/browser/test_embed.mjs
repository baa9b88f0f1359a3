// The portal embedded on a seller's page with the loader script: web/example-shop.html served by
// nginx on one origin, the portal and API from continuata-server on another. Two widgets on a
// page that scrolls; each sized to its content through postMessage; the magic link comes back to
// the seller's page and signs the first widget in; the page scrolls past the widgets; Tab leaves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, saveScreenshot, root, serverBinary } from './harness.mjs';
import { startNginx } from './nginx.mjs';
import {
  waitForWidget,
  waitForStatus,
  click,
  typeInto,
  inFrame,
  magicLinkFromOutbox,
  codeFromOutbox,
} from './portal_driver.mjs';
import { routeLibrary } from './purchases_fixture.mjs';
import { decodePng, pixelAt } from './png.mjs';

const EMAIL = 'demo@example.com';
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function iframeHeight(page, index) {
  return page.evaluate((i) => document.querySelectorAll('iframe')[i].getBoundingClientRect().height, index);
}

test('two widgets on a scrolling seller page: sized to content, magic link back, page scrolls, Tab leaves', async () => {
  const server = await startServer(['--demo']);
  cleanups.push(() => server.stop());
  const site = mkdtempSync(join(tmpdir(), 'continuata-shop-'));
  cleanups.push(() => rmSync(site, { recursive: true, force: true }));
  // The committed example page, pointed at this server, with a second widget and more content.
  const example = readFileSync(join(root, 'web/example-shop.html'), 'utf8')
    .replaceAll('http://localhost:8080', server.url)
    .replace(
      '<section id="help">',
      '<div data-continuata-portal data-org="audio-company" data-title="Second widget" data-theme="dark"></div>\n' +
        '<p>More of the shop.</p>'.repeat(60) +
        '\n<section id="help">',
    );
  writeFileSync(join(site, 'example-shop.html'), example);
  copyFileSync(join(root, 'web/example-shop.css'), join(site, 'example-shop.css'));
  const nginx = await startNginx(site);
  cleanups.push(() => nginx.stop());
  const shopPage = `${nginx.url}/example-shop.html`;
  execFileSync(serverBinary, [
    '--data',
    server.dataDir,
    'admin',
    'set-portal-url',
    '--org',
    'audio-company',
    '--url',
    shopPage,
  ]);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, { viewport: { width: 1000, height: 700 }, acceptDownloads: true });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(shopPage);
  const frames = page.locator('iframe');
  assert.equal(await frames.count(), 2);
  assert.equal(await frames.nth(0).getAttribute('title'), 'Your downloads');
  assert.equal(await frames.nth(1).getAttribute('title'), 'Second widget');
  const first = inFrame(page, await (await frames.nth(0).elementHandle()).contentFrame());
  const second = inFrame(page, await (await frames.nth(1).elementHandle()).contentFrame());

  // The example page's options are real ones: its data-name is the widget's name.
  await waitForWidget(first, 'text', 'Audio Company');
  await saveScreenshot(page, 'embed-email-1000');
  await typeInto(first, 'Email address', EMAIL);
  await click(first, 'button', 'Send code');
  await waitForWidget(first, 'textbox', 'Verification code');
  const emailScreenHeight = await iframeHeight(page, 0);

  // The mail's link leads to the seller's page, whose loader hands it to the first widget.
  const link = await magicLinkFromOutbox(server.url, EMAIL);
  assert.ok(link.startsWith(shopPage), `magic link ${link} does not lead to ${shopPage}`);
  await page.goto(link);
  const signedIn = inFrame(page, await (await page.locator('iframe').nth(0).elementHandle()).contentFrame());
  await waitForWidget(signedIn, 'heading', 'Your purchases', { timeout: 30000 });
  await waitForWidget(signedIn, 'button', 'Get download link');
  // Sized to its content: the library is taller than the code screen, up to the 800 px maximum.
  const deadline = Date.now() + 10000;
  let libraryHeight = 0;
  while (Date.now() < deadline && (libraryHeight = await iframeHeight(page, 0)) <= emailScreenHeight)
    await page.waitForTimeout(100);
  assert.ok(
    libraryHeight > emailScreenHeight && libraryHeight <= 800,
    `library iframe ${libraryHeight}px, code screen ${emailScreenHeight}px`,
  );
  // The library's first row starts below a 700 px window: the buyer scrolls the shop's page to it.
  await page.evaluate(() => window.scrollBy(0, 300));
  await click(signedIn, 'button', 'Get download link');
  const download = await waitForWidget(signedIn, 'link', 'Download');
  assert.ok(download.value.startsWith(`${server.url}/download?token=`), download.value);
  await saveScreenshot(page, 'embed-signed-in');
  // The iframe may write the clipboard and start downloads.
  await click(signedIn, 'button', 'Copy link');
  await waitForStatus(signedIn, /^Link copied\.?$/);
  // Read back on the seller's page: the iframe itself is allowed to write, not to read.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: nginx.url });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), download.value);
  const downloading = page.waitForEvent('download', { timeout: 30000 });
  await click(signedIn, 'link', 'Download');
  assert.ok((await downloading).url().startsWith(`${server.url}/download?token=`));

  // The wheel over the second widget (nothing in it to scroll) scrolls the seller's page.
  const otherWidget = inFrame(
    page,
    await (await page.locator('iframe').nth(1).elementHandle()).contentFrame(),
  );
  await waitForWidget(otherWidget, 'textbox', 'Email address');
  // Its data-theme="dark" reached it: the widget draws dark on the light seller page.
  const dark = await page.locator('iframe').nth(1).screenshot();
  const [r, g, b] = pixelAt(decodePng(dark), 5, 5);
  assert.ok(r + g + b < 150, `second widget background ${[r, g, b]} is not dark`);
  await page.locator('iframe').nth(1).scrollIntoViewIfNeeded();
  const box = await page.locator('iframe').nth(1).boundingBox();
  const before = await page.evaluate(() => window.scrollY);
  await page.mouse.move(box.x + box.width / 2, box.y + 10);
  for (let i = 0; i < 5; i++) {
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(300);
  const afterScroll = await page.evaluate(() => window.scrollY);
  assert.ok(afterScroll > before, `page scrollY ${before} -> ${afterScroll}`);

  // Tab from the last widget's canvas goes on to the seller's next link: no keyboard trap.
  await page.locator('iframe').nth(1).scrollIntoViewIfNeeded();
  const frameBox = await page.locator('iframe').nth(1).boundingBox();
  await page.mouse.click(frameBox.x + 5, frameBox.y + 5);
  let focused = '';
  for (let i = 0; i < 10 && !focused.startsWith('A:mailto'); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(
      () => `${document.activeElement.tagName}:${document.activeElement.getAttribute('href') || ''}`,
    );
  }
  assert.equal(focused, 'A:mailto:support@audio-company.example');

  // On a phone: the signed-in widget in the seller's page, its rows inside its column.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(shopPage);
  const phone = inFrame(page, await (await page.locator('iframe').nth(0).elementHandle()).contentFrame());
  await waitForWidget(phone, 'heading', 'Your purchases', { timeout: 30000 });
  await page.locator('iframe').nth(0).scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const clipped = (await phone.evaluate(() => window.__continuata.semantics)).filter((w) => w.clipped);
  assert.deepEqual(
    clipped.map((w) => w.id),
    [],
    'drawn past the column in the phone widget',
  );
  await saveScreenshot(page, 'embed-library-390');
  assert.deepEqual(page.consoleErrors, []);
});

// Every screen of the widget as buyers see it on a seller's page, at phone and desktop widths, in
// both themes (data-theme), with a 14-purchase library (page.route) and its 12-file product open:
// kept in build/test-artefacts to be looked at, and none drawn past its column.
test('the widget on a seller page: every screen at 390 and 1280 px, light and dark, screenshots', async () => {
  const server = await startServer(['--demo']);
  cleanups.push(() => server.stop());
  const site = mkdtempSync(join(tmpdir(), 'continuata-shop-shots-'));
  cleanups.push(() => rmSync(site, { recursive: true, force: true }));
  for (const theme of ['light', 'dark'])
    writeFileSync(
      join(site, `shop-${theme}.html`),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;font-family:sans-serif"><h1 style="margin:16px">Audio Company</h1>
<div data-continuata-portal data-org="audio-company" data-theme="${theme}"></div>
<script src="${server.url}/my/continuata-embed.js"></script></body></html>\n`,
    );
  const nginx = await startNginx(site);
  cleanups.push(() => nginx.stop());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  let buyer = 0;
  for (const theme of ['light', 'dark'])
    for (const width of [390, 1280]) {
      const page = await newPage(browser, { viewport: { width, height: 900 } });
      await routeLibrary(page, 14, server.url);
      await page.goto(`${nginx.url}/shop-${theme}.html`);
      const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
      const shot = async (name) => {
        await page.waitForTimeout(300);
        const clipped = await frame.evaluate(() =>
          window.__continuata.semantics.filter((w) => w.clipped).map((w) => w.id),
        );
        assert.deepEqual(clipped, [], `${name}: drawn past the column`);
        await saveScreenshot(page, `embed-${name}-${theme}-${width}`);
      };
      const email = frame.getByRole('textbox', { name: 'Email address' });
      await email.waitFor();
      await shot('email');
      const address = `widget-buyer-${++buyer}@example.com`;
      await email.fill(address);
      await frame.getByRole('button', { name: 'Send code' }).click();
      const codeBox = frame.getByRole('textbox', { name: 'Verification code' });
      await codeBox.waitFor();
      await shot('code');
      const code = await codeFromOutbox(server.url, address);
      await codeBox.fill(code === '000000' ? '111111' : '000000');
      await codeBox.press('Enter');
      await frame
        .getByRole('alert')
        .filter({ hasText: /not right/ })
        .waitFor();
      await shot('code-error');
      await codeBox.fill(code);
      await codeBox.press('Enter');
      await frame.getByRole('heading', { name: 'Your purchases' }).waitFor();
      await frame.waitForFunction(() => (window.__continuata?.rows || []).length === 14);
      await shot('library');
      // Pressed and released frames apart, as a finger does: the press's focus must not scroll
      // the row (at 390 px the list's bottom cuts it) from under the pointer, losing the click.
      const box = await frame.getByRole('button', { name: /^Show the 12 files/ }).boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.mouse.up();
      await frame.getByRole('button', { name: /^Hide the files/ }).waitFor({ timeout: 5000 });
      // The opened list is scrolled into sight: its row whole, or its top (the product's name)
      // at the list's top.
      await frame.waitForFunction(() => {
        const at = (id) => window.__continuata.semantics.find((n) => n.id === id);
        const list = at('purchases'),
          row = at('row-2');
        const bottom = list.y + list.h + 0.5;
        return row.y >= list.y - 0.5 && (row.y + row.h <= bottom || row.y <= list.y + 0.5);
      });
      await frame.getByText('Product 2 part 12.wav', { exact: false }).first().waitFor();
      await shot('library-files');
      // The wrong code's 401 is the browser's own log line; nothing else.
      assert.deepEqual(
        page.consoleErrors.filter((e) => !/status of 401/.test(e)),
        [],
      );
      await page.context().close();
    }
});
