// The portal as a static deployment: the build's portal folder copied under a sub-path of an
// nginx site (Debian's nginx, Debian's mime.types) with the API on another port, as a seller
// would host it. Cross-origin with CORS preflights, under a strict Content-Security-Policy, the
// magic link coming back to that page, and the journey through to a working download link.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, saveScreenshot, portalDir, serverBinary } from './harness.mjs';
import { startNginx, freePort, writePortalConfig } from './nginx.mjs';
import { waitForWidget, click, typeInto, semantics, magicLinkFromOutbox } from './portal_driver.mjs';

const EMAIL = 'demo@example.com';
const ORG = 'audio-company';
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

// The policy the build writes for deployers (build/web/portal-csp.txt, as the README says):
// no inline script, no eval, only WebAssembly compilation, and of inline style only index.html's
// one <style>, by its hash. Here with the API's origin (on another port) in connect-src.
const builtPolicy = readFileSync(join(portalDir, '..', 'portal-csp.txt'), 'utf8').trim();
function strictPolicy(apiOrigin, policy = builtPolicy) {
  return policy.replace("connect-src 'self'", `connect-src 'self' ${apiOrigin}`);
}
const styleHash = () => {
  const css = /<style>([^<]*)<\/style>/.exec(readFileSync(join(portalDir, 'index.html'), 'utf8'))[1];
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
};

test('the policy the build writes: the inline style by its hash, nothing else inline, no eval', () => {
  const directives = Object.fromEntries(
    builtPolicy.split(/;\s*/).map((d) => {
      const [k, ...v] = d.split(/\s+/);
      return [k, v];
    }),
  );
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives['style-src'], [styleHash()]);
  assert.deepEqual(directives['font-src'], ["'self'"]);
  assert.deepEqual(directives['connect-src'].slice(0, 1), ["'self'"]);
  assert.doesNotMatch(builtPolicy, /'unsafe-inline'|'unsafe-eval'|\*/);
});

test('deployed to nginx under a sub-path, API on another origin, strict CSP: the whole journey', async () => {
  const server = await startServer(['--demo']);
  cleanups.push(() => server.stop());
  const port = await freePort();
  const siteOrigin = `http://127.0.0.1:${port}`;
  const pageUrl = `${siteOrigin}/shop/downloads/`;
  // The seller's set-up, through the admin command line: the widget's origin and its page.
  const admin = (...args) => execFileSync(serverBinary, ['--data', server.dataDir, 'admin', ...args]);
  admin('allow-origin', '--org', ORG, '--origin', siteOrigin);
  admin('set-portal-url', '--org', ORG, '--url', pageUrl);

  const www = mkdtempSync(join(tmpdir(), 'continuata-site-'));
  cleanups.push(() => rmSync(www, { recursive: true, force: true }));
  const folder = join(www, 'shop/downloads');
  cpSync(portalDir, folder, { recursive: true });
  writePortalConfig(folder, { api: server.url, org: ORG });
  const nginx = await startNginx(www, {
    port,
    headers: { 'Content-Security-Policy': strictPolicy(server.url) },
  });
  cleanups.push(() => nginx.stop());

  // As the README asks of a static host: the build's brotli copies, hashed names immutable, the
  // page and its configuration revalidated (ETag, 304), Vary on every one.
  const wasmName = /"(portal\.[0-9a-f]{10}\.wasm)"/.exec(readFileSync(join(folder, 'index.html'), 'utf8'))[1];
  const wasm = await fetch(`${pageUrl}${wasmName}`, { headers: { 'Accept-Encoding': 'gzip, br' } });
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('content-encoding'), 'br');
  assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(wasm.headers.get('vary') || '', /Accept-Encoding/);
  assert.equal(
    Number(wasm.headers.get('content-length')),
    readFileSync(join(folder, `${wasmName}.br`)).length,
  );
  for (const name of ['', 'portal.config.json', 'continuata-embed.js']) {
    const r = await fetch(`${pageUrl}${name}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(r.status, 200, name);
    assert.equal(r.headers.get('cache-control'), 'no-cache', name);
    assert.equal(r.headers.get('content-encoding'), 'gzip', name);
    const again = await fetch(`${pageUrl}${name}`, {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': r.headers.get('etag') },
    });
    assert.equal(again.status, 304, name);
  }
  const refused = await fetch(`${pageUrl}${wasmName}`, {
    headers: { 'Accept-Encoding': 'br;q=0, gzip;q=0' },
  });
  assert.equal(refused.headers.get('content-encoding'), null);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, { viewport: { width: 900, height: 760 } });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const apiCalls = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/')) apiCalls.push(r.url());
  });

  await page.goto(pageUrl);
  await typeInto(page, 'Email address', EMAIL);
  await click(page, 'button', 'Send code');
  await waitForWidget(page, 'textbox', 'Verification code');
  assert.ok(
    apiCalls.length > 0 && apiCalls.every((u) => u.startsWith(`${server.url}/api/`)),
    `API calls: ${apiCalls}`,
  );

  // The mail's magic link goes back to the seller's page, which signs in by itself.
  const link = await magicLinkFromOutbox(server.url, EMAIL);
  assert.ok(link.startsWith(pageUrl), `magic link ${link} does not lead to ${pageUrl}`);
  await page.goto(link);
  await waitForWidget(page, 'heading', 'Your purchases', { timeout: 30000 });
  await page.waitForFunction(
    () => window.__continuata.semantics.filter((w) => w.role === 'listitem').length >= 3,
    null,
    { timeout: 15000 },
  );

  await click(page, 'button', 'Get download link');
  const download = await waitForWidget(page, 'link', 'Download');
  assert.ok(download.value.startsWith(`${server.url}/download?token=`), download.value);
  const file = await fetch(download.value, { headers: { Range: 'bytes=0-15' } });
  assert.ok([200, 206].includes(file.status), `download answered ${file.status}`);
  await saveScreenshot(page, 'static-deploy-library');

  // Reload: still signed in (the session is in this origin's storage); sign out (a cross-origin
  // DELETE, preflighted) returns to the email screen.
  await page.reload();
  await waitForWidget(page, 'heading', 'Your purchases', { timeout: 30000 });
  await click(page, 'button', 'Sign out');
  await waitForWidget(page, 'textbox', 'Email address');
  // The portal leaves the library at once; the DELETE and its log line may come a moment later.
  const signedOut = '"method":"DELETE","path":"/api/portal/session"';
  for (let i = 0; i < 100 && !server.output.includes(signedOut); ++i)
    await new Promise((r) => setTimeout(r, 100));
  assert.ok(server.output.includes(signedOut), 'sign-out reached the API');

  // The preflights really happened and were answered for the seller's origin.
  const preflights = server.output.split('\n').filter((l) => l.includes('"method":"OPTIONS"'));
  assert.ok(preflights.length > 0, 'no CORS preflight reached the API');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(page.consoleErrors, []);
});

// The other side of the violation count above: with a hash that is not the style's, the browser
// refuses the <style> and says so, and the first screen is not laid out.
test('served with a wrong style hash, the inline style is refused and reported', async () => {
  const www = mkdtempSync(join(tmpdir(), 'continuata-site-'));
  cleanups.push(() => rmSync(www, { recursive: true, force: true }));
  cpSync(portalDir, www, { recursive: true });
  const wrong = `'sha256-${createHash('sha256').update('not the style').digest('base64')}'`;
  assert.ok(builtPolicy.includes(styleHash()));
  const nginx = await startNginx(www, {
    headers: { 'Content-Security-Policy': builtPolicy.replace(styleHash(), wrong) },
  });
  cleanups.push(() => nginx.stop());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, { viewport: { width: 390, height: 700 } });
  await page.route(/\.wasm$/, () => {}); // never answered: the first screen as it is before the module
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${nginx.url}/`);
  await page.waitForFunction(() => window.__cspViolations.length > 0, null, { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), ['style-src-elem inline']);
  assert.notEqual(
    await page.evaluate(() => getComputedStyle(document.getElementById('first')).position),
    'absolute',
  );
});

test('an origin the org did not allow is refused by CORS, and the portal says the site may not be allowed', async () => {
  const server = await startServer(['--demo']);
  cleanups.push(() => server.stop());
  const www = mkdtempSync(join(tmpdir(), 'continuata-site-'));
  cleanups.push(() => rmSync(www, { recursive: true, force: true }));
  cpSync(portalDir, www, { recursive: true });
  writePortalConfig(www, { api: server.url, org: ORG });
  const nginx = await startNginx(www);
  cleanups.push(() => nginx.stop());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, { viewport: { width: 900, height: 700 } });
  await page.goto(`${nginx.url}/`);
  await typeInto(page, 'Email address', EMAIL);
  await click(page, 'button', 'Send code');
  const deadline = Date.now() + 15000;
  let status;
  while (Date.now() < deadline) {
    status = (await semantics(page)).find((w) => w.role === 'alert');
    if (status) break;
    await page.waitForTimeout(100);
  }
  assert.ok(status, 'an error is shown');
  assert.match(status.name, /browser blocked the connection.*not be allowed to use the portal/);
});
