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
} from './portal_driver.mjs';
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
