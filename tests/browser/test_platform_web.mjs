// The browser platform layer on its own terms: the magic link signs in by itself, typing and
// Backspace work on the canvas and in ordinary inputs of the same page, Tab leaves the canvas,
// the wheel scrolls the page outside the portal, nothing is drawn while idle, and the canvas
// follows its container and the device pixel ratio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage } from './harness.mjs';
import {
  waitForWidget,
  waitForStatus,
  typeInto,
  requestCode,
  openSignedIn,
  semantics,
} from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);

async function frames(page) {
  return page.evaluate(() => window.__continuata.frames);
}

test('the magic link fills the form, submits the code, and cleans the address bar', async () => {
  const code = await requestCode(env.server.url, 'demo@example.com');
  const page = await newPage(env.browser);
  await page.goto(`${env.server.url}/my?email=demo%40example.com&code=${code}`);
  await waitForWidget(page, 'heading', 'Your purchases');
  assert.equal(new URL(page.url()).search, '');
  assert.deepEqual(page.consoleErrors, []);
});

test('idle draws nothing; input draws a few frames', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.server.url}/my`);
  await waitForWidget(page, 'textbox', 'Email address');
  await page.waitForTimeout(500);
  const start = await frames(page);
  await page.waitForTimeout(2000);
  assert.equal(await frames(page), start, 'frames were drawn while idle');
  await page.mouse.move(50, 50);
  await page.waitForTimeout(300);
  const after = await frames(page);
  assert.ok(after > start && after - start < 10, `a mouse move drew ${after - start} frames`);
});

test('typing, Backspace and paste reach the field; the page keeps its own keys; Tab leaves the canvas', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.server.url}/my`);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'outside';
    document.body.prepend(input);
  });
  await typeInto(page, 'Email address', 'ab@example.comx');
  await page.keyboard.press('Backspace');
  // The next frame shows it (not necessarily the one already published).
  await page.waitForFunction(() =>
    window.__continuata.semantics.some((w) => w.id === 'email' && w.value === 'ab@example.com'),
  );
  // Text inserted at once (what a paste, autofill or an IME commit does to the field's input).
  await page.keyboard.insertText('.uk');
  await page.waitForFunction(() =>
    window.__continuata.semantics.some((w) => w.value === 'ab@example.com.uk'),
  );
  // An ordinary input on the same page still gets its keys, Backspace included.
  await page.locator('#outside').fill('hello');
  await page.locator('#outside').press('Backspace');
  assert.equal(await page.locator('#outside').inputValue(), 'hell');
  // Tab from the canvas moves the browser's focus on: no keyboard trap.
  await page.locator('#canvas').focus();
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement && document.activeElement.id), 'canvas');
});

test('the wheel over the page outside the portal scrolls the page', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 600 } });
  await page.goto(`${env.server.url}/my`);
  await waitForWidget(page, 'textbox', 'Email address');
  await page.evaluate(() => {
    const portal = document.getElementById('portal');
    portal.style.height = '400px';
    document.body.style.height = 'auto';
    document.documentElement.style.height = 'auto';
    const filler = document.createElement('div');
    filler.style.height = '3000px';
    filler.textContent = 'seller content';
    document.body.appendChild(filler);
  });
  await page.mouse.move(400, 500); // over the filler, below the portal
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(300);
  assert.ok((await page.evaluate(() => window.scrollY)) > 0, 'the page did not scroll');
});

test('the wheel over the purchase list scrolls the list, then the page once the list is at its end', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 600 } });
  await openSignedIn(page, env.server.url, 'demo@example.com');
  await page.evaluate(() => {
    // a short widget on a long page: the list has to scroll
    document.getElementById('portal').style.height = '420px';
    document.body.style.height = 'auto';
    document.documentElement.style.height = 'auto';
    const filler = document.createElement('div');
    filler.style.height = '3000px';
    document.body.appendChild(filler);
  });
  await page.waitForTimeout(300);
  const list = (await semantics(page)).find((w) => w.role === 'list');
  const firstRow = async () => (await semantics(page)).filter((w) => w.role === 'listitem')[0];
  const before = await firstRow();
  await page.mouse.move(list.x + list.w / 2, list.y + Math.min(list.h, 100) / 2);
  await page.mouse.wheel(0, 100);
  await page.waitForTimeout(300);
  const after = await firstRow();
  assert.ok(after.y < before.y || after.name !== before.name, 'the list did not scroll');
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'the page scrolled while the list could');
  for (let i = 0; i < 20 && (await page.evaluate(() => window.scrollY)) === 0; i++) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(100);
  }
  assert.ok((await page.evaluate(() => window.scrollY)) > 0, 'the page did not scroll after the list ended');
});

test('the canvas follows its container and the device pixel ratio', async () => {
  const page = await newPage(env.browser, { viewport: { width: 700, height: 500 }, deviceScaleFactor: 2 });
  await page.goto(`${env.server.url}/my`);
  await waitForWidget(page, 'textbox', 'Email address');
  const size = () =>
    page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight };
    });
  let s = await size();
  assert.equal(s.w, s.cssW * 2);
  assert.equal(s.h, s.cssH * 2);
  await page.evaluate(() => {
    document.getElementById('portal').style.width = '420px';
  });
  await page.waitForFunction(() => document.getElementById('canvas').width === 840);
  s = await size();
  assert.equal(s.cssW, 420);
  // The layout follows too: the field now fits the narrower column.
  const field = await waitForWidget(page, 'textbox', 'Email address');
  assert.ok(field.x + field.w <= 420, `field ends at ${field.x + field.w}`);
});

test('a phone viewport: tap the field, type, and send', async () => {
  const page = await newPage(env.browser, {
    viewport: { width: 375, height: 740 },
    hasTouch: true,
    isMobile: true,
  });
  await page.goto(`${env.server.url}/my`);
  const field = await waitForWidget(page, 'textbox', 'Email address');
  const box = await page.locator('#canvas').boundingBox();
  await page.touchscreen.tap(box.x + field.x + field.w / 2, box.y + field.y + field.h / 2);
  await page.keyboard.type('phone@example.com');
  const send = await waitForWidget(page, 'button', 'Send code');
  await page.touchscreen.tap(box.x + send.x + send.w / 2, box.y + send.y + send.h / 2);
  await waitForWidget(page, 'textbox', 'Verification code');
  await waitForStatus(page, /sent a 6-digit code to phone@example.com/);
});

test('a phone: a finger dragging over the purchase list scrolls it, and a drag is not a tap', async () => {
  const page = await newPage(env.browser, {
    viewport: { width: 375, height: 600 }, // a small phone's screen less the browser's bars
    hasTouch: true,
    isMobile: true,
  });
  await openSignedIn(page, env.server.url, 'demo@example.com');
  await page.waitForTimeout(300);
  const rowsBefore = (await semantics(page)).filter((w) => w.role === 'listitem');
  const list = (await semantics(page)).find((w) => w.role === 'list');
  // A drag over the list where no control is: the row's own area at its right edge, low on the
  // screen (the list may reach below it: then the column scrolls as a whole, the list within it).
  const x = list.x + list.w - 8,
    y0 = Math.min(list.y + list.h, await page.evaluate(() => innerHeight)) - 20;
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, y) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await touch('touchStart', y0);
  for (let i = 1; i <= 10; i++) {
    await touch('touchMove', y0 - i * 20);
    await page.waitForTimeout(16);
  }
  await touch('touchEnd', y0 - 200);
  await page.waitForTimeout(300);
  const rowsAfter = (await semantics(page)).filter((w) => w.role === 'listitem');
  const same =
    rowsAfter.find((r) => r.id === rowsBefore[rowsBefore.length - 1].id) || rowsAfter[rowsAfter.length - 1];
  const before = rowsBefore.find((r) => r.id === same.id);
  assert.ok(
    !before || same.y < before.y,
    `the list did not scroll: row ${same.id} at ${before?.y} -> ${same.y}`,
  );
  assert.ok(rowsAfter.some((r) => !rowsBefore.find((b) => b.id === r.id)) || same.y < before.y);
  // Nothing was pressed by the drag: no link was asked for.
  assert.ok(!(await semantics(page)).some((w) => w.role === 'link'));
});
