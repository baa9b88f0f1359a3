// Drives the portal like a person with a pointer and a keyboard on the canvas. Widgets are found
// through the semantics list the portal publishes each frame (window.__continuata.semantics:
// role, accessible name, value, state and rectangle in CSS pixels of the canvas), the same list
// the accessibility layer mirrors; clicks and typing go to the canvas as real input events.
import assert from 'node:assert/strict';

export async function semantics(page) {
  return page.evaluate(() => (window.__continuata && window.__continuata.semantics) || []);
}

// Waits until a widget with this role and name (string or RegExp) is on screen; returns it.
export async function waitForWidget(page, role, name, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = [];
  while (Date.now() < deadline) {
    last = await semantics(page);
    const hit = last.find((w) => w.role === role && matches(w.name, name));
    if (hit) return hit;
    await page.waitForTimeout(50);
  }
  assert.fail(
    `no ${role} "${name}" on screen; visible: ${last.map((w) => `${w.role}:${w.name}`).join(', ')}`,
  );
}

export async function waitForGone(page, role, name, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const list = await semantics(page);
    if (!list.some((w) => w.role === role && matches(w.name, name))) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`${role} "${name}" still on screen`);
}

// The status line's text once it matches `pattern`.
export async function waitForStatus(page, pattern, { timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  let seen = [];
  while (Date.now() < deadline) {
    const list = await semantics(page);
    seen = list.filter((w) => w.role === 'status' || w.role === 'alert').map((w) => w.name);
    const hit = seen.find((t) => pattern.test(t));
    if (hit) return hit;
    await page.waitForTimeout(50);
  }
  assert.fail(`no status matching ${pattern}; status lines seen: ${JSON.stringify(seen)}`);
}

// A name given as a string matches itself, or itself naming its product ("Get download link,
// Epic Drum Kit"): PRODUCT.md's names are prefixes where several controls share them.
function matches(actual, expected) {
  return expected instanceof RegExp
    ? expected.test(actual)
    : actual === expected || actual.startsWith(`${expected}, `);
}

async function canvasOrigin(page) {
  const box = await page.locator('#canvas').boundingBox();
  return { x: box.x, y: box.y };
}

export async function click(page, role, name) {
  const w = await waitForWidget(page, role, name);
  const o = await canvasOrigin(page);
  await page.mouse.click(o.x + w.x + w.w / 2, o.y + w.y + w.h / 2);
  return w;
}

// Clicks into a text field, clears it, and types like a keyboard.
export async function typeInto(page, name, text) {
  await click(page, 'textbox', name);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text, { delay: 10 });
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const w = (await semantics(page)).find((x) => x.role === 'textbox' && x.name === name);
    if (w && w.value === text) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`textbox "${name}" did not take "${text}"`);
}

// The newest message sent to `email`, read from the server's dev outbox.
async function newestMail(serverUrl, email) {
  const res = await fetch(`${serverUrl}/api/dev/outbox?to=${encodeURIComponent(email)}`);
  assert.equal(res.status, 200);
  const messages = await res.json();
  assert.ok(messages.length > 0, `no message for ${email} in the outbox`);
  return messages[0].text;
}

// The newest verification code sent to `email`.
export async function codeFromOutbox(serverUrl, email) {
  const text = await newestMail(serverUrl, email);
  const m = /\b(\d{6})\b/.exec(text);
  assert.ok(m, `no 6-digit code in: ${text}`);
  return m[1];
}

// The magic link (page URL with email and code) of the newest message sent to `email`.
export async function magicLinkFromOutbox(serverUrl, email) {
  const text = await newestMail(serverUrl, email);
  const m = /(http\S+\?email=\S+&code=\d{6})/.exec(text);
  assert.ok(m, `no magic link in: ${text}`);
  return m[1];
}

// Asks the server for a code for `email`, as the portal's first screen does, and returns it.
export async function requestCode(serverUrl, email) {
  const res = await fetch(`${serverUrl}/api/portal/verification`, {
    method: 'POST',
    body: JSON.stringify({ email }),
  });
  assert.equal(res.status, 202);
  return codeFromOutbox(serverUrl, email);
}

// Signs `page` in as `email` through the magic link and waits for the purchase list.
export async function openSignedIn(page, serverUrl, email) {
  const code = await requestCode(serverUrl, email);
  await page.goto(`${serverUrl}/my?email=${encodeURIComponent(email)}&code=${code}`);
  await waitForWidget(page, 'heading', 'Your purchases');
  await page.waitForFunction(() => window.__continuata.semantics.some((w) => w.role === 'listitem'));
}

// The driver's functions for a portal inside an iframe: semantics and the canvas from the frame,
// pointer and keyboard from the page (a frame's boxes are already in page coordinates).
export function inFrame(page, frame) {
  return {
    evaluate: (fn, arg) => frame.evaluate(fn, arg),
    locator: (selector) => frame.locator(selector),
    waitForTimeout: (ms) => page.waitForTimeout(ms),
    mouse: page.mouse,
    keyboard: page.keyboard,
  };
}
