// The whole customer journey on the balanced deployment: scripts/cluster's PostgreSQL, two
// continuata-server instances and nginx in front (X-Accel-Redirect for the files). Between the
// code being sent and being entered, the instance that took the sign-in request is killed with
// kill -9: the code, the session and the download must not depend on which instance is alive.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, launchBrowser, newPage, saveScreenshot, stopProcess } from './harness.mjs';
import { freePort } from './nginx.mjs';
import { waitForWidget, click, typeInto, codeFromOutbox } from './portal_driver.mjs';

const EMAIL = 'demo@example.com';
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

// Starts scripts/cluster and resolves once it prints its instances.
async function startCluster(instances, port) {
  const child = spawn(
    'python3',
    [join(root, 'scripts/cluster'), '--instances', String(instances), '--port', String(port), '--no-build'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const deadline = Date.now() + 120000;
  while (!output.includes('Ctrl-C stops it all.')) {
    if (child.exitCode !== null || Date.now() > deadline)
      assert.fail(`scripts/cluster did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const members = [...output.matchAll(/^instance (\d+) pid (\d+) port (\d+)$/gm)].map((m) => ({
    pid: Number(m[2]),
    port: Number(m[3]),
  }));
  return { child, members, output: () => output };
}

test('through nginx to two instances on PostgreSQL, one killed with kill -9 mid-sign-in', async () => {
  const port = await freePort();
  const cluster = await startCluster(2, port);
  cleanups.push(() => stopProcess(cluster.child));
  assert.equal(cluster.members.length, 2);
  const site = `http://localhost:${port}`;

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${site}/my`);
  await typeInto(page, 'Email address', EMAIL);
  await click(page, 'button', 'Send code');
  await waitForWidget(page, 'textbox', 'Verification code');

  // Both instances are alive and each has served the portal's API at least once, either may
  // have sent the code; kill the first, hard, with the code not yet entered.
  process.kill(cluster.members[0].pid, 'SIGKILL');
  const code = await codeFromOutbox(site, EMAIL); // the outbox is in PostgreSQL: any instance
  await typeInto(page, 'Verification code', code);
  await click(page, 'button', 'Verify');
  await waitForWidget(page, 'heading', 'Your purchases', { timeout: 30000 });
  await page.waitForFunction(
    () => window.__continuata.semantics.filter((w) => w.role === 'listitem').length >= 2, // rows on screen: two fit now
    null,
    { timeout: 15000 },
  );
  await click(page, 'button', 'Get download link');
  const download = await waitForWidget(page, 'link', 'Download');
  assert.ok(download.value.startsWith(`${site}/download?token=`), download.value);
  await saveScreenshot(page, 'cluster-library-after-kill');

  // The bytes come from nginx (X-Accel-Redirect), whole and as ranges.
  const whole = await fetch(download.value);
  assert.equal(whole.status, 200);
  const body = Buffer.from(await whole.arrayBuffer());
  assert.ok(body.length > 0);
  const etag = whole.headers.get('etag');
  assert.ok(etag, 'an ETag for resuming');
  const part = await fetch(download.value, { headers: { Range: 'bytes=1-4', 'If-Range': etag } });
  assert.equal(part.status, 206);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), body.subarray(1, 5));

  // Reload: the session, kept by the browser and checked by the surviving instance, still holds.
  await page.reload();
  await waitForWidget(page, 'heading', 'Your purchases', { timeout: 30000 });
  assert.deepEqual(page.consoleErrors, []);
});
