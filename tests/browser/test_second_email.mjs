// A second email in the real portal (headless Chromium, real server with --demo, real dev
// outbox), by role and accessible name only, on a desktop and a 390 px phone: open "Email
// addresses", add the demo's other buyer address with the code from its mail, see both
// addresses' purchases each saying which address bought it, then remove it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { codeFromOutbox, openSignedIn } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);
const BUYER = 'demo@example.com';
const OTHER = 'someone.else@example.com'; // the demo's order-2001

async function journey(page, { phone, shots }) {
  const press = (locator) => (phone ? locator.tap() : locator.click());
  await openSignedIn(page, env.server.url, BUYER);
  const rows = page.getByRole('list', { name: 'Your purchases' }).getByRole('listitem');
  await rows.first().waitFor();
  const before = await rows.count();
  assert.equal(
    await page.getByText('Bought with', { exact: false }).count(),
    0,
    'one address: no "Bought with"',
  );

  await press(page.getByRole('button', { name: 'Email addresses' }));
  await page.getByRole('heading', { name: 'Your email addresses' }).waitFor();
  await page.getByText(`${BUYER} (signed in)`).waitFor();
  const field = page.getByRole('textbox', { name: 'Another email address' });
  assert.equal(await field.getAttribute('type'), 'email');
  await field.fill(OTHER);
  await press(page.getByRole('button', { name: 'Add email' }));
  await page
    .getByRole('status')
    .filter({ hasText: `sent a 6-digit code to ${OTHER}` })
    .waitFor();
  const code = page.getByRole('textbox', { name: 'Verification code' });
  await code.fill(await codeFromOutbox(env.server.url, OTHER));
  if (shots) await saveScreenshot(page, `second-email-code-${shots}`);
  await press(page.getByRole('button', { name: 'Verify address' }));
  await page
    .getByRole('status')
    .filter({ hasText: `${OTHER} is added` })
    .waitFor();
  await page.getByRole('button', { name: `Remove, ${OTHER}` }).waitFor();

  // Both addresses' purchases, each row saying which address bought it.
  await page.waitForFunction((n) => document.querySelectorAll('li').length > n, before);
  assert.equal(await rows.count(), before + 1);
  const theirs = rows.filter({ hasText: `Bought with ${OTHER}` });
  await theirs.first().waitFor();
  assert.equal(await theirs.count(), 1);
  assert.ok((await rows.filter({ hasText: `Bought with ${BUYER}` }).count()) >= 1);
  if (shots) await saveScreenshot(page, `second-email-library-${shots}`);

  await press(page.getByRole('button', { name: `Remove, ${OTHER}` }));
  await page
    .getByRole('status')
    .filter({ hasText: `${OTHER} is removed` })
    .waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('li').length === n, before);
  assert.equal(await page.getByRole('button', { name: `Remove, ${OTHER}` }).count(), 0);
  assert.equal(await rows.filter({ hasText: 'Bought with' }).count(), 0);
  if (shots) await saveScreenshot(page, `second-email-removed-${shots}`);
}

test('a second email on a desktop: add it with its code, both libraries, remove it', async () => {
  const page = await newPage(env.browser, { viewport: { width: 1280, height: 900 } });
  await journey(page, { phone: false, shots: '1280' });
  assert.deepEqual(page.consoleErrors, []);
});

test('a second email on a 390 px phone, by taps', async () => {
  const page = await newPage(env.browser, {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  await journey(page, { phone: true, shots: '390' });
  assert.deepEqual(page.consoleErrors, []);
});
