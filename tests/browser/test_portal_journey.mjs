// The whole customer journey in the real portal (headless Chromium, real server with --demo,
// real dev outbox), by pointer and keyboard on the canvas: email, code from the outbox, library,
// search, mint a link, download through it and check the sha256, reload still signed in, sign
// out. Then the failures a customer meets: wrong code, ended session, 429, server down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withServerAndBrowser, startServer, newPage, saveScreenshot } from './harness.mjs';
import {
  waitForWidget,
  waitForGone,
  waitForStatus,
  click,
  typeInto,
  codeFromOutbox,
  semantics,
} from './portal_driver.mjs';

const EMAIL = 'demo@example.com';
const env = withServerAndBrowser(['--demo']);

async function signIn(page, email = EMAIL, screenshot = false) {
  await page.goto(`${env.server.url}/my`);
  await typeInto(page, 'Email address', email);
  await click(page, 'button', 'Send code');
  await waitForWidget(page, 'textbox', 'Verification code');
  await waitForWidget(page, 'button', 'Resend code');
  if (screenshot) await saveScreenshot(page, 'screen-code');
  const code = await codeFromOutbox(env.server.url, email);
  await typeInto(page, 'Verification code', code);
  await page.keyboard.press('Enter'); // Enter submits, like the Verify button
  await waitForWidget(page, 'heading', 'Your purchases');
}

async function sessionTokenOf(page) {
  return page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const v = localStorage.getItem(localStorage.key(i)) || '';
      const m = /"sessionToken"\s*:\s*"([^"]+)"/.exec(v);
      if (m) return m[1];
    }
    return null;
  });
}

function adminKey() {
  return readFileSync(join(env.server.dataDir, 'demo-admin.key'), 'utf8').trim();
}

test('whole journey: sign in, search, mint, download with matching sha256, reload, sign out', async () => {
  const page = await newPage(env.browser, { viewport: { width: 1000, height: 760 }, acceptDownloads: true });
  await page.goto(`${env.server.url}/my`);
  await waitForWidget(page, 'textbox', 'Email address');
  await saveScreenshot(page, 'screen-email');
  await signIn(page, EMAIL, true);
  await saveScreenshot(page, 'screen-library');

  const rows = (await semantics(page)).filter((w) => w.role === 'listitem');
  assert.ok(rows.length >= 3, `expected the demo purchases, saw ${rows.length} rows`);

  // Search narrows the list to the matching product.
  const target = rows.find((r) => /drum/i.test(r.name)) || rows[0];
  const word = /drum/i.test(target.name) ? 'drum' : target.name.split(' ')[0];
  await typeInto(page, 'Search purchases', word);
  const deadline = Date.now() + 5000;
  let filtered = [];
  while (Date.now() < deadline) {
    filtered = (await semantics(page)).filter((w) => w.role === 'listitem');
    if (filtered.length < rows.length) break;
    await page.waitForTimeout(50);
  }
  assert.ok(
    filtered.length >= 1 && filtered.length < rows.length,
    `search "${word}" left ${filtered.length} rows`,
  );
  assert.ok(filtered.every((r) => r.name.toLowerCase().includes(word.toLowerCase())));

  // Mint a link for the first visible row, then download through it.
  await click(page, 'button', 'Get download link');
  const link = await waitForWidget(page, 'link', 'Download');
  await waitForWidget(page, 'button', 'Copy link');
  const expiry = (await semantics(page)).find((w) => /^Expires in 2[34] h \d+ min$/.test(w.name));
  assert.ok(expiry, 'the expiry countdown is shown');
  await saveScreenshot(page, 'screen-link');

  const downloadPromise = page.waitForEvent('download', { timeout: 30000 });
  await click(page, 'link', 'Download');
  const download = await downloadPromise;
  const saved = await download.path();
  const digest = createHash('sha256').update(readFileSync(saved)).digest('hex');

  // The sha256 the server's manifest holds for that product's files.
  const products = await (
    await fetch(`${env.server.url}/api/products`, {
      headers: { Authorization: `Bearer ${adminKey()}` },
    })
  ).json();
  const shas = [];
  for (const p of products) {
    if (!p.activeVersion) continue;
    const m = await (
      await fetch(`${env.server.url}/api/products/${p.product.id}/versions/${p.activeVersion.version}`, {
        headers: { Authorization: `Bearer ${adminKey()}` },
      })
    ).json();
    for (const f of m.files || []) shas.push(f.sha256);
  }
  assert.ok(shas.includes(digest), `downloaded file's sha256 ${digest} is not in any manifest`);
  assert.ok(link.value && link.value.includes('/download?token='), 'the link points at /download');

  // Reload: still signed in.
  await page.reload();
  await waitForWidget(page, 'heading', 'Your purchases');

  await click(page, 'button', 'Sign out');
  await waitForWidget(page, 'textbox', 'Email address');
  assert.equal(await sessionTokenOf(page), null, 'sign out forgets the session');
  assert.deepEqual(page.consoleErrors, []);
});

test('a wrong code says so and how many tries are left', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 700 } });
  await page.goto(`${env.server.url}/my`);
  await typeInto(page, 'Email address', 'wrong-code@example.com');
  await click(page, 'button', 'Send code');
  const real = await (async () => {
    await waitForWidget(page, 'textbox', 'Verification code');
    return codeFromOutbox(env.server.url, 'wrong-code@example.com');
  })();
  const wrong = real === '000000' ? '111111' : '000000';
  await typeInto(page, 'Verification code', wrong);
  await click(page, 'button', 'Verify');
  await waitForStatus(page, /not right.*4 tries left/i);
  await saveScreenshot(page, 'screen-wrong-code');
});

test('an ended session sends the customer back to the email screen with a message', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 700 } });
  await signIn(page);
  const token = await sessionTokenOf(page);
  assert.ok(token, 'the session is kept in localStorage');
  const res = await fetch(`${env.server.url}/api/portal/session`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.ok(res.ok);
  await page.reload();
  await waitForWidget(page, 'textbox', 'Email address');
  await waitForStatus(page, /session has ended/i);
  await saveScreenshot(page, 'screen-session-ended');
});

test('too many requests shows the wait as a countdown', async () => {
  const email = 'busy@example.com';
  for (let i = 0; i < 5; i++) {
    await fetch(`${env.server.url}/api/portal/verification`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email }),
    });
  }
  const page = await newPage(env.browser, { viewport: { width: 800, height: 700 } });
  await page.goto(`${env.server.url}/my`);
  await typeInto(page, 'Email address', email);
  await click(page, 'button', 'Send code');
  const first = await waitForStatus(page, /try again in \d+/i);
  const n1 = Number(/(\d+)/.exec(first)[1]);
  await page.waitForTimeout(2100);
  const second = await waitForStatus(page, /try again in \d+/i);
  const n2 = Number(/(\d+)/.exec(second)[1]);
  assert.ok(n2 < n1, `the countdown moves: ${n1} then ${n2}`);
  await saveScreenshot(page, 'screen-rate-limited');
});

test('server down: the customer is told the portal cannot reach the server', async () => {
  const own = await startServer(['--demo']);
  const page = await newPage(env.browser, { viewport: { width: 800, height: 700 } });
  await page.goto(`${own.url}/my`);
  await waitForWidget(page, 'textbox', 'Email address');
  await own.stop();
  await typeInto(page, 'Email address', EMAIL);
  await click(page, 'button', 'Send code');
  await waitForStatus(page, /can.t reach|offline|connection|network/i);
  await saveScreenshot(page, 'screen-server-down');
});

test('the language comes from the configuration or the browser: German by ?lang=de, French by locale', async () => {
  const de = await newPage(env.browser, { viewport: { width: 800, height: 700 } });
  await de.goto(`${env.server.url}/my?lang=de`);
  await typeInto(de, 'E-Mail-Adresse', 'sprache@example.com');
  await click(de, 'button', 'Code senden');
  await waitForWidget(de, 'textbox', 'Bestätigungscode');
  await waitForStatus(de, /^Wir haben einen 6-stelligen Code an sprache@example.com gesendet/);
  await saveScreenshot(de, 'screen-code-de');

  const fr = await newPage(env.browser, { viewport: { width: 800, height: 700 }, locale: 'fr-FR' });
  await fr.goto(`${env.server.url}/my`);
  await waitForWidget(fr, 'textbox', 'Adresse e-mail');
  await waitForWidget(fr, 'button', 'Envoyer le code');
  assert.deepEqual([...de.consoleErrors, ...fr.consoleErrors], []);
});
