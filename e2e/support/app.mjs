// Shared steps of the browser tests: open a page of the app and wait until it has data.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBackend } from './backend.mjs';
import { launchBrowser } from './browser.mjs';

/** Opens `path` in a fresh page, in English unless told otherwise, failing on console errors at the end. */
export async function openPage(browser, base, path, { lang = 'en' } = {}) {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.addInitScript((l) => {
    if (!localStorage.getItem('callout-console.lang')) localStorage.setItem('callout-console.lang', l);
  }, lang);
  await page.goto(base + path);
  return { page, consoleErrors };
}

/** Asserts that no console error appeared except the ones a test provoked on purpose (failed requests). */
export function assertNoUnexpectedErrors(consoleErrors, allowed = []) {
  const unexpected = consoleErrors.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(unexpected, []);
}

/**
 * Starts the real backend (sandbox mode) and a browser before the file's tests and stops both after.
 * Returns an object whose `backend` and `browser` are set once the tests run.
 */
export function useBackendAndBrowser(options) {
  const ctx = { backend: undefined, browser: undefined };
  before(async () => {
    ctx.backend = await startBackend(options);
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.backend?.stop();
  });
  return ctx;
}

/** The sandbox's Tencent meeting that accepts callouts. */
export const SANDBOX_MEETING = '6058890385480921052';

/** Starts a callout job through the API, as the admin panel would, and returns its id. */
export async function startJob(base, text, idempotencyKey) {
  const response = await fetch(`${base}/api/v1/callouts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1', 'idempotency-key': idempotencyKey },
    body: JSON.stringify({ account_id: 'sandbox-tencent', meeting_id: SANDBOX_MEETING, text }),
  });
  assert.equal(response.status, 202);
  return (await response.json()).job_id;
}
