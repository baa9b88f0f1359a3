// Benchmark (not a test) of the portal in headless Chromium, against the budgets of PRODUCT.md:
//  1. transfer size: gzip -9 of everything the page loads (js, wasm with the font inside, page);
//  2. first frame: wasm instantiation to the first WebGL draw, portal vs a bare Dear ImGui page
//     (bench/bare, same compiler and flags), medians of several loads in the same run;
//  3. frames drawn in 10 idle seconds;
//  4. CPU time per frame with 10,000 purchases while searching and scrolling.
// Usage: node bench/portal_bench.mjs   (after scripts/build)
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { startServer, launchBrowser, newPage, portalDir, root, serverBinary } from '../tests/browser/harness.mjs';
import { waitForWidget, requestCode, click } from '../tests/browser/portal_driver.mjs';

const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// 1. Transfer size
const sizes = {};
for (const f of readdirSync(portalDir)) sizes[f] = gzipSync(readFileSync(join(portalDir, f)), { level: 9 }).length;
const total = Object.values(sizes).reduce((a, b) => a + b, 0);

// A static server for the bare page.
const benchDir = join(root, 'build/web/bench');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const bare = createServer((req, res) => {
  const file = join(benchDir, req.url === '/' ? 'index.html' : req.url.slice(1));
  try {
    res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${bare.address().port}/`;

const server = await startServer(['--demo']);
const browser = await launchBrowser();

// 2. First frame
async function firstFrame(url) {
  const page = await newPage(browser, { viewport: { width: 1000, height: 700 } });
  await page.addInitScript(() => {
    window.__bench = {};
    const wrap = (name) => {
      const real = WebAssembly[name];
      if (!real) return;
      WebAssembly[name] = function (...args) {
        return real.apply(this, args).then((r) => { window.__bench.instantiated ??= performance.now(); return r; });
      };
    };
    wrap('instantiate');
    wrap('instantiateStreaming');
    const draw = WebGL2RenderingContext.prototype.drawElements;
    WebGL2RenderingContext.prototype.drawElements = function (...args) {
      window.__bench.firstDraw ??= performance.now();
      return draw.apply(this, args);
    };
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.firstDraw !== undefined, null, { timeout: 30000 });
  const t = await page.evaluate(() => window.__bench.firstDraw - window.__bench.instantiated);
  await page.context().close();
  return t;
}
const portalTimes = [], bareTimes = [];
for (let i = 0; i < RUNS; i++) {  // interleaved so drift hits both alike
  bareTimes.push(await firstFrame(bareUrl));
  portalTimes.push(await firstFrame(`${server.url}/my`));
}

// 3. Idle frames
const idlePage = await newPage(browser, { viewport: { width: 1000, height: 700 } });
await idlePage.goto(`${server.url}/my`);
await waitForWidget(idlePage, 'textbox', 'Email address');
await idlePage.waitForTimeout(1000);
const f0 = await idlePage.evaluate(() => window.__continuata.frames);
await idlePage.waitForTimeout(10000);
const idleFrames = (await idlePage.evaluate(() => window.__continuata.frames)) - f0;

// 4. 10,000 purchases: recorded through the signed webhook, then searched and scrolled.
const secret = execFileSync(serverBinary, ['--data', server.dataDir, 'admin', 'create-webhook-secret', '--org', 'audio-company'],
  { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
const email = 'collector@example.com';
async function purchase(i) {
  const body = JSON.stringify({ orderId: `bulk-${i}`, email, items: [{ productId: ['epic-drums-v1', 'analog-synth-presets', 'orchestral-strings'][i % 3] }] });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  const r = await fetch(`${server.url}/api/webhooks/audio-company/purchase`, {
    method: 'POST', body, headers: { 'X-Continuata-Timestamp': ts, 'X-Continuata-Signature': sig } });
  if (!r.ok) throw new Error(`webhook ${r.status}`);
}
const N = Number(process.env.PURCHASES || 10000);
for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => purchase(i + k)));
const code = await requestCode(server.url, email);
const page = await newPage(browser, { viewport: { width: 1000, height: 800 } });
await page.goto(`${server.url}/my?email=${encodeURIComponent(email)}&code=${code}`);
await waitForWidget(page, 'heading', 'Your purchases', { timeout: 60000 });
await page.waitForFunction(() => window.__continuata.semantics.filter((w) => w.role === 'listitem').length > 0, null, { timeout: 120000 })
  .catch(async (e) => { console.log(JSON.stringify(await page.evaluate(() => window.__continuata.semantics.filter((w) => w.role === 'status' || w.role === 'alert')))); throw e; });
await page.evaluate(() => { window.__continuata.frameTimes = []; window.__continuata.uiTimes = []; });
await click(page, 'textbox', 'Search purchases');
// Inputs are spaced so that SwiftShader's software rendering of one frame (in Chromium's GPU
// process, ~25 ms here) is not preempting the portal's work on the next: on 2 cores that overlap
// shows up as random 5-8 ms spikes in frames that otherwise take 0.3 ms.
const settle = () => page.waitForTimeout(100);
for (const ch of 'drum kit') { await page.keyboard.type(ch); await settle(); }
for (let i = 0; i < 8; i++) { await page.keyboard.press('Backspace'); await settle(); }
await page.mouse.move(500, 600);
for (let i = 0; i < 60; i++) { await page.mouse.wheel(0, 400); await settle(); }
const times = await page.evaluate(() => window.__continuata.frameTimes);
const uiTimes = await page.evaluate(() => window.__continuata.uiTimes);

await browser.close();
await server.stop();
bare.close();

const fmt = (n) => n.toFixed(2);
console.log('\nPortal transfer size (gzip -9):');
for (const [f, n] of Object.entries(sizes)) console.log(`  ${f.padEnd(16)} ${(n / 1024).toFixed(1).padStart(7)} KB`);
console.log(`  ${'total'.padEnd(16)} ${(total / 1024).toFixed(1).padStart(7)} KB   (budget 450 KB)`);
console.log(`\nFirst frame, wasm instantiated -> first WebGL draw, median of ${RUNS} loads each, same run:`);
console.log(`  bare Dear ImGui page  ${fmt(median(bareTimes))} ms   (${bareTimes.map(fmt).join(', ')})`);
console.log(`  portal                ${fmt(median(portalTimes))} ms   (${portalTimes.map(fmt).join(', ')})`);
console.log(`  ratio                 ${fmt(median(portalTimes) / median(bareTimes))}   (budget 1.5)`);
console.log(`\nFrames drawn in 10 idle seconds: ${idleFrames}   (budget 0 without a countdown on screen)`);
const stats = (xs) => `mean ${fmt(xs.reduce((a, b) => a + b, 0) / xs.length)} ms, p95 ${fmt(pct(xs, 0.95))} ms, max ${fmt(Math.max(...xs))} ms`;
console.log(`\n${N} purchases, typing a search and scrolling, ${times.length} frames:`);
console.log(`  portal work per frame (NewFrame to Render)  ${stats(uiTimes)}   (budget 4 ms)`);
console.log(`  whole frame incl. WebGL calls (SwiftShader)  ${stats(times)}`);
