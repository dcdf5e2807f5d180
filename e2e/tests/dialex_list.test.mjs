// DialEx to a list of numbers against the real backend in sandbox mode: one job, one DialEx call per
// number, followed live on the job view to the outcome its call record gives; a number on the do-not-call list is listed there but never
// dialled, and the single-call form refuses it with its own words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.mjs';
import { openPage, assertNoUnexpectedErrors, useBackendAndBrowser } from '../support/app.mjs';

const INSTANCE = 'd278629c-c687-4aa3-b044-4fe9b012e7ef';
const BLOCKED = '+8613900000099';
const ctx = useBackendAndBrowser({
  env: { CALLOUT__DO_NOT_CALL: JSON.stringify([BLOCKED]), CALLOUT__SANDBOX__TIME_SCALE: '0.05' },
});

async function fillRoute(page) {
  await page.getByTestId('account').waitFor({ timeout: 20000 });
  await page.locator('#account_id option[value="sandbox-ccc"]').waitFor({ state: 'attached' });
  await page.getByTestId('account').selectOption('sandbox-ccc');
  await page.getByTestId('instance').selectOption(INSTANCE);
  await page.getByLabel('Caller number').fill('02285196281');
  await page.getByLabel('IVR (contact flow)').check();
  await page.locator('#rout_point').fill('cf-welcome-ivr');
}

test('a list of two numbers, one on the do-not-call list (flagged in the form and left out), becomes one DialEx job followed live', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/dialex');
  await fillRoute(page);
  await page.getByTestId('dialex-mode-list').check();
  assert.ok(await page.getByLabel('Callee number').isHidden(), 'a list replaces the one callee');
  await page.getByTestId('paste-numbers').fill(`15732036617\n${BLOCKED}`);
  await page.getByRole('button', { name: 'Add these numbers' }).click();
  // The check flags the do-not-call number as it is typed; the backend would refuse it anyway.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="row-verdict"][data-state="valid"]').length === 1
    && document.querySelectorAll('[data-testid="row-verdict"][data-state="blocked"]').length === 1, null, { timeout: 20000 });

  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/dialex')) posts.push(r); });
  await page.getByTestId('dialex-submit').click();
  await page.getByTestId('dialex-confirm').waitFor();
  assert.equal(posts.length, 0, 'nothing is sent before the confirmation');
  assert.equal(await page.getByTestId('confirm-valid').textContent(), '1');
  assert.match(await page.getByTestId('confirm-skipped').textContent(), /^1 invalid, duplicate or do-not-call/);
  assert.equal(await page.getByTestId('confirm-instance').textContent(), INSTANCE);
  assert.match(await page.getByTestId('confirm-route').textContent(), /cf-welcome-ivr/);
  await screenshot(page, 'dialex-list-confirm');
  await page.getByTestId('dialex-start').click();

  await page.waitForURL(/\/callout\/jobs\/[^/]+$/, { timeout: 15000 });
  assert.equal(posts.length, 1);
  assert.match(posts[0].url(), /\/api\/v1\/dialex\/jobs$/);
  const headers = await posts[0].allHeaders();
  assert.ok(headers['idempotency-key']?.length > 0, 'the job is submitted with an idempotency key');
  assert.deepEqual(JSON.parse(posts[0].postData()).numbers.map((n) => n.number), ['15732036617'], 'the flagged number is not sent');

  await page.getByTestId('job-table').waitFor({ timeout: 15000 });
  await page.locator('[data-testid="live-state"]', { hasText: 'Live updates on.' }).waitFor({ timeout: 10000 });
  assert.equal(await page.getByTestId('job-kind').textContent(), 'DialEx');
  assert.equal(await page.getByTestId('job-target').textContent(), `cf-welcome-ivr · ${INSTANCE}`);
  assert.equal(await page.getByTestId('job-id-column').textContent(), 'Task ID');
  assert.ok(await page.getByTestId('cancel-ringing').isHidden(), 'a DialEx call has no ringing to cancel here');

  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-row"]').length === 1, null, { timeout: 15000 });
  await page.locator('[data-testid="job-state"][data-state="finished"]').waitFor({ timeout: 30000 });
  const rows = await page.getByTestId('job-row').evaluateAll((els) => els.map((e) => ({
    text: e.textContent,
    status: e.querySelector('[data-status]')?.dataset.status,
    callId: e.querySelector('[data-testid="row-call-id"]')?.textContent ?? '',
  })));
  // The job finishes once the contact center's call record tells the outcome; the emulator's is
  // chosen by the callee's last digit (7: rang out, not answered).
  assert.equal(rows[0].status, 'not_answered', JSON.stringify(rows));
  assert.match(rows[0].text, /15732036617/);
  assert.ok(rows[0].callId.trim().length > 0, 'the accepted call shows its task id');
  assert.equal(await page.getByTestId('not-dialled').textContent(), '0');
  await screenshot(page, 'dialex-list-job');
  assertNoUnexpectedErrors(consoleErrors, [/Failed to load resource/]);
  await page.close();
});

test('a single DialEx call to a number on the do-not-call list is refused next to the callee', async () => {
  const { page, consoleErrors } = await openPage(ctx.browser, ctx.backend.base, '/dialex');
  await fillRoute(page);
  await page.getByLabel('Callee number').fill(BLOCKED);
  await page.getByTestId('dialex-submit').click();
  await page.getByTestId('callee-error').getByText(/do-not-call list/).waitFor({ timeout: 15000 });
  assert.match(await page.getByTestId('global-alert').textContent(), /Nothing was dialled/);
  assert.equal(await page.getByTestId('dialex-task-id').count(), 0);
  await screenshot(page, 'dialex-do-not-call');
  assertNoUnexpectedErrors(consoleErrors, [/422/, /Failed to load resource/]);
  await page.close();
});
