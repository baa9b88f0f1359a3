// The portal through the accessibility tree only: every step found by role and accessible name
// (getByRole), never by coordinates, on a desktop and a phone viewport; real inputs with the
// right autocomplete and keyboards; Tab order and Enter/Escape; an axe-core scan of each screen
// with no serious or critical violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withServerAndBrowser, newPage, saveScreenshot, root } from './harness.mjs';
import { codeFromOutbox, openSignedIn } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);
const AXE = join(root, 'node_modules/axe-core/axe.min.js');

async function axeScan(page, screen) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe on the ${screen} screen`,
  );
}

const focusedName = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? el.getAttribute('aria-label') || el.textContent : null;
  });

async function journey(page, email, { phone }) {
  const press = (locator) => (phone ? locator.tap() : locator.click());
  await page.goto(`${env.server.url}/my`);

  const emailBox = page.getByRole('textbox', { name: 'Email address' });
  await emailBox.waitFor();
  assert.equal(await emailBox.getAttribute('type'), 'email');
  assert.equal(await emailBox.getAttribute('autocomplete'), 'email');
  await axeScan(page, 'email');
  await emailBox.fill(email);
  await press(page.getByRole('button', { name: 'Send code' }));

  const codeBox = page.getByRole('textbox', { name: 'Verification code' });
  await codeBox.waitFor();
  assert.equal(await codeBox.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await codeBox.getAttribute('inputmode'), 'numeric');
  // The new screen's field has the focus, and the status says where the code went.
  await page.waitForFunction(
    () => document.activeElement?.getAttribute('aria-label') === 'Verification code',
  );
  await page
    .getByRole('status')
    .filter({ hasText: `sent a 6-digit code to ${email}` })
    .waitFor();
  await page.getByRole('button', { name: 'Resend code' }).waitFor();
  await page.getByRole('button', { name: 'Use a different email' }).waitFor();
  await axeScan(page, 'code');
  await codeBox.fill(await codeFromOutbox(env.server.url, email));
  await codeBox.press('Enter'); // Enter submits

  await page.getByRole('heading', { name: 'Your purchases' }).waitFor();
  const rows = page.getByRole('list', { name: 'Your purchases' }).getByRole('listitem');
  await rows.first().waitFor();
  const all = await rows.count();
  assert.ok(all >= 3, `${all} purchases listed`);
  // Each row says where it is in the whole list (only the rows on screen have elements).
  assert.equal(await rows.first().getAttribute('aria-posinset'), '1');
  assert.equal(await rows.first().getAttribute('aria-setsize'), String(all));
  const search = page.getByRole('searchbox', { name: 'Search purchases' });
  await search.fill('drum');
  await page.waitForFunction((n) => document.querySelectorAll('li').length < n, all);
  assert.match(await rows.first().getAttribute('aria-label'), /drum/i);
  await search.press('Escape'); // Escape clears the search
  await page.waitForFunction((n) => document.querySelectorAll('li').length === n, all);

  const row = rows.first();
  await press(row.getByRole('button', { name: 'Get download link' }));
  const link = row.getByRole('link', { name: 'Download' });
  await link.waitFor();
  assert.match(await link.getAttribute('href'), /\/download\?token=[0-9a-f]{64}$/);
  assert.equal(await link.getAttribute('download'), '');
  await row.getByText(/^Expires in 2[34] h \d+ min$/).waitFor();
  await press(row.getByRole('button', { name: 'Copy link' }));
  await page
    .getByRole('status')
    .filter({ hasText: /^Link copied\.?$/ })
    .waitFor();
  await axeScan(page, 'library');

  // The link is the browser's own: it downloads the file, whose sha256 is the manifest's.
  const downloading = page.waitForEvent('download', { timeout: 30000 });
  await press(link);
  const bytes = readFileSync(await (await downloading).path());
  const digest = createHash('sha256').update(bytes).digest('hex');
  const name = (await row.getAttribute('aria-label')).split(',')[0];
  const purchases = await (
    await fetch(`${env.server.url}/api/portal/purchases`, {
      headers: {
        Authorization: `Bearer ${await page.evaluate(() => JSON.parse(localStorage.getItem('continuata.session')).sessionToken)}`,
      },
    })
  ).json();
  const files = purchases.purchases.find((p) => p.productName === name).files;
  assert.ok(
    files.some((f) => f.sha256 === digest),
    `sha256 ${digest} not in ${name}'s manifest`,
  );

  // Reload: still signed in.
  await page.reload();
  await page.getByRole('heading', { name: 'Your purchases' }).waitFor();

  await press(page.getByRole('button', { name: 'Sign out' }));
  await page.getByRole('textbox', { name: 'Email address' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
}

test('the whole journey by role and name on a desktop, with axe on every screen', async () => {
  const page = await newPage(env.browser, { viewport: { width: 1000, height: 760 }, acceptDownloads: true });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  await journey(page, 'demo@example.com', { phone: false });
  await saveScreenshot(page, 'a11y-desktop-signed-out');
  assert.deepEqual(page.consoleErrors, []);
});

test('the whole journey by role and name on a phone, by taps', async () => {
  const page = await newPage(env.browser, {
    viewport: { width: 375, height: 740 },
    hasTouch: true,
    isMobile: true,
    acceptDownloads: true,
  });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  await journey(page, 'demo@example.com', { phone: true });
  assert.deepEqual(page.consoleErrors, []);
});

test('Tab and Shift+Tab go through the controls in order; Enter in the field sends; the ring follows focus', async () => {
  const page = await newPage(env.browser, { viewport: { width: 900, height: 700 } });
  await page.goto(`${env.server.url}/my`);
  const emailBox = page.getByRole('textbox', { name: 'Email address' });
  await emailBox.focus();
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'Send code');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedName(page), 'Email address');
  // The canvas draws the focus ring where the browser's focus is.
  await page.waitForFunction(() => window.__continuata.semantics.some((w) => w.id === 'email' && w.focused));
  await page.keyboard.type('keys@example.com');
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: 'Verification code' }).waitFor();
  await page.waitForFunction(
    () => document.activeElement?.getAttribute('aria-label') === 'Verification code',
  );
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'Verify');
  // "Resend code" waits out its cooldown disabled, so Tab passes over it.
  assert.ok(await page.getByRole('button', { name: 'Resend code' }).isDisabled());
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'Use a different email');
  await page.keyboard.press('Enter'); // a focused button activates with Enter
  await page.getByRole('textbox', { name: 'Email address' }).waitFor();
});

async function signedInPage(options) {
  const page = await newPage(env.browser, options);
  await openSignedIn(page, env.server.url, 'demo@example.com');
  await page.getByRole('list', { name: 'Your purchases' }).getByRole('listitem').first().waitFor();
  return page;
}

// Each element's box on the page against the rectangle of the widget it stands for.
async function misplaced(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('canvas').getBoundingClientRect();
    const out = [];
    for (const w of window.__continuata.semantics) {
      if (w.role === 'document' || w.role === 'label') continue; // no element: the page's own, or a name
      const el = document.querySelector(`[data-semantics-id="${CSS.escape(w.id)}"]`);
      if (!el) {
        out.push(`${w.id}: no element`);
        continue;
      }
      const r = el.getBoundingClientRect();
      if (
        Math.abs(r.left - canvas.left - w.x) > 1 ||
        Math.abs(r.top - canvas.top - w.y) > 1 ||
        Math.abs(r.width - Math.max(1, w.w)) > 1
      )
        out.push(`${w.id}: element at ${r.left},${r.top} widget at ${w.x},${w.y}`);
    }
    return out;
  });
}

test('the elements sit on their widgets after resizing and scrolling; unchanged nodes are kept, not rebuilt', async () => {
  const page = await signedInPage({ viewport: { width: 1000, height: 700 } });
  await page.waitForTimeout(300);
  assert.deepEqual(await misplaced(page), []);
  await page.getByRole('heading', { name: 'Your purchases' }).evaluate((el) => {
    el.dataset.mark = 'kept';
  });

  await page.setViewportSize({ width: 700, height: 560 });
  await page.waitForTimeout(400);
  assert.deepEqual(await misplaced(page), [], 'after resizing');

  const list = page.getByRole('list', { name: 'Your purchases' });
  const box = await list.boundingBox();
  await page.mouse.move(box.x + box.width - 5, box.y + box.height - 30);
  await page.mouse.wheel(0, 150);
  await page.waitForTimeout(400);
  assert.deepEqual(await misplaced(page), [], 'after scrolling the list');

  await page.getByRole('searchbox', { name: 'Search purchases' }).fill('synth');
  await page.waitForFunction(() => document.querySelectorAll('li').length === 1);
  assert.equal(await page.getByRole('heading', { name: 'Your purchases' }).getAttribute('data-mark'), 'kept');
});

test("the reader's text size (the root font size) scales the portal's text", async () => {
  const heading = async (page) => {
    await page.goto(`${env.server.url}/my`);
    await page.getByRole('heading', { name: 'Get your downloads' }).waitFor();
    await page.waitForTimeout(200);
    return (await page.evaluate(() => window.__continuata.semantics.find((w) => w.role === 'heading'))).h;
  };
  const normal = await heading(await newPage(env.browser, { viewport: { width: 900, height: 700 } }));
  const large = await newPage(env.browser, { viewport: { width: 900, height: 700 } });
  await large.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => {
      document.documentElement.style.fontSize = '24px';
    }),
  );
  const big = await heading(large);
  assert.ok(big / normal > 1.35 && big / normal < 1.65, `heading ${normal}px at 16px text, ${big}px at 24px`);
});
