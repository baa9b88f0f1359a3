// The portal page loads from the server, the WebGL canvas really draws (pixels, not just a page),
// and the console stays free of errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { decodePng, pixelStats } from './png.mjs';

const env = withServerAndBrowser(['--demo']);

test('the portal page loads and the canvas draws', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 600 } });
  const response = await page.goto(`${env.server.url}/my`);
  assert.equal(response.status(), 200);
  await page.locator('#loading').waitFor({ state: 'hidden', timeout: 20000 });
  const canvas = page.locator('#canvas');
  // Wait for a frame that draws more than a cleared background.
  let stats;
  for (let i = 0; i < 50; i++) {
    stats = pixelStats(decodePng(await canvas.screenshot()));
    if (stats.distinctColours >= 3 && stats.nonBackground > 100) break;
    await page.waitForTimeout(100);
  }
  await saveScreenshot(page, 'portal-loads');
  assert.ok(stats.distinctColours >= 3, `canvas shows ${stats.distinctColours} colours: nothing drawn`);
  assert.ok(stats.nonBackground > 100, `only ${stats.nonBackground} pixels differ from the background`);
  assert.deepEqual(page.consoleErrors, []);
});

test('a browser without WebGL2 gets a plain message, not a blank page', async () => {
  const page = await newPage(env.browser);
  await page.addInitScript(() => {
    const real = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : real.call(this, type, ...rest);
    };
  });
  await page.goto(`${env.server.url}/my`);
  const message = page.getByRole('alert');
  await message.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await message.textContent(), /needs a browser with WebAssembly and WebGL 2/);
});
