// After the sale, in the browser by role and name, on a desktop and a 390 px phone: the seller
// revokes one of the demo buyer's purchases and uploads licence keys (the real seller API, with
// the demo's admin key); the buyer's library then shows that row as "Refunded" without a download
// button, and the other row's licence key with "Copy licence key, <Product>", which copies it.
// Screenshots of both widths are kept in build/test-artefacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { openSignedIn } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);
const REFUNDED = 'Epic Drum Kit Vol. 1';
const KEYED = 'Analog Synth Presets';
let key = '';

async function api(method, path, body) {
  const res = await fetch(`${env.server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// The seller's changes, made once before the first page (after the harness started the server).
let seeded = null;
async function seed() {
  key = readFileSync(join(env.server.dataDir, 'demo-admin.key'), 'utf8').trim();
  const listed = await api('GET', '/api/purchases?email=demo@example.com');
  assert.equal(listed.status, 200);
  const drums = listed.body.find((p) => p.productId === 'epic-drums-v1');
  const revoked = await api('POST', `/api/purchases/${drums.id}/revoke`, { reason: 'refunded by the shop' });
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.status, 'refunded');
  const pool = await api('POST', '/api/products/analog-synth-presets/license-keys', {
    keys: ['ASP-7Q2K-94XM'],
  });
  assert.equal(pool.status, 200);
  assert.equal(pool.body.assignedNow, 1);
}

async function library(options) {
  seeded ??= seed();
  await seeded;
  const page = await newPage(env.browser, options);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  await openSignedIn(page, env.server.url, 'demo@example.com');
  return page;
}

async function check(page, screenshot, { phone }) {
  const press = (locator) => (phone ? locator.tap() : locator.click());
  const rows = page.getByRole('list', { name: 'Your purchases' }).getByRole('listitem');
  // Each row is looked at as a buyer finds it among more purchases than fit: by searching for it.
  const search = page.getByRole('searchbox', { name: 'Search purchases' });
  await search.fill(REFUNDED);
  // The count follows the search and is said once: not beside the load's "N purchases.".
  await page
    .getByRole('status')
    .filter({ hasText: /^\d+ of \d+ purchases$/ })
    .waitFor();
  assert.equal(
    await page
      .getByRole('status')
      .filter({ hasText: /^\d+ purchases\.$/ })
      .count(),
    0,
  );
  const refunded = rows.filter({ has: page.getByRole('heading', { name: REFUNDED }) });
  await refunded.getByText('Refunded', { exact: true }).waitFor();
  assert.equal(await refunded.getByRole('button', { name: `Get download link, ${REFUNDED}` }).count(), 0);
  assert.equal(await page.getByRole('button', { name: `Get download link, ${REFUNDED}` }).count(), 0);
  assert.equal(await page.getByRole('link', { name: `Download, ${REFUNDED}` }).count(), 0);
  // The other purchases still have theirs.
  await search.fill(KEYED);
  await page.getByRole('button', { name: `Get download link, ${KEYED}` }).waitFor();

  const keyed = rows.filter({ has: page.getByRole('heading', { name: KEYED }) });
  await keyed.getByText('Licence key: ASP-7Q2K-94XM').waitFor();
  const copy = page.getByRole('button', { name: `Copy licence key, ${KEYED}` });
  await copy.waitFor();
  await saveScreenshot(page, screenshot);
  await press(copy);
  await page
    .getByRole('status')
    .filter({ hasText: /^Licence key copied\.?$/ })
    .first()
    .waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'ASP-7Q2K-94XM');
  assert.deepEqual(page.consoleErrors, []);
}

test('desktop: a refunded row without a download button, a licence key with Copy', async () => {
  const page = await library({ viewport: { width: 1000, height: 760 } });
  await check(page, 'after-sale-desktop', { phone: false });
});

test('390 px phone: the same rows, by taps', async () => {
  const page = await library({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await check(page, 'after-sale-phone', { phone: true });
});
