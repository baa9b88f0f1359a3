// The portal before and after its WebAssembly: the first screen is real HTML in the first
// response, typeable while the wasm is still on its way; the typed address, the focus (the same
// element) and an early submit carry over when the module takes the screen, with every element
// where the canvas then draws it. And what the browser receives: br-compressed files, hashed
// names from its cache on a repeat visit, the page revalidated with 304.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, saveScreenshot } from './harness.mjs';
import { waitForWidget, semantics, codeFromOutbox } from './portal_driver.mjs';

const env = withServerAndBrowser(['--demo']);

// A page whose wasm request is held until release() (a slow network, made certain).
async function pageWithHeldWasm(viewport) {
  const page = await newPage(env.browser, { viewport });
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  await page.route(/\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return { page, release };
}

test('the first response holds the first screen: heading, "Email address", "Send code"', async () => {
  const res = await fetch(`${env.server.url}/my/`, { headers: { 'Accept-Encoding': 'br' } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1[^>]*>Get your downloads<\/h1>/);
  assert.match(html, /<label[^>]*for="cx-first-email"[^>]*>Email address<\/label>/);
  assert.match(html, /<input[^>]*type="email"[^>]*autocomplete="email"/);
  assert.match(html, /<button[^>]*>Send code<\/button>/);
  // Its style is inline (one <style>, no stylesheet to wait for: the page paints from this
  // response), and nothing in the head holds that paint: no stylesheet link, no font preload
  // (Chromium holds the first paint for one), no script that is not deferred.
  assert.equal([...html.matchAll(/<style>/g)].length, 1);
  assert.match(html, /<style>[^<]*\.cx-first-input[^<]*<\/style>/);
  assert.doesNotMatch(html, /rel="stylesheet"/);
  assert.doesNotMatch(html, /as="font"/);
  for (const tag of html.match(/<script[^>]*>/g)) assert.match(tag, /\sdefer\s/, tag);
  // Every asset it names is content-hashed and served: the wasm and scripts, the font in the style.
  const assets = [
    ...html.matchAll(
      /(?:href|src)="([^":]+\.[0-9a-f]{10}\.[a-z0-9]+)"|url\("([^":]+\.[0-9a-f]{10}\.woff2)"\)/g,
    ),
  ].map((m) => m[1] || m[2]);
  for (const ext of ['.wasm', '.js', '.woff2'])
    assert.ok(
      assets.some((a) => a.endsWith(ext)),
      `no ${ext} in ${assets}`,
    );
  for (const a of assets) {
    const r = await fetch(`${env.server.url}/my/${a}`, {
      method: 'HEAD',
      headers: { 'Accept-Encoding': 'gzip, br' },
    });
    assert.equal(r.status, 200, a);
    if (!a.endsWith('.woff2')) assert.equal(r.headers.get('content-encoding'), 'br', a);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', a);
  }
});

for (const viewport of [
  { width: 390, height: 700 },
  { width: 1280, height: 720 },
]) {
  test(`${viewport.width} px: typed before the wasm, submitted early; value, focus and place carry over`, async () => {
    const { page, release } = await pageWithHeldWasm(viewport);
    await page.goto(`${env.server.url}/my`);
    const field = page.getByRole('textbox', { name: 'Email address' });
    await field.click();
    const email = `early-${viewport.width}@example.com`;
    await page.keyboard.type(email);
    await saveScreenshot(page, `first-screen-html-${viewport.width}`);
    await page.keyboard.press('Enter'); // before the module exists
    assert.equal(
      await page.evaluate(() => typeof window.__continuata),
      'undefined',
      'the module ran too early',
    );

    release();
    // The module takes the screen, keeps the very element with its focus, and sends the code.
    await waitForWidget(page, 'textbox', 'Verification code', { timeout: 30000 });
    const code = await codeFromOutbox(env.server.url, email);
    assert.match(code, /^\d{6}$/);
    await saveScreenshot(page, `first-screen-handed-over-${viewport.width}`);
    assert.deepEqual(page.consoleErrors, []);
  });

  test(`${viewport.width} px: the hand-over keeps the element, its focus and text, at the canvas's places`, async () => {
    const { page, release } = await pageWithHeldWasm(viewport);
    await page.goto(`${env.server.url}/my`);
    await page.getByRole('textbox', { name: 'Email address' }).click();
    await page.keyboard.type('keep@exa');
    await page.evaluate(() => {
      document.activeElement.__typedHere = true;
    });
    const before = await page.evaluate(() =>
      Object.fromEntries(
        ['brand', 'title', 'email', 'send'].map((id) => {
          const r = document.querySelector(`[data-semantics-id="${id}"]`).getBoundingClientRect();
          return [id, { x: r.x, y: r.y, h: r.height }];
        }),
      ),
    );
    release();
    await waitForWidget(page, 'button', 'Send code', { timeout: 30000 });
    await page.waitForFunction(() =>
      window.__continuata.semantics.some((w) => w.id === 'email' && w.value === 'keep@exa' && w.focused),
    );
    assert.equal(
      await page.evaluate(() => document.activeElement.__typedHere === true),
      true,
      'focus moved to another element',
    );
    assert.equal(
      await page.locator('#first, [data-cx-first]').count(),
      0,
      'the HTML first screen is still there',
    );
    const drawn = Object.fromEntries((await semantics(page)).map((w) => [w.id, w]));
    for (const id of ['brand', 'title', 'email', 'send']) {
      assert.ok(
        Math.abs(drawn[id].x - before[id].x) <= 1 &&
          Math.abs(drawn[id].y - before[id].y) <= 1 &&
          Math.abs(drawn[id].h - before[id].h) <= 1,
        `${id}: HTML at ${JSON.stringify(before[id])}, canvas at ${JSON.stringify(drawn[id])}`,
      );
    }
    // Typing goes on in the same field.
    await page.keyboard.type('mple.com');
    await page.waitForFunction(() =>
      window.__continuata.semantics.some((w) => w.id === 'email' && w.value === 'keep@example.com'),
    );
    await saveScreenshot(page, `first-screen-after-${viewport.width}`);
    assert.deepEqual(page.consoleErrors, []);
  });
}

test('a returning customer (saved session) gets the loading state, not an email form to type into', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 600 } });
  await page.addInitScript(() =>
    localStorage.setItem(
      'continuata.session',
      '{"sessionToken":"x","email":"a@b.c","expiresAt":"2099-01-01T00:00:00Z"}',
    ),
  );
  await page.route(/\.wasm$/, () => {}); // never answered
  await page.goto(`${env.server.url}/my`);
  await page
    .getByRole('status')
    .filter({ hasText: 'Loading your download portal' })
    .waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('textbox', { name: 'Email address' }).count(), 0);
});

// Chromium offers br only over HTTPS, so over this test's plain HTTP it gets the gzip copies.
test('what the browser receives: precompressed copies, a repeat visit from cache and 304s', async () => {
  const page = await newPage(env.browser, { viewport: { width: 800, height: 600 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = [];
  cdp.on('Network.responseReceived', (e) =>
    seen.push({
      url: e.response.url,
      status: e.response.status,
      encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '',
      cached: e.response.fromDiskCache || e.response.fromMemoryCache,
    }),
  );
  await page.goto(`${env.server.url}/my/`);
  await waitForWidget(page, 'button', 'Send code');
  await page.waitForLoadState('networkidle');
  const first = seen.splice(0);
  const wasm = first.filter((r) => r.url.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `the wasm was fetched ${wasm.length} times (preload not reused?)`);
  for (const r of first.filter((x) => /\.(wasm|js|css|html|json)$|\/my\/$/.test(x.url)))
    assert.ok(['br', 'gzip'].includes(r.encoding), `${r.url} came as "${r.encoding}"`);

  // The repeat visit, as the server saw it (CDP reports a revalidated response as the cached 200).
  const logFrom = env.server.output.length;
  await page.goto(`${env.server.url}/my/`);
  await waitForWidget(page, 'button', 'Send code');
  await page.waitForLoadState('networkidle');
  const served = env.server.output
    .slice(logFrom)
    .split('\n')
    .filter((l) => l.includes('"path":"/my/'))
    .map((l) => JSON.parse(l));
  assert.ok(served.length > 0, 'nothing reached the server');
  for (const r of served) {
    assert.ok(
      !/\.[0-9a-f]{10}\.[a-z0-9]+$/.test(r.path),
      `${r.path} was fetched again, not taken from the cache`,
    );
    assert.equal(r.status, 304, `${r.path} answered ${r.status}, not 304`);
  }
  assert.ok(
    served.some((r) => r.path === '/my/'),
    'the page was not revalidated',
  );
});
