// The browser-test harness: starts a real continuata-server (built binary, free port, its own
// temporary data folder) and Debian's Chromium through playwright-core, and stops both after.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const serverBinary = join(root, 'build/native/continuata-server');
export const portalDir = join(root, 'build/web/portal');
export const artefactDir = join(root, 'build/test-artefacts');

// SIGTERM, then waits until the process has exited (at once if it already has).
export async function stopProcess(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

// Starts the server with extra flags (e.g. ['--demo']); resolves once it prints its address.
export async function startServer(extraArgs = [], { env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'continuata-browser-'));
  const args = ['--data', dataDir, '--port', '0', '--web', portalDir, ...extraArgs];
  const child = spawn(serverBinary, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => {
      output += c;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${output}`));
    });
  });
  child.stdout.on('data', (c) => {
    output += c;
  });
  return {
    url,
    dataDir,
    child,
    get output() {
      return output;
    },
    async stop() {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Debian's Chromium, headless, WebGL2 on SwiftShader, no background network (nothing to reach);
// `extraArgs` for more switches (the benchmark's --force-renderer-accessibility).
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--ignore-gpu-blocklist',
      ...extraArgs,
    ],
  });
}

// A page that records console errors and uncaught exceptions, for tests to assert there are none.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  return page;
}

export async function saveScreenshot(page, name) {
  mkdirSync(artefactDir, { recursive: true });
  return page.screenshot({ path: join(artefactDir, `${name}.png`) });
}

// For a test file: one server (with `flags`) and one browser, started before its tests and
// stopped after them. Read env.server and env.browser inside the tests.
export function withServerAndBrowser(flags = ['--demo']) {
  const env = {};
  before(async () => {
    env.server = await startServer(flags);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
