// Product names in Greek, Cyrillic and accented Latin: products made through the seller API,
// bought through the signed webhook, listed in the portal with the font grown to their scripts,
// found by a search typed in another case, and shown in each language's date format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withServerAndBrowser, newPage, saveScreenshot, serverBinary } from './harness.mjs';
import { waitForWidget, click, requestCode, semantics } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);
const EMAIL = 'world@example.com';
const PRODUCTS = [
  { slug: 'krousta', name: 'Κρουστά της Αθήνας' },
  { slug: 'udarnye', name: 'Ударные барабаны' },
  { slug: 'cordes', name: 'Cordes éthérées — Édition spéciale' },
];

async function seller(path, method, body, raw) {
  const key = readFileSync(join(env.server.dataDir, 'demo-admin.key'), 'utf8').trim();
  const r = await fetch(`${env.server.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      'Content-Type': raw ? 'application/octet-stream' : 'application/json',
    },
    body: raw ?? (body && JSON.stringify(body)),
  });
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
  return r.json().catch(() => ({}));
}

test('Greek, Cyrillic and accented names: listed, drawn with grown glyph ranges, searchable in any case', async () => {
  const secret = execFileSync(serverBinary, [
    '--data',
    env.server.dataDir,
    'admin',
    'create-webhook-secret',
    '--org',
    'audio-company',
  ])
    .toString()
    .trim();
  for (const [i, p] of PRODUCTS.entries()) {
    const created = await seller('/api/products', 'POST', { name: p.name, slug: p.slug });
    const id = created.id ?? created.product?.id ?? p.slug;
    await seller(`/api/products/${id}/versions`, 'POST', { version: '1.0.0' });
    await seller(
      `/api/products/${id}/versions/1.0.0/files/${encodeURIComponent('Πακέτο-' + i + '.zip')}`,
      'PUT',
      null,
      `bytes ${i}`,
    );
    await seller(`/api/products/${id}/versions/1.0.0/activate`, 'POST', {});
    const body = JSON.stringify({ orderId: `world-${i}`, email: EMAIL, items: [{ productId: id }] });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    const r = await fetch(`${env.server.url}/api/webhooks/audio-company/purchase`, {
      method: 'POST',
      body,
      headers: { 'X-Continuata-Timestamp': ts, 'X-Continuata-Signature': sig },
    });
    assert.ok(r.ok, `webhook ${r.status}`);
  }

  const code = await requestCode(env.server.url, EMAIL);
  const page = await newPage(env.browser, { viewport: { width: 900, height: 900 } });
  await page.goto(`${env.server.url}/my?lang=fr&email=${encodeURIComponent(EMAIL)}&code=${code}`);
  await waitForWidget(page, 'heading', 'Vos achats', { timeout: 30000 });
  await page.waitForFunction(
    () => window.__continuata.semantics.filter((w) => w.role === 'listitem').length === 3,
  );
  const rows = (await semantics(page)).filter((w) => w.role === 'listitem').map((w) => w.name);
  for (const p of PRODUCTS)
    assert.ok(
      rows.some((n) => n === p.name), // the row is named by its product (its heading)
      `${p.name} in ${rows}`,
    );
  // Each row's details (its text under the heading) carry the date the French way.
  const details = (await semantics(page)).filter((w) => w.id.startsWith('details-')).map((w) => w.name);
  assert.ok(
    details.length === 3 && details.every((n) => /Acheté le \d\d\/\d\d\/\d{4}/i.test(n)),
    `French dates: ${details}`,
  );
  await page.waitForFunction(
    () => window.__continuata.fontScripts?.greek && window.__continuata.fontScripts?.cyrillic,
  );
  await saveScreenshot(page, 'scripts-library-fr');

  // Typed as a Cyrillic keyboard or an IME commits it: into the real input over the field.
  await click(page, 'textbox', 'Rechercher dans vos achats');
  await page.keyboard.insertText('БАРАБАНЫ');
  await page.waitForFunction(
    () => window.__continuata.semantics.filter((w) => w.role === 'listitem').length === 1,
  );
  assert.match((await semantics(page)).find((w) => w.role === 'listitem').name, /^Ударные барабаны/);
  assert.deepEqual(page.consoleErrors, []);
});
