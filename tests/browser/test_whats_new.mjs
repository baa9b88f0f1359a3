// "What's new in 1.1.0" in the browser by role and name, at 1280 and 390 px: the seller gives the
// demo's Epic Drum Kit 1.1.0 release notes (the real seller API, with the demo's admin key); the
// demo buyer, who bought 1.0.0, then finds "What's new in 1.1.0, Epic Drum Kit Vol. 1" on that
// row, opens it to read the notes (both lines), and closes it again. Screenshots of the open
// section are kept as build/test-artefacts/whats-new-{1280,390}.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { openSignedIn } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);
const PRODUCT = 'Epic Drum Kit Vol. 1';
const FIRST = 'Twelve new kits recorded on a vintage console.';
const SECOND = 'Fixed: the snare samples no longer clip at full velocity.';

let seeded = null;
async function seed() {
  const key = readFileSync(join(env.server.dataDir, 'demo-admin.key'), 'utf8').trim();
  const res = await fetch(`${env.server.url}/api/products/epic-drums-v1/versions/1.1.0`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ notes: `${FIRST}\n${SECOND}` }),
  });
  assert.equal(res.status, 200, await res.text());
}

async function library(options) {
  seeded ??= seed();
  await seeded;
  const page = await newPage(env.browser, options);
  await openSignedIn(page, env.server.url, 'demo@example.com');
  return page;
}

async function check(page, width, { phone }) {
  const press = (locator) => (phone ? locator.tap() : locator.click());
  const toggle = page.getByRole('button', { name: `What's new in 1.1.0, ${PRODUCT}` });
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  // Only the row with an update has one.
  assert.equal(await page.getByRole('button', { name: /^What's new in/ }).count(), 1);
  // The row is below the fold among the others: the buyer finds it by searching, as with many.
  await page.getByRole('searchbox', { name: 'Search purchases' }).fill('Epic');
  assert.equal(await page.getByText(FIRST).count(), 0);

  await press(toggle);
  const notes = page.getByText(FIRST);
  await notes.waitFor();
  // Both lines, the line break kept.
  assert.match(
    await notes.textContent(),
    new RegExp(`${FIRST.replace('.', '\\.')}\\n${SECOND.replace('.', '\\.')}`),
  );
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await saveScreenshot(page, `whats-new-${width}`);

  await press(toggle);
  await notes.waitFor({ state: 'detached' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(page.consoleErrors, []);
}

test("1280 px: What's new in 1.1.0 opens the release notes and closes them", async () => {
  const page = await library({ viewport: { width: 1280, height: 800 } });
  await check(page, 1280, { phone: false });
});

test('390 px phone: the same, by taps', async () => {
  const page = await library({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await check(page, 390, { phone: true });
});
