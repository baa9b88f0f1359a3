// Theming from configuration, checked in the pixels the canvas draws: dark scheme, the seller's
// accent on the primary button, square corners, the seller's name and logo; "auto" following
// the browser's prefers-color-scheme, live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { waitForWidget } from './portal_driver.mjs';
import { decodePng, pixelAt } from './png.mjs';

const env = withServerAndBrowser(['--demo']);
const LOGO =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><rect width="64" height="32" fill="#00aa00"/></svg>',
  );

const shot = async (page) => decodePng(await page.screenshot());
const brightness = ([r, g, b]) => (r + g + b) / 3;

test('dark scheme, accent, radius, seller name and logo from the configuration', async () => {
  const page = await newPage(env.browser, { viewport: { width: 900, height: 700 } });
  const params = new URLSearchParams({
    theme: 'dark',
    accent: '#ff6600',
    radius: '0',
    name: 'Audio Company',
    logo: LOGO,
  });
  await page.goto(`${env.server.url}/my?${params}`);
  await waitForWidget(page, 'text', 'Audio Company');
  const logo = await waitForWidget(page, 'img', 'Audio Company');
  // Rectangles after the logo arrived: it makes the top line taller and moves what is below.
  await page.waitForTimeout(200);
  const send = await waitForWidget(page, 'button', 'Send code');
  const png = await shot(page);
  await saveScreenshot(page, 'theme-dark-orange');

  assert.ok(brightness(pixelAt(png, 5, 5)) < 50, `background ${pixelAt(png, 5, 5)} is not dark`);
  const [r, g, b] = pixelAt(png, send.x + 4, send.y + send.h / 2); // inside the button, left of its text
  assert.ok(r > 220 && g > 70 && g < 140 && b < 50, `primary button ${[r, g, b]} is not the accent #ff6600`);
  const corner = pixelAt(png, send.x + 1, send.y + 1); // radius 0: the corner is filled too
  assert.ok(corner[0] > 200 && corner[2] < 80, `button corner ${corner} is not square`);
  const [lr, lg, lb] = pixelAt(png, logo.x + logo.w / 2, logo.y + logo.h / 2);
  assert.ok(lg > 140 && lr < 60 && lb < 60, `logo centre ${[lr, lg, lb]} is not the logo's green`);
  assert.deepEqual(page.consoleErrors, []);
});

test('"auto" follows the browser\'s colour scheme, and changes with it', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 600 }, colorScheme: 'dark' });
  await page.goto(`${env.server.url}/my`);
  await waitForWidget(page, 'button', 'Send code');
  await page.waitForTimeout(200);
  assert.ok(brightness(pixelAt(await shot(page), 5, 5)) < 50, 'dark system, dark portal');
  await page.emulateMedia({ colorScheme: 'light' });
  const deadline = Date.now() + 5000;
  let bg;
  do {
    await page.waitForTimeout(100);
    bg = pixelAt(await shot(page), 5, 5);
  } while (brightness(bg) < 200 && Date.now() < deadline);
  assert.ok(brightness(bg) >= 200, `after switching the system to light the background is ${bg}`);
});
